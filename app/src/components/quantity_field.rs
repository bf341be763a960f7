//! A quantity input with its rule and every message about it in `data-*` attributes, for
//! `islands::quantity_field::QuantityCheck` to check as the buyer types (place that island once
//! on the page). Without JavaScript it is a plain input the server checks on submit.

use crate::components::problems::quantity_words;
use crate::domain::pricing::QuantityRule;
use crate::i18n::Locale;
use crate::islands::quantity_field::QuantityWords;
use leptos::prelude::*;

pub struct QuantitySpec {
    pub id: String,
    pub name: String,
    pub label: String,
    pub disabled: bool,
}

pub fn quantity_field(spec: QuantitySpec, rule: QuantityRule, locale: Locale) -> impl IntoView {
    let words = quantity_words(locale, &rule);
    let message_id = format!("{}-msg", spec.id);
    // The names are `QuantityWords::ATTRIBUTES`, which the island reads.
    let QuantityWords { not_a_number, fractional, not_positive, too_large, below_min, above_max, not_multiple } = words;
    view! {
        <label class="visually-hidden" for=spec.id.clone()>{spec.label}</label>
        <input
            id=spec.id
            class="qty"
            type="text"
            inputmode="numeric"
            enterkeyhint="done"
            autocomplete="off"
            name=spec.name
            placeholder=rule.min.to_string()
            disabled=spec.disabled
            data-min=rule.min
            data-max=rule.max
            data-step=rule.increment
            aria-describedby=message_id.clone()
            data-not-a-number=not_a_number
            data-fractional=fractional
            data-not-positive=not_positive
            data-too-large=too_large
            data-below-min=below_min
            data-above-max=above_max
            data-not-multiple=not_multiple
        />
        <div id=message_id class="field-error" role="status"></div>
    }
}
