//! Quotes for buyers (`quotes/*`) and the merchant's quote desk (`staff/*`). A quote is named by
//! its number (`Q-100001`); another company's, or one the caller may not see, is NotFound like a
//! missing one. A quote-only variant's list price never reaches a buyer: buyer DTOs carry no list
//! prices at all, only the prices offered on this quote.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::MultipartData;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteSummaryDto {
    pub number: String,
    /// The requester (a member of the caller's company), for the "placed by" filter.
    pub requester_id: i64,
    /// A `QuoteStatus` code.
    pub status: String,
    pub requested: String,
    pub requester: String,
    pub company: String,
    pub location: String,
    /// The latest offer's total; empty before the first offer.
    pub total: String,
    pub line_count: i64,
    /// The standing offer's last day; empty when none stands.
    pub valid_until: String,
    pub expires_soon: bool,
    pub updated: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuotesDto {
    pub rows: Vec<QuoteSummaryDto>,
    /// Everyone of the company who asked for a quote, (member id, name), for the "placed by"
    /// filter; empty for who sees only their own.
    pub requesters: Vec<(i64, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteLineDto {
    pub line_no: i64,
    pub sku: String,
    pub name: String,
    pub unit: String,
    /// As requested (revision 0); `None` for a line the merchant added.
    pub requested_quantity: Option<i64>,
    /// The buyer's target unit price, formatted; empty when none.
    pub target: String,
    pub quantity: i64,
    /// The offered unit price and line total, formatted; empty before an offer.
    pub offered: String,
    pub line_total: String,
    /// The desk only: the requester's list price when the line was written (empty for buyers).
    pub list_price: String,
    /// The offered unit price as a plain decimal ("12.50") for the desk's input; empty if none.
    pub offered_input: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevisionDto {
    pub revision: i64,
    pub offered_at: String,
    pub offered_by: String,
    pub valid_until: String,
    pub total: String,
    /// What changed from the revision before, in words.
    pub changes: Vec<String>,
    pub pdf: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileDto {
    pub name: String,
    pub size: String,
    pub href: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageDto {
    pub at: String,
    pub who: String,
    pub from_merchant: bool,
    /// `message`, or the event (`quotes.event.<kind>` translates it).
    pub kind: String,
    pub revision: i64,
    pub body: String,
    pub files: Vec<FileDto>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteDto {
    pub summary: QuoteSummaryDto,
    pub version: i64,
    pub revision: i64,
    pub note: String,
    /// Why it was declined or rejected.
    pub reason: String,
    pub currency: String,
    pub lines: Vec<QuoteLineDto>,
    pub revisions: Vec<RevisionDto>,
    pub thread: Vec<MessageDto>,
    pub order_number: Option<String>,
    /// The purchase request the accepted quote waits in (`R-10001`), when it needs approval.
    pub request_number: Option<String>,
    pub can_withdraw: bool,
    pub can_answer: bool,
    pub can_accept: bool,
    /// Accepted and not ordered yet: checkout is open.
    pub can_checkout: bool,
    pub can_message: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeskQuoteDto {
    pub quote: QuoteDto,
    /// The lines the next offer starts from (the buyer's change request, or the latest).
    pub draft: Vec<QuoteLineDto>,
    pub can_offer: bool,
    pub can_review: bool,
    /// The default last day of a new offer (YYYY-MM-DD): 30 days from today.
    pub default_valid_until: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetInput {
    pub line: i64,
    pub price: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OfferLineInput {
    pub line: i64,
    pub quantity: String,
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub percent: String,
    #[serde(default)]
    pub remove: String,
}

fn quote_id(number: &str) -> Result<i64, AppError> {
    crate::domain::quote::parse_quote_number(number).ok_or(AppError::NotFound)
}

#[cfg(feature = "ssr")]
pub(crate) mod convert {
    use super::*;
    use crate::backend::quotes::{LineRow, QuoteDetail, QuoteRow};
    use crate::domain::money::{Currency, Money};
    use crate::domain::quote::{changes, quote_number, LineChange, LineFigures, QuoteStatus};
    use crate::i18n::{tr, Locale};

    /// A file's size in kilobytes (at least 1).
    fn size(bytes: i64, locale: Locale) -> String {
        tr!(locale, "quotes.size_kb", kb = crate::format::number((bytes + 1023) / 1024, locale))
    }

    fn opt_money(minor: Option<i64>, currency: &str, locale: Locale) -> String {
        minor.map(|m| crate::format::money_minor(m, currency, locale)).unwrap_or_default()
    }

    /// The last day an offer holds, in the company's time zone (its expiry is the next midnight).
    pub fn valid_until(expires_at: i64, locale: Locale) -> String {
        crate::format::date(expires_at - 1, locale)
    }

    pub fn summary(q: &QuoteRow, locale: Locale, now: i64) -> QuoteSummaryDto {
        let standing = QuoteStatus::parse(&q.status).is_some_and(|s| s.offer_stands());
        QuoteSummaryDto {
            number: quote_number(q.id),
            requester_id: q.requested_by.0,
            status: q.status.clone(),
            requested: crate::format::date(q.created_at, locale),
            requester: q.requester_name.clone(),
            company: q.company_name.clone(),
            location: q.location_name.clone(),
            total: if q.revision > 0 { opt_money(q.total_minor, &q.currency, locale) } else { String::new() },
            line_count: q.line_count,
            valid_until: match (standing, q.expires_at) {
                (true, Some(e)) => valid_until(e, locale),
                _ => String::new(),
            },
            expires_soon: standing && q.expires_at.is_some_and(|e| e > now && e <= now + 7 * 86_400),
            updated: crate::format::date_time(q.updated_at, locale),
        }
    }

    fn figures(lines: &[LineRow], revision: i64) -> Vec<LineFigures> {
        lines
            .iter()
            .filter(|l| l.revision == revision)
            .map(|l| LineFigures { sku: l.sku.clone(), quantity: l.quantity, price: l.offered_price_minor })
            .collect()
    }

    fn change_text(c: &LineChange, currency: &str, locale: Locale) -> String {
        let price =
            |p: &Option<i64>| p.map(|m| crate::format::money_minor(m, currency, locale)).unwrap_or_else(|| "—".into());
        match c {
            LineChange::Added { sku } => tr!(locale, "quotes.change.added", sku = sku.as_str()),
            LineChange::Removed { sku } => tr!(locale, "quotes.change.removed", sku = sku.as_str()),
            LineChange::Quantity { sku, from, to } => tr!(
                locale,
                "quotes.change.quantity",
                sku = sku.as_str(),
                from = crate::format::number(*from, locale),
                to = crate::format::number(*to, locale)
            ),
            LineChange::Price { sku, from, to } => {
                tr!(locale, "quotes.change.price", sku = sku.as_str(), from = price(from), to = price(to))
            }
        }
    }

    pub fn line(l: &LineRow, request: &[LineRow], currency: &str, locale: Locale, desk: bool) -> QuoteLineDto {
        let requested = request.iter().find(|r| r.sku == l.sku);
        QuoteLineDto {
            line_no: l.line_no,
            sku: l.sku.clone(),
            name: l.name.clone(),
            unit: l.unit.clone(),
            requested_quantity: requested.map(|r| r.quantity),
            target: opt_money(l.target_price_minor.or(requested.and_then(|r| r.target_price_minor)), currency, locale),
            quantity: l.quantity,
            offered: opt_money(l.offered_price_minor, currency, locale),
            line_total: opt_money(l.offered_price_minor.and_then(|p| p.checked_mul(l.quantity)), currency, locale),
            list_price: if desk { opt_money(l.list_price_minor, currency, locale) } else { String::new() },
            offered_input: match (l.offered_price_minor, Currency::parse(currency)) {
                (Some(m), Ok(c)) => Money::from_minor(m, c).to_decimal_string(),
                _ => String::new(),
            },
        }
    }

    pub fn quote(d: &QuoteDetail, locale: Locale, now: i64, desk: bool, base: &str) -> QuoteDto {
        let q = &d.row;
        let number = quote_number(q.id);
        let status = QuoteStatus::parse(&q.status);
        let expired = q.expires_at.is_some_and(|e| e <= now);
        let request: Vec<LineRow> = d.lines.iter().filter(|l| l.revision == 0).cloned().collect();
        let shown = if q.revision > 0 { q.revision } else { 0 };
        let lines = d
            .lines
            .iter()
            .filter(|l| l.revision == shown)
            .map(|l| line(l, &request, &q.currency, locale, desk))
            .collect();
        let revisions = d
            .revisions
            .iter()
            .map(|r| RevisionDto {
                revision: r.revision,
                offered_at: crate::format::date_time(r.offered_at, locale),
                offered_by: r.offered_by.clone(),
                valid_until: valid_until(r.expires_at, locale),
                total: crate::format::money_minor(r.total_minor, &q.currency, locale),
                changes: if r.revision > 1 {
                    changes(&figures(&d.lines, r.revision - 1), &figures(&d.lines, r.revision))
                        .iter()
                        .map(|c| change_text(c, &q.currency, locale))
                        .collect()
                } else {
                    vec![]
                },
                pdf: format!("{base}/{number}/pdf/{}", r.revision),
            })
            .collect();
        let thread = d
            .messages
            .iter()
            .map(|m| MessageDto {
                at: crate::format::date_time(m.at, locale),
                who: m.author_name.clone(),
                from_merchant: m.from_merchant,
                kind: m.kind.clone(),
                revision: m.revision,
                body: m.body.clone(),
                files: d
                    .attachments
                    .iter()
                    .filter(|a| a.message_id == Some(m.id))
                    .map(|a| FileDto {
                        name: a.file_name.clone(),
                        size: size(a.size_bytes, locale),
                        href: format!("{base}/{number}/files/{}", a.id),
                    })
                    .collect(),
            })
            .collect();
        let offered = status == Some(QuoteStatus::Offered) && !expired;
        QuoteDto {
            summary: summary(q, locale, now),
            version: q.version,
            revision: q.revision,
            note: q.note.clone(),
            reason: q.reason.clone(),
            currency: q.currency.clone(),
            lines,
            revisions,
            thread,
            order_number: q
                .order_id
                .map(|id| crate::domain::order::OrderNumber::from_id(crate::domain::ids::OrderId(id)).to_string()),
            request_number: None,
            can_withdraw: matches!(status, Some(QuoteStatus::Submitted | QuoteStatus::InReview)),
            can_answer: offered,
            can_accept: offered,
            can_checkout: status == Some(QuoteStatus::Accepted) && !expired && q.order_id.is_none(),
            can_message: !status.is_some_and(|s| s.closed()),
        }
    }
}

/// Reads a multipart quote form: text fields by name (repeated names keep every value, in
/// order) and the files of the `file` field, with a cap on what is read at all.
#[cfg(feature = "ssr")]
async fn read_multipart(
    data: MultipartData,
) -> Result<(Vec<(String, String)>, Vec<crate::backend::quotes::Upload>), AppError> {
    use crate::domain::quote::{MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES};
    // Past this the request is refused outright (5 full files and the form around them).
    const HARD_CAP: usize = (MAX_ATTACHMENTS + 1) * MAX_ATTACHMENT_BYTES + 1024 * 1024;
    let mut multipart = data.into_inner().ok_or_else(|| AppError::invalid("", "error.bad_request"))?;
    let (mut fields, mut files) = (vec![], vec![]);
    let mut received = 0usize;
    while let Ok(Some(mut field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(|s| s.to_string());
        let mut bytes = vec![];
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    received += chunk.len();
                    if received > HARD_CAP {
                        return Err(AppError::invalid("files", "quotes.file_too_large"));
                    }
                    // One byte past the limit is enough to say "too large".
                    if bytes.len() <= MAX_ATTACHMENT_BYTES {
                        bytes.extend_from_slice(&chunk);
                    }
                }
                Ok(None) => break,
                Err(_) => return Err(AppError::invalid("", "error.bad_request")),
            }
        }
        match (name.as_str(), file_name) {
            // A file input left empty still sends a part with no name and no bytes.
            ("file", Some(file_name)) if !(file_name.is_empty() && bytes.is_empty()) => {
                files.push(crate::backend::quotes::Upload { file_name, bytes })
            }
            ("file", _) => {}
            _ => fields.push((name, String::from_utf8(bytes).map_err(|_| AppError::invalid("", "error.bad_request"))?)),
        }
    }
    Ok((fields, files))
}

#[cfg(feature = "ssr")]
fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// Asks for a quote (multipart: `key`, `from_cart`, per line `sku_<i>`, `quantity_<i>`,
/// `target_<i>` and, from the cart, `pick_<i>` on the lines wanted; `note`; up to 5 `file`).
/// One request per key, however often it is sent. Answers the quote's number (and, for the
/// page's plain form post, goes to the quote).
#[server(endpoint = "quotes/request", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn request_quote(data: MultipartData) -> Result<String, AppError> {
    use crate::backend::platform::{clock, guard::authorize};
    use crate::backend::quotes::{self, RequestForm, Wanted};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::QuotesRequest).await?;
    let locale = crate::i18n::request_locale();
    let (fields, files) = read_multipart(data).await?;
    let from_cart = field(&fields, "from_cart") == "1";
    let mut lines = vec![];
    for i in 0..=crate::domain::quote::MAX_LINES {
        let sku = field(&fields, &format!("sku_{i}"));
        if sku.is_empty() && !fields.iter().any(|(n, _)| n.ends_with(&format!("_{i}"))) {
            if i > 0 {
                break;
            }
            continue;
        }
        if from_cart && field(&fields, &format!("pick_{i}")).is_empty() {
            continue;
        }
        lines.push(Wanted {
            sku: sku.to_string(),
            quantity: field(&fields, &format!("quantity_{i}")).to_string(),
            target: field(&fields, &format!("target_{i}")).to_string(),
        });
    }
    let form = RequestForm {
        idempotency_key: field(&fields, "key").to_string(),
        lines,
        note: field(&fields, "note").to_string(),
        files,
        from_cart,
    };
    let id = quotes::request(&state, &actor, locale, form, clock::now()).await?;
    let number = crate::domain::quote::quote_number(id);
    if crate::api::form_post() {
        leptos_axum::redirect(&format!("/quotes/{number}"));
    }
    Ok(number)
}

/// The caller's quotes (the company's with `quotes.view_all`), newest first; `status` a status
/// code or empty; `expiring` only offers that run out within 7 days; `mine` only the caller's;
/// `placed_by` only that member's (0: anyone; a member of another company finds nothing).
#[server(endpoint = "quotes/list")]
pub async fn list_quotes(
    #[server(default)] status: String,
    #[server(default)] expiring: bool,
    #[server(default)] mine: bool,
    #[server(default)] placed_by: i64,
) -> Result<QuotesDto, AppError> {
    use crate::backend::platform::{clock, guard::authorize};
    use crate::backend::quotes::{self, QuoteFilter};
    use crate::domain::permission::Permission;
    use crate::domain::quote::QuoteStatus;
    let (state, actor) = authorize(Permission::QuotesRequest).await?;
    let locale = crate::i18n::request_locale();
    let now = clock::now();
    let filter = QuoteFilter {
        status: QuoteStatus::parse(&status).map(|s| s.code().to_string()),
        expiring_before: expiring.then_some(now + 7 * 86_400),
        requested_by: if mine {
            Some(actor.member_id)
        } else {
            (placed_by > 0).then_some(crate::domain::ids::MemberId(placed_by))
        },
    };
    let rows = quotes::list(&state, &actor, filter).await?.iter().map(|q| convert::summary(q, locale, now)).collect();
    let requesters = quotes::requesters(&state, &actor).await?.into_iter().map(|(id, name)| (id.0, name)).collect();
    Ok(QuotesDto { rows, requesters })
}

#[server(endpoint = "quotes/get")]
pub async fn get_quote(number: String) -> Result<QuoteDto, AppError> {
    use crate::backend::platform::{clock, guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::QuotesRequest).await?;
    let locale = crate::i18n::request_locale();
    let detail = crate::backend::quotes::detail(&state, &actor, quote_id(&number)?).await?;
    let mut dto = convert::quote(&detail, locale, clock::now(), false, "/quotes");
    dto.request_number = waiting_request(&state, &detail).await?;
    Ok(dto)
}

/// The open purchase request an accepted quote waits in, as its number.
#[cfg(feature = "ssr")]
async fn waiting_request(
    state: &crate::backend::platform::state::AppState,
    d: &crate::backend::quotes::QuoteDetail,
) -> Result<Option<String>, AppError> {
    let open = crate::backend::approvals::repo::open_request_of_quote(&state.pool, d.row.company_id, d.row.id).await?;
    Ok(open.map(crate::domain::approval::request_number))
}

/// The buyer's answer to a quote: `withdraw`, `decline` (text = reason), `changes` (text = message,
/// `targets` new target prices by line) or `accept` (then checkout). `revision` is the one the
/// buyer looked at: an older one is refused as superseded. Answers the new status.
#[server(endpoint = "quotes/answer")]
pub async fn answer_quote(
    number: String,
    action: String,
    #[server(default)] revision: i64,
    #[server(default)] text: String,
    #[server(default)] targets: Vec<TargetInput>,
) -> Result<String, AppError> {
    use crate::backend::platform::{clock, guard::authorize};
    use crate::backend::quotes::{self, Answer};
    use crate::domain::permission::Permission;
    use crate::domain::quote::{Action, QuoteStatus};
    // Which permission an answer needs depends on the answer (`quotes::answer` checks it).
    let (state, actor) = authorize(Permission::CatalogView).await?;
    let action = match action.as_str() {
        "withdraw" => Action::Withdraw,
        "decline" => Action::Decline,
        "changes" => Action::AskChanges,
        "accept" => Action::Accept,
        _ => return Err(AppError::invalid("action", "error.bad_request")),
    };
    let id = quote_id(&number)?;
    let targets = targets.into_iter().map(|t| (t.line, t.price)).collect();
    let to = quotes::answer(&state, &actor, id, Answer { action, revision, text, targets }, clock::now()).await?;
    if to == QuoteStatus::Accepted && crate::api::form_post() {
        leptos_axum::redirect(&format!("/quotes/{number}/checkout"));
    }
    Ok(to.code().to_string())
}

/// A message on the quote's thread (multipart: `number`, `body`, up to 5 `file`).
#[server(endpoint = "quotes/message", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn quote_message(data: MultipartData) -> Result<bool, AppError> {
    use crate::backend::platform::{clock, guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::QuotesRequest).await?;
    let (fields, files) = read_multipart(data).await?;
    let id = quote_id(field(&fields, "number"))?;
    crate::backend::quotes::write_message(&state, &actor, id, field(&fields, "body"), files, clock::now()).await?;
    Ok(true)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteCheckoutDto {
    pub quote: QuoteDto,
    pub checkout: crate::api::orders::CheckoutDto,
}

/// An accepted quote's checkout: its lines at the offered prices with stock now, ship-to
/// locations, terms and credit.
#[server(endpoint = "quotes/checkout")]
pub async fn quote_checkout(number: String) -> Result<QuoteCheckoutDto, AppError> {
    use crate::backend::platform::{clock, guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::QuotesAccept).await?;
    let locale = crate::i18n::request_locale();
    let now = clock::now();
    let detail = crate::backend::quotes::detail(&state, &actor, quote_id(&number)?).await?;
    let c = crate::backend::orders::quote_checkout(&state, &actor, &detail, locale, now).await?;
    let mut quote = convert::quote(&detail, locale, now, false, "/quotes");
    quote.request_number = waiting_request(&state, &detail).await?;
    if quote.request_number.is_some() {
        quote.can_checkout = false;
    }
    Ok(QuoteCheckoutDto { quote, checkout: crate::api::orders::quote_checkout_dto(c, locale) })
}

/// Places an accepted quote (the checkout form): exactly one order per quote. Answers the
/// order's number, or the purchase request's (`R-…`) when the order needs approval.
#[server(endpoint = "quotes/place")]
#[allow(clippy::too_many_arguments)]
pub async fn place_quote(
    number: String,
    idempotency_key: String,
    fingerprint: String,
    ship_to: String,
    #[server(default)] po_number: String,
    #[server(default)] note: String,
    #[server(default)] requested_date: String,
) -> Result<String, AppError> {
    use crate::backend::orders::{self, PlaceForm, Placed};
    use crate::backend::platform::{clock, guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::QuotesAccept).await?;
    let locale = crate::i18n::request_locale();
    let now = clock::now();
    let detail = crate::backend::quotes::detail(&state, &actor, quote_id(&number)?).await?;
    let form = PlaceForm { idempotency_key, fingerprint, ship_to, po_number, note, requested_date };
    match orders::place_quote(&state, &actor, locale, &detail, form, now).await? {
        Placed::Order(order) => {
            if crate::api::form_post() {
                leptos_axum::redirect(&format!("/orders/{order}"));
            }
            Ok(order.to_string())
        }
        // Stock or a line changed since the buyer looked: checkout again shows it as it is.
        Placed::Changed(_) => Err(AppError::invalid("", "checkout.changed")),
        Placed::Requested(id) => {
            let request = crate::domain::approval::request_number(id);
            if crate::api::form_post() {
                leptos_axum::redirect(&format!("/requests/{request}?sent=1"));
            }
            Ok(request)
        }
    }
}

/// The merchant's desk: quotes by state (default: what waits for the merchant, oldest first).
#[server(endpoint = "staff/quotes")]
pub async fn desk_quotes(#[server(default)] status: String) -> Result<Vec<QuoteSummaryDto>, AppError> {
    use crate::backend::platform::{clock, guard::authorize_staff};
    let (state, staff) = authorize_staff().await?;
    let locale = crate::i18n::request_locale();
    let now = clock::now();
    let status = crate::domain::quote::QuoteStatus::parse(&status);
    let rows = crate::backend::quotes::desk(&state, &staff, status).await?;
    Ok(rows.iter().map(|q| convert::summary(q, locale, now)).collect())
}

#[server(endpoint = "staff/quote")]
pub async fn desk_quote(number: String) -> Result<DeskQuoteDto, AppError> {
    use crate::backend::platform::{clock, guard::authorize_staff};
    use crate::backend::quotes::{self, LineRow};
    use crate::domain::quote::QuoteStatus;
    let (state, staff) = authorize_staff().await?;
    let locale = crate::i18n::request_locale();
    let now = clock::now();
    let detail = quotes::desk_detail(&state, &staff, quote_id(&number)?).await?;
    let request: Vec<LineRow> = detail.lines.iter().filter(|l| l.revision == 0).cloned().collect();
    let status = QuoteStatus::parse(&detail.row.status);
    let today = crate::backend::platform::clock::local_day(&detail.time_zone, now);
    Ok(DeskQuoteDto {
        draft: quotes::draft_lines(&detail)
            .iter()
            .map(|l| convert::line(l, &request, &detail.row.currency, locale, true))
            .collect(),
        can_offer: status.is_some_and(|s| s.with_merchant()),
        can_review: status == Some(QuoteStatus::Submitted),
        default_valid_until: crate::domain::order::iso_date(today + 30),
        quote: convert::quote(&detail, locale, now, true, "/staff/quotes"),
    })
}

#[server(endpoint = "staff/review")]
pub async fn desk_review(number: String) -> Result<bool, AppError> {
    use crate::backend::platform::{clock, guard::authorize_staff};
    let (state, staff) = authorize_staff().await?;
    crate::backend::quotes::desk_review(&state, &staff, quote_id(&number)?, clock::now()).await?;
    Ok(true)
}

#[server(endpoint = "staff/reject")]
pub async fn desk_reject(number: String, reason: String) -> Result<bool, AppError> {
    use crate::backend::platform::{clock, guard::authorize_staff};
    let (state, staff) = authorize_staff().await?;
    crate::backend::quotes::desk_reject(&state, &staff, quote_id(&number)?, &reason, clock::now()).await?;
    Ok(true)
}

/// Sends the next revision: per line a quantity and a unit price or a % off the list price (or
/// `remove`), an optional added line, the last valid day and a message. Answers the revision.
#[server(endpoint = "staff/offer")]
#[allow(clippy::too_many_arguments)]
pub async fn desk_offer(
    number: String,
    version: i64,
    #[server(default)] lines: Vec<OfferLineInput>,
    #[server(default)] add_sku: String,
    #[server(default)] add_quantity: String,
    #[server(default)] add_price: String,
    valid_until: String,
    #[server(default)] message: String,
) -> Result<i64, AppError> {
    use crate::backend::platform::{clock, guard::authorize_staff};
    use crate::backend::quotes::{self, OfferForm, OfferLine};
    let (state, staff) = authorize_staff().await?;
    let locale = crate::i18n::request_locale();
    let form = OfferForm {
        version,
        lines: lines
            .into_iter()
            .map(|l| OfferLine {
                line_no: l.line,
                quantity: l.quantity,
                price: l.price,
                percent_off: l.percent,
                remove: !l.remove.is_empty(),
            })
            .collect(),
        add_sku,
        add_quantity,
        add_price,
        valid_until,
        message,
    };
    quotes::desk_offer(&state, &staff, quote_id(&number)?, form, locale, clock::now()).await
}

/// The merchant's message on a quote's thread (multipart: `number`, `body`, up to 5 `file`).
#[server(endpoint = "staff/message", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn desk_message(data: MultipartData) -> Result<bool, AppError> {
    use crate::backend::platform::{clock, guard::authorize_staff};
    let (state, staff) = authorize_staff().await?;
    let (fields, files) = read_multipart(data).await?;
    let id = quote_id(field(&fields, "number"))?;
    crate::backend::quotes::desk_message(&state, &staff, id, field(&fields, "body"), files, clock::now()).await?;
    Ok(true)
}

/// GET /quotes/{number}/files/{id} and /staff/quotes/{number}/files/{id}: an attachment, as a
/// download with the content type judged at upload (never one a browser runs), `nosniff`.
#[cfg(feature = "ssr")]
pub async fn download_attachment(
    axum::extract::State(state): axum::extract::State<crate::backend::platform::state::AppState>,
    axum::extract::Path((number, file)): axum::extract::Path<(String, String)>,
    request: axum::extract::Request,
) -> axum::response::Response {
    use crate::backend::platform::guard::authorize_parts;
    use crate::domain::permission::Permission;
    let (parts, _) = request.into_parts();
    let staff_route = parts.uri.path().starts_with("/staff/");
    let found = async {
        let id = quote_id(&number)?;
        let file: i64 = file.parse().map_err(|_| AppError::NotFound)?;
        if staff_route {
            let staff = crate::backend::platform::guard::staff_of_parts(&parts)?;
            crate::backend::quotes::desk_attachment(&state, &staff, id, file).await
        } else {
            let actor = authorize_parts(&state, &parts, Permission::QuotesRequest).await?;
            crate::backend::quotes::attachment(&state, &actor, id, file).await
        }
    }
    .await;
    match found {
        Ok((name, content_type, bytes)) => {
            let kind = crate::domain::quote::FileKind::parse_content_type(&content_type);
            let content_type = kind.map(|k| k.content_type()).unwrap_or("application/octet-stream");
            crate::backend::platform::http::file_response(content_type, "attachment", &name, bytes)
        }
        Err(e) => {
            let locale = parts.extensions.get::<crate::i18n::RequestLocale>().map(|l| l.0).unwrap_or_default();
            crate::backend::platform::http::error_response(&e, locale)
        }
    }
}

/// GET /quotes/{number}/pdf/{revision} and /staff/quotes/{number}/pdf/{revision}: an offered
/// revision as a PDF in the reader's language.
#[cfg(feature = "ssr")]
pub async fn download_pdf(
    axum::extract::State(state): axum::extract::State<crate::backend::platform::state::AppState>,
    axum::extract::Path((number, revision)): axum::extract::Path<(String, String)>,
    request: axum::extract::Request,
) -> axum::response::Response {
    use crate::backend::platform::guard::authorize_parts;
    use crate::domain::permission::Permission;
    let (parts, _) = request.into_parts();
    let locale = parts.extensions.get::<crate::i18n::RequestLocale>().map(|l| l.0).unwrap_or_default();
    let made = async {
        let id = quote_id(&number)?;
        let revision: i64 = revision.parse().map_err(|_| AppError::NotFound)?;
        let detail = if parts.uri.path().starts_with("/staff/") {
            let staff = crate::backend::platform::guard::staff_of_parts(&parts)?;
            crate::backend::quotes::desk_detail(&state, &staff, id).await?
        } else {
            let actor = authorize_parts(&state, &parts, Permission::QuotesRequest).await?;
            crate::backend::quotes::detail(&state, &actor, id).await?
        };
        let merchant = crate::backend::platform::state::merchant_name(&state).await?;
        let doc = crate::backend::quotes::pdf::document(&detail, revision, &merchant, locale)?;
        Ok::<_, AppError>((crate::domain::quote::quote_number(id), crate::backend::quotes::pdf::render(doc).await?))
    }
    .await;
    match made {
        Ok((number, bytes)) => crate::backend::platform::http::file_response(
            "application/pdf",
            "inline",
            &format!("{number}-{revision}.pdf"),
            bytes,
        ),
        Err(e) => crate::backend::platform::http::error_response(&e, locale),
    }
}
