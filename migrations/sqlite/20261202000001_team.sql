-- Team management: member status and version, last sign-in, invitations, one-time mailed
-- tokens (password reset, domain verification, join by domain), verified domains, join
-- requests, the audit log and rate-limit events.
-- Kept in step with ../postgres/20261202000001_team.sql: same tables, columns and names; only the
-- id column syntax differs. Times are unix seconds, booleans 0/1.

-- A deactivated member (active = 0) keeps their orders, lists and quotes with the company but
-- has no access. version goes up on every change an admin makes, so two admins changing the
-- same member at once get "changed meanwhile" instead of silently undoing each other.
ALTER TABLE members ADD COLUMN active BIGINT NOT NULL DEFAULT 1;
ALTER TABLE members ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN last_sign_in_at BIGINT;
-- Custom roles are edited by admins too: the same check.
ALTER TABLE roles ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

-- An invitation: the token is random and only its SHA-256 is stored; resending replaces the
-- hash (the old link dies). status: 'pending', 'accepted', 'revoked'.
CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    email       TEXT NOT NULL,
    role_id     BIGINT NOT NULL REFERENCES roles (id),
    locale      TEXT NOT NULL,
    invited_by  BIGINT NOT NULL REFERENCES members (id),
    token_hash  TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    CONSTRAINT invitations_token_key UNIQUE (token_hash)
);
CREATE INDEX invitations_company_idx ON invitations (company_id, status);

CREATE TABLE invitation_locations (
    invitation_id BIGINT NOT NULL REFERENCES invitations (id),
    location_id   BIGINT NOT NULL REFERENCES locations (id),
    PRIMARY KEY (invitation_id, location_id)
);

-- Single-use links mailed to prove an address: purpose 'reset' (a password reset for user_id),
-- 'domain' (an admin of company_id verifies the domain of email), 'join' (email asks to join
-- by its verified domain). Only the SHA-256 of the token is stored.
CREATE TABLE email_tokens (
    token_hash  TEXT PRIMARY KEY,
    purpose     TEXT NOT NULL,
    user_id     BIGINT REFERENCES users (id),
    company_id  BIGINT REFERENCES companies (id),
    email       TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);

-- A domain verified by an admin with an address there. policy: 'ask' (a join request waits for
-- an admin) or 'join' (the joiner becomes a member with join_role_id at once). A domain belongs
-- to one company.
CREATE TABLE company_domains (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id   BIGINT NOT NULL REFERENCES companies (id),
    domain       TEXT NOT NULL,
    policy       TEXT NOT NULL,
    join_role_id BIGINT REFERENCES roles (id),
    verified_at  BIGINT NOT NULL,
    verified_by  BIGINT NOT NULL REFERENCES members (id),
    CONSTRAINT company_domains_domain_key UNIQUE (domain)
);

-- Someone with a proven address at a verified domain who asked to join. status: 'pending',
-- 'approved', 'declined'.
CREATE TABLE join_requests (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    status      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    decided_at  BIGINT,
    CONSTRAINT join_requests_company_user_key UNIQUE (company_id, user_id)
);

-- Append-only (the repository has no UPDATE or DELETE for it), written in the same transaction
-- as the change it records. actor_name is kept as it was then; detail holds before/after.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id  BIGINT NOT NULL REFERENCES companies (id),
    at          BIGINT NOT NULL,
    actor_id    BIGINT REFERENCES users (id),
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX audit_log_company_idx ON audit_log (company_id, id);

-- Events counted for rate limits (invitations per admin and company, password resets per
-- address and IP, join mails), shared by every app server.
CREATE TABLE rate_events (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    scope   TEXT NOT NULL,
    subject TEXT NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX rate_events_lookup_idx ON rate_events (scope, subject, at);
