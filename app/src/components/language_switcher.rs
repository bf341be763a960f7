//! The language picker: a plain form post, so it works without JavaScript; the page reloads in
//! the chosen language (switching is rare, and a full render keeps every string consistent).

use crate::i18n::{tr, use_locale, Locale};
use leptos::prelude::*;

#[component]
pub fn LanguageSwitcher() -> impl IntoView {
    let locale = use_locale();
    view! {
        <form class="switcher" method="post" action="/api/prefs/set_locale">
            <label for="locale-select">{tr!(locale, "shell.language")}</label>
            <select id="locale-select" name="locale">
                {Locale::ALL
                    .into_iter()
                    .map(|l| {
                        view! {
                            <option value=l.tag() selected=l == locale lang=l.tag()>
                                {l.native_name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit">{tr!(locale, "shell.apply")}</button>
        </form>
    }
}
