//! A labelled select in a plain form with an Apply button (location, company, language). With
//! JavaScript, `islands::select_apply::AutoApply` submits on choosing and the button hides.

use crate::islands::select_apply::AutoApply;
use leptos::prelude::*;

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
    /// The language an option is written in (the language picker's native names).
    pub lang: Option<String>,
}

pub struct SelectApplySpec {
    /// The form's target (a server function's URL).
    pub action: &'static str,
    pub id: &'static str,
    pub name: &'static str,
    pub label: String,
    pub apply: String,
    pub choices: Vec<Choice>,
    pub test_id: Option<&'static str>,
}

pub fn select_apply(spec: SelectApplySpec) -> impl IntoView {
    view! {
        <form class="switcher auto-apply" method="post" action=spec.action>
            <label for=spec.id>{spec.label}</label>
            <select id=spec.id name=spec.name data-testid=spec.test_id data-auto-apply="">
                {spec
                    .choices
                    .into_iter()
                    .map(|c| view! { <option value=c.value selected=c.selected lang=c.lang>{c.label}</option> })
                    .collect_view()}
            </select>
            <button type="submit">{spec.apply}</button>
            <AutoApply />
        </form>
    }
    .into_any()
}
