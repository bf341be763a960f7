//! The card the public pages share (sign-in's look): the forgotten-password and reset pages, an
//! invitation, joining by domain, a domain verification link.

use crate::components::language_switcher::language_switcher;
use crate::i18n::{tr, Locale};
use leptos::prelude::*;
use leptos_meta::Title;

/// The card layout of the public pages (sign-in, links from mails).
pub fn public_card(locale: Locale, title: String, body: AnyView) -> impl IntoView {
    view! {
        <Title text=title.clone() />
        <main id="main" class="login-page">
            <div class="login-card">
                <h1>{title}</h1>
                {body}
            </div>
            {language_switcher(locale)}
        </main>
    }
}

/// The one answer for a link that is used, revoked, expired, unknown or mistyped.
pub fn link_gone(locale: Locale, key: &'static str) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <p class="form-error" role="alert" data-testid="link-invalid">{tr!(locale, key)}</p>
        <p><a href="/login">{tr!(locale, "account.back_to_login")}</a></p>
    }
}
