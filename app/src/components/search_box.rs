//! The header's search box: a plain GET form to /search (works without JavaScript), marked up as
//! a combobox with its listbox. `islands::search_box::SearchBoxLive` fills the listbox as the
//! buyer types and handles the arrows, Enter and Escape.

use crate::i18n::{tr, Locale};
use crate::islands::search_box::SearchBoxLive;
use leptos::prelude::*;

pub fn search_box(locale: Locale) -> impl IntoView {
    view! {
        <form class="search-box" method="get" action="/search" role="search">
            <label for="header-search" class="visually-hidden">{tr!(locale, "search.label")}</label>
            <input
                id="header-search"
                type="search"
                name="q"
                maxlength="200"
                autocomplete="off"
                enterkeyhint="search"
                placeholder=tr!(locale, "search.placeholder")
                role="combobox"
                aria-autocomplete="list"
                aria-controls="header-search-results"
                aria-expanded="false"
            />
            <button type="submit">{tr!(locale, "search.submit")}</button>
            <div class="search-results" id="header-search-popup" hidden>
                <ul id="header-search-results" role="listbox" aria-label=tr!(locale, "search.suggestions")></ul>
                <div id="header-search-footer"></div>
            </div>
            <SearchBoxLive />
        </form>
    }
    .into_any()
}
