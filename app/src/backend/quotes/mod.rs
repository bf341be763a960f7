//! Quotes: a buyer asks (from the cart or a product), the merchant's desk offers revisions, the
//! buyer accepts, declines or asks for changes, and an accepted offer is placed as exactly one
//! order through the placement path (`orders::place_quote`).
//!
//! Every transition is a decision of `domain::quote::next` turned into one compare-and-set on the
//! quote's version (`repo::transition`), in the transaction that writes its history and queues
//! its mail: a double click, two tabs, or the buyer and the merchant at once cannot both win.
//! Buyers reach a quote through their company (`repo::get`); the desk through `Desk`, which only
//! the staff guard makes.

pub mod pdf;
pub mod repo;

use super::catalog::offer::Offer;
use super::platform::guard::{Actor, Staff};
use super::platform::state::AppState;
use crate::domain::ids::{CompanyId, LocationId};
use crate::domain::money::{Currency, Money};
use crate::domain::permission::Permission;
use crate::domain::quote::{self as rules, Action, QuoteStatus};
use crate::error::{AppError, FieldError};
use crate::i18n::{tr, Locale};
pub use repo::{AttachmentRow, LineRow, MessageRow, QuoteFilter, QuoteRow, RevisionRow};
use repo::{Author, NewLine};

/// A file sent with a request or a message, as uploaded.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// One line of a request as typed: SKU, quantity and an optional target unit price.
pub struct Wanted {
    pub sku: String,
    pub quantity: String,
    pub target: String,
}

pub struct RequestForm {
    pub idempotency_key: String,
    pub lines: Vec<Wanted>,
    pub note: String,
    pub files: Vec<Upload>,
    /// The lines come from the member's cart: they leave it with the request.
    pub from_cart: bool,
}

fn text_ok(text: &str) -> bool {
    text.chars().count() <= rules::MAX_TEXT_CHARS
        && !text.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

/// Files checked by their bytes: the accepted ones with their kind, or the errors.
fn check_files(files: &[Upload], errors: &mut Vec<FieldError>) -> Vec<(String, rules::FileKind)> {
    if files.len() > rules::MAX_ATTACHMENTS {
        errors.push(FieldError { field: "files".into(), key: "quotes.too_many_files".into() });
        return vec![];
    }
    let mut out = vec![];
    for f in files {
        match rules::sniff(&f.bytes) {
            Ok(kind) => out.push((rules::clean_file_name(&f.file_name), kind)),
            Err(problem) => errors.push(FieldError { field: "files".into(), key: problem.key().into() }),
        }
    }
    out
}

/// The member's request for a quote: one request per idempotency key, however often it is sent.
pub async fn request(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    form: RequestForm,
    now: i64,
) -> Result<i64, AppError> {
    let company = actor.company_id();
    let key = super::orders::parse_key(&form.idempotency_key)?;
    if let Some(id) = repo::by_key(&state.pool, company, key).await? {
        return Ok(id);
    }
    let mut errors = vec![];
    let offer = Offer::load(state, actor, now).await?;
    let currency = offer.currency();
    // A row without a quantity is not wanted (a product page lists every variant).
    let wanted: Vec<&Wanted> = form.lines.iter().filter(|w| !w.quantity.trim().is_empty()).collect();
    if wanted.is_empty() {
        errors.push(FieldError { field: "".into(), key: "quotes.no_lines".into() });
    }
    if wanted.len() > rules::MAX_LINES {
        errors.push(FieldError { field: "".into(), key: "quotes.too_many_lines".into() });
    }
    let mut lines = vec![];
    for (n, w) in wanted.iter().enumerate() {
        let field = format!("lines[{n}]");
        let found = crate::domain::order_entry::normalize_sku(&w.sku)
            .ok()
            .and_then(|sku| offer.snapshot().variant_by_sku(&sku))
            .filter(|(p, _)| p.visible_in(offer.catalogs()));
        let Some((product, at)) = found else {
            errors.push(FieldError { field, key: "quotes.unknown_sku".into() });
            continue;
        };
        let variant = &product.variants[at];
        let quantity = match crate::domain::order_entry::parse_quantity(&w.quantity) {
            Ok(q) => q,
            Err(_) => {
                errors.push(FieldError { field, key: "quotes.quantity_invalid".into() });
                continue;
            }
        };
        let target = match w.target.trim() {
            "" => None,
            raw => match Money::parse_decimal(raw, currency) {
                Some(m) => Some(m.minor()),
                None => {
                    errors.push(FieldError { field, key: "quotes.price_invalid".into() });
                    continue;
                }
            },
        };
        // The list price is kept for the merchant (and never sent to buyers for quote-only
        // variants, which have none).
        let list = offer.listed_price(variant).and_then(|p| p.unit_price(quantity)).map(|m| m.minor());
        lines.push((
            variant.id,
            variant.sku.clone(),
            product.name(locale).to_string(),
            variant.unit.clone(),
            quantity,
            target,
            list,
        ));
    }
    let note = form.note.trim().to_string();
    if !text_ok(&note) {
        errors.push(FieldError { field: "note".into(), key: "quotes.text_invalid".into() });
    }
    let files = check_files(&form.files, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let location = match actor.location_id {
        Some(l) => l.0,
        None => super::orders::repo::ship_to_locations(&state.pool, company, actor.member_id)
            .await?
            .first()
            .map(|s| s.id.0)
            .ok_or_else(|| AppError::invalid("", "checkout.ship_to_invalid"))?,
    };
    let name = member_name(state, actor).await?;
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let new = repo::NewQuote {
        company,
        requested_by: actor.member_id,
        location_id: location,
        currency: currency.code(),
        note: &note,
        idempotency_key: key,
        now,
    };
    let id = match repo::insert(&mut tx, &new).await {
        Ok(id) => id,
        Err(e) if super::platform::db::is_unique_violation(&e) => {
            tx.rollback().await?;
            return repo::by_key(&state.pool, company, key).await?.ok_or(AppError::internal(e));
        }
        Err(e) => return Err(e.into()),
    };
    let new_lines: Vec<NewLine> = lines
        .iter()
        .map(|(variant_id, sku, name, unit, quantity, target, list)| NewLine {
            variant_id: *variant_id,
            sku,
            name,
            unit,
            quantity: *quantity,
            target_price_minor: *target,
            list_price_minor: *list,
            offered_price_minor: None,
        })
        .collect();
    repo::write_lines(&mut tx, id, 0, &new_lines).await?;
    let message =
        repo::add_message(&mut tx, id, Author::Member(actor.member_id, &name), "submitted", 0, &note, now).await?;
    for ((file_name, kind), upload) in files.iter().zip(form.files.iter()) {
        repo::add_attachment(&mut tx, id, Some(message), file_name, kind.content_type(), &upload.bytes, now).await?;
    }
    if form.from_cart {
        let variants: Vec<i64> = lines.iter().map(|l| l.0).collect();
        super::cart::take_lines(&mut tx, actor, &variants, now).await?;
    }
    mail_staff(state, &mut tx, id, "submitted", &note, now).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(id)
}

/// The member's name as the thread shows it.
pub(crate) async fn member_name(state: &AppState, actor: &Actor) -> Result<String, AppError> {
    Ok(repo::user_name(&state.pool, actor.user_id).await?)
}

/// Quotes the member may see: their own, or the company's with `quotes.view_all`.
fn may_see(actor: &Actor, q: &QuoteRow) -> bool {
    q.requested_by == actor.member_id || actor.permissions.allows(Permission::QuotesViewAll)
}

pub async fn list(state: &AppState, actor: &Actor, mut filter: QuoteFilter) -> Result<Vec<QuoteRow>, AppError> {
    // Without `quotes.view_all` only one's own, whatever member the filter names.
    if !actor.permissions.allows(Permission::QuotesViewAll) {
        filter.requested_by = Some(actor.member_id);
    }
    Ok(repo::list(&state.pool, actor.company_id(), &filter).await?)
}

/// Who in the company asked for quotes (for who may see the company's), by name.
pub async fn requesters(
    state: &AppState,
    actor: &Actor,
) -> Result<Vec<(crate::domain::ids::MemberId, String)>, AppError> {
    if !actor.permissions.allows(Permission::QuotesViewAll) {
        return Ok(vec![]);
    }
    Ok(repo::requesters(&state.pool, actor.company_id()).await?)
}

/// Everything a quote page shows.
pub struct QuoteDetail {
    pub row: QuoteRow,
    pub lines: Vec<LineRow>,
    pub revisions: Vec<RevisionRow>,
    pub messages: Vec<MessageRow>,
    pub attachments: Vec<AttachmentRow>,
    pub time_zone: String,
}

async fn detail_of(state: &AppState, row: QuoteRow) -> Result<QuoteDetail, AppError> {
    let (company, id) = (row.company_id, row.id);
    let (time_zone, _, _) = super::approvals::repo::company_settings(&state.pool, company).await?;
    Ok(QuoteDetail {
        lines: repo::lines(&state.pool, company, id).await?,
        revisions: repo::revisions(&state.pool, company, id).await?,
        messages: repo::messages(&state.pool, company, id).await?,
        attachments: repo::attachments(&state.pool, company, id).await?,
        time_zone,
        row,
    })
}

/// A quote of the caller's company they may see; anything else is NotFound.
pub async fn find(state: &AppState, actor: &Actor, id: i64) -> Result<QuoteRow, AppError> {
    repo::get(&state.pool, actor.company_id(), id).await?.filter(|q| may_see(actor, q)).ok_or(AppError::NotFound)
}

pub async fn detail(state: &AppState, actor: &Actor, id: i64) -> Result<QuoteDetail, AppError> {
    detail_of(state, find(state, actor, id).await?).await
}

pub async fn desk_detail(state: &AppState, staff: &Staff, id: i64) -> Result<QuoteDetail, AppError> {
    let row = repo::get_for_desk(&state.pool, staff.desk, id).await?.ok_or(AppError::NotFound)?;
    detail_of(state, row).await
}

/// The desk's queue: what waits for the merchant, then standing offers, then the rest.
pub async fn desk(state: &AppState, staff: &Staff, status: Option<QuoteStatus>) -> Result<Vec<QuoteRow>, AppError> {
    let statuses: Vec<&str> = match status {
        Some(s) => vec![s.code()],
        None => QuoteStatus::ALL.iter().filter(|s| s.with_merchant()).map(|s| s.code()).collect(),
    };
    Ok(repo::desk(&state.pool, staff.desk, &statuses).await?)
}

fn status_of(q: &QuoteRow) -> Result<QuoteStatus, AppError> {
    QuoteStatus::parse(&q.status).ok_or_else(|| AppError::internal(format!("quote status {}", q.status)))
}

fn expired(q: &QuoteRow, now: i64) -> bool {
    q.expires_at.is_some_and(|e| e <= now)
}

/// The decision, or its translated refusal.
fn decide(q: &QuoteRow, action: Action, seen_revision: i64, now: i64) -> Result<QuoteStatus, AppError> {
    rules::next(status_of(q)?, action, q.revision, seen_revision, expired(q, now))
        .map_err(|r| AppError::invalid("", r.key()))
}

/// A buyer's answer: withdraw, decline (with a reason), ask for changes (a message and new target
/// prices per line number), or accept. Returns the quote's new status.
pub struct Answer {
    pub action: Action,
    pub revision: i64,
    pub text: String,
    /// (line number, target price as typed) for a change request.
    pub targets: Vec<(i64, String)>,
}

pub async fn answer(state: &AppState, actor: &Actor, id: i64, a: Answer, now: i64) -> Result<QuoteStatus, AppError> {
    let q = find(state, actor, id).await?;
    let needed = match a.action {
        Action::Accept => Permission::QuotesAccept,
        Action::Withdraw | Action::Decline | Action::AskChanges => Permission::QuotesRequest,
        _ => return Err(AppError::Forbidden),
    };
    if !actor.permissions.allows(needed) {
        return Err(AppError::Forbidden);
    }
    let to = decide(&q, a.action, a.revision, now)?;
    let text = a.text.trim().to_string();
    if !text_ok(&text) {
        return Err(AppError::invalid("text", "quotes.text_invalid"));
    }
    if matches!(a.action, Action::Decline | Action::AskChanges) && text.is_empty() {
        return Err(AppError::invalid("text", "quotes.reason_required"));
    }
    let company = actor.company_id();
    // A change request carries the buyer's new targets on the next revision's lines.
    let mut next_lines = vec![];
    if a.action == Action::AskChanges {
        let currency = Currency::parse(&q.currency).map_err(|_| AppError::internal("quote currency"))?;
        let current: Vec<LineRow> =
            repo::lines(&state.pool, company, id).await?.into_iter().filter(|l| l.revision == q.revision).collect();
        for l in current {
            let typed = a.targets.iter().find(|(n, _)| *n == l.line_no).map(|(_, t)| t.trim()).unwrap_or("");
            let target = match typed {
                "" => l.target_price_minor,
                raw => Some(
                    Money::parse_decimal(raw, currency)
                        .ok_or_else(|| AppError::invalid(&format!("target[{}]", l.line_no), "quotes.price_invalid"))?
                        .minor(),
                ),
            };
            next_lines.push(LineRow { target_price_minor: target, offered_price_minor: l.offered_price_minor, ..l });
        }
    }
    let name = member_name(state, actor).await?;
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let reason = if a.action == Action::Decline { text.as_str() } else { "" };
    let from = [q.status.as_str()];
    if !repo::transition(&mut tx, company, id, q.version, &from, to.code(), q.revision, q.expires_at, reason, now)
        .await?
    {
        return Err(AppError::invalid("", "quotes.not_now"));
    }
    if a.action == Action::AskChanges {
        let lines: Vec<NewLine> = next_lines.iter().map(NewLine::from).collect();
        repo::write_lines(&mut tx, id, q.revision + 1, &lines).await?;
    }
    repo::add_message(&mut tx, id, Author::Member(actor.member_id, &name), to.code(), q.revision, &text, now).await?;
    mail_staff(state, &mut tx, id, to.code(), &text, now).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(to)
}

/// A message on the thread, from the buyer (with files) or the merchant.
pub async fn write_message(
    state: &AppState,
    actor: &Actor,
    id: i64,
    body: &str,
    files: Vec<Upload>,
    now: i64,
) -> Result<(), AppError> {
    let q = find(state, actor, id).await?;
    let name = member_name(state, actor).await?;
    post_message(state, &q, Author::Member(actor.member_id, &name), body, files, now).await
}

pub async fn desk_message(
    state: &AppState,
    staff: &Staff,
    id: i64,
    body: &str,
    files: Vec<Upload>,
    now: i64,
) -> Result<(), AppError> {
    let q = repo::get_for_desk(&state.pool, staff.desk, id).await?.ok_or(AppError::NotFound)?;
    post_message(state, &q, Author::Staff(staff.user_id, &staff.name), body, files, now).await
}

async fn post_message(
    state: &AppState,
    q: &QuoteRow,
    author: Author<'_>,
    body: &str,
    files: Vec<Upload>,
    now: i64,
) -> Result<(), AppError> {
    let body = body.trim();
    let mut errors = vec![];
    if body.is_empty() && files.is_empty() {
        errors.push(FieldError { field: "body".into(), key: "quotes.message_empty".into() });
    }
    if !text_ok(body) {
        errors.push(FieldError { field: "body".into(), key: "quotes.text_invalid".into() });
    }
    let kinds = check_files(&files, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let message = repo::add_message(&mut tx, q.id, author, "message", q.revision, body, now).await?;
    for ((file_name, kind), upload) in kinds.iter().zip(files.iter()) {
        repo::add_attachment(&mut tx, q.id, Some(message), file_name, kind.content_type(), &upload.bytes, now).await?;
    }
    match author {
        Author::Staff(..) => mail_requester(state, &mut tx, q.company_id, q.id, "message", body, now).await?,
        _ => mail_staff(state, &mut tx, q.id, "message", body, now).await?,
    }
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// The merchant starts on a submitted quote (the buyer sees "in review").
pub async fn desk_review(state: &AppState, staff: &Staff, id: i64, now: i64) -> Result<(), AppError> {
    let q = repo::get_for_desk(&state.pool, staff.desk, id).await?.ok_or(AppError::NotFound)?;
    let to = decide(&q, Action::Review, q.revision, now)?;
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    if !repo::transition(&mut tx, q.company_id, id, q.version, &["submitted"], to.code(), q.revision, None, "", now)
        .await?
    {
        return Err(AppError::invalid("", "quotes.not_now"));
    }
    repo::add_message(&mut tx, id, Author::Staff(staff.user_id, &staff.name), to.code(), q.revision, "", now).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn desk_reject(state: &AppState, staff: &Staff, id: i64, reason: &str, now: i64) -> Result<(), AppError> {
    let q = repo::get_for_desk(&state.pool, staff.desk, id).await?.ok_or(AppError::NotFound)?;
    let to = decide(&q, Action::Reject, q.revision, now)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "quotes.reason_required"));
    }
    if !text_ok(reason) {
        return Err(AppError::invalid("reason", "quotes.text_invalid"));
    }
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let from = [q.status.as_str()];
    if !repo::transition(&mut tx, q.company_id, id, q.version, &from, to.code(), q.revision, None, reason, now).await? {
        return Err(AppError::invalid("", "quotes.not_now"));
    }
    repo::add_message(&mut tx, id, Author::Staff(staff.user_id, &staff.name), to.code(), q.revision, reason, now)
        .await?;
    mail_requester(state, &mut tx, q.company_id, id, "rejected", reason, now).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// One line of the merchant's offer as typed.
pub struct OfferLine {
    pub line_no: i64,
    pub quantity: String,
    /// A unit price, or empty when `percent_off` says it.
    pub price: String,
    pub percent_off: String,
    pub remove: bool,
}

pub struct OfferForm {
    pub version: i64,
    pub lines: Vec<OfferLine>,
    /// A line to add: SKU, quantity, unit price (or empty for the list price).
    pub add_sku: String,
    pub add_quantity: String,
    pub add_price: String,
    /// The last day the offer holds (YYYY-MM-DD, in the company's time zone).
    pub valid_until: String,
    pub message: String,
}

/// The lines the merchant works on: the buyer's change request (next revision's lines) if any,
/// else the latest revision's.
pub fn draft_lines(d: &QuoteDetail) -> Vec<LineRow> {
    let next: Vec<LineRow> = d.lines.iter().filter(|l| l.revision == d.row.revision + 1).cloned().collect();
    if !next.is_empty() {
        return next;
    }
    d.lines.iter().filter(|l| l.revision == d.row.revision).cloned().collect()
}

/// The merchant sends revision n+1: a price per line (typed, or a % off the list price), lines
/// added or removed, an expiry day and a message. Returns the new revision.
pub async fn desk_offer(
    state: &AppState,
    staff: &Staff,
    id: i64,
    form: OfferForm,
    locale: Locale,
    now: i64,
) -> Result<i64, AppError> {
    let detail = desk_detail(state, staff, id).await?;
    let q = &detail.row;
    let to = decide(q, Action::Offer, q.revision, now)?;
    if form.version != q.version {
        return Err(AppError::invalid("", "quotes.not_now"));
    }
    let currency = Currency::parse(&q.currency).map_err(|_| AppError::internal("quote currency"))?;
    let mut errors = vec![];
    let mut lines: Vec<LineRow> = vec![];
    for l in draft_lines(&detail) {
        let typed = form.lines.iter().find(|t| t.line_no == l.line_no);
        let Some(typed) = typed else {
            lines.push(l);
            continue;
        };
        if typed.remove {
            continue;
        }
        let field = format!("lines[{}]", l.line_no);
        let quantity = match crate::domain::order_entry::parse_quantity(&typed.quantity) {
            Ok(q) => q,
            Err(_) => {
                errors.push(FieldError { field, key: "quotes.quantity_invalid".into() });
                continue;
            }
        };
        let price = match (typed.price.trim(), typed.percent_off.trim()) {
            ("", "") => l.offered_price_minor,
            ("", pct) => match (rules::parse_percent(pct), l.list_price_minor) {
                (Some(h), Some(list)) => rules::percent_off(list, h),
                (None, _) => {
                    errors.push(FieldError { field, key: "quotes.percent_invalid".into() });
                    continue;
                }
                (_, None) => {
                    errors.push(FieldError { field, key: "quotes.no_list_price".into() });
                    continue;
                }
            },
            (raw, _) => match Money::parse_decimal(raw, currency) {
                Some(m) => Some(m.minor()),
                None => {
                    errors.push(FieldError { field, key: "quotes.price_invalid".into() });
                    continue;
                }
            },
        };
        if price.is_none() {
            errors.push(FieldError { field, key: "quotes.price_required".into() });
            continue;
        }
        lines.push(LineRow { quantity, offered_price_minor: price, ..l });
    }
    // A line the merchant adds is priced at the requester's list price unless a price is typed.
    if !form.add_sku.trim().is_empty() {
        let requester = super::platform::guard::member_for_desk(
            state,
            staff.desk,
            q.company_id,
            q.requested_by,
            Some(LocationId(q.location_id)),
            0,
        )
        .await?;
        let offer = Offer::load(state, &requester, now).await?;
        let found = crate::domain::order_entry::normalize_sku(&form.add_sku)
            .ok()
            .and_then(|sku| offer.snapshot().variant_by_sku(&sku));
        match found {
            None => errors.push(FieldError { field: "add_sku".into(), key: "quotes.unknown_sku".into() }),
            Some((product, at)) => {
                let v = &product.variants[at];
                match crate::domain::order_entry::parse_quantity(&form.add_quantity) {
                    Err(_) => {
                        errors.push(FieldError { field: "add_quantity".into(), key: "quotes.quantity_invalid".into() })
                    }
                    Ok(quantity) => {
                        let list = offer.listed_price(v).and_then(|p| p.unit_price(quantity)).map(|m| m.minor());
                        let price = match form.add_price.trim() {
                            "" => list,
                            raw => Money::parse_decimal(raw, currency).map(|m| m.minor()),
                        };
                        match price {
                            None => errors
                                .push(FieldError { field: "add_price".into(), key: "quotes.price_required".into() }),
                            Some(price) => lines.push(LineRow {
                                revision: q.revision + 1,
                                line_no: 0,
                                variant_id: v.id,
                                sku: v.sku.clone(),
                                name: product.name(locale).to_string(),
                                unit: v.unit.clone(),
                                quantity,
                                target_price_minor: None,
                                list_price_minor: list,
                                offered_price_minor: Some(price),
                            }),
                        }
                    }
                }
            }
        }
    }
    if lines.is_empty() && errors.is_empty() {
        errors.push(FieldError { field: "".into(), key: "quotes.no_lines".into() });
    }
    let today = super::platform::clock::local_day(&detail.time_zone, now);
    let valid_until = match crate::domain::order::parse_iso_date(&form.valid_until) {
        Some(day) if day >= today && day <= today + 366 => Some(day),
        _ => {
            errors.push(FieldError { field: "valid_until".into(), key: "quotes.valid_until_invalid".into() });
            None
        }
    };
    let message = form.message.trim().to_string();
    if !text_ok(&message) {
        errors.push(FieldError { field: "message".into(), key: "quotes.text_invalid".into() });
    }
    let figures: Vec<(i64, i64)> = lines.iter().map(|l| (l.quantity, l.offered_price_minor.unwrap_or(0))).collect();
    let total = rules::total(&figures);
    if total.is_none() {
        errors.push(FieldError { field: "".into(), key: "quotes.total_too_large".into() });
    }
    let (Some(valid_until), Some(total), true) = (valid_until, total, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let expires_at = super::platform::clock::day_end(&detail.time_zone, valid_until);
    let revision = q.revision + 1;
    let new_lines: Vec<NewLine> = lines.iter().map(NewLine::from).collect();
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let from = [q.status.as_str()];
    if !repo::transition(&mut tx, q.company_id, id, q.version, &from, to.code(), revision, Some(expires_at), "", now)
        .await?
    {
        return Err(AppError::invalid("", "quotes.not_now"));
    }
    repo::reset_reminder(&mut tx, id).await?;
    repo::write_lines(&mut tx, id, revision, &new_lines).await?;
    repo::write_revision(&mut tx, id, revision, staff.user_id, expires_at, total, now).await?;
    repo::add_message(&mut tx, id, Author::Staff(staff.user_id, &staff.name), "offered", revision, &message, now)
        .await?;
    mail_requester(state, &mut tx, q.company_id, id, "offered", &message, now).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(revision)
}

/// The accepted offer's lines (variant, quantity, offered unit price), for checkout.
pub fn offered_lines(d: &QuoteDetail) -> Vec<(i64, i64, i64)> {
    d.lines
        .iter()
        .filter(|l| l.revision == d.row.revision)
        .map(|l| (l.variant_id, l.quantity, l.offered_price_minor.unwrap_or(0)))
        .collect()
}

/// One attachment of a quote the caller may see.
pub async fn attachment(
    state: &AppState,
    actor: &Actor,
    id: i64,
    attachment: i64,
) -> Result<(String, String, Vec<u8>), AppError> {
    let q = find(state, actor, id).await?;
    repo::attachment(&state.pool, q.company_id, q.id, attachment).await?.ok_or(AppError::NotFound)
}

pub async fn desk_attachment(
    state: &AppState,
    staff: &Staff,
    id: i64,
    attachment: i64,
) -> Result<(String, String, Vec<u8>), AppError> {
    let q = repo::get_for_desk(&state.pool, staff.desk, id).await?.ok_or(AppError::NotFound)?;
    repo::attachment(&state.pool, q.company_id, q.id, attachment).await?.ok_or(AppError::NotFound)
}

fn mail_body(locale: Locale, event: &str, number: &str, text: &str, link: &str) -> (String, String) {
    let subject = tr!(locale, &format!("mail.quote.{event}"), number = number);
    let mut body = subject.clone();
    if !text.is_empty() {
        body.push_str(&format!("\n\n{text}"));
    }
    body.push_str(&format!("\n\n{link}\n"));
    (subject, body)
}

/// Mails the requester about their quote, in their language.
async fn mail_requester(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    company: CompanyId,
    id: i64,
    event: &str,
    text: &str,
    now: i64,
) -> Result<(), AppError> {
    mail_requester_at(&state.auth.public_url, tx, company, id, event, text, now).await
}

async fn mail_requester_at(
    public_url: &str,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    company: CompanyId,
    id: i64,
    event: &str,
    text: &str,
    now: i64,
) -> Result<(), AppError> {
    let Some((email, tag)) = repo::requester(tx, company, id).await? else { return Ok(()) };
    let locale = match tag.as_deref().and_then(Locale::parse) {
        Some(locale) => locale,
        None => super::approvals::company_locale(tx, company).await?,
    };
    let number = rules::quote_number(id);
    let (subject, body) = mail_body(locale, event, &number, text, &format!("{public_url}/quotes/{number}"));
    super::platform::mail::enqueue(tx, &email, &subject, &body, now).await?;
    Ok(())
}

/// Mails the merchant's staff about a quote, each in their language.
async fn mail_staff(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    event: &str,
    text: &str,
    now: i64,
) -> Result<(), AppError> {
    let number = rules::quote_number(id);
    for (email, tag) in repo::staff_recipients(tx).await? {
        let locale = tag.as_deref().and_then(Locale::parse).unwrap_or_default();
        let link = format!("{}/staff/quotes/{number}", state.auth.public_url);
        let (subject, body) = mail_body(locale, event, &number, text, &link);
        super::platform::mail::enqueue(tx, &email, &subject, &body, now).await?;
    }
    Ok(())
}

/// Expires standing offers past their day and reminds requesters 3 days before, once each.
/// Returns (expired, reminded).
pub async fn sweep(pool: &sqlx::AnyPool, public_url: &str, now: i64) -> Result<(usize, usize), AppError> {
    let mut expired = 0;
    for (company, id, version, revision, expires_at) in repo::past_expiry(pool, now).await? {
        let company = CompanyId(company);
        let mut tx = pool.begin().await?;
        let from = ["offered", "accepted"];
        let to = QuoteStatus::Expired.code();
        if repo::transition(&mut tx, company, id, version, &from, to, revision, expires_at, "", now).await? {
            repo::add_message(&mut tx, id, Author::System, "expired", revision, "", now).await?;
            mail_requester_at(public_url, &mut tx, company, id, "expired", "", now).await?;
            expired += 1;
        }
        tx.commit().await?;
    }
    let mut reminded = 0;
    for (company, id, revision) in repo::claim_reminders(pool, now + 3 * 86_400, now).await? {
        let company = CompanyId(company);
        let mut tx = pool.begin().await?;
        repo::add_message(&mut tx, id, Author::System, "reminded", revision, "", now).await?;
        mail_requester_at(public_url, &mut tx, company, id, "expiring", "", now).await?;
        tx.commit().await?;
        reminded += 1;
    }
    Ok((expired, reminded))
}

/// Runs on every app server (claims are conditional updates, so each expiry and reminder
/// happens once).
pub async fn follow(state: AppState) {
    loop {
        match sweep(&state.pool, &state.auth.public_url, super::platform::clock::now()).await {
            Ok((e, r)) if e + r > 0 => state.mail_wake.notify_one(),
            Ok(_) => {}
            Err(e) => tracing::warn!("quotes sweep: {e:?}"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
    }
}
