//! Server functions, one module per feature, with the DTOs they return (shaped for the view:
//! nothing it doesn't show). Each is thin: authorize, parse, call one service, map to a DTO,
//! return `AppError` (the
//! `server_fn_status` middleware turns it into the right HTTP status). Endpoints are explicit so URLs stay stable for tests and
//! integrators.

pub mod auth;
pub mod cart;
pub mod catalog;
pub mod csv;
pub mod lists;
pub mod orders;
pub mod search;
pub mod session;
pub mod team;
