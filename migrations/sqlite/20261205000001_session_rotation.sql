-- A privilege change made by someone else (an admin changing a member's role) cannot hand the
-- member's browser a new token; it marks their sessions, and their next request rotates the token
-- (`platform::http::resolve_session`), so a token seen before the change is dead after it.
ALTER TABLE sessions ADD COLUMN rotate BIGINT NOT NULL DEFAULT 0;
