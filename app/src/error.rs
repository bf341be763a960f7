//! The one error type every server function returns, shared by server and browser.
//!
//! Variants carry translation keys (never translated text, never database text), so the browser
//! shows them in the viewer's language and nothing internal leaks. `Internal` carries only an
//! incident id; the cause is logged on the server under the same id.

use crate::i18n::{tr, Locale};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// A problem with one input field (or the whole form when `field` is empty).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    /// Translation key, e.g. `auth.login.invalid`.
    pub key: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No valid session: sign in again.
    #[error("unauthenticated")]
    Unauthenticated,
    /// Signed in, but the role does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// Does not exist, or belongs to another company (the same answer, on purpose).
    #[error("not found")]
    NotFound,
    /// Input the buyer can fix; every field's problem, not just the first.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The order is above the company's available credit: both figures, in minor units of the
    /// company's currency, so the buyer sees by how much.
    #[error("over credit")]
    OverCredit { currency: String, total: i64, available: i64 },
    /// Too many attempts; try again after this many minutes.
    #[error("rate limited")]
    RateLimited { retry_after_minutes: u32 },
    /// Something broke on our side; the incident id is in the server log with the cause.
    #[error("internal error {incident}")]
    Internal { incident: String },
    /// The request never got an answer (network, deserialization): client side only.
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    pub fn invalid(field: &str, key: &str) -> AppError {
        AppError::Invalid(vec![FieldError { field: field.into(), key: key.into() }])
    }

    /// The HTTP status this error answers with (server fns otherwise always say 500).
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Invalid(_) | AppError::OverCredit { .. } => 422,
            AppError::RateLimited { .. } => 429,
            AppError::Internal { .. } => 500,
            AppError::Transport(_) => 502,
        }
    }

    /// A sentence for the viewer, in their language.
    pub fn message(&self, locale: Locale) -> String {
        match self {
            AppError::Unauthenticated => tr!(locale, "error.unauthenticated"),
            AppError::Forbidden => tr!(locale, "error.forbidden"),
            AppError::NotFound => tr!(locale, "error.not_found"),
            AppError::Invalid(fields) => fields.iter().map(|f| tr!(locale, &f.key)).collect::<Vec<_>>().join(" "),
            AppError::OverCredit { currency, total, available } => tr!(
                locale,
                "checkout.over_credit",
                total = crate::format::money_minor(*total, currency, locale),
                available = crate::format::money_minor(*available, currency, locale)
            ),
            AppError::RateLimited { retry_after_minutes } => {
                tr!(locale, "auth.login.rate_limited", count = *retry_after_minutes)
            }
            AppError::Internal { incident } => {
                tr!(locale, "error.internal", incident = incident)
            }
            AppError::Transport(_) => tr!(locale, "error.transport"),
        }
    }

    /// The translated message for one field, if that field has a problem.
    pub fn field_message(&self, field: &str, locale: Locale) -> Option<String> {
        match self {
            AppError::Invalid(fields) => fields.iter().find(|f| f.field == field).map(|f| tr!(locale, &f.key)),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Malformed arguments from a client are the client's problem: say so, don't 500.
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::invalid("", "error.bad_request"),
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
mod server_side {
    use super::AppError;

    impl AppError {
        /// Logs `cause` under a fresh incident id and returns the id-only error for the client.
        pub fn internal(cause: impl std::fmt::Display) -> AppError {
            use rand::Rng;
            let incident = format!("{:08x}", rand::thread_rng().gen::<u32>());
            tracing::error!(incident = %incident, "internal error: {cause}");
            AppError::Internal { incident }
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(e: sqlx::Error) -> AppError {
            AppError::internal(e)
        }
    }
}
