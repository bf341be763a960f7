//! Server-only code, compiled only with the `ssr` feature and called only from `api/` server
//! function bodies (and wired by `server`).
//!
//! Each feature is a folder of its own: a service (`mod.rs`: rules, transactions, named like the
//! server functions it serves) and its SQL (`repo.rs`, scoped by the company). A service that
//! needs another feature's rows calls that feature's service, never its repository.
//! Around the features: `platform` (database, state, HTTP edge, sessions, the guard, mail,
//! clock), `read_model` (the in-memory catalog, directory and search index following the change
//! log) and `demo` (the demo companies, catalog and order history).

// Features.
pub mod account;
pub mod approvals;
pub mod auth;
pub mod cart;
pub mod catalog;
pub mod invoices;
pub mod lists;
pub mod orders;
pub mod pdf;
pub mod quotes;
pub mod search;
pub mod team;

// Around them.
pub mod demo;
pub mod platform;
pub mod read_model;
