-- Approvals: company time zone and request expiry, member spending limits, approval rules,
-- purchase requests with their frozen lines and history.
-- Kept in step with ../postgres/20261202000002_approvals.sql: same tables, columns and names; only
-- the id column syntax differs. Money is BIGINT minor units in the company's currency.

-- Months for spending limits start at midnight on the 1st in this IANA time zone.
ALTER TABLE companies ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
-- A pending purchase request expires after this many days.
ALTER TABLE companies ADD COLUMN request_expiry_days BIGINT NOT NULL DEFAULT 14;
-- NULL: no limit (never "exceeded").
ALTER TABLE members ADD COLUMN order_limit_minor BIGINT;
ALTER TABLE members ADD COLUMN month_limit_minor BIGINT;

-- kind: 'total_above' (value = amount), 'category', 'location', 'role' (value = that id).
-- first_role_id approves first; second_role_id, if any, after.
CREATE TABLE approval_rules (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id     BIGINT NOT NULL REFERENCES companies (id),
    kind           TEXT NOT NULL,
    value          BIGINT NOT NULL,
    first_role_id  BIGINT NOT NULL REFERENCES roles (id),
    second_role_id BIGINT REFERENCES roles (id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX approval_rules_company_idx ON approval_rules (company_id);

-- What the buyer reviewed at checkout, frozen. status: 'pending', 'needs_review', 'ordered',
-- 'rejected', 'cancelled', 'expired'. steps: the approving role ids in order ('*' = any
-- approver), comma separated; step: how many are done. reasons: why, as codes. version goes up
-- on every change, so two approvers (or an approver and the requester) cannot both win.
CREATE TABLE purchase_requests (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id      BIGINT NOT NULL REFERENCES companies (id),
    requested_by    BIGINT NOT NULL REFERENCES members (id),
    location_id     BIGINT NOT NULL REFERENCES locations (id),
    buying_for      BIGINT REFERENCES locations (id),
    status          TEXT NOT NULL,
    po_number       TEXT NOT NULL,
    note            TEXT NOT NULL,
    requested_date  BIGINT,
    payment_terms   TEXT NOT NULL,
    currency        TEXT NOT NULL,
    total_minor     BIGINT NOT NULL,
    line_count      BIGINT NOT NULL,
    fingerprint     TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    reasons         TEXT NOT NULL,
    steps           TEXT NOT NULL,
    step            BIGINT NOT NULL DEFAULT 0,
    version         BIGINT NOT NULL DEFAULT 1,
    order_id        BIGINT REFERENCES orders (id),
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    decided_at      BIGINT,
    reminded_at     BIGINT,
    CONSTRAINT purchase_requests_key UNIQUE (company_id, idempotency_key)
);
CREATE INDEX purchase_requests_company_idx ON purchase_requests (company_id, status);
CREATE INDEX purchase_requests_member_idx ON purchase_requests (requested_by, created_at);

CREATE TABLE purchase_request_lines (
    request_id       BIGINT NOT NULL REFERENCES purchase_requests (id),
    line_no          BIGINT NOT NULL,
    variant_id       BIGINT NOT NULL,
    sku              TEXT NOT NULL,
    name             TEXT NOT NULL,
    unit             TEXT NOT NULL,
    quantity         BIGINT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    line_total_minor BIGINT NOT NULL,
    PRIMARY KEY (request_id, line_no)
);

-- event: 'requested', 'approved' (one step), 'ordered', 'rejected', 'cancelled', 'expired',
-- 'needs_review', 'reviewed' (new figures approved), 'reminded'.
CREATE TABLE purchase_request_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id  BIGINT NOT NULL REFERENCES purchase_requests (id),
    at          BIGINT NOT NULL,
    member_id   BIGINT REFERENCES members (id),
    actor_name  TEXT NOT NULL,
    event       TEXT NOT NULL,
    comment     TEXT NOT NULL
);
CREATE INDEX purchase_request_events_idx ON purchase_request_events (request_id, id);
