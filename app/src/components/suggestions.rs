//! The header search box's suggestions, rendered on the server for its island
//! (`islands::search_box`): each hit an option with its name (matches marked), SKU, price and
//! stock, then a link to all results.

use crate::api::search::SearchDto;
use crate::components::highlighted::highlighted;
use crate::components::stock_badge::stock_badge;
use crate::i18n::{tr, Locale};
use leptos::prelude::*;

/// `(options, footer, sku options)` as HTML.
pub fn suggestions_html(dto: &SearchDto, typed: &str, locale: Locale) -> (String, String, String) {
    let options = dto
        .hits
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let price = if h.quote_only { tr!(locale, "product.request_quote") } else { h.price.clone().unwrap_or_default() };
            view! {
                <li id=format!("header-search-{i}") role="option" aria-selected="false">
                    <a href=format!("/products/{}", h.slug) tabindex="-1">
                        <span class="hit-name">{highlighted(&h.name)}</span>
                        <span class="hit-meta"><span class="sku">{h.sku.clone()}</span>" "<span class="price">{price}</span>" "{stock_badge(h.stock.clone(), locale)}</span>
                    </a>
                </li>
            }
        })
        .collect_view()
        .to_html();
    let text = if dto.total == 0 {
        tr!(locale, "search.no_results")
    } else {
        tr!(locale, "search.see_all", count = dto.total)
    };
    let href = format!("/search?q={}", crate::url::encode_component(typed));
    let footer = view! { <a class="see-all" href=href>{text}</a> }.to_html();
    let skus = dto
        .hits
        .iter()
        .map(|h| {
            let name: String = h.name.iter().map(|p| p.text.as_str()).collect();
            view! { <option value=h.sku.clone()>{name}</option> }
        })
        .collect_view()
        .to_html();
    (options, footer, skus)
}
