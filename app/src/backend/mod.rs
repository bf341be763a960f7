//! Server-only code: services (rules, transactions) and repositories (SQL). Compiled only with
//! the `ssr` feature and called only from `api/` server function bodies (and wired by `server`).

pub mod auth;
pub mod cache;
pub mod cart;
pub mod catalog;
pub mod change_triggers;
pub mod changes;
pub mod clock;
pub mod db;
pub mod directory;
pub mod guard;
pub mod http;
pub mod lists;
pub mod mail;
pub mod orders;
pub mod password;
pub mod search;
pub mod seed;
pub mod session;
pub mod state;
pub mod team;
