//! /quick-order: rows of SKU and quantity (with SKU suggestions as the buyer types) and a paste
//! box for many lines from a spreadsheet or an email. Every row is checked on the server and
//! marked with its price or its reason; the good rows go to the cart in one click and the bad
//! ones stay, as typed, to be fixed. CSV upload and the catalog export live here too.

use crate::api::cart::{add_cart_lines, check_lines, LineInput, RowReportDto};
use crate::api::search::suggest;
use crate::components::add_report::AddReport;
use crate::components::problems::row_problem_message;
use crate::domain::order_entry::parse_pasted;
use crate::i18n::{tr, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;

/// Empty rows offered when the page opens.
const START_ROWS: usize = 5;

#[derive(Clone, Copy)]
struct Row {
    id: usize,
    sku: RwSignal<String>,
    quantity: RwSignal<String>,
    report: RwSignal<Option<RowReportDto>>,
}

fn new_row(id: usize, sku: &str, quantity: &str) -> Row {
    Row {
        id,
        sku: RwSignal::new(sku.to_string()),
        quantity: RwSignal::new(quantity.to_string()),
        report: RwSignal::new(None),
    }
}

#[component]
pub fn QuickOrderPage() -> impl IntoView {
    let locale = use_locale();
    let next_id = StoredValue::new(START_ROWS);
    let rows = RwSignal::new((0..START_ROWS).map(|i| new_row(i, "", "")).collect::<Vec<Row>>());
    let paste = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // What the last check or add said.
    let message = RwSignal::new(None::<Result<crate::api::cart::AddReportDto, crate::error::AppError>>);
    let suggestions = RwSignal::new(Vec::<(String, String)>::new());

    let filled = move || -> Vec<Row> {
        rows.get_untracked()
            .into_iter()
            .filter(|r| !r.sku.get_untracked().trim().is_empty() || !r.quantity.get_untracked().trim().is_empty())
            .collect()
    };
    let inputs = |rows: &[Row]| -> Vec<LineInput> {
        rows.iter().map(|r| LineInput { sku: r.sku.get_untracked(), quantity: r.quantity.get_untracked() }).collect()
    };

    let check = move || {
        let rows = filled();
        if rows.is_empty() {
            return;
        }
        busy.set(true);
        let lines = inputs(&rows);
        let sent = lines.clone();
        leptos::task::spawn_local(async move {
            match check_lines(lines).await {
                Ok(reports) => {
                    // A row edited while the check was on its way keeps no stale verdict.
                    for ((row, report), line) in rows.iter().zip(reports).zip(sent) {
                        if row.sku.get_untracked() == line.sku && row.quantity.get_untracked() == line.quantity {
                            row.report.set(Some(report));
                        }
                    }
                    message.set(None);
                }
                Err(e) => message.set(Some(Err(e))),
            }
            busy.set(false);
        });
    };

    let add_pasted = move |_| {
        let pasted = parse_pasted(&paste.get_untracked());
        if pasted.is_empty() {
            return;
        }
        rows.update(|list| {
            list.retain(|r| !r.sku.get_untracked().trim().is_empty() || !r.quantity.get_untracked().trim().is_empty());
            for p in pasted {
                let id = next_id.get_value();
                next_id.set_value(id + 1);
                list.push(new_row(id, &p.sku, &p.quantity));
            }
        });
        paste.set(String::new());
        check();
    };

    let add_to_cart = move |_| {
        let rows_now = filled();
        let good: Vec<Row> = rows_now
            .into_iter()
            .filter(|r| r.report.get_untracked().is_some_and(|rep| rep.problem.is_none()))
            .collect();
        if good.is_empty() {
            check();
            return;
        }
        busy.set(true);
        let lines = inputs(&good);
        leptos::task::spawn_local(async move {
            match add_cart_lines(lines).await {
                Ok(report) => {
                    // Rows that went in leave the table; any refused now (the cart already held
                    // some) stay with their new reason.
                    let added: Vec<usize> = good
                        .iter()
                        .zip(report.rows.iter())
                        .filter(|(_, r)| r.problem.is_none())
                        .map(|(row, _)| row.id)
                        .collect();
                    for (row, r) in good.iter().zip(report.rows.iter()) {
                        if r.problem.is_some() {
                            row.report.set(Some(r.clone()));
                        }
                    }
                    rows.update(|list| list.retain(|r| !added.contains(&r.id)));
                    if rows.with_untracked(|l| l.is_empty()) {
                        let id = next_id.get_value();
                        next_id.set_value(id + 1);
                        rows.update(|l| l.push(new_row(id, "", "")));
                    }
                    message.set(Some(Ok(report)));
                }
                Err(e) => message.set(Some(Err(e))),
            }
            busy.set(false);
        });
    };

    let add_row = move |_| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        rows.update(|l| l.push(new_row(id, "", "")));
    };

    // SKU suggestions for whichever row is being typed in (one shared datalist).
    let latest = crate::components::latest::Latest::default();
    let suggest_for = move |text: String| {
        let ticket = latest.next();
        if text.trim().chars().count() < 2 {
            return;
        }
        latest.debounce(
            ticket,
            std::time::Duration::from_millis(60),
            move || suggest(text),
            move |dto| {
                suggestions.set(
                    dto.hits
                        .into_iter()
                        .map(|h| (h.sku, h.name.into_iter().map(|p| p.text).collect::<String>()))
                        .collect(),
                )
            },
        );
    };

    let counts = move || {
        let list = rows.get();
        let good = list.iter().filter(|r| r.report.get().is_some_and(|rep| rep.problem.is_none())).count();
        let bad = list.iter().filter(|r| r.report.get().is_some_and(|rep| rep.problem.is_some())).count();
        (good, bad)
    };

    let numbered = move || rows.get().into_iter().enumerate().collect::<Vec<(usize, Row)>>();
    view! {
        <Title text=tr!(locale, "nav.quick_order") />
        <section class="page quick-order" aria-busy=move || busy.get().then_some("true")>
            <h1>{tr!(locale, "nav.quick_order")}</h1>
            <p class="muted">{tr!(locale, "quick_order.intro")}</p>
            <div class="paste-box">
                <label for="paste">{tr!(locale, "quick_order.paste_label")}</label>
                <textarea
                    id="paste"
                    rows="5"
                    aria-describedby="paste-help"
                    prop:value=move || paste.get()
                    on:input=move |ev| paste.set(event_target_value(&ev))
                ></textarea>
                <p id="paste-help" class="muted small">{tr!(locale, "quick_order.paste_help")}</p>
                <button type="button" on:click=add_pasted>{tr!(locale, "quick_order.paste_add")}</button>
            </div>
            <datalist id="sku-suggestions">
                <For each=move || suggestions.get() key=|(sku, _)| sku.clone() let:s>
                    <option value=s.0.clone()>{s.1.clone()}</option>
                </For>
            </datalist>
            <div class="table-scroll"><table class="data-table quick-rows">
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
                    <For each=numbered key=|(_, r)| r.id let:item>
                        {row_view(item.0 + 1, item.1, locale, check, suggest_for)}
                    </For>
                </tbody>
            </table></div>
            <p class="muted" role="status">
                {move || {
                    let (good, bad) = counts();
                    (good + bad > 0).then(|| tr!(locale, "quick_order.counts", good = good, bad = bad))
                }}
            </p>
            <div class="form-actions">
                <button type="button" on:click=add_row>{tr!(locale, "quick_order.add_row")}</button>
                <button type="button" on:click=move |_| check()>{tr!(locale, "quick_order.check")}</button>
                <button type="button" class="primary" on:click=add_to_cart disabled=move || busy.get()>
                    {tr!(locale, "quick_order.add_good")}
                </button>
            </div>
            <AddReport result=message locale />
            <crate::components::csv_upload::CsvUpload locale />
        </section>
    }
}

fn row_view(
    number: usize,
    row: Row,
    locale: Locale,
    check: impl Fn() + Copy + 'static,
    suggest_for: impl Fn(String) + Copy + 'static,
) -> impl IntoView {
    let sku_label = tr!(locale, "quick_order.sku_row", row = number);
    let qty_label = tr!(locale, "quick_order.quantity_row", row = number);
    let result_id = format!("qo-result-{}", row.id);
    let result = move || {
        row.report.get().map(|r| match r.problem {
            Some(p) => view! { <span class="field-error">{row_problem_message(locale, p)}</span> }.into_any(),
            None => view! {
                <span class="ok">
                    {r.name.unwrap_or_default()}" · "{r.unit_price.unwrap_or_default()}" · "
                    <strong>{r.line_total.unwrap_or_default()}</strong>
                </span>
            }
            .into_any(),
        })
    };
    let invalid = move || row.report.get().is_some_and(|r| r.problem.is_some()).then_some("true");
    view! {
        <tr class:has-problem=move || invalid().is_some()>
            <td class="muted">{number}</td>
            <td>
                <input
                    class="sku-input"
                    type="text"
                    list="sku-suggestions"
                    autocomplete="off"
                    aria-label=sku_label
                    aria-invalid=invalid
                    aria-describedby=result_id.clone()
                    prop:value=move || row.sku.get()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        row.sku.set(v.clone());
                        row.report.set(None);
                        suggest_for(v);
                    }
                    on:change=move |_| check()
                />
            </td>
            <td>
                <input
                    class="qty"
                    type="text"
                    inputmode="numeric"
                    aria-label=qty_label
                    aria-invalid=invalid
                    aria-describedby=result_id.clone()
                    prop:value=move || row.quantity.get()
                    on:input=move |ev| {
                        row.quantity.set(event_target_value(&ev));
                        row.report.set(None);
                    }
                    on:change=move |_| check()
                />
            </td>
            <td id=result_id>{result}</td>
        </tr>
    }
}
