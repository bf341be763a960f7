//! Quantity fields that say at once what is wrong with what was typed (not a number, below the
//! minimum, off the increment…), with the same rule check as the server (`domain`). The server
//! renders each field (`components::quantity_field`) with its rule and its messages, already
//! filled in, as `data-*` attributes; this island checks every such field on the page.

use crate::domain::order_entry::{parse_quantity, QuantityInputProblem};
use crate::domain::pricing::{QuantityProblem, QuantityRule};
use leptos::prelude::*;

/// Every message a field can show, for one rule in one language.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuantityWords {
    pub not_a_number: String,
    pub fractional: String,
    pub not_positive: String,
    pub too_large: String,
    pub below_min: String,
    pub above_max: String,
    pub not_multiple: String,
}

impl QuantityWords {
    /// The `data-*` attribute names, in the order of the fields.
    pub const ATTRIBUTES: [&'static str; 7] =
        ["not-a-number", "fractional", "not-positive", "too-large", "below-min", "above-max", "not-multiple"];

    /// What to say about `raw` under `rule`; nothing for an empty field or a good quantity.
    pub fn verdict(&self, rule: &QuantityRule, raw: &str) -> Option<String> {
        if raw.trim().is_empty() {
            return None;
        }
        let problem = match parse_quantity(raw) {
            Ok(q) => match rule.check(q) {
                Ok(()) => return None,
                Err(QuantityProblem::NotPositive) => &self.not_positive,
                Err(QuantityProblem::BelowMinimum { .. }) => &self.below_min,
                Err(QuantityProblem::AboveMaximum { .. }) => &self.above_max,
                Err(QuantityProblem::NotMultiple { .. }) => &self.not_multiple,
            },
            Err(QuantityInputProblem::Missing) => return None,
            Err(QuantityInputProblem::NotANumber) => &self.not_a_number,
            Err(QuantityInputProblem::Fractional) => &self.fractional,
            Err(QuantityInputProblem::NotPositive) => &self.not_positive,
            Err(QuantityInputProblem::TooLarge) => &self.too_large,
        };
        Some(problem.clone())
    }
}

#[island]
pub fn QuantityCheck() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if crate::islands::once("quantity-check") {
        crate::islands::listen(&document(), "input", |ev: web_sys::Event| {
            use leptos::wasm_bindgen::JsCast;
            let Some(input) = crate::islands::target(&ev)
                .filter(|el| el.has_attribute("data-min"))
                .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let number = |name: &str| crate::islands::data(&input, name).parse::<i64>().ok();
            let rule = QuantityRule {
                min: number("min").unwrap_or(1),
                max: number("max"),
                increment: number("step").unwrap_or(1).max(1),
            };
            let [a, b, c, d, e, f, g] = QuantityWords::ATTRIBUTES.map(|name| crate::islands::data(&input, name));
            let words = QuantityWords {
                not_a_number: a,
                fractional: b,
                not_positive: c,
                too_large: d,
                below_min: e,
                above_max: f,
                not_multiple: g,
            };
            let message = words.verdict(&rule, &input.value());
            if let Some(out) = document().get_element_by_id(&format!("{}-msg", input.id())) {
                out.set_text_content(message.as_deref());
            }
            match message {
                Some(_) => {
                    let _ = input.set_attribute("aria-invalid", "true");
                }
                None => {
                    let _ = input.remove_attribute("aria-invalid");
                }
            }
        });
    }
    view! { <span hidden></span> }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> QuantityWords {
        QuantityWords {
            not_a_number: "nan".into(),
            fractional: "frac".into(),
            not_positive: "pos".into(),
            too_large: "big".into(),
            below_min: "min".into(),
            above_max: "max".into(),
            not_multiple: "step".into(),
        }
    }

    #[test]
    fn the_verdict_follows_the_shared_rule_check() {
        let rule = QuantityRule { min: 10, max: Some(100), increment: 5 };
        let w = words();
        assert_eq!(w.verdict(&rule, ""), None);
        assert_eq!(w.verdict(&rule, "15"), None);
        assert_eq!(w.verdict(&rule, "abc").as_deref(), Some("nan"));
        assert_eq!(w.verdict(&rule, "1.5").as_deref(), Some("frac"));
        assert_eq!(w.verdict(&rule, "5").as_deref(), Some("min"));
        assert_eq!(w.verdict(&rule, "105").as_deref(), Some("max"));
        assert_eq!(w.verdict(&rule, "12").as_deref(), Some("step"));
        assert_eq!(w.verdict(&rule, "0").as_deref(), Some("pos"));
    }
}
