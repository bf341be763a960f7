//! In stock / low / out of stock (with the backorder date), translated.

use crate::api::catalog::{StockDto, StockLevel};
use crate::i18n::{tr, use_locale};
use leptos::prelude::*;

#[component]
pub fn StockBadge(stock: StockDto) -> impl IntoView {
    let locale = use_locale();
    let (class, text) = match (stock.level, stock.backorder_date) {
        (StockLevel::InStock, _) => ("stock in", tr(locale, "stock.in_stock")),
        (StockLevel::Low, _) => ("stock low", tr(locale, "stock.low")),
        (StockLevel::Out, Some(date)) => {
            ("stock out", rust_i18n::t!("stock.backorder", locale = locale.tag(), date = date).into_owned())
        }
        (StockLevel::Out, None) => ("stock out", tr(locale, "stock.out")),
    };
    view! { <span class=class>{text}</span> }
}
