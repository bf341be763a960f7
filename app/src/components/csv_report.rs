//! The report of an uploaded order CSV: how many rows are ready, the ones to fix (row number,
//! SKU, reason), a download of those rows to correct in the spreadsheet, and a plain form that
//! adds the ready rows to the cart. Rendered on the server for quick order's CSV island.

use crate::api::csv::CsvReportDto;
use crate::components::problems::row_problem_message;
use crate::i18n::{tr, Locale};
use leptos::prelude::*;

/// At most this many rows to fix are listed on the page (all of them are in the download).
const SHOWN: usize = 200;

/// The rows to fix as a CSV the buyer can open, correct and upload again.
fn bad_rows_csv(report: &CsvReportDto, locale: Locale) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = format!(
        "{},{},{},{}\n",
        quote(&tr!(locale, "csv.row")),
        quote(&tr!(locale, "csv.sku")),
        quote(&tr!(locale, "csv.quantity")),
        quote(&tr!(locale, "csv.problem"))
    );
    for r in &report.bad {
        let problem = r.problem.map(|p| row_problem_message(locale, p)).unwrap_or_default();
        out.push_str(&format!(
            "{},{},{},{}\n",
            r.row,
            quote(&crate::domain::order_entry::safe_cell(&r.sku)),
            quote(&crate::domain::order_entry::safe_cell(&r.quantity)),
            quote(&problem)
        ));
    }
    out
}

pub fn csv_report_html(report: &CsvReportDto, locale: Locale) -> String {
    let summary = tr!(locale, "csv.report", rows = report.rows, good = report.good.len(), bad = report.bad.len());
    let download = (!report.bad.is_empty()).then(|| {
        format!("data:text/csv;charset=utf-8,{}", crate::url::encode_component(&bad_rows_csv(report, locale)))
    });
    let good = report.good.clone();
    let shown: Vec<_> = report.bad.iter().take(SHOWN).cloned().collect();
    view! {
        <p>{summary}</p>
        <div class="form-actions">
            {(!good.is_empty()).then(|| view! {
                <form method="post" action="/api/cart/quick_add" class="inline">
                    {good.into_iter().enumerate().map(|(i, l)| view! {
                        <input type="hidden" name=format!("lines[{i}][sku]") value=l.sku />
                        <input type="hidden" name=format!("lines[{i}][quantity]") value=l.quantity />
                    }).collect_view()}
                    <button type="submit" class="primary">{tr!(locale, "csv.add_good")}</button>
                </form>
            })}
            {download.map(|href| view! { <a href=href download="rows-to-fix.csv">{tr!(locale, "csv.download_bad")}</a> })}
        </div>
        {(!shown.is_empty()).then(|| view! {
            <div class="table-scroll"><table class="data-table">
                <caption class="visually-hidden">{tr!(locale, "csv.download_bad")}</caption>
                <thead><tr>
                    <th scope="col">{tr!(locale, "csv.row")}</th>
                    <th scope="col">{tr!(locale, "csv.sku")}</th>
                    <th scope="col">{tr!(locale, "csv.quantity")}</th>
                    <th scope="col">{tr!(locale, "csv.problem")}</th>
                </tr></thead>
                <tbody>
                    {shown.into_iter().map(|r| view! {
                        <tr>
                            <td>{r.row}</td>
                            <td class="sku">{r.sku}</td>
                            <td>{r.quantity}</td>
                            <td class="field-error">{r.problem.map(|p| row_problem_message(locale, p)).unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
        })}
    }
    .to_html()
}
