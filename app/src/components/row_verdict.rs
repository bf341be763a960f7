//! An entered row's verdict: its product, unit price and line total, or what to fix. Quick order
//! renders it in the page and, for a row edited in the browser, through
//! `api::cart::check_row_html`.

use crate::api::cart::RowReportDto;
use crate::components::problems::row_problem_message;
use crate::i18n::Locale;
use leptos::prelude::*;

pub fn row_verdict(report: &RowReportDto, locale: Locale) -> impl IntoView {
    match report.problem {
        Some(p) => view! { <span class="field-error">{row_problem_message(locale, p)}</span> }.into_any(),
        None => view! {
            <span class="ok">
                {report.name.clone().unwrap_or_default()}" · "{report.unit_price.clone().unwrap_or_default()}" · "
                <strong>{report.line_total.clone().unwrap_or_default()}</strong>
            </span>
        }
        .into_any(),
    }
}
