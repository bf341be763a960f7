//! The merchant's quote desk: /staff/quotes (the queue by state, the one waiting longest first)
//! and /staff/quotes/{number} (set a price per line or a % off the list price, add or remove
//! lines, set the last valid day, write to the buyer and send the offer; or reject). Plain form
//! posts, no islands. /staff/invoices records a payment against one or several invoices.

use crate::api::quotes::{desk_quote, desk_quotes, DeskOffer, DeskQuoteDto, DeskReject, DeskReview};
use crate::components::error_view::ErrorView;
use crate::components::not_found::NotFound;
use crate::components::quotes::{message_form, quote_lines, quote_status, quote_table, revisions_view, thread_view};
use crate::components::team_bits::outcome_of;
use crate::error::AppError;
use crate::i18n::{tr, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn DeskPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let status = move || query.with(|q| q.get("status").unwrap_or_default());
    let quotes = Resource::new(status, desk_quotes);
    let current = status();
    view! {
        <Title text=tr!(locale, "staff.quotes_title") />
        <section class="page desk">
            <h1>{tr!(locale, "staff.quotes_title")}</h1>
            <form method="get" action="/staff/quotes" class="filters">
                <label for="status">{tr!(locale, "orders.status_label")}</label>
                <select id="status" name="status">
                    <option value="">{tr!(locale, "staff.waiting")}</option>
                    {crate::domain::quote::QuoteStatus::ALL.iter().map(|s| view! {
                        <option value=s.code() selected=current == s.code()>{tr!(locale, &format!("quotes.status.{}", s.code()))}</option>
                    }).collect_view()}
                </select>
                <button type="submit">{tr!(locale, "shell.apply")}</button>
            </form>
            <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match quotes.await {
                        Ok(rows) => quote_table(locale, rows, tr!(locale, "staff.quotes_title"), "/staff/quotes", true).into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn DeskQuotePage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let quote = Resource::new(move || params.with(|p| p.get("number").unwrap_or_default()), desk_quote);
    view! {
        <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || Suspend::new(async move {
                match quote.await {
                    Ok(dto) => view! { <DeskQuoteView dto locale /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn DeskQuoteView(dto: DeskQuoteDto, locale: Locale) -> impl IntoView {
    let offer = ServerAction::<DeskOffer>::new();
    let reject = ServerAction::<DeskReject>::new();
    let review = ServerAction::<DeskReview>::new();
    let q = &dto.quote;
    let number = q.summary.number.clone();
    let title = tr!(locale, "quotes.title_one", number = number.clone());
    let failed = offer.value().get_untracked().and_then(Result::err);
    let error = {
        let failed = failed.clone();
        move |field: String| failed.as_ref().and_then(|e| e.field_message(&field, locale))
    };
    let form_error = failed.as_ref().and_then(|e| {
        e.field_message("", locale).or_else(|| (!matches!(e, AppError::Invalid(_))).then(|| e.message(locale)))
    });
    let notices = [
        outcome_of::<DeskOffer>().filter(|o| o.is_ok()).map(|_| tr!(locale, "staff.offer_sent")),
        outcome_of::<DeskReject>()
            .map(|o| o.map(|_| tr!(locale, "staff.rejected")).unwrap_or_else(|e| e.message(locale))),
        outcome_of::<DeskReview>()
            .map(|o| o.map(|_| tr!(locale, "staff.in_review")).unwrap_or_else(|e| e.message(locale))),
    ];
    view! {
        <Title text=title.clone() />
        <article class="page quote desk-quote">
            <p class="muted"><a href="/staff/quotes">{tr!(locale, "staff.quotes_title")}</a></p>
            <h1>{title}</h1>
            {notices.into_iter().flatten().map(|n| view! { <p class="notice" role="status" data-testid="desk-notice">{n}</p> }).collect_view()}
            <dl class="order-facts">
                <div><dt>{tr!(locale, "orders.status_label")}</dt><dd>{quote_status(locale, &q.summary.status)}</dd></div>
                <div><dt>{tr!(locale, "shell.company")}</dt><dd dir="auto" data-testid="desk-company">{q.summary.company.clone()}</dd></div>
                <div><dt>{tr!(locale, "orders.placed_by")}</dt><dd dir="auto">{q.summary.requester.clone()}</dd></div>
                <div><dt>{tr!(locale, "checkout.ship_to")}</dt><dd dir="auto">{q.summary.location.clone()}</dd></div>
                <div><dt>{tr!(locale, "shell.currency")}</dt><dd>{q.currency.clone()}</dd></div>
                {(!q.summary.valid_until.is_empty()).then(|| view! { <div><dt>{tr!(locale, "quotes.valid_until")}</dt><dd>{q.summary.valid_until.clone()}</dd></div> })}
                {q.order_number.clone().map(|n| view! { <div><dt>{tr!(locale, "orders.number")}</dt><dd>{n}</dd></div> })}
            </dl>
            {(!q.reason.is_empty()).then(|| view! { <p class="notice" dir="auto">{tr!(locale, "quotes.reason")}": "{q.reason.clone()}</p> })}
            {quote_lines(locale, &q.lines, q.summary.total.clone(), true)}
            {dto.can_review.then(|| {
                let number = number.clone();
                view! {
                    <ActionForm action=review>
                        <input type="hidden" name="number" value=number />
                        <button type="submit" data-testid="start-review">{tr!(locale, "staff.start_review")}</button>
                    </ActionForm>
                }
            })}
            {dto.can_offer.then(|| {
                let (n_offer, n_reject) = (number.clone(), number.clone());
                let (revision, version, draft) = (q.revision, q.version, dto.draft.clone());
                let default_valid_until = dto.default_valid_until.clone();
                let error = error.clone();
                let form_error = form_error.clone();
                view! {
                    <section class="team-section" aria-labelledby="offer-title">
                        <h2 id="offer-title">{tr!(locale, "staff.offer_title", n = revision + 1)}</h2>
                        <ActionForm action=offer attr:class="stack offer-form" attr:novalidate="">
                            <input type="hidden" name="number" value=n_offer />
                            <input type="hidden" name="version" value=version />
                            <div class="table-scroll"><table class="data-table offer-lines stacked">
                                <caption class="visually-hidden">{tr!(locale, "staff.offer_lines")}</caption>
                                <thead><tr>
                                    <th scope="col">{tr!(locale, "product.sku")}</th>
                                    <th scope="col">{tr!(locale, "cart.product")}</th>
                                    <th scope="col" class="num">{tr!(locale, "quotes.target_price")}</th>
                                    <th scope="col" class="num">{tr!(locale, "quotes.list_price")}</th>
                                    <th scope="col">{tr!(locale, "product.quantity")}</th>
                                    <th scope="col">{tr!(locale, "quotes.offered_price")}</th>
                                    <th scope="col">{tr!(locale, "staff.percent_off")}</th>
                                    <th scope="col">{tr!(locale, "staff.remove")}</th>
                                </tr></thead>
                                <tbody>
                                    {draft.iter().enumerate().map(|(i, l)| {
                                        let sku = l.sku.clone();
                                        let field = format!("lines[{}]", l.line_no);
                                        let err = error(field.clone());
                                        let price_value = l.offered_input.clone();
                                        view! {
                                            <tr data-testid="offer-line">
                                                <td class="sku" data-label=tr!(locale, "product.sku")>{sku.clone()}<input type="hidden" name=format!("lines[{i}][line]") value=l.line_no /></td>
                                                <td data-label=tr!(locale, "cart.product")>{crate::components::code_text::with_codes(&l.name)}
                                                    {err.map(|e| view! { <p class="field-error">{e}</p> })}</td>
                                                <td class="num" data-label=tr!(locale, "quotes.target_price")>{if l.target.is_empty() { "—".to_string() } else { l.target.clone() }}</td>
                                                <td class="num" data-label=tr!(locale, "quotes.list_price")>{if l.list_price.is_empty() { "—".to_string() } else { l.list_price.clone() }}</td>
                                                <td data-label=tr!(locale, "product.quantity")><input name=format!("lines[{i}][quantity]") type="text" inputmode="numeric" size="6" value=l.quantity
                                                    aria-label=tr!(locale, "staff.quantity_for", sku = sku.clone()) /></td>
                                                <td data-label=tr!(locale, "quotes.offered_price")><input name=format!("lines[{i}][price]") type="text" inputmode="decimal" size="10" value=price_value
                                                    aria-label=tr!(locale, "staff.price_for", sku = sku.clone()) data-testid="offer-price" /></td>
                                                <td data-label=tr!(locale, "staff.percent_off")><input name=format!("lines[{i}][percent]") type="text" inputmode="decimal" size="5"
                                                    aria-label=tr!(locale, "staff.percent_for", sku = sku.clone()) /></td>
                                                <td data-label=tr!(locale, "staff.remove")><input name=format!("lines[{i}][remove]") type="checkbox" value="1"
                                                    aria-label=tr!(locale, "staff.remove_for", sku = sku.clone()) /></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table></div>
                            <p class="muted small">{tr!(locale, "staff.price_help")}</p>
                            <fieldset class="add-line">
                                <legend>{tr!(locale, "staff.add_line")}</legend>
                                <label for="add_sku">{tr!(locale, "product.sku")}</label>
                                <input id="add_sku" name="add_sku" type="text" size="14" aria-describedby="add_sku-error" />
                                <div id="add_sku-error" class="field-error">{error("add_sku".into())}</div>
                                <label for="add_quantity">{tr!(locale, "product.quantity")}</label>
                                <input id="add_quantity" name="add_quantity" type="text" inputmode="numeric" size="6" aria-describedby="add_quantity-error" />
                                <div id="add_quantity-error" class="field-error">{error("add_quantity".into())}</div>
                                <label for="add_price">{tr!(locale, "quotes.offered_price")}</label>
                                <input id="add_price" name="add_price" type="text" inputmode="decimal" size="10" aria-describedby="add_price-error" />
                                <div id="add_price-error" class="field-error">{error("add_price".into())}</div>
                            </fieldset>
                            <div class="field">
                                <label for="valid_until">{tr!(locale, "quotes.valid_until")}</label>
                                <input id="valid_until" name="valid_until" type="date" required value=default_valid_until aria-describedby="valid_until-error" />
                                <div id="valid_until-error" class="field-error">{error("valid_until".into())}</div>
                            </div>
                            <div class="field">
                                <label for="offer-message">{tr!(locale, "staff.message_to_buyer")}</label>
                                <textarea id="offer-message" name="message" rows="3" maxlength="4000"></textarea>
                            </div>
                            <div role="alert"><p class="field-error">{form_error.clone()}</p></div>
                            <button type="submit" class="primary" data-testid="send-offer">{tr!(locale, "staff.send_offer")}</button>
                        </ActionForm>
                        <ActionForm action=reject attr:class="stack narrow reject-form">
                            <input type="hidden" name="number" value=n_reject />
                            <label for="reject-reason">{tr!(locale, "staff.reject_reason")}</label>
                            <textarea id="reject-reason" name="reason" rows="2" maxlength="4000" required></textarea>
                            <button type="submit" data-testid="reject-quote">{tr!(locale, "staff.reject")}</button>
                        </ActionForm>
                    </section>
                }
            })}
            {revisions_view(locale, &q.revisions)}
            <section aria-labelledby="thread-title">
                <h2 id="thread-title">{tr!(locale, "quotes.thread")}</h2>
                {thread_view(locale, &q.thread)}
                {message_form(locale, "/api/staff/message", number.clone())}
            </section>
        </article>
    }
}

#[component]
pub fn DeskInvoicesPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let company = move || query.with(|q| q.get("company").and_then(|c| c.parse::<i64>().ok()).unwrap_or(0));
    let data = Resource::new(company, crate::api::invoices::desk_invoices);
    view! {
        <Title text=tr!(locale, "staff.payments_title") />
        <section class="page desk-invoices">
            <h1>{tr!(locale, "staff.payments_title")}</h1>
            <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(dto) => view! { <DeskInvoicesView dto locale /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DeskInvoicesView(dto: crate::api::invoices::DeskInvoicesDto, locale: Locale) -> impl IntoView {
    use crate::api::invoices::RecordPayment;
    let record = ServerAction::<RecordPayment>::new();
    let outcome = outcome_of::<RecordPayment>();
    let failed = record.value().get_untracked().and_then(Result::err);
    let error = move |field: &'static str| {
        failed.as_ref().and_then(|e| {
            e.field_message(field, locale)
                .or_else(|| (field.is_empty() && !matches!(e, AppError::Invalid(_))).then(|| e.message(locale)))
        })
    };
    view! {
        {outcome.map(|o| match o {
            Ok(()) => view! { <p class="notice" role="status" data-testid="payment-recorded">{tr!(locale, "staff.payment_recorded")}</p> }.into_any(),
            Err(e) => view! { <p class="form-error" role="alert">{e.message(locale)}</p> }.into_any(),
        })}
        <form method="get" action="/staff/invoices" class="filters">
            <label for="company">{tr!(locale, "shell.company")}</label>
            <select id="company" name="company">
                <option value="">{tr!(locale, "staff.choose_company")}</option>
                {dto.companies.iter().map(|(id, name)| view! { <option value=id.to_string() selected=Some(*id) == dto.company>{name.clone()}</option> }).collect_view()}
            </select>
            <button type="submit">{tr!(locale, "shell.apply")}</button>
        </form>
        {dto.company.map(|company| view! {
            <ActionForm action=record attr:class="stack payment-form">
                <input type="hidden" name="company" value=company />
                <fieldset class="checks">
                    <legend>{tr!(locale, "staff.pay_invoices")}</legend>
                    {dto.invoices.iter().enumerate().map(|(i, r)| view! {
                        <label class="check">
                            <input type="checkbox" name=format!("invoices[{i}]") value=r.number.clone() data-testid="pay-invoice" />
                            <span class="nowrap">{r.number.clone()}</span>" · "{tr!(locale, "invoices.due")}" "{r.due.clone()}" · "
                            <strong>{r.open.clone()}</strong>
                            {(r.days_overdue > 0).then(|| view! { " · "<span class="status invoice-overdue">{tr!(locale, "invoices.status.overdue")}</span> })}
                        </label>
                    }).collect_view()}
                </fieldset>
                <div class="field-error">{error("invoices")}</div>
                <label for="amount">{tr!(locale, "staff.amount", currency = dto.currency.clone())}</label>
                <input id="amount" name="amount" type="text" inputmode="decimal" required aria-describedby="amount-error" data-testid="payment-amount" />
                <div id="amount-error" class="field-error">{error("amount")}</div>
                <label for="received_on">{tr!(locale, "staff.received_on")}</label>
                <input id="received_on" name="received_on" type="date" required value=dto.today.clone() aria-describedby="received_on-error" />
                <div id="received_on-error" class="field-error">{error("received_on")}</div>
                <label for="reference">{tr!(locale, "staff.reference")}</label>
                <input id="reference" name="reference" type="text" maxlength="80" required aria-describedby="reference-error" />
                <div id="reference-error" class="field-error">{error("reference")}</div>
                <div role="alert"><p class="field-error">{error("")}</p></div>
                <button type="submit" class="primary" data-testid="record-payment">{tr!(locale, "staff.record_payment")}</button>
            </ActionForm>
        })}
    }
}
