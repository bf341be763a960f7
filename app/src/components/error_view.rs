//! Shows an `AppError` as a translated message; a lost session offers the way back to sign in.
//! Rendered on the server, it also gives the page the error's status (403 for a missing
//! permission), as `NotFoundPage` gives 404: a forbidden page must not answer 200.

use crate::error::AppError;
use crate::i18n::{tr, use_locale};
use leptos::prelude::*;

#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = axum::http::StatusCode::from_u16(error.status()) {
            response.set_status(status);
        }
    }
    let locale = use_locale();
    let signed_out = matches!(error, AppError::Unauthenticated);
    view! {
        <div class="error-view" role="alert">
            <p>{error.message(locale)}</p>
            {signed_out.then(|| view! { <a href="/login">{tr!(locale, "auth.login.submit")}</a> })}
        </div>
    }
}
