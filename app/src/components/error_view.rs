//! Shows an `AppError` as a translated message; a lost session offers the way back to sign in.

use crate::error::AppError;
use crate::i18n::{tr, use_locale};
use leptos::prelude::*;

#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    let locale = use_locale();
    let signed_out = matches!(error, AppError::Unauthenticated);
    view! {
        <div class="error-view" role="alert">
            <p>{error.message(locale)}</p>
            {signed_out.then(|| view! { <a href="/login">{tr!(locale, "auth.login.submit")}</a> })}
        </div>
    }
}
