//! /quotes (the member's quotes; the company's with `quotes.view_all`; filters by state,
//! "expiring within 7 days", mine), /quotes/{number} (lines requested versus offered, revisions
//! with what changed, the thread with files, and only the answers this state allows) and
//! /quotes/{number}/checkout (an accepted offer placed at its prices, exactly once).
//! Plain form posts; checkout's submit-once island.

use crate::api::quotes::{get_quote, list_quotes, quote_checkout, AnswerQuote, PlaceQuote, QuoteCheckoutDto, QuoteDto};
use crate::components::error_view::ErrorView;
use crate::components::not_found::NotFound;
use crate::components::quotes::{message_form, quote_lines, quote_status, quote_table, revisions_view, thread_view};
use crate::error::AppError;
use crate::i18n::{tr, use_locale, Locale};
use crate::islands::submit_once::SubmitOnce;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn QuotesPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let filter = move || {
        query.with(|q| {
            (
                q.get("status").unwrap_or_default(),
                q.get("expiring").is_some(),
                q.get("mine").is_some(),
                q.get("placed_by").and_then(|p| p.parse::<i64>().ok()).unwrap_or(0),
            )
        })
    };
    let quotes =
        Resource::new(filter, |(status, expiring, mine, placed_by)| list_quotes(status, expiring, mine, placed_by));
    let (status, expiring, mine, placed_by) = filter();
    view! {
        <Title text=tr!(locale, "nav.quotes") />
        <section class="page quotes">
            <h1>{tr!(locale, "nav.quotes")}</h1>
            <p class="muted">{tr!(locale, "quotes.intro")}</p>
            <form method="get" action="/quotes" class="filters">
                <label for="status">{tr!(locale, "orders.status_label")}</label>
                <select id="status" name="status">
                    <option value="">{tr!(locale, "quotes.any_status")}</option>
                    {crate::domain::quote::QuoteStatus::ALL.iter().map(|s| view! {
                        <option value=s.code() selected=status == s.code()>{tr!(locale, &format!("quotes.status.{}", s.code()))}</option>
                    }).collect_view()}
                </select>
                <label class="check"><input type="checkbox" name="expiring" value="1" checked=expiring />{tr!(locale, "quotes.expiring")}</label>
                <label class="check"><input type="checkbox" name="mine" value="1" checked=mine />{tr!(locale, "quotes.mine")}</label>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match quotes.await {
                            Ok(dto) if dto.requesters.len() > 1 => view! {
                                <label for="placed_by">{tr!(locale, "orders.placed_by")}</label>
                                <select id="placed_by" name="placed_by">
                                    <option value="">{tr!(locale, "quotes.anyone")}</option>
                                    {dto.requesters.into_iter().map(|(id, name)| view! {
                                        <option value=id.to_string() selected=id == placed_by>{name}</option>
                                    }).collect_view()}
                                </select>
                            }.into_any(),
                            _ => ().into_any(),
                        }
                    })}
                </Suspense>
                <button type="submit">{tr!(locale, "shell.apply")}</button>
            </form>
            <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match quotes.await {
                        Ok(dto) => quote_table(locale, dto.rows, tr!(locale, "nav.quotes"), "/quotes", false).into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn QuotePage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let quote = Resource::new(move || params.with(|p| p.get("number").unwrap_or_default()), get_quote);
    view! {
        <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || Suspend::new(async move {
                match quote.await {
                    Ok(dto) => view! { <QuoteView dto locale /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the last post on this page said (an answer, or a message).
fn answered(locale: Locale) -> Option<AnyView> {
    let sent = use_query_map().with_untracked(|q| q.get("__path").is_some_and(|p| p.ends_with("/quotes/message")));
    let outcome = crate::components::outcome::posted::<AnswerQuote>();
    match outcome {
        Some(Ok(status)) => Some(
            view! { <p class="notice" role="status" data-testid="answer-notice">{tr!(locale, &format!("quotes.now.{status}"))}</p> }
                .into_any(),
        ),
        Some(Err(e)) => Some(view! { <p class="form-error" role="alert">{e.message(locale)}</p> }.into_any()),
        None if sent => {
            let err = use_query_map().with_untracked(|q| q.get("__err").is_some());
            Some(if err {
                view! { <p class="form-error" role="alert">{tr!(locale, "quotes.message_failed")}</p> }.into_any()
            } else {
                view! { <p class="notice" role="status">{tr!(locale, "quotes.message_sent")}</p> }.into_any()
            })
        }
        None => None,
    }
}

#[component]
fn QuoteView(dto: QuoteDto, locale: Locale) -> impl IntoView {
    let answer = ServerAction::<AnswerQuote>::new();
    let number = dto.summary.number.clone();
    let title = tr!(locale, "quotes.title_one", number = number.clone());
    let action_form = {
        let number = number.clone();
        move |action: &'static str, label: &'static str, testid: &'static str, text: Option<(&'static str, bool)>| {
            let number = number.clone();
            view! {
                <ActionForm action=answer attr:class="stack narrow">
                    <input type="hidden" name="number" value=number />
                    <input type="hidden" name="action" value=action />
                    <input type="hidden" name="revision" value=dto.revision />
                    {text.map(|(key, required)| {
                        let id = format!("text-{action}");
                        view! {
                            <label for=id.clone()>{tr!(locale, key)}</label>
                            <textarea id=id name="text" rows="2" maxlength="4000" required=required></textarea>
                        }
                    })}
                    <button type="submit" class=if action == "accept" { "primary" } else { "" } data-testid=testid>{tr!(locale, label)}</button>
                </ActionForm>
            }
        }
    };
    view! {
        <Title text=title.clone() />
        <article class="page quote">
            <p class="muted"><a href="/quotes">{tr!(locale, "nav.quotes")}</a></p>
            <h1>{title}</h1>
            {answered(locale)}
            <dl class="order-facts">
                <div><dt>{tr!(locale, "orders.status_label")}</dt><dd>{quote_status(locale, &dto.summary.status)}</dd></div>
                <div><dt>{tr!(locale, "orders.placed_by")}</dt><dd dir="auto">{dto.summary.requester.clone()}</dd></div>
                <div><dt>{tr!(locale, "checkout.ship_to")}</dt><dd dir="auto">{dto.summary.location.clone()}</dd></div>
                <div><dt>{tr!(locale, "quotes.requested")}</dt><dd>{dto.summary.requested.clone()}</dd></div>
                {(dto.revision > 0).then(|| view! { <div><dt>{tr!(locale, "quotes.revision")}</dt><dd data-testid="quote-revision">{dto.revision}</dd></div> })}
                {(!dto.summary.valid_until.is_empty()).then(|| view! {
                    <div><dt>{tr!(locale, "quotes.valid_until")}</dt><dd data-testid="valid-until">{dto.summary.valid_until.clone()}</dd></div>
                })}
                <div><dt>{tr!(locale, "shell.currency")}</dt><dd>{dto.currency.clone()}</dd></div>
                {dto.order_number.clone().map(|n| view! {
                    <div><dt>{tr!(locale, "orders.number")}</dt><dd><a href=format!("/orders/{n}") data-testid="quote-order">{n.clone()}</a></dd></div>
                })}
                {dto.request_number.clone().map(|r| view! {
                    <div><dt>{tr!(locale, "approvals.request")}</dt><dd><a href=format!("/requests/{r}") data-testid="quote-request">{r.clone()}</a></dd></div>
                })}
            </dl>
            {(!dto.reason.is_empty()).then(|| view! { <p class="notice" dir="auto">{tr!(locale, "quotes.reason")}": "{dto.reason.clone()}</p> })}
            {quote_lines(locale, &dto.lines, dto.summary.total.clone(), false)}
            {(dto.can_checkout && dto.request_number.is_none()).then(|| view! {
                <p><a class="button primary" href=format!("/quotes/{number}/checkout") data-testid="quote-checkout">{tr!(locale, "quotes.to_checkout")}</a></p>
            })}
            {(dto.can_accept || dto.can_answer || dto.can_withdraw).then(|| view! {
                <section class="team-section" aria-labelledby="answer-title">
                    <h2 id="answer-title">{tr!(locale, "quotes.answer")}</h2>
                    {dto.can_accept.then(|| action_form("accept", "quotes.accept", "accept-quote", None))}
                    {dto.can_answer.then(|| {
                        let changes = {
                            let number = number.clone();
                            view! {
                                <ActionForm action=answer attr:class="stack">
                                    <input type="hidden" name="number" value=number />
                                    <input type="hidden" name="action" value="changes" />
                                    <input type="hidden" name="revision" value=dto.revision />
                                    <fieldset class="targets">
                                        <legend>{tr!(locale, "quotes.new_targets")}</legend>
                                        {dto.lines.iter().enumerate().map(|(i, l)| {
                                            let id = format!("target-{}", l.line_no);
                                            view! {
                                                <div class="field inline">
                                                    <input type="hidden" name=format!("targets[{i}][line]") value=l.line_no />
                                                    <label for=id.clone()><span class="sku">{l.sku.clone()}</span>" "{tr!(locale, "quotes.target_price")}</label>
                                                    <input id=id name=format!("targets[{i}][price]") type="text" inputmode="decimal" size="10" placeholder=l.offered.clone() />
                                                </div>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                    <label for="text-changes">{tr!(locale, "quotes.changes_message")}</label>
                                    <textarea id="text-changes" name="text" rows="2" maxlength="4000" required></textarea>
                                    <button type="submit" data-testid="ask-changes">{tr!(locale, "quotes.ask_changes")}</button>
                                </ActionForm>
                            }
                        };
                        view! {
                            {changes}
                            {action_form("decline", "quotes.decline", "decline-quote", Some(("quotes.decline_reason", true)))}
                        }
                    })}
                    {dto.can_withdraw.then(|| action_form("withdraw", "quotes.withdraw", "withdraw-quote", None))}
                </section>
            })}
            {revisions_view(locale, &dto.revisions)}
            <section aria-labelledby="thread-title">
                <h2 id="thread-title">{tr!(locale, "quotes.thread")}</h2>
                {thread_view(locale, &dto.thread)}
                {dto.can_message.then(|| message_form(locale, "/api/quotes/message", number.clone()))}
            </section>
        </article>
    }
}

#[component]
pub fn QuoteCheckoutPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let data = Resource::new(move || params.with(|p| p.get("number").unwrap_or_default()), quote_checkout);
    view! {
        <Title text=tr!(locale, "checkout.title") />
        <section class="page checkout">
            <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(dto) => view! { <QuoteCheckoutForm dto locale /> }.into_any(),
                        Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn QuoteCheckoutForm(dto: QuoteCheckoutDto, locale: Locale) -> impl IntoView {
    let place = ServerAction::<PlaceQuote>::new();
    let QuoteCheckoutDto { quote, checkout } = dto;
    let number = quote.summary.number.clone();
    let failed = place.value().get_untracked().and_then(Result::err);
    let error = {
        let failed = failed.clone();
        move |field: &'static str| failed.as_ref().and_then(|e| e.field_message(field, locale))
    };
    let form_error = failed.as_ref().map(|e| e.field_message("", locale).unwrap_or_else(|| e.message(locale)));
    let po_label = if checkout.po_required {
        tr!(locale, "checkout.po_number_required")
    } else {
        tr!(locale, "checkout.po_number")
    };
    view! {
        <h1>{tr!(locale, "quotes.checkout_title", number = number.clone())}</h1>
        <p class="muted"><a href=format!("/quotes/{number}")>{tr!(locale, "quotes.back_to_quote")}</a></p>
        {quote.order_number.clone().map(|n| view! {
            <p class="notice" role="status" data-testid="already-ordered">
                {tr!(locale, "quotes.already_ordered")}" "<a href=format!("/orders/{n}")>{n.clone()}</a>
            </p>
        })}
        {quote.request_number.clone().map(|r| view! {
            <p class="notice" role="status" data-testid="awaiting-approval">
                {tr!(locale, "quotes.awaiting_approval")}" "<a href=format!("/requests/{r}")>{r.clone()}</a>
            </p>
        })}
        {(!quote.can_checkout && quote.order_number.is_none() && quote.request_number.is_none()).then(|| view! {
            <p class="notice" role="status">{tr!(locale, "quotes.not_accepted")}</p>
        })}
        {quote.can_checkout.then(|| view! {
            <div class="checkout-grid">
                <ActionForm action=place attr:class="checkout-form" attr:novalidate="" attr:data-busy=tr!(locale, "checkout.placing")>
                    <input type="hidden" name="number" value=number.clone() />
                    <input type="hidden" name="idempotency_key" value=checkout.idempotency_key.clone() />
                    <input type="hidden" name="fingerprint" value=checkout.cart.fingerprint.clone() />
                    <div class="field">
                        <label for="ship_to">{tr!(locale, "checkout.ship_to")}</label>
                        <select id="ship_to" name="ship_to" aria-describedby="ship_to-error">
                            {checkout.ship_to.iter().map(|s| view! {
                                <option value=s.id.to_string() selected=Some(s.id) == checkout.default_ship_to>{s.label.clone()}</option>
                            }).collect_view()}
                        </select>
                        <div id="ship_to-error" class="field-error">{error("ship_to")}</div>
                    </div>
                    <div class="field">
                        <label for="po_number">{po_label}</label>
                        <input id="po_number" name="po_number" type="text" maxlength="35" required=checkout.po_required aria-describedby="po_number-error" />
                        <div id="po_number-error" class="field-error">{error("po_number")}</div>
                    </div>
                    <dl class="terms">
                        <div><dt>{tr!(locale, "checkout.terms")}</dt><dd>{checkout.terms.clone()}</dd></div>
                        {checkout.credit_available.clone().map(|c| view! { <div><dt>{tr!(locale, "checkout.credit_available")}</dt><dd>{c}</dd></div> })}
                    </dl>
                    <div class="field">
                        <label for="requested_date">{tr!(locale, "checkout.requested_date")}</label>
                        <input id="requested_date" name="requested_date" type="date" min=checkout.today.clone() aria-describedby="requested_date-error" />
                        <div id="requested_date-error" class="field-error">{error("requested_date")}</div>
                    </div>
                    <div class="field">
                        <label for="note">{tr!(locale, "checkout.note")}</label>
                        <textarea id="note" name="note" rows="3" maxlength="1000" aria-describedby="note-error"></textarea>
                        <div id="note-error" class="field-error">{error("note")}</div>
                    </div>
                    <div role="alert"><p class="field-error">{form_error.clone()}</p></div>
                    <button type="submit" class="primary" data-testid="place-quote">{tr!(locale, "checkout.place")}</button>
                    <SubmitOnce />
                </ActionForm>
                <aside class="summary" aria-labelledby="summary-title">
                    <h2 id="summary-title">{tr!(locale, "checkout.summary")}</h2>
                    <ul class="summary-lines">
                        {checkout.cart.lines.iter().map(|l| view! {
                            <li>
                                <span class="sku">{l.sku.clone()}</span>" "{crate::components::code_text::with_codes(&l.name)}" × "{l.quantity}
                                " · "{l.unit_price.clone().unwrap_or_default()}
                                <span class="num">{l.line_total.clone().unwrap_or_default()}</span>
                                {crate::components::stock_badge::stock_badge(l.stock.clone(), locale)}
                            </li>
                        }).collect_view()}
                    </ul>
                    <p class="total"><span>{tr!(locale, "cart.total")}</span>" "<strong data-testid="checkout-total">{checkout.cart.total.clone()}</strong></p>
                    <p class="muted small">{tr!(locale, "quotes.prices_hold", date = quote.summary.valid_until.clone())}</p>
                </aside>
            </div>
        })}
    }
}
