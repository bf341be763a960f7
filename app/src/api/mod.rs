//! Server functions, one module per feature, with the DTOs they return (shaped for the view:
//! nothing it doesn't show). Each is thin: authorize, parse, call one service, map to a DTO,
//! return `AppError` (the
//! `server_fn_status` middleware turns it into the right HTTP status). Endpoints are explicit so URLs stay stable for tests and
//! integrators.

/// True when the request is a plain form post (the pages' forms): its answer goes back to the page
/// in the redirect URL (`backend::platform::http::form_answers`), so it carries only what the page
/// shows (an add's refused rows, not every row).
#[cfg(feature = "ssr")]
pub(crate) fn form_post() -> bool {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .is_some_and(|p| crate::backend::platform::http::accepts_html(&p.headers))
}

/// A fresh idempotency key for a form (a quote request): one per rendered form, so a retry or a
/// double click of that form does its work once.
#[cfg(feature = "ssr")]
pub fn new_key() -> String {
    use rand::Rng;
    format!("{:032x}", rand::thread_rng().gen::<u128>())
}

pub mod account;
pub mod approvals;
pub mod auth;
pub mod cart;
pub mod catalog;
pub mod csv;
pub mod invitations;
pub mod invoices;
pub mod lists;
pub mod orders;
pub mod quotes;
pub mod search;
pub mod session;
pub mod team;
