//! The translated empty state of a page whose capability is not built yet, or has no data.

use crate::i18n::{tr, use_locale};
use leptos::prelude::*;

#[component]
pub fn EmptyState(title_key: &'static str, body_key: &'static str) -> impl IntoView {
    let locale = use_locale();
    view! {
        <section class="page">
            <h1>{tr!(locale, title_key)}</h1>
            <div class="empty-state">
                <p>{tr!(locale, body_key)}</p>
            </div>
        </section>
    }
}
