//! /quick-order: rows of SKU and quantity and a paste box for many lines from a spreadsheet or
//! an email. One GET form: its rows live in the URL (`lines[i][sku]`, `lines[i][quantity]`), so
//! "Check", "Check pasted lines" and "Add a line" are links to a page the server renders with
//! every row checked (price or reason). "Add ready lines to cart" posts the rows; the refused
//! ones come back, as typed, to be fixed. With JavaScript, a row is checked again as soon as it
//! is edited (`islands::quick_order::QuickOrderLive`). CSV upload and the catalog export live here too.

use crate::api::cart::{check_lines, LineInput, QuickOrderAdd, RowReportDto};
use crate::components::add_report::AddReport;
use crate::components::csv_upload::csv_upload;
use crate::components::outcome::posted;
use crate::components::row_verdict::row_verdict;
use crate::domain::order_entry::{parse_pasted, MAX_ROWS};
use crate::i18n::{tr, use_locale, Locale};
use crate::islands::quick_order::QuickOrderLive;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Empty rows offered when the page opens.
const START_ROWS: usize = 5;

/// The rows the URL carries, the pasted lines after them; blank rows dropped.
fn rows_from_query(query: &leptos_router::params::ParamsMap) -> Vec<LineInput> {
    let mut rows = vec![];
    for i in 0..MAX_ROWS {
        let (sku, quantity) = (query.get(&format!("lines[{i}][sku]")), query.get(&format!("lines[{i}][quantity]")));
        if sku.is_none() && quantity.is_none() {
            break;
        }
        let (sku, quantity) = (sku.unwrap_or_default(), quantity.unwrap_or_default());
        if !sku.trim().is_empty() || !quantity.trim().is_empty() {
            rows.push(LineInput { sku, quantity });
        }
    }
    if let Some(paste) = query.get("paste") {
        rows.extend(parse_pasted(&paste).into_iter().map(|r| LineInput { sku: r.sku, quantity: r.quantity }));
    }
    rows.truncate(MAX_ROWS);
    rows
}

#[component]
pub fn QuickOrderPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map().get_untracked();
    let typed = rows_from_query(&query);
    let more = query.get("more").is_some();
    let to_check = typed.clone();
    let checked = Resource::new(
        || (),
        move |_| {
            let rows = to_check.clone();
            async move {
                if rows.is_empty() {
                    Ok(vec![])
                } else {
                    check_lines(rows).await
                }
            }
        },
    );
    let added = posted::<QuickOrderAdd>();
    // A CSV posted without JavaScript that could not be read says why here.
    let csv_error = posted::<crate::api::csv::UploadCsvForm>()
        .and_then(Result::err)
        .map(|e| e.field_message("file", locale).unwrap_or_else(|| e.message(locale)));
    view! {
        <Title text=tr!(locale, "nav.quick_order") />
        <section class="page quick-order">
            <h1>{tr!(locale, "nav.quick_order")}</h1>
            <p class="muted">{tr!(locale, "quick_order.intro")}</p>
            <AddReport result=added locale />
            <Suspense fallback=|| ()>
                {move || {
                    let typed = typed.clone();
                    Suspend::new(async move {
                        let reports = checked.await.unwrap_or_default();
                        view! { <QuickOrderForm typed reports more locale /> }
                    })
                }}
            </Suspense>
            {csv_upload(locale, csv_error)}
        </section>
    }
}

#[component]
fn QuickOrderForm(typed: Vec<LineInput>, reports: Vec<RowReportDto>, more: bool, locale: Locale) -> impl IntoView {
    let good = reports.iter().filter(|r| r.problem.is_none()).count();
    let bad = reports.len() - good;
    let mut rows: Vec<(LineInput, Option<RowReportDto>)> =
        typed.into_iter().enumerate().map(|(i, line)| (line, reports.get(i).cloned())).collect();
    if rows.is_empty() {
        rows.extend((0..START_ROWS).map(|_| (LineInput { sku: String::new(), quantity: String::new() }, None)));
    } else if more {
        rows.push((LineInput { sku: String::new(), quantity: String::new() }, None));
    }
    // The island fills the counts itself after a live check: the message with its placeholders.
    let template = tr!(locale, "quick_order.counts", good = "%{good}", bad = "%{bad}");
    view! {
        <form class="quick-order-form" method="get" action="/quick-order">
            <div class="paste-box">
                <label for="paste">{tr!(locale, "quick_order.paste_label")}</label>
                <textarea id="paste" name="paste" rows="5" aria-describedby="paste-help"></textarea>
                <p id="paste-help" class="muted small">{tr!(locale, "quick_order.paste_help")}</p>
                <button type="submit">{tr!(locale, "quick_order.paste_add")}</button>
            </div>
            // SKU suggestions for whichever row is being typed in (filled by the island).
            <datalist id="sku-suggestions"></datalist>
            <div class="table-scroll"><table class="data-table quick-rows" id="quick-rows">
                <caption class="visually-hidden">{tr!(locale, "quick_order.rows")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr!(locale, "csv.row")}</th>
                        <th scope="col">{tr!(locale, "product.sku")}</th>
                        <th scope="col">{tr!(locale, "product.quantity")}</th>
                        <th scope="col">{tr!(locale, "quick_order.result")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().enumerate().map(|(i, (line, report))| {
                        let invalid = report.as_ref().is_some_and(|r| r.problem.is_some());
                        let result_id = format!("qo-result-{i}");
                        view! {
                            <tr class:has-problem=invalid>
                                <td class="muted">{i + 1}</td>
                                <td>
                                    <input class="sku-input" type="text" autocomplete="off" spellcheck="false" list="sku-suggestions"
                                        name=format!("lines[{i}][sku]") value=line.sku
                                        aria-label=tr!(locale, "quick_order.sku_row", row = i + 1)
                                        aria-invalid=invalid.then_some("true") aria-describedby=result_id.clone() />
                                </td>
                                <td>
                                    <input class="qty" type="text" inputmode="numeric" autocomplete="off"
                                        name=format!("lines[{i}][quantity]") value=line.quantity
                                        aria-label=tr!(locale, "quick_order.quantity_row", row = i + 1)
                                        aria-invalid=invalid.then_some("true") aria-describedby=result_id.clone() />
                                </td>
                                <td id=result_id>{report.map(|r| row_verdict(&r, locale))}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table></div>
            <p class="muted" role="status" id="quick-counts" data-template=template>{(good + bad > 0).then(|| tr!(locale, "quick_order.counts", good = good, bad = bad))}</p>
            <div class="form-actions">
                <button type="submit" name="more" value="1">{tr!(locale, "quick_order.add_row")}</button>
                <button type="submit">{tr!(locale, "quick_order.check")}</button>
                <button type="submit" class="primary" formmethod="post" formaction="/api/cart/quick_add">
                    {tr!(locale, "quick_order.add_good")}
                </button>
            </div>
            <QuickOrderLive />
        </form>
    }
}
