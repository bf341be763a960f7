//! One module per route. Pages import `api`, `domain`, `components`, never `backend`.

pub mod login;
pub mod not_found;
pub mod placeholders;
pub mod team;
