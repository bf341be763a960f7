//! The CSV part of quick order: upload a file, see how many rows are ready and which need
//! fixing (row number, SKU, reason), add the ready ones to the cart, download the others to fix
//! them in the spreadsheet; and the link to the catalog export that makes such a file.

use crate::api::cart::add_cart_lines;
use crate::api::csv::{upload_csv, CsvReportDto, MAX_CSV_BYTES};
use crate::components::add_report::report_view;
use crate::components::problems::row_problem_message;
use crate::i18n::{tr, Locale};
use leptos::prelude::*;

#[derive(Clone)]
enum State {
    Idle,
    Checking,
    Checked(CsvReportDto),
    Added(crate::api::cart::AddReportDto),
    Failed(String),
}

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
        out.push_str(&format!("{},{},{},{}\n", r.row, quote(&r.sku), quote(&r.quantity), quote(&problem)));
    }
    out
}

#[component]
pub fn CsvUpload(locale: Locale) -> impl IntoView {
    let state = RwSignal::new(State::Idle);
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let file_ref = NodeRef::<leptos::html::Input>::new();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(form), Some(input)) = (form_ref.get(), file_ref.get()) else { return };
        let file = input.files().and_then(|files| files.get(0));
        let Some(file) = file else { return };
        if file.size() > MAX_CSV_BYTES as f64 {
            state.set(State::Failed(tr!(locale, "csv.too_large")));
            return;
        }
        let Ok(data) = leptos::web_sys::FormData::new_with_form(&form) else { return };
        state.set(State::Checking);
        leptos::task::spawn_local(async move {
            match upload_csv(data.into()).await {
                Ok(report) => state.set(State::Checked(report)),
                Err(e) => {
                    state.set(State::Failed(e.field_message("file", locale).unwrap_or_else(|| e.message(locale))))
                }
            }
        });
    };

    let add_good = move |_| {
        let State::Checked(report) = state.get_untracked() else { return };
        state.set(State::Checking);
        leptos::task::spawn_local(async move {
            match add_cart_lines(report.good).await {
                Ok(added) => state.set(State::Added(added)),
                Err(e) => state.set(State::Failed(e.message(locale))),
            }
        });
    };

    view! {
        <section class="csv-upload" aria-labelledby="csv-title">
            <h2 id="csv-title">{tr!(locale, "csv.title")}</h2>
            <form node_ref=form_ref on:submit=on_submit method="post" enctype="multipart/form-data" action="/api/cart/upload_csv">
                <label for="csv-file">{tr!(locale, "csv.file_label")}</label>
                <input id="csv-file" node_ref=file_ref type="file" name="file" accept=".csv,text/csv" aria-describedby="csv-help" />
                <p id="csv-help" class="muted small">{tr!(locale, "csv.help")}</p>
                <button type="submit">{tr!(locale, "csv.check")}</button>
                " "<a href="/catalog/export.csv" download="catalog.csv">{tr!(locale, "csv.export")}</a>
            </form>
            <div role="status" aria-live="polite">
                {move || match state.get() {
                    State::Idle => ().into_any(),
                    State::Checking => view! {
                        <p>{tr!(locale, "csv.checking")}</p>
                        <progress aria-label=tr!(locale, "csv.checking")></progress>
                    }.into_any(),
                    State::Failed(message) => view! { <p class="field-error">{message}</p> }.into_any(),
                    State::Added(report) => report_view(report, locale).into_any(),
                    State::Checked(report) => {
                        let summary = tr!(locale, "csv.report", rows = report.rows, good = report.good.len(), bad = report.bad.len());
                        let download = (!report.bad.is_empty()).then(|| {
                            format!("data:text/csv;charset=utf-8,{}", crate::url::encode_component(&bad_rows_csv(&report, locale)))
                        });
                        let shown: Vec<_> = report.bad.iter().take(200).cloned().collect();
                        view! {
                            <p>{summary}</p>
                            <div class="form-actions">
                                {(!report.good.is_empty()).then(|| view! {
                                    <button type="button" class="primary" on:click=add_good>{tr!(locale, "csv.add_good")}</button>
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
                        }.into_any()
                    }
                }}
            </div>
        </section>
    }
}
