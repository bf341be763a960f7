-- Foundation: users, companies, locations, roles, members, sessions, sign-in attempts.
-- Kept in step with ../postgres/20261123000001_foundation.sql: same tables, columns and names;
-- only the id column syntax differs. Times are unix seconds (BIGINT), booleans 0/1 (BIGINT):
-- the sqlx Any driver decodes neither TIMESTAMPTZ nor SQLite BOOLEAN.

CREATE TABLE app_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    locale        TEXT,
    is_staff      BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE companies (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL,
    currency       TEXT NOT NULL,
    default_locale TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    CONSTRAINT companies_name_key UNIQUE (name)
);

CREATE TABLE locations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    name        TEXT NOT NULL,
    -- 'ship_to', 'bill_to' or 'both'
    kind        TEXT NOT NULL,
    address     TEXT NOT NULL,
    city        TEXT NOT NULL,
    country     TEXT NOT NULL,
    CONSTRAINT locations_company_name_key UNIQUE (company_id, name)
);

-- Built-in roles have company_id NULL and are shared; custom roles belong to one company.
CREATE TABLE roles (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id  BIGINT REFERENCES companies (id),
    code        TEXT NOT NULL,
    name        TEXT NOT NULL
);
CREATE UNIQUE INDEX roles_builtin_code_key ON roles (code) WHERE company_id IS NULL;
CREATE UNIQUE INDEX roles_company_code_key ON roles (company_id, code) WHERE company_id IS NOT NULL;

CREATE TABLE role_permissions (
    role_id    BIGINT NOT NULL REFERENCES roles (id),
    permission TEXT NOT NULL,
    PRIMARY KEY (role_id, permission)
);

CREATE TABLE members (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    role_id     BIGINT NOT NULL REFERENCES roles (id),
    created_at  BIGINT NOT NULL,
    CONSTRAINT members_user_company_key UNIQUE (user_id, company_id)
);
CREATE INDEX members_company_idx ON members (company_id);

-- The locations a member may buy for.
CREATE TABLE member_locations (
    member_id   BIGINT NOT NULL REFERENCES members (id),
    location_id BIGINT NOT NULL REFERENCES locations (id),
    PRIMARY KEY (member_id, location_id)
);

-- A session is a random token in an HttpOnly cookie; only its SHA-256 is stored, so a leaked
-- database does not hand out live sessions. The selected company and location live here (not in
-- process memory), so any app server behind the load balancer can serve the next request.
CREATE TABLE sessions (
    id_hash     TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    company_id  BIGINT REFERENCES companies (id),
    location_id BIGINT REFERENCES locations (id),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Failed sign-ins, counted per IP and per account over a sliding window (shared by all app servers).
CREATE TABLE login_failures (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    scope   TEXT NOT NULL,
    subject TEXT NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX login_failures_lookup_idx ON login_failures (scope, subject, at);
