//! Routes whose capability arrives with a later issue (invoices): each shows a translated empty state, never an error. Replace one page at a time.

use crate::components::empty_state::EmptyState;
use crate::i18n::{tr, use_locale};
use leptos::prelude::*;
use leptos_meta::Title;

macro_rules! placeholder_page {
    ($name:ident, $title:literal, $body:literal) => {
        #[component]
        pub fn $name() -> impl IntoView {
            let locale = use_locale();
            view! {
                <Title text=tr!(locale, $title) />
                <EmptyState title_key=$title body_key=$body />
            }
        }
    };
}

placeholder_page!(InvoicesPage, "nav.invoices", "pages.invoices.empty");
