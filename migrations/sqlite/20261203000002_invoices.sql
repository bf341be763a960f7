-- Invoices: one per shipment (what it carried, at the order's prices), or one per order for
-- prepaid terms; payments the merchant records, allocated to invoices.
-- Kept in step with ../postgres/20261203000002_invoices.sql: same tables, columns and names; only
-- the id column syntax differs. Money is BIGINT minor units in the invoice's currency; days
-- (issued_on, due_on, received_on) are the company's local dates as days since 1970-01-01.

-- What a shipment carried: quantities of the order's lines.
CREATE TABLE shipment_lines (
    shipment_id BIGINT NOT NULL REFERENCES shipments (id),
    line_no     BIGINT NOT NULL,
    quantity    BIGINT NOT NULL,
    PRIMARY KEY (shipment_id, line_no)
);

-- status: 'open', 'partly_paid', 'paid', 'void' (overdue is computed, never stored).
CREATE TABLE invoices (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id    BIGINT NOT NULL REFERENCES companies (id),
    order_id      BIGINT NOT NULL REFERENCES orders (id),
    shipment_id   BIGINT REFERENCES shipments (id),
    status        TEXT NOT NULL,
    currency      TEXT NOT NULL,
    payment_terms TEXT NOT NULL,
    issued_on     BIGINT NOT NULL,
    due_on        BIGINT NOT NULL,
    total_minor   BIGINT NOT NULL,
    paid_minor    BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    CONSTRAINT invoices_shipment UNIQUE (shipment_id)
);
CREATE INDEX invoices_company_idx ON invoices (company_id, status, due_on);
CREATE INDEX invoices_order_idx ON invoices (order_id);

CREATE TABLE invoice_lines (
    invoice_id       BIGINT NOT NULL REFERENCES invoices (id),
    line_no          BIGINT NOT NULL,
    sku              TEXT NOT NULL,
    name             TEXT NOT NULL,
    unit             TEXT NOT NULL,
    quantity         BIGINT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    line_total_minor BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, line_no)
);

CREATE TABLE payments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id   BIGINT NOT NULL REFERENCES companies (id),
    currency     TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    received_on  BIGINT NOT NULL,
    reference    TEXT NOT NULL,
    recorded_by  BIGINT REFERENCES users (id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX payments_company_idx ON payments (company_id, received_on);

CREATE TABLE payment_allocations (
    payment_id   BIGINT NOT NULL REFERENCES payments (id),
    invoice_id   BIGINT NOT NULL REFERENCES invoices (id),
    amount_minor BIGINT NOT NULL,
    PRIMARY KEY (payment_id, invoice_id)
);
CREATE INDEX payment_allocations_invoice_idx ON payment_allocations (invoice_id);
