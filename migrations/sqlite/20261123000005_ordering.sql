-- Ordering: payment terms on companies, carts, orders with their timeline and shipments,
-- shopping lists, and the mail outbox. Kept in step with ../postgres/20261123000005_ordering.sql:
-- same tables, columns and names; only the id column syntax differs. Money is BIGINT minor units
-- next to an ISO currency code; times are unix seconds.

-- Payment terms: 'prepaid', 'net15', 'net30', 'net60'. Credit is what unpaid orders may add up
-- to; a purchase order number can be required on every order.
ALTER TABLE companies ADD COLUMN payment_terms TEXT NOT NULL DEFAULT 'prepaid';
ALTER TABLE companies ADD COLUMN credit_limit_minor BIGINT NOT NULL DEFAULT 0;
ALTER TABLE companies ADD COLUMN po_required BIGINT NOT NULL DEFAULT 0;

-- One cart per member and location (location_key: the location id, 0 = company-wide), kept on
-- the server so it survives sign-out, another device and another app server. version goes up on
-- every change: checkout places only the version the buyer reviewed.
CREATE TABLE carts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id   BIGINT NOT NULL REFERENCES companies (id),
    member_id    BIGINT NOT NULL REFERENCES members (id),
    location_key BIGINT NOT NULL,
    version      BIGINT NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL,
    CONSTRAINT carts_member_location_key UNIQUE (member_id, location_key)
);

-- position keeps lines in the order they were first added.
CREATE TABLE cart_lines (
    cart_id    BIGINT NOT NULL REFERENCES carts (id),
    variant_id BIGINT NOT NULL REFERENCES variants (id),
    quantity   BIGINT NOT NULL,
    position   BIGINT NOT NULL,
    PRIMARY KEY (cart_id, variant_id)
);

-- status: 'placed', 'confirmed', 'partly_shipped', 'shipped', 'delivered', 'cancelled'.
-- The order number shown to buyers is derived from id (see domain::order). A retried placement
-- carries the same idempotency key and finds the order it already made.
CREATE TABLE orders (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id      BIGINT NOT NULL REFERENCES companies (id),
    placed_by       BIGINT NOT NULL REFERENCES members (id),
    location_id     BIGINT NOT NULL REFERENCES locations (id),
    status          TEXT NOT NULL,
    po_number       TEXT NOT NULL DEFAULT '',
    note            TEXT NOT NULL DEFAULT '',
    requested_date  BIGINT,
    payment_terms   TEXT NOT NULL,
    currency        TEXT NOT NULL,
    total_minor     BIGINT NOT NULL,
    line_count      BIGINT NOT NULL,
    idempotency_key TEXT NOT NULL,
    placed_at       BIGINT NOT NULL,
    paid_at         BIGINT,
    CONSTRAINT orders_idempotency_key UNIQUE (company_id, idempotency_key)
);
CREATE INDEX orders_company_placed_idx ON orders (company_id, placed_at);
CREATE INDEX orders_placed_by_idx ON orders (placed_by, placed_at);

-- A line keeps what was bought as it was then: SKU, name in the buyer's language, price.
CREATE TABLE order_lines (
    order_id         BIGINT NOT NULL REFERENCES orders (id),
    line_no          BIGINT NOT NULL,
    variant_id       BIGINT NOT NULL REFERENCES variants (id),
    sku              TEXT NOT NULL,
    name             TEXT NOT NULL,
    unit             TEXT NOT NULL,
    quantity         BIGINT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    line_total_minor BIGINT NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_lines_variant_idx ON order_lines (variant_id);

-- The status timeline: one row per status the order reached.
CREATE TABLE order_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders (id),
    status   TEXT NOT NULL,
    at       BIGINT NOT NULL
);
CREATE INDEX order_events_order_idx ON order_events (order_id);

CREATE TABLE shipments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id        BIGINT NOT NULL REFERENCES orders (id),
    carrier         TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    shipped_at      BIGINT NOT NULL,
    delivered_at    BIGINT
);
CREATE INDEX shipments_order_idx ON shipments (order_id);

-- Private to its owner, or shared with the whole company.
CREATE TABLE shopping_lists (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id BIGINT NOT NULL REFERENCES companies (id),
    owner_id   BIGINT NOT NULL REFERENCES members (id),
    name       TEXT NOT NULL,
    shared     BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX shopping_lists_company_idx ON shopping_lists (company_id);

CREATE TABLE shopping_list_lines (
    list_id    BIGINT NOT NULL REFERENCES shopping_lists (id),
    variant_id BIGINT NOT NULL REFERENCES variants (id),
    quantity   BIGINT NOT NULL,
    position   BIGINT NOT NULL,
    PRIMARY KEY (list_id, variant_id)
);

-- Mail is written here in the transaction that causes it (an order is never placed without its
-- confirmation, nor confirmed twice) and sent by a background task on any app server, which
-- claims a message for a while before sending so two servers do not both send it.
CREATE TABLE mail_outbox (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient     TEXT NOT NULL,
    subject       TEXT NOT NULL,
    body          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    claimed_until BIGINT,
    sent_at       BIGINT,
    attempts      BIGINT NOT NULL DEFAULT 0,
    last_error    TEXT
);
CREATE INDEX mail_outbox_pending_idx ON mail_outbox (sent_at, id);
