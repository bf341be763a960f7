//! In stock / low / out of stock (with the backorder date), translated.

use crate::api::catalog::{StockDto, StockLevel};
use crate::i18n::{tr, Locale};
use leptos::prelude::*;

/// A plain function rather than a component: it is rendered once per row of a 48-row page, and a
/// component's reactive owner and context lookup cost more than the badge itself.
pub fn stock_badge(stock: StockDto, locale: Locale) -> impl IntoView {
    let (class, text) = match (stock.level, stock.backorder_date) {
        (StockLevel::InStock, _) => ("stock in", tr!(locale, "stock.in_stock")),
        (StockLevel::Low, _) => ("stock low", tr!(locale, "stock.low")),
        (StockLevel::Out, Some(date)) => ("stock out", tr!(locale, "stock.backorder", date = date)),
        (StockLevel::Out, None) => ("stock out", tr!(locale, "stock.out")),
    };
    view! { <span class=class>{text}</span> }
}
