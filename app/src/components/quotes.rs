//! What the buyer's quote pages and the merchant's desk both show: the status, a table of
//! quotes, the lines (requested versus offered), the revisions with what changed, and the thread.

use crate::api::quotes::{MessageDto, QuoteLineDto, QuoteSummaryDto, RevisionDto};
use crate::i18n::{tr, Locale};
use leptos::prelude::*;

pub fn quote_status(locale: Locale, status: &str) -> impl IntoView {
    view! { <span class=format!("status quote-{status}") data-testid="quote-status">{tr!(locale, &format!("quotes.status.{status}"))}</span> }
}

/// A table of quotes; `base` is where a number links to (`/quotes` or `/staff/quotes`).
pub fn quote_table(
    locale: Locale,
    rows: Vec<QuoteSummaryDto>,
    caption: String,
    base: &'static str,
    desk: bool,
) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="no-quotes">{tr!(locale, "quotes.none")}</p> }.into_any();
    }
    view! {
        <div class="table-scroll"><table class="data-table quote-list stacked">
            <caption class="visually-hidden">{caption}</caption>
            <thead><tr>
                <th scope="col">{tr!(locale, "quotes.quote")}</th>
                {desk.then(|| view! { <th scope="col">{tr!(locale, "shell.company")}</th> })}
                <th scope="col">{tr!(locale, "quotes.requested")}</th>
                <th scope="col">{tr!(locale, "orders.status_label")}</th>
                <th scope="col">{tr!(locale, "orders.placed_by")}</th>
                <th scope="col">{tr!(locale, "quotes.valid_until")}</th>
                <th scope="col" class="num">{tr!(locale, "cart.total")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr data-testid="quote-row">
                        <td class="nowrap" data-label=tr!(locale, "quotes.quote")><a href=format!("{base}/{}", r.number)>{r.number.clone()}</a></td>
                        {desk.then(|| view! { <td dir="auto" data-label=tr!(locale, "shell.company")>{r.company.clone()}</td> })}
                        <td data-label=tr!(locale, "quotes.requested")>{r.requested}</td>
                        <td data-label=tr!(locale, "orders.status_label")>{quote_status(locale, &r.status)}</td>
                        <td dir="auto" data-label=tr!(locale, "orders.placed_by")>{r.requester}</td>
                        <td class:warn=r.expires_soon data-label=tr!(locale, "quotes.valid_until")>{r.valid_until}</td>
                        <td class="num" data-label=tr!(locale, "cart.total")>{r.total}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

/// The lines: as requested (quantity, target) beside what is offered.
pub fn quote_lines(locale: Locale, lines: &[QuoteLineDto], total: String, desk: bool) -> impl IntoView {
    let offered = lines.iter().any(|l| !l.offered.is_empty());
    view! {
        <div class="table-scroll"><table class="data-table quote-lines stacked" data-testid="quote-lines">
            <caption class="visually-hidden">{tr!(locale, "quotes.lines")}</caption>
            <thead><tr>
                <th scope="col">{tr!(locale, "product.sku")}</th>
                <th scope="col">{tr!(locale, "cart.product")}</th>
                <th scope="col" class="num">{tr!(locale, "quotes.requested_quantity")}</th>
                <th scope="col" class="num">{tr!(locale, "quotes.target_price")}</th>
                {desk.then(|| view! { <th scope="col" class="num">{tr!(locale, "quotes.list_price")}</th> })}
                {offered.then(|| view! {
                    <th scope="col" class="num">{tr!(locale, "quotes.offered_quantity")}</th>
                    <th scope="col" class="num">{tr!(locale, "quotes.offered_price")}</th>
                    <th scope="col" class="num">{tr!(locale, "cart.line_total")}</th>
                })}
            </tr></thead>
            <tbody>
                {lines.iter().map(|l| view! {
                    <tr>
                        <td class="sku" data-label=tr!(locale, "product.sku")>{l.sku.clone()}</td>
                        <td data-label=tr!(locale, "cart.product")>{crate::components::code_text::with_codes(&l.name)}</td>
                        <td class="num" data-label=tr!(locale, "quotes.requested_quantity")>{l.requested_quantity.map(|q| crate::format::number(q, locale)).unwrap_or_else(|| "—".into())}</td>
                        <td class="num" data-label=tr!(locale, "quotes.target_price")>{if l.target.is_empty() { "—".to_string() } else { l.target.clone() }}</td>
                        {desk.then(|| view! { <td class="num" data-label=tr!(locale, "quotes.list_price")>{if l.list_price.is_empty() { "—".to_string() } else { l.list_price.clone() }}</td> })}
                        {offered.then(|| view! {
                            <td class="num" data-label=tr!(locale, "quotes.offered_quantity")>{crate::format::number(l.quantity, locale)}</td>
                            <td class="num" data-testid="offered-price" data-label=tr!(locale, "quotes.offered_price")>{l.offered.clone()}</td>
                            <td class="num" data-label=tr!(locale, "cart.line_total")>{l.line_total.clone()}</td>
                        })}
                    </tr>
                }).collect_view()}
            </tbody>
            {(offered && !total.is_empty()).then(|| {
                let span = if desk { 7 } else { 6 };
                view! { <tfoot><tr><th scope="row" colspan=span>{tr!(locale, "cart.total")}</th><td class="num" data-testid="quote-total">{total}</td></tr></tfoot> }
            })}
        </table></div>
    }
}

pub fn revisions_view(locale: Locale, revisions: &[RevisionDto]) -> impl IntoView {
    (!revisions.is_empty()).then(|| {
        view! {
            <section aria-labelledby="revisions-title">
                <h2 id="revisions-title">{tr!(locale, "quotes.revisions")}</h2>
                <ol class="revisions" data-testid="revisions">
                    {revisions.iter().rev().map(|r| view! {
                        <li>
                            <strong>{tr!(locale, "quotes.revision_n", n = r.revision)}</strong>" · "
                            <span>{r.total.clone()}</span>" · "
                            <span class="muted">{tr!(locale, "quotes.offered_by", who = r.offered_by.clone(), at = r.offered_at.clone())}</span>" · "
                            <span>{tr!(locale, "quotes.valid_until_date", date = r.valid_until.clone())}</span>" · "
                            <a href=r.pdf.clone() data-testid="revision-pdf">{tr!(locale, "quotes.pdf")}</a>
                            {(!r.changes.is_empty()).then(|| view! {
                                <ul class="changes">{r.changes.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}</ul>
                            })}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        }
    })
}

pub fn thread_view(locale: Locale, thread: &[MessageDto]) -> impl IntoView {
    view! {
        <ol class="thread" data-testid="thread">
            {thread.iter().map(|m| {
                let what = if m.kind == "message" { String::new() } else { tr!(locale, &format!("quotes.event.{}", m.kind)) };
                let who = if m.who.is_empty() { tr!(locale, "quotes.system") } else { m.who.clone() };
                view! {
                    <li class:merchant=m.from_merchant>
                        <p class="meta"><span dir="auto">{who}</span>" · "<span class="muted small">{m.at.clone()}</span>
                            {(!what.is_empty()).then(|| view! { " · "<strong>{what.clone()}</strong> })}
                        </p>
                        {(!m.body.is_empty()).then(|| view! { <p class="comment" dir="auto">{m.body.clone()}</p> })}
                        {(!m.files.is_empty()).then(|| view! {
                            <ul class="files">{m.files.iter().map(|f| view! {
                                <li><a href=f.href.clone() download="" data-testid="attachment">{f.name.clone()}</a>" "<span class="muted small">{f.size.clone()}</span></li>
                            }).collect_view()}</ul>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// A message with files: a plain multipart form (works without JavaScript).
pub fn message_form(locale: Locale, action: &'static str, number: String) -> impl IntoView {
    view! {
        <form method="post" action=action enctype="multipart/form-data" class="stack narrow message-form">
            <input type="hidden" name="number" value=number />
            <label for="message-body">{tr!(locale, "quotes.message")}</label>
            <textarea id="message-body" name="body" rows="3" maxlength="4000"></textarea>
            <label for="message-files">{tr!(locale, "quotes.attach")}</label>
            <input id="message-files" type="file" name="file" multiple accept=".pdf,.png,.jpg,.jpeg,.csv,.xlsx" aria-describedby="files-help" />
            <p id="files-help" class="muted small">{tr!(locale, "quotes.files_help")}</p>
            <button type="submit" data-testid="send-message">{tr!(locale, "quotes.send_message")}</button>
        </form>
    }
}

/// A line offered for a quote request: SKU, what the buyer reads, the quantity to start from.
pub struct WantedLine {
    pub sku: String,
    pub label: String,
    pub quantity: String,
}

/// "Request a quote": per line a quantity (from the cart: fixed, with a checkbox to leave it
/// out) and an optional target price; a note and up to 5 files. A plain multipart form to
/// `quotes/request`; its key makes one click or ten one quote.
pub fn request_quote_form(locale: Locale, lines: Vec<WantedLine>, from_cart: bool, open: bool) -> impl IntoView {
    let failed = crate::components::outcome::posted::<crate::api::quotes::RequestQuote>().and_then(Result::err);
    let open = open || failed.is_some();
    view! {
        <details class="request-quote" open=open data-testid="request-quote">
            <summary>{tr!(locale, if from_cart { "quotes.request_cart" } else { "quotes.request_product" })}</summary>
            <form method="post" action="/api/quotes/request" enctype="multipart/form-data" class="stack request-quote-form">
                <input type="hidden" name="key" value=crate::api::new_key() />
                {from_cart.then(|| view! { <input type="hidden" name="from_cart" value="1" /> })}
                {failed.map(|e| view! { <p class="form-error" role="alert">{e.message(locale)}</p> })}
                <div class="table-scroll"><table class="data-table request-lines">
                    <caption class="visually-hidden">{tr!(locale, "quotes.lines")}</caption>
                    <thead><tr>
                        {from_cart.then(|| view! { <th scope="col">{tr!(locale, "quotes.include")}</th> })}
                        <th scope="col">{tr!(locale, "product.sku")}</th>
                        <th scope="col">{tr!(locale, "product.quantity")}</th>
                        <th scope="col">{tr!(locale, "quotes.target_price_optional")}</th>
                    </tr></thead>
                    <tbody>
                        {lines.into_iter().enumerate().map(|(i, l)| view! {
                            <tr>
                                {from_cart.then(|| view! {
                                    <td><input type="checkbox" name=format!("pick_{i}") value="1" checked aria-label=tr!(locale, "quotes.include_sku", sku = l.sku.clone()) /></td>
                                })}
                                <td><span class="sku">{l.sku.clone()}</span>" "<span class="muted small">{l.label.clone()}</span>
                                    <input type="hidden" name=format!("sku_{i}") value=l.sku.clone() /></td>
                                <td><input type="text" inputmode="numeric" size="6" name=format!("quantity_{i}") value=l.quantity.clone()
                                    aria-label=tr!(locale, "staff.quantity_for", sku = l.sku.clone()) data-testid="request-quantity" /></td>
                                <td><input type="text" inputmode="decimal" size="10" name=format!("target_{i}")
                                    aria-label=tr!(locale, "quotes.target_for", sku = l.sku.clone()) /></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table></div>
                <label for="quote-note">{tr!(locale, "quotes.note")}</label>
                <textarea id="quote-note" name="note" rows="3" maxlength="4000"></textarea>
                <label for="quote-files">{tr!(locale, "quotes.attach")}</label>
                <input id="quote-files" type="file" name="file" multiple accept=".pdf,.png,.jpg,.jpeg,.csv,.xlsx" aria-describedby="quote-files-help" />
                <p id="quote-files-help" class="muted small">{tr!(locale, "quotes.files_help")}</p>
                <button type="submit" class="primary" data-testid="send-quote-request">{tr!(locale, "quotes.send_request")}</button>
            </form>
        </details>
    }
}
