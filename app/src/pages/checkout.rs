//! /checkout: ship-to, purchase order number (required when the company says so), payment terms
//! with the credit left, note and requested delivery date, over a summary of the cart. Placing
//! sends the idempotency key and the fingerprint of what the buyer reviewed; if prices or stock
//! moved meanwhile the page shows what changed and asks again, and a Requester is told the
//! order needs approval.

use crate::api::cart::CartDto;
use crate::api::orders::{get_checkout, CheckoutDto, PlaceOrder};
use crate::components::error_view::ErrorView;
use crate::components::problems::row_problem_message;
use crate::i18n::{tr, use_locale, Locale};
use crate::islands::submit_once::SubmitOnce;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let locale = use_locale();
    let checkout = Resource::new(|| (), |_| get_checkout());
    view! {
        <Title text=tr!(locale, "checkout.title") />
        <section class="page checkout">
            <h1>{tr!(locale, "checkout.title")}</h1>
            <Transition fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match checkout.await {
                        Ok(dto) if dto.cart.lines.is_empty() => view! {
                            <p>{tr!(locale, "pages.cart.empty")}</p>
                            <p><a href="/orders">{tr!(locale, "nav.orders")}</a></p>
                        }.into_any(),
                        Ok(dto) => view! { <CheckoutForm dto locale /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// What the buyer saw of a line when they pressed Place: carried by the form (and, when the cart
/// moved meanwhile, back to this page in the URL) so the page can say what changed.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SeenLine {
    pub sku: String,
    pub quantity: i64,
    pub unit_price: Option<String>,
    pub stock: crate::api::catalog::StockDto,
    pub short_of: Option<i64>,
    pub problem: Option<crate::domain::order_entry::RowProblem>,
}

fn seen_lines(cart: &CartDto) -> Vec<SeenLine> {
    cart.lines
        .iter()
        .map(|l| SeenLine {
            sku: l.sku.clone(),
            quantity: l.quantity,
            unit_price: l.unit_price.clone(),
            stock: l.stock.clone(),
            short_of: l.short_of,
            problem: l.problem,
        })
        .collect()
}

/// Lines whose price or problem differs between what was reviewed and what is true now.
fn changes(before: &[SeenLine], now: &CartDto, locale: Locale) -> Vec<String> {
    let mut out = vec![];
    for line in &now.lines {
        match before.iter().find(|b| b.sku == line.sku) {
            None => out.push(tr!(locale, "checkout.change_added", sku = line.sku)),
            Some(b) => {
                if b.unit_price != line.unit_price {
                    out.push(tr!(
                        locale,
                        "checkout.change_price",
                        sku = line.sku,
                        old = b.unit_price.clone().unwrap_or_default(),
                        new = line.unit_price.clone().unwrap_or_default()
                    ));
                }
                if b.quantity != line.quantity {
                    out.push(tr!(locale, "checkout.change_quantity", sku = line.sku, quantity = line.quantity));
                }
                if b.stock != line.stock || b.short_of != line.short_of {
                    out.push(tr!(locale, "checkout.change_stock", sku = line.sku));
                }
                if let Some(p) = line.problem.filter(|p| b.problem != Some(*p)) {
                    out.push(format!("{}: {}", line.sku, row_problem_message(locale, p)));
                }
            }
        }
    }
    for b in before {
        if !now.lines.iter().any(|l| l.sku == b.sku) {
            out.push(tr!(locale, "checkout.change_removed", sku = b.sku));
        }
    }
    out
}

#[component]
fn CheckoutForm(dto: CheckoutDto, locale: Locale) -> impl IntoView {
    let place = ServerAction::<PlaceOrder>::new();
    // After a post that did not place (plain form, post/redirect/get): what was typed, the error,
    // and what the buyer had seen if the cart changed meanwhile.
    let query = use_query_map().get_untracked();
    let chosen_ship_to = query.get("ship_to").and_then(|s| s.parse::<i64>().ok()).or(dto.default_ship_to);
    let typed = {
        let query = query.clone();
        move |name: &str| query.get(name).unwrap_or_default()
    };
    let changed: Option<Vec<String>> = query.get("seen").map(|seen| {
        serde_json::from_str::<Vec<SeenLine>>(&seen)
            .map(|before| changes(&before, &dto.cart, locale))
            .unwrap_or_default()
    });
    let failed = place.value().get_untracked().and_then(Result::err);
    let error = {
        let failed = failed.clone();
        move |field: &'static str| failed.as_ref().and_then(|e| e.field_message(field, locale))
    };
    let form_error = failed.as_ref().map(|e| match e.field_message("", locale) {
        Some(m) => m,
        None if matches!(e, crate::error::AppError::Invalid(_)) => String::new(),
        None => e.message(locale),
    });
    let po_error = error("po_number");
    let po_label =
        if dto.po_required { tr!(locale, "checkout.po_number_required") } else { tr!(locale, "checkout.po_number") };
    let seen = serde_json::to_string(&seen_lines(&dto.cart)).unwrap_or_default();
    view! {
        {(!dto.approval_by.is_empty()).then(|| view! {
            <div class="notice" data-testid="needs-approval">
                <p>{tr!(locale, "approvals.checkout_needs", approvers = dto.approval_by.join(" → "))}</p>
                <ul>{dto.approval_reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
            </div>
        })}
        <div class="checkout-grid">
            <ActionForm action=place attr:class="checkout-form" attr:novalidate="" attr:data-busy=tr!(locale, "checkout.placing")>
                <input type="hidden" name="idempotency_key" value=dto.idempotency_key.clone() />
                <input type="hidden" name="fingerprint" value=dto.cart.fingerprint.clone() />
                <input type="hidden" name="seen" value=seen />
                <div class="field">
                    <label for="ship_to">{tr!(locale, "checkout.ship_to")}</label>
                    <select id="ship_to" name="ship_to" aria-describedby="ship_to-error">
                        {dto.ship_to.iter().map(|s| view! {
                            <option value=s.id.to_string() selected=Some(s.id) == chosen_ship_to>{s.label.clone()}</option>
                        }).collect_view()}
                    </select>
                    <div id="ship_to-error" class="field-error">{error("ship_to")}</div>
                </div>
                <div class="field">
                    <label for="po_number">{po_label}</label>
                    <input id="po_number" name="po_number" type="text" maxlength="35" required=dto.po_required value=typed("po_number")
                        aria-describedby="po_number-error" aria-invalid=po_error.is_some().then_some("true") />
                    <div id="po_number-error" class="field-error">{po_error.clone()}</div>
                </div>
                <dl class="terms">
                    <div><dt>{tr!(locale, "checkout.terms")}</dt><dd data-testid="terms">{dto.terms.clone()}</dd></div>
                    {dto.credit_available.clone().map(|c| view! {
                        <div><dt>{tr!(locale, "checkout.credit_available")}</dt><dd>{c}</dd></div>
                    })}
                </dl>
                <div class="field">
                    <label for="requested_date">{tr!(locale, "checkout.requested_date")}</label>
                    <input id="requested_date" name="requested_date" type="date" min=dto.today.clone() value=typed("requested_date") aria-describedby="requested_date-error" />
                    <div id="requested_date-error" class="field-error">{error("requested_date")}</div>
                </div>
                <div class="field">
                    <label for="note">{tr!(locale, "checkout.note")}</label>
                    <textarea id="note" name="note" rows="3" maxlength="1000" aria-describedby="note-error" prop:value=typed("note")>{typed("note")}</textarea>
                    <div id="note-error" class="field-error">{error("note")}</div>
                </div>
                <div role="alert">
                    {changed.map(|list| view! {
                        <div class="notice">
                            <p>{tr!(locale, "checkout.changed")}</p>
                            <ul>{list.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}</ul>
                        </div>
                    })}
                    <p class="field-error">{form_error}</p>
                </div>
                <button type="submit" class="primary">
                    {tr!(locale, if dto.approval_by.is_empty() { "checkout.place" } else { "approvals.send" })}
                </button>
                <SubmitOnce />
            </ActionForm>
            <aside class="summary" aria-labelledby="summary-title">
                <h2 id="summary-title">{tr!(locale, "checkout.summary")}</h2>
                <ul class="summary-lines">
                    {dto.cart.lines.iter().map(|l| view! {
                        <li>
                            <span class="sku">{l.sku.clone()}</span>" "{crate::components::code_text::with_codes(&l.name)}" × "{l.quantity}
                            <span class="num">{l.line_total.clone().unwrap_or_default()}</span>
                        </li>
                    }).collect_view()}
                </ul>
                <p class="total"><span>{tr!(locale, "cart.total")}</span>" "<strong data-testid="checkout-total">{dto.cart.total.clone()}</strong></p>
                <p><a href="/cart">{tr!(locale, "checkout.edit_cart")}</a></p>
            </aside>
        </div>
    }
}
