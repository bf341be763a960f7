//! The translated sentence for each reason an entered row or a quantity is refused, shared by
//! the product grid, quick order, the cart, reorder and the CSV report, so the same input gets
//! the same words everywhere. Each says what to fix.

use crate::domain::order_entry::{QuantityInputProblem, RowProblem, SkuInputProblem, MAX_QUANTITY};
use crate::domain::pricing::QuantityProblem;
use crate::i18n::{tr, Locale};

/// Why a quantity breaks the variant's rule.
pub fn quantity_message(locale: Locale, problem: QuantityProblem) -> String {
    let tag = locale.tag();
    match problem {
        QuantityProblem::NotPositive => tr(locale, "quantity.not_positive"),
        QuantityProblem::BelowMinimum { min } => {
            rust_i18n::t!("quantity.below_min", locale = tag, min = min).into_owned()
        }
        QuantityProblem::AboveMaximum { max } => {
            rust_i18n::t!("quantity.above_max", locale = tag, max = max).into_owned()
        }
        QuantityProblem::NotMultiple { increment } => {
            rust_i18n::t!("quantity.not_multiple", locale = tag, increment = increment).into_owned()
        }
    }
}

/// Why what was typed is not a quantity.
pub fn quantity_input_message(locale: Locale, problem: QuantityInputProblem) -> String {
    match problem {
        QuantityInputProblem::Missing => tr(locale, "quantity.missing"),
        QuantityInputProblem::NotANumber => tr(locale, "quantity.not_a_number"),
        QuantityInputProblem::Fractional => tr(locale, "quantity.fractional"),
        QuantityInputProblem::NotPositive => tr(locale, "quantity.not_positive"),
        QuantityInputProblem::TooLarge => {
            rust_i18n::t!("quantity.too_large", locale = locale.tag(), max = MAX_QUANTITY).into_owned()
        }
    }
}

pub fn row_problem_message(locale: Locale, problem: RowProblem) -> String {
    match problem {
        RowProblem::Sku(SkuInputProblem::Missing) => tr(locale, "order_entry.sku_missing"),
        RowProblem::Sku(SkuInputProblem::TooLong) => tr(locale, "order_entry.sku_too_long"),
        RowProblem::UnknownSku => tr(locale, "order_entry.unknown_sku"),
        RowProblem::NotInCatalog => tr(locale, "order_entry.not_in_catalog"),
        RowProblem::QuoteOnly => tr(locale, "order_entry.quote_only"),
        RowProblem::NoPrice => tr(locale, "order_entry.no_price"),
        RowProblem::Quantity(p) => quantity_input_message(locale, p),
        RowProblem::Rule(p) => quantity_message(locale, p),
    }
}
