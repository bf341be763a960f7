//! "Not found" in the viewer's language, with the 404 status set during the server render: for
//! unknown paths and for records that do not exist or belong to another company (the same words).

use crate::i18n::{tr, use_locale};
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let locale = use_locale();
    view! {
        <section class="page">
            <h1>{tr!(locale, "error.not_found_title")}</h1>
            <p>{tr!(locale, "error.not_found")}</p>
            <a href="/catalog">{tr!(locale, "nav.catalog")}</a>
        </section>
    }
}
