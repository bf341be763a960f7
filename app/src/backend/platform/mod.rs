//! Plumbing every feature uses: the database pool and dialect (`db`), the router state
//! (`state`), the HTTP edge middleware (`http`), sessions and the one authorization guard
//! (`session`, `guard`), the mail outbox (`mail`), time (`clock`), password hashing
//! (`password`) and a small TTL cache (`cache`). No feature rules live here.

pub mod cache;
pub mod clock;
pub mod db;
pub mod email_token;
pub mod guard;
pub mod headers;
pub mod http;
pub mod mail;
pub mod metrics;
pub mod password;
pub mod rate;
pub mod session;
pub mod state;
