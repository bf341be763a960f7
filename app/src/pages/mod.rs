//! One module per route. Pages import `api`, `domain`, `components`, never `backend`.

pub mod catalog;
pub mod login;
pub mod not_found;
pub mod placeholders;
pub mod product;
pub mod search;
pub mod team;
