//! The translated sentence for each reason an entered row or a quantity is refused, shared by
//! the product grid, quick order, the cart, reorder and the CSV report, so the same input gets
//! the same words everywhere. Each says what to fix.

use crate::domain::order_entry::{QuantityInputProblem, RowProblem, SkuInputProblem, MAX_QUANTITY};
use crate::domain::pricing::QuantityProblem;
use crate::i18n::{tr, Locale};

/// Why a quantity breaks the variant's rule.
pub fn quantity_message(locale: Locale, problem: QuantityProblem) -> String {
    match problem {
        QuantityProblem::NotPositive => tr!(locale, "quantity.not_positive"),
        QuantityProblem::BelowMinimum { min } => {
            tr!(locale, "quantity.below_min", min = min)
        }
        QuantityProblem::AboveMaximum { max } => {
            tr!(locale, "quantity.above_max", max = max)
        }
        QuantityProblem::NotMultiple { increment } => {
            tr!(locale, "quantity.not_multiple", increment = increment)
        }
    }
}

/// Why what was typed is not a quantity.
pub fn quantity_input_message(locale: Locale, problem: QuantityInputProblem) -> String {
    match problem {
        QuantityInputProblem::Missing => tr!(locale, "quantity.missing"),
        QuantityInputProblem::NotANumber => tr!(locale, "quantity.not_a_number"),
        QuantityInputProblem::Fractional => tr!(locale, "quantity.fractional"),
        QuantityInputProblem::NotPositive => tr!(locale, "quantity.not_positive"),
        QuantityInputProblem::TooLarge => {
            tr!(locale, "quantity.too_large", max = MAX_QUANTITY)
        }
    }
}

/// The quantity field's messages for one rule, filled in (the browser has no translations).
pub fn quantity_words(
    locale: Locale,
    rule: &crate::domain::pricing::QuantityRule,
) -> crate::islands::quantity_field::QuantityWords {
    crate::islands::quantity_field::QuantityWords {
        not_a_number: quantity_input_message(locale, QuantityInputProblem::NotANumber),
        fractional: quantity_input_message(locale, QuantityInputProblem::Fractional),
        not_positive: quantity_input_message(locale, QuantityInputProblem::NotPositive),
        too_large: quantity_input_message(locale, QuantityInputProblem::TooLarge),
        below_min: quantity_message(locale, QuantityProblem::BelowMinimum { min: rule.min }),
        above_max: rule
            .max
            .map(|max| quantity_message(locale, QuantityProblem::AboveMaximum { max }))
            .unwrap_or_default(),
        not_multiple: quantity_message(locale, QuantityProblem::NotMultiple { increment: rule.increment }),
    }
}

pub fn row_problem_message(locale: Locale, problem: RowProblem) -> String {
    match problem {
        RowProblem::Sku(SkuInputProblem::Missing) => tr!(locale, "order_entry.sku_missing"),
        RowProblem::Sku(SkuInputProblem::TooLong) => tr!(locale, "order_entry.sku_too_long"),
        RowProblem::UnknownSku => tr!(locale, "order_entry.unknown_sku"),
        RowProblem::NotInCatalog => tr!(locale, "order_entry.not_in_catalog"),
        RowProblem::QuoteOnly => tr!(locale, "order_entry.quote_only"),
        RowProblem::NoPrice => tr!(locale, "order_entry.no_price"),
        RowProblem::Quantity(p) => quantity_input_message(locale, p),
        RowProblem::Rule(p) => quantity_message(locale, p),
    }
}
