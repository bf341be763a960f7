//! What happened when lines went to the cart: how many were added (with a link to the cart) and
//! every refused row with its reason. Never silent: a row that was not added is listed.

use crate::api::cart::AddReportDto;
use crate::components::problems::row_problem_message;
use crate::error::AppError;
use crate::i18n::{tr, Locale};
use leptos::prelude::*;

/// The last answer of whatever put lines in the cart (an add, a list, quick order), or its error.
#[component]
pub fn AddReport(result: Option<Result<AddReportDto, AppError>>, locale: Locale) -> impl IntoView {
    view! {
        <div class="add-report" role="status" aria-live="polite">
            {result.map(|result| match result {
                Ok(report) => report_view(report, locale).into_any(),
                Err(error) => view! { <p class="field-error">{error.message(locale)}</p> }.into_any(),
            })}
        </div>
    }
}

pub fn report_view(report: AddReportDto, locale: Locale) -> impl IntoView {
    let refused: Vec<_> = report.rows.into_iter().filter(|r| r.problem.is_some()).collect();
    let summary = if report.added == 0 && refused.is_empty() {
        tr!(locale, "cart.nothing_to_add")
    } else {
        tr!(locale, "cart.added", count = report.added)
    };
    view! {
        <p>
            {summary}" "
            {(report.added > 0).then(|| view! { <a href="/cart">{tr!(locale, "cart.view")}</a> })}
        </p>
        {(!refused.is_empty()).then(|| view! {
            <p class="field-error">{tr!(locale, "cart.not_added", count = refused.len())}</p>
            <ul class="problems">
                {refused.into_iter().map(|r| {
                    let message = r.problem.map(|p| row_problem_message(locale, p)).unwrap_or_default();
                    view! { <li><span class="sku">{r.sku}</span>" — "{message}</li> }
                }).collect_view()}
            </ul>
        })}
    }
}
