-- Quotes: a buyer's request, the merchant's offers as numbered revisions, the thread between
-- them, attachments, and the one order an accepted quote becomes.
-- Kept in step with ../postgres/20261203000001_quotes.sql: same tables, columns and names; only
-- the id column syntax and the attachment bytes' type differ. Money is BIGINT minor units in
-- the quote's currency (the company's).

-- status: 'submitted', 'in_review', 'offered', 'changes_requested', 'accepted', 'ordered',
-- 'declined', 'withdrawn', 'rejected', 'expired'. revision: the last offer's number (0: none
-- yet). version goes up on every change: each transition is a compare-and-set on it, so two
-- clicks, two tabs or buyer and merchant at once cannot both win.
CREATE TABLE quotes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id      BIGINT NOT NULL REFERENCES companies (id),
    requested_by    BIGINT NOT NULL REFERENCES members (id),
    location_id     BIGINT NOT NULL REFERENCES locations (id),
    status          TEXT NOT NULL,
    revision        BIGINT NOT NULL DEFAULT 0,
    version         BIGINT NOT NULL DEFAULT 1,
    currency        TEXT NOT NULL,
    note            TEXT NOT NULL,
    -- The end of the offer's expiry day in the company's time zone (unix seconds).
    expires_at      BIGINT,
    reason          TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT NOT NULL,
    -- One order per quote: the placement writes it in the transaction that claims the quote.
    order_id        BIGINT REFERENCES orders (id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    reminded_at     BIGINT,
    CONSTRAINT quotes_key UNIQUE (company_id, idempotency_key),
    CONSTRAINT quotes_order UNIQUE (order_id)
);
CREATE INDEX quotes_company_idx ON quotes (company_id, status);
CREATE INDEX quotes_desk_idx ON quotes (status, updated_at);

-- The lines of every revision: revision 0 is the request (target prices), n the merchant's
-- offer n (offered prices); a buyer's change request writes its new targets on the next
-- revision's row before the merchant fills in the offer. list_price_minor is what the buyer's
-- price list said when it was written (NULL for quote-only variants: never shown to buyers).
CREATE TABLE quote_lines (
    quote_id           BIGINT NOT NULL REFERENCES quotes (id),
    revision           BIGINT NOT NULL,
    line_no            BIGINT NOT NULL,
    variant_id         BIGINT NOT NULL,
    sku                TEXT NOT NULL,
    name               TEXT NOT NULL,
    unit               TEXT NOT NULL,
    quantity           BIGINT NOT NULL,
    target_price_minor BIGINT,
    list_price_minor   BIGINT,
    offered_price_minor BIGINT,
    PRIMARY KEY (quote_id, revision, line_no)
);

-- One row per offer sent: its expiry and the merchant's words with it.
CREATE TABLE quote_revisions (
    quote_id    BIGINT NOT NULL REFERENCES quotes (id),
    revision    BIGINT NOT NULL,
    offered_at  BIGINT NOT NULL,
    offered_by  BIGINT NOT NULL REFERENCES users (id),
    expires_at  BIGINT NOT NULL,
    total_minor BIGINT NOT NULL,
    PRIMARY KEY (quote_id, revision)
);

-- The thread and the history in one: kind 'message', or the event ('submitted', 'in_review',
-- 'offered', 'changes_requested', 'accepted', 'ordered', 'declined', 'withdrawn', 'rejected',
-- 'expired', 'reminded'). A buyer writes as a member, the merchant as a staff user.
CREATE TABLE quote_messages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    quote_id    BIGINT NOT NULL REFERENCES quotes (id),
    at          BIGINT NOT NULL,
    member_id   BIGINT REFERENCES members (id),
    staff_id    BIGINT REFERENCES users (id),
    author_name TEXT NOT NULL,
    kind        TEXT NOT NULL,
    revision    BIGINT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX quote_messages_idx ON quote_messages (quote_id, id);

-- Files with a request or a message; content_type is the one judged from the bytes.
CREATE TABLE quote_attachments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    quote_id     BIGINT NOT NULL REFERENCES quotes (id),
    message_id   BIGINT REFERENCES quote_messages (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    bytes        BLOB NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX quote_attachments_idx ON quote_attachments (quote_id);

-- A purchase request made from an accepted quote whose checkout needed approval: approved, it
-- is placed at the quote's offered prices and orders the quote. One open request per quote.
ALTER TABLE purchase_requests ADD COLUMN quote_id BIGINT REFERENCES quotes (id);
CREATE UNIQUE INDEX purchase_requests_open_quote ON purchase_requests (quote_id)
    WHERE status IN ('pending', 'needs_review');
