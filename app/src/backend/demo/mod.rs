//! Demo data, loaded at start-up and idempotent: the companies, locations and accounts
//! (`seed`), the generated catalog (`catalog`, from `vocabulary.yml`) and each demo buyer's order
//! history (`orders`). Production code never calls into this module; it calls production code.

pub mod approvals;
pub mod catalog;
pub mod invoices;
pub mod orders;
pub mod quotes;
pub mod search;
pub mod seed;
pub mod team;
