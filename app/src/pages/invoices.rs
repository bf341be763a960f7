//! /invoices (open and overdue totals, ageing, credit, filters by state, overdue, dates,
//! location, order or PO number) and /invoices/{number} (lines, payments, the order it bills,
//! the PDF). Plain GET forms, no islands.

use crate::api::invoices::{get_invoice, list_invoices, InvoiceDto, InvoiceRowDto, InvoicesDto};
use crate::components::error_view::ErrorView;
use crate::components::not_found::NotFound;
use crate::error::AppError;
use crate::i18n::{tr, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

fn status_badge(locale: Locale, r: &InvoiceRowDto) -> impl IntoView {
    let (class, key) = if r.days_overdue > 0 {
        ("status invoice-overdue".to_string(), "invoices.status.overdue".to_string())
    } else {
        (format!("status invoice-{}", r.status), format!("invoices.status.{}", r.status))
    };
    view! { <span class=class data-testid="invoice-status">{tr!(locale, &key)}</span> }
}

#[component]
pub fn InvoicesPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let filter = move || {
        query.with(|q| {
            let get = |k: &str| q.get(k).unwrap_or_default();
            (
                get("status"),
                q.get("overdue").is_some(),
                get("from"),
                get("until"),
                get("location").parse::<i64>().unwrap_or(0),
                get("q"),
            )
        })
    };
    let data = Resource::new(filter, |(status, overdue, from, until, location, q)| {
        list_invoices(status, overdue, from, until, location, q)
    });
    view! {
        <Title text=tr!(locale, "nav.invoices") />
        <section class="page invoices">
            <h1>{tr!(locale, "nav.invoices")}</h1>
            <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(dto) => view! { <InvoicesView dto locale filter=filter() /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Where invoices are mailed, and what happens to an order above the available credit (for who
/// holds `team.manage`). A plain form post: the page renders again with the outcome.
#[component]
fn BillingForm(billing: crate::api::invoices::BillingDto, locale: Locale) -> impl IntoView {
    use crate::api::invoices::SetBilling;
    let save = ServerAction::<SetBilling>::new();
    let outcome = crate::components::team_bits::outcome_of::<SetBilling>();
    let open = outcome.is_some();
    view! {
        <details class="billing-settings" open=open>
            <summary>{tr!(locale, "invoices.billing.title")}</summary>
            {outcome.map(|o| match o {
                Ok(()) => view! { <p class="notice" role="status" data-testid="billing-saved">{tr!(locale, "invoices.billing.saved")}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.message(locale)}</p> }.into_any(),
            })}
            <ActionForm action=save attr:class="stack narrow" attr:novalidate="">
                <label for="billing-email">{tr!(locale, "invoices.billing.email")}</label>
                <input id="billing-email" name="email" type="email" value=billing.email aria-describedby="billing-email-hint" data-testid="billing-email" />
                <p id="billing-email-hint" class="hint">{tr!(locale, "invoices.billing.email_hint")}</p>
                <label class="check">
                    <input type="checkbox" name="over_credit_approval" value="true" checked=billing.over_credit_approval data-testid="over-credit-approval" />
                    {tr!(locale, "invoices.billing.over_credit_approval")}
                </label>
                <button type="submit" data-testid="billing-save">{tr!(locale, "team.save")}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn InvoicesView(
    dto: InvoicesDto,
    locale: Locale,
    filter: (String, bool, String, String, i64, String),
) -> impl IntoView {
    let (status, overdue, from, until, location, q) = filter;
    let billing = dto.billing.clone();
    view! {
        {billing.map(|b| view! { <BillingForm billing=b locale /> })}
        <dl class="invoice-summary" data-testid="invoice-summary">
            <div><dt>{tr!(locale, "invoices.open_total")}</dt><dd data-testid="open-total">{dto.open.clone()}</dd></div>
            <div><dt>{tr!(locale, "invoices.overdue_total")}</dt><dd data-testid="overdue-total">{dto.overdue.clone()}</dd></div>
            <div><dt>{tr!(locale, "invoices.credit_limit")}</dt><dd>{dto.credit_limit.clone()}</dd></div>
            <div><dt>{tr!(locale, "invoices.balance")}</dt><dd>{dto.balance.clone()}</dd></div>
            <div><dt>{tr!(locale, "checkout.credit_available")}</dt><dd data-testid="credit-available">{dto.available.clone()}</dd></div>
        </dl>
        <div class="table-scroll"><table class="data-table ageing">
            <caption>{tr!(locale, "invoices.ageing")}</caption>
            <thead><tr>{dto.ageing.iter().map(|(b, _)| view! { <th scope="col" class="num">{tr!(locale, &format!("invoices.bucket.{b}"))}</th> }).collect_view()}</tr></thead>
            <tbody><tr>{dto.ageing.iter().map(|(_, a)| view! { <td class="num">{a.clone()}</td> }).collect_view()}</tr></tbody>
        </table></div>
        <form method="get" action="/invoices/statement.csv" class="filters statement-form">
            <div class="field"><label for="statement-from">{tr!(locale, "invoices.statement.from")}</label><input id="statement-from" name="from" type="date" /></div>
            <div class="field"><label for="statement-until">{tr!(locale, "invoices.statement.until")}</label><input id="statement-until" name="until" type="date" /></div>
            <button type="submit" data-testid="statement">{tr!(locale, "invoices.statement.download")}</button>
            <button type="submit" formaction="/invoices/statement.pdf" data-testid="statement-pdf">{tr!(locale, "invoices.statement.download_pdf")}</button>
        </form>
        <form method="get" action="/invoices" class="filters">
            <div class="field">
                <label for="status">{tr!(locale, "orders.status_label")}</label>
                <select id="status" name="status">
                    <option value="">{tr!(locale, "quotes.any_status")}</option>
                    {crate::domain::invoice::InvoiceStatus::ALL.iter().map(|s| view! {
                        <option value=s.code() selected=status == s.code()>{tr!(locale, &format!("invoices.status.{}", s.code()))}</option>
                    }).collect_view()}
                </select>
            </div>
            <label class="check"><input type="checkbox" name="overdue" value="1" checked=overdue data-testid="filter-overdue" />{tr!(locale, "invoices.only_overdue")}</label>
            <div class="field"><label for="from">{tr!(locale, "orders.from")}</label><input id="from" name="from" type="date" value=from /></div>
            <div class="field"><label for="until">{tr!(locale, "orders.to")}</label><input id="until" name="until" type="date" value=until /></div>
            {(dto.locations.len() > 1).then(|| view! {
                <div class="field">
                    <label for="location">{tr!(locale, "shell.location")}</label>
                    <select id="location" name="location">
                        <option value="">{tr!(locale, "catalog.any")}</option>
                        {dto.locations.iter().map(|(id, name)| view! { <option value=id.to_string() selected=*id == location>{name.clone()}</option> }).collect_view()}
                    </select>
                </div>
            })}
            <div class="field grow"><label for="q">{tr!(locale, "invoices.order_or_po")}</label><input id="q" name="q" type="search" value=q /></div>
            <button type="submit">{tr!(locale, "shell.apply")}</button>
        </form>
        {if dto.rows.is_empty() {
            view! { <p class="muted" data-testid="no-invoices">{tr!(locale, "invoices.none")}</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll"><table class="data-table invoice-list stacked">
                    <caption class="visually-hidden">{tr!(locale, "nav.invoices")}</caption>
                    <thead><tr>
                        <th scope="col">{tr!(locale, "invoices.number")}</th>
                        <th scope="col">{tr!(locale, "invoices.issued")}</th>
                        <th scope="col">{tr!(locale, "invoices.due")}</th>
                        <th scope="col">{tr!(locale, "orders.status_label")}</th>
                        <th scope="col">{tr!(locale, "orders.number")}</th>
                        <th scope="col">{tr!(locale, "checkout.po_number")}</th>
                        <th scope="col" class="num">{tr!(locale, "cart.total")}</th>
                        <th scope="col" class="num">{tr!(locale, "invoices.open")}</th>
                    </tr></thead>
                    <tbody>
                        {dto.rows.iter().map(|r| view! {
                            <tr data-testid="invoice-row">
                                <td class="nowrap" data-label=tr!(locale, "invoices.number")><a href=format!("/invoices/{}", r.number)>{r.number.clone()}</a></td>
                                <td data-label=tr!(locale, "invoices.issued")>{r.issued.clone()}</td>
                                <td data-label=tr!(locale, "invoices.due")>{r.due.clone()}</td>
                                <td data-label=tr!(locale, "orders.status_label")>{status_badge(locale, r)}</td>
                                <td data-label=tr!(locale, "orders.number")><a href=format!("/orders/{}", r.order_number)>{r.order_number.clone()}</a></td>
                                <td data-label=tr!(locale, "checkout.po_number")>{r.po_number.clone()}</td>
                                <td class="num" data-label=tr!(locale, "cart.total")>{r.total.clone()}</td>
                                <td class="num" data-label=tr!(locale, "invoices.open")>{r.open.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
    }
}

#[component]
pub fn InvoicePage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let invoice = Resource::new(move || params.with(|p| p.get("number").unwrap_or_default()), get_invoice);
    view! {
        <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || Suspend::new(async move {
                match invoice.await {
                    Ok(dto) => view! { <InvoiceView dto locale /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InvoiceView(dto: InvoiceDto, locale: Locale) -> impl IntoView {
    let r = &dto.row;
    let title = tr!(locale, "invoices.title_one", number = r.number.clone());
    view! {
        <Title text=title.clone() />
        <article class="page invoice">
            <p class="muted"><a href="/invoices">{tr!(locale, "nav.invoices")}</a></p>
            <h1>{title}</h1>
            <dl class="order-facts">
                <div><dt>{tr!(locale, "orders.status_label")}</dt><dd>{status_badge(locale, r)}</dd></div>
                <div><dt>{tr!(locale, "invoices.issued")}</dt><dd>{r.issued.clone()}</dd></div>
                <div><dt>{tr!(locale, "invoices.due")}</dt><dd data-testid="invoice-due">{r.due.clone()}</dd></div>
                {(r.days_overdue > 0).then(|| view! {
                    <div><dt>{tr!(locale, "invoices.overdue_by")}</dt><dd>{tr!(locale, "invoices.days", count = r.days_overdue)}</dd></div>
                })}
                <div><dt>{tr!(locale, "checkout.terms")}</dt><dd>{dto.terms.clone()}</dd></div>
                <div><dt>{tr!(locale, "orders.number")}</dt><dd><a href=format!("/orders/{}", r.order_number) data-testid="invoice-order">{r.order_number.clone()}</a></dd></div>
                {(!r.po_number.is_empty()).then(|| view! { <div><dt>{tr!(locale, "checkout.po_number")}</dt><dd>{r.po_number.clone()}</dd></div> })}
                <div><dt>{tr!(locale, "checkout.ship_to")}</dt><dd dir="auto">{r.location.clone()}</dd></div>
            </dl>
            <p><a class="button" href=dto.pdf.clone() data-testid="invoice-pdf">{tr!(locale, "invoices.download_pdf")}</a></p>
            <div class="table-scroll"><table class="data-table order-lines stacked">
                <caption class="visually-hidden">{tr!(locale, "invoices.lines")}</caption>
                <thead><tr>
                    <th scope="col">{tr!(locale, "product.sku")}</th>
                    <th scope="col">{tr!(locale, "cart.product")}</th>
                    <th scope="col" class="num">{tr!(locale, "product.quantity")}</th>
                    <th scope="col" class="num">{tr!(locale, "product.unit_price")}</th>
                    <th scope="col" class="num">{tr!(locale, "cart.line_total")}</th>
                </tr></thead>
                <tbody>
                    {dto.lines.iter().map(|l| view! {
                        <tr>
                            <td class="sku" data-label=tr!(locale, "product.sku")>{l.sku.clone()}</td>
                            <td data-label=tr!(locale, "cart.product")>{crate::components::code_text::with_codes(&l.name)}</td>
                            <td class="num" data-label=tr!(locale, "product.quantity")>{crate::format::number(l.quantity, locale)}</td>
                            <td class="num" data-label=tr!(locale, "product.unit_price")>{l.unit_price.clone()}</td>
                            <td class="num" data-label=tr!(locale, "cart.line_total")>{l.line_total.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
            <dl class="terms invoice-totals">
                <div><dt>{tr!(locale, "cart.total")}</dt><dd data-testid="invoice-total">{r.total.clone()}</dd></div>
                <div><dt>{tr!(locale, "invoices.paid")}</dt><dd>{dto.paid.clone()}</dd></div>
                <div><dt>{tr!(locale, "invoices.amount_due")}</dt><dd data-testid="invoice-open">{r.open.clone()}</dd></div>
            </dl>
            {(!dto.payments.is_empty()).then(|| view! {
                <section aria-labelledby="payments-title">
                    <h2 id="payments-title">{tr!(locale, "invoices.payments")}</h2>
                    <ul data-testid="payments">
                        {dto.payments.iter().map(|(on, reference, amount)| view! { <li>{on.clone()}" · "{reference.clone()}" · "<strong>{amount.clone()}</strong></li> }).collect_view()}
                    </ul>
                </section>
            })}
        </article>
    }
}
