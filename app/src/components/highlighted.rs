//! A search hit's name with the parts the query matched marked, for the search page and the
//! header's search box.

use crate::api::search::NamePart;
use leptos::prelude::*;

/// A name with the matched parts in `<mark>`.
pub fn highlighted(parts: &[NamePart]) -> impl IntoView {
    parts
        .iter()
        .map(|p| if p.hit { view! { <mark>{p.text.clone()}</mark> }.into_any() } else { p.text.clone().into_any() })
        .collect_view()
}
