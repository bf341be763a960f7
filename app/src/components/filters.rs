//! The pieces the catalog and the search page share: a labelled filter select and the pager.

use crate::api::catalog::FilterOption;
use crate::i18n::{tr, Locale};
use leptos::prelude::*;

/// A labelled select of filter options with an "any" first choice; `name` is the URL parameter.
pub fn filter_select(
    name: &'static str,
    label: String,
    any: String,
    options: &[FilterOption],
    selected: &Option<String>,
) -> impl IntoView {
    let id = format!("f-{name}");
    let options = options
        .iter()
        .map(|o| {
            let is = selected.as_deref() == Some(o.code.as_str());
            // Sub-categories are indented under their parent (a select cannot nest deeper).
            let label = if o.nested { format!("\u{2003}{}", o.label) } else { o.label.clone() };
            view! { <option value=o.code.clone() selected=is>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="">{any}</option>
                {options}
            </select>
        </div>
    }
}

/// Previous / "Page n" / next; a link is absent where there is no such page.
pub fn pager(locale: Locale, page: i64, prev: Option<String>, next: Option<String>) -> impl IntoView {
    view! {
        <nav class="pager" aria-label=tr!(locale, "catalog.pages")>
            {prev.map(|href| view! { <a href=href rel="prev">{tr!(locale, "catalog.previous")}</a> })}
            <span>{tr!(locale, "catalog.page", page = page)}</span>
            {next.map(|href| view! { <a href=href rel="next">{tr!(locale, "catalog.next")}</a> })}
        </nav>
    }
}
