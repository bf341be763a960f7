//! The language picker: a plain form post that works without JavaScript (the page reloads in the
//! chosen language, so every string is consistent); with JavaScript it applies on choosing.

use crate::components::select_apply::{select_apply, Choice, SelectApplySpec};
use crate::i18n::{tr, Locale};
use leptos::prelude::*;

pub fn language_switcher(locale: Locale) -> impl IntoView {
    let spec = SelectApplySpec {
        action: "/api/prefs/set_locale",
        id: "locale-select",
        name: "locale",
        label: tr!(locale, "shell.language"),
        apply: tr!(locale, "shell.apply"),
        choices: Locale::ALL
            .into_iter()
            .map(|l| Choice {
                value: l.tag().into(),
                label: l.native_name().into(),
                selected: l == locale,
                lang: Some(l.tag().into()),
            })
            .collect(),
        test_id: None,
    };
    select_apply(spec)
}
