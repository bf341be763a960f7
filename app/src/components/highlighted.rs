//! A search hit's name with the parts the query matched marked, for the search page and the
//! header's search box.

use crate::api::search::NamePart;
use leptos::prelude::*;

/// A name with the matched parts in `<mark>`.
pub fn highlighted(parts: &[NamePart]) -> impl IntoView {
    parts
        .iter()
        .map(|p| {
            let text = crate::components::code_text::with_codes(&p.text);
            if p.hit {
                view! { <mark>{text}</mark> }.into_any()
            } else {
                text.into_any()
            }
        })
        .collect_view()
}
