//! Checkout, placing an order exactly once, order history, reorder and "buy again".
//!
//! Placing follows one path whatever the order comes from (`place` → `place_from`):
//! 1. **take** a source: its lines and the version the buyer reviewed (`Source`; the cart today,
//!    an accepted quote and an approved purchase request next);
//! 2. **re-check** every line with the offer check (`catalog::offer`) at today's prices;
//! 3. **compare** the fingerprint of what the buyer reviewed: a difference places nothing and
//!    returns the lines as they are now;
//! 4. **write** in one transaction: claim the source (a compare-and-set on its version, the first
//!    statement), check credit, insert the order, its lines and timeline, end the source and
//!    queue the confirmation mail; all or nothing.
//!
//! Exactly once comes from three things together: the checkout form carries an idempotency key
//! (a retry or double click finds the order it already made), the source's claim is a
//! compare-and-set (a second tab finds it already placed), and `orders (company_id,
//! idempotency_key)` is unique (two racing requests with one key cannot both insert).

pub mod repo;

use super::cart::{self, CartView};
use super::catalog::offer::Offer;
use super::platform::guard::Actor;
use super::platform::state::AppState;
use crate::domain::ids::LocationId;
use crate::domain::money::{Currency, Money};
use crate::domain::order::{parse_iso_date, parse_po_number, OrderNumber, OrderStatus, PaymentTerms, PoProblem};
use crate::domain::order_entry::{EnteredRow, RowProblem};
use crate::domain::permission::Permission;
use crate::error::{AppError, FieldError};
use crate::i18n::{tr, Locale};
pub use repo::{OrderFilter, OrderRow, ShipTo};

pub struct Checkout {
    pub cart: CartView,
    pub ship_to: Vec<ShipTo>,
    /// The location the member is buying for, when it is one of `ship_to`.
    pub default_ship_to: Option<LocationId>,
    pub terms: PaymentTerms,
    pub po_required: bool,
    /// `None` for prepaid terms (no credit involved).
    pub credit_available: Option<Money>,
    pub can_place: bool,
    /// Whether placing it now would need approval, why and by whom.
    pub verdict: crate::domain::approval::Verdict,
}

fn company_terms(t: &repo::CompanyTerms) -> Result<(PaymentTerms, Currency), AppError> {
    let terms = PaymentTerms::parse(&t.payment_terms).unwrap_or(PaymentTerms::Prepaid);
    let currency = Currency::parse(&t.currency).map_err(|_| AppError::internal(format!("currency {}", t.currency)))?;
    Ok((terms, currency))
}

async fn credit_available(state: &AppState, actor: &Actor, t: &repo::CompanyTerms) -> Result<Option<Money>, AppError> {
    let (terms, currency) = company_terms(t)?;
    if terms == PaymentTerms::Prepaid {
        return Ok(None);
    }
    let balance = repo::credit_balance(&state.pool, actor.company_id(), currency.code()).await?;
    let credit = crate::domain::invoice::Credit { limit: t.credit_limit_minor, balance };
    Ok(Some(Money::from_minor(credit.available(), currency)))
}

pub async fn checkout(state: &AppState, actor: &Actor, locale: Locale, now: i64) -> Result<Checkout, AppError> {
    let cart = cart::view(state, actor, locale, now).await?;
    let t = repo::terms(&state.pool, actor.company_id()).await?.ok_or(AppError::NotFound)?;
    let ship_to = repo::ship_to_locations(&state.pool, actor.company_id(), actor.member_id).await?;
    let default_ship_to =
        actor.location_id.filter(|l| ship_to.iter().any(|s| s.id == *l)).or(ship_to.first().map(|s| s.id));
    let offer = Offer::load(state, actor, now).await?;
    let verdict = super::approvals::verdict(state, actor, &offer, &cart, default_ship_to, now).await?;
    Ok(Checkout {
        verdict,
        terms: company_terms(&t)?.0,
        po_required: t.po_required,
        credit_available: credit_available(state, actor, &t).await?,
        can_place: actor.permissions.allows(Permission::OrdersPlace),
        cart,
        ship_to,
        default_ship_to,
    })
}

pub struct PlaceForm {
    pub idempotency_key: String,
    pub fingerprint: String,
    pub ship_to: String,
    pub po_number: String,
    pub note: String,
    pub requested_date: String,
}

pub enum Placed {
    Order(OrderNumber),
    /// Prices, stock or lines changed since the buyer reviewed them: here is the cart now.
    Changed(CartView),
    /// The checkout needs approval (`approvals::verdict`): the reviewed cart became this
    /// purchase request, and nothing was ordered yet.
    Requested(i64),
}

pub const MAX_NOTE_CHARS: usize = 1_000;

/// Where an order's lines come from. A new source (an accepted quote, an approved purchase
/// request) adds a variant here and its arms in `take`, `claim` and `end`; the rest of the path
/// is shared. Each variant holds a handle its feature found within the actor's company (the
/// cart's `CompanyCart`), so claiming and ending it cannot reach another company's rows.
#[derive(Clone, Debug)]
pub enum Source {
    /// The member's cart at the location they buy for.
    Cart(cart::CompanyCart),
    /// A purchase request (its id in the actor's company) at its last step, approved by
    /// `approver` with `comment`; `event` is "approved", or "reviewed" when new figures were
    /// accepted.
    Request {
        company: crate::domain::ids::CompanyId,
        id: i64,
        step: i64,
        approver: crate::domain::ids::MemberId,
        comment: String,
        event: &'static str,
        /// The accepted quote (id, revision) the request was made from: ordered with it.
        quote: Option<(i64, i64)>,
    },
    /// A quote of the actor's company, accepted at `revision`: placed at its offered prices.
    Quote { company: crate::domain::ids::CompanyId, id: i64, revision: i64 },
}

/// A source as the buyer reviewed it: its lines (variant, quantity) and version.
pub struct Taken {
    pub source: Source,
    pub version: i64,
    pub lines: Vec<(i64, i64)>,
}

impl Source {
    /// Step 1: the source's lines and version now; `None` when there is nothing to place.
    async fn take(state: &AppState, actor: &Actor) -> Result<Option<Taken>, AppError> {
        let Some((cart, version, lines)) = cart::current(state, actor).await? else { return Ok(None) };
        Ok(Some(Taken { source: Source::Cart(cart), version, lines }))
    }

    /// Step 4's first statement: the compare-and-set on the reviewed version. It also takes the
    /// write lock (SQLite) or the source's row lock (PostgreSQL) before anything is written.
    async fn claim(
        self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        version: i64,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        match self {
            Source::Cart(cart) => cart::claim(tx, cart, version, now).await,
            // Open and at this version, now "ordered": an approver racing another, or the
            // requester cancelling in the same second, finds it decided.
            Source::Request { company, id, step, quote, .. } => {
                let request =
                    super::approvals::repo::transition(tx, company, id, version, "ordered", step + 1, now).await?;
                match quote {
                    Some((quote, revision)) if request => {
                        super::quotes::repo::claim_for_order(tx, company, quote, revision, now).await
                    }
                    _ => Ok(request),
                }
            }
            // Accepted, at the revision checked out, not expired; one order per quote also rests
            // on `quotes.order_id` being unique.
            Source::Quote { company, id, revision } => {
                super::quotes::repo::claim_for_order(tx, company, id, revision, now).await
            }
        }
    }

    /// Ends the source in the placing transaction, so it cannot be placed again.
    async fn end(
        self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        order: crate::domain::ids::OrderId,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        match self {
            Source::Cart(cart) => cart::end(tx, cart).await,
            Source::Request { company, id, approver, comment, event, quote, .. } => {
                super::approvals::repo::set_order(tx, company, id, order.0).await?;
                super::approvals::repo::add_event(tx, id, Some(approver), event, &comment, now).await?;
                super::approvals::repo::add_event(tx, id, None, "ordered", "", now).await?;
                if let Some((quote, revision)) = quote {
                    super::quotes::repo::set_order(tx, company, quote, order.0).await?;
                    let author = super::quotes::repo::Author::System;
                    super::quotes::repo::add_message(tx, quote, author, "ordered", revision, "", now).await?;
                }
                Ok(())
            }
            Source::Quote { company, id, revision } => {
                super::quotes::repo::set_order(tx, company, id, order.0).await?;
                let author = super::quotes::repo::Author::System;
                super::quotes::repo::add_message(tx, id, author, "ordered", revision, "", now).await.map(|_| ())
            }
        }
    }
}

impl Source {
    /// Step 4's first statement when the checkout becomes a purchase request instead: a cart is
    /// claimed as when placing; an accepted quote stays accepted while its request waits (its one
    /// open request is the claim), only its version moves so a transition racing it loses.
    async fn hold_for_request(
        self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        version: i64,
        now: i64,
    ) -> Result<bool, sqlx::Error> {
        match self {
            Source::Quote { company, id, revision } => {
                super::quotes::repo::hold_for_request(tx, company, id, revision, now).await
            }
            other => other.claim(tx, version, now).await,
        }
    }

    /// Ends the source in the transaction that wrote purchase request `request`: the cart is
    /// emptied; the quote's thread says it waits for approval.
    async fn requested(
        self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        request: i64,
        member: crate::domain::ids::MemberId,
        name: &str,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        match self {
            Source::Quote { id, revision, .. } => {
                let body = crate::domain::approval::request_number(request);
                let author = super::quotes::repo::Author::Member(member, name);
                super::quotes::repo::add_message(tx, id, author, "approval_requested", revision, &body, now).await?;
                Ok(())
            }
            Source::Cart(cart) => cart::end(tx, cart).await,
            // A request is never itself sent for approval.
            Source::Request { .. } => Ok(()),
        }
    }
}

/// The checkout form's fields, parsed: every field's error collected, not just the first.
struct Header {
    ship_to: ShipTo,
    po: String,
    note: String,
    requested_date: Option<i64>,
    terms: PaymentTerms,
    credit_limit_minor: i64,
}

/// An idempotency key as a form sends it: 1 to 64 letters, digits or dashes.
pub(crate) fn parse_key(raw: &str) -> Result<&str, AppError> {
    let key = raw.trim();
    if key.is_empty() || key.len() > 64 || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(AppError::invalid("", "error.bad_request"));
    }
    Ok(key)
}

async fn parse_header(
    state: &AppState,
    actor: &Actor,
    form: &PlaceForm,
    now: i64,
    errors: &mut Vec<FieldError>,
) -> Result<Option<Header>, AppError> {
    let t = repo::terms(&state.pool, actor.company_id()).await?.ok_or(AppError::NotFound)?;
    let mut error = |field: &str, key: &str| errors.push(FieldError { field: field.into(), key: key.into() });
    let ship_to = repo::ship_to_locations(&state.pool, actor.company_id(), actor.member_id).await?;
    let location =
        form.ship_to.trim().parse::<i64>().ok().and_then(|id| ship_to.into_iter().find(|s| s.id == LocationId(id)));
    if location.is_none() {
        error("ship_to", "checkout.ship_to_invalid");
    }
    let po = match parse_po_number(&form.po_number, t.po_required) {
        Ok(po) => po,
        Err(problem) => {
            error(
                "po_number",
                match problem {
                    PoProblem::Required => "checkout.po_required",
                    PoProblem::TooLong => "checkout.po_too_long",
                    PoProblem::ControlCharacters => "checkout.po_control",
                },
            );
            String::new()
        }
    };
    let note = form.note.trim().to_string();
    if note.chars().count() > MAX_NOTE_CHARS
        || note.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        error("note", "checkout.note_invalid");
    }
    let today = now.div_euclid(86_400);
    let requested_date = match form.requested_date.trim() {
        "" => None,
        raw => match parse_iso_date(raw) {
            Some(day) if day >= today && day <= today + 366 => Some(day * 86_400),
            _ => {
                error("requested_date", "checkout.date_invalid");
                None
            }
        },
    };
    let terms = company_terms(&t)?.0;
    Ok(location.map(|ship_to| Header {
        ship_to,
        po,
        note,
        requested_date,
        terms,
        credit_limit_minor: t.credit_limit_minor,
    }))
}

/// Places the member's reviewed cart.
pub async fn place(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    form: PlaceForm,
    now: i64,
) -> Result<Placed, AppError> {
    let key = parse_key(&form.idempotency_key)?;
    // A retry of a placement that went through (the answer was lost): the same order, or the
    // same purchase request, again.
    if let Some(id) = repo::by_idempotency_key(&state.pool, actor.company_id(), actor.member_id, key).await? {
        return Ok(Placed::Order(OrderNumber::from_id(id)));
    }
    if let Some(id) =
        super::approvals::repo::request_by_key(&state.pool, actor.company_id(), actor.member_id, key).await?
    {
        return Ok(Placed::Requested(id));
    }
    let mut errors = vec![];
    let header = parse_header(state, actor, &form, now, &mut errors).await?;
    let taken = Source::take(state, actor).await?;
    let request = Request { key, reviewed: &form.fingerprint, header, errors };
    place_from(&Placing { state, actor, locale, now }, taken, request).await
}

/// Who places, where and when: the same for every step.
struct Placing<'a> {
    state: &'a AppState,
    actor: &'a Actor,
    locale: Locale,
    now: i64,
}

/// What the buyer sent: the idempotency key, the fingerprint of what they reviewed, and the
/// header (`None` with `errors` when a field is wrong).
struct Request<'a> {
    key: &'a str,
    reviewed: &'a str,
    header: Option<Header>,
    errors: Vec<FieldError>,
}

/// Steps 2 to 4 for any source.
async fn place_from(p: &Placing<'_>, taken: Option<Taken>, request: Request<'_>) -> Result<Placed, AppError> {
    let Placing { state, actor, locale, now } = *p;
    let Request { key, reviewed, header, mut errors } = request;
    // Step 2: every line through the offer check, at today's prices.
    let Some(taken) = taken else { return Err(AppError::invalid("", "cart.empty")) };
    let offer = Offer::load(state, actor, now).await?;
    let view = cart::price_lines(&offer, taken.version, &taken.lines, locale);
    if view.lines.is_empty() {
        errors.push(FieldError { field: "".into(), key: "cart.empty".into() });
    } else if !view.orderable() {
        errors.push(FieldError { field: "".into(), key: "checkout.fix_lines".into() });
    }
    let header = match header {
        Some(header) if errors.is_empty() => header,
        _ => return Err(AppError::Invalid(errors)),
    };
    // Step 3: what the buyer reviewed must be what would be placed.
    if view.fingerprint != reviewed {
        return Ok(Placed::Changed(view));
    }
    // Does it need approval? Then the reviewed cart becomes a purchase request instead.
    let verdict = super::approvals::verdict(state, actor, &offer, &view, Some(header.ship_to.id), now).await?;
    if verdict.needs_approval() {
        return write_request(p, &taken, &view, &header, key, &verdict).await;
    }
    // Step 4.
    write(p, &taken, &view, &header, key).await
}

/// Step 4 for a checkout that needs approval: one transaction claims the cart (the same
/// compare-and-set as placing), freezes what the buyer reviewed as a purchase request with its
/// first history entry, and empties the cart, exactly once per idempotency key.
async fn write_request(
    p: &Placing<'_>,
    taken: &Taken,
    view: &CartView,
    header: &Header,
    key: &str,
    verdict: &crate::domain::approval::Verdict,
) -> Result<Placed, AppError> {
    use super::approvals::repo as requests;
    let Placing { state, actor, locale, now } = *p;
    let company = actor.company_id();
    let (_, expiry_days, _) = requests::company_settings(&state.pool, company).await?;
    // The requester's name for a quote's thread, read before the write lock is taken.
    let name = match taken.source {
        Source::Quote { .. } => super::quotes::member_name(state, actor).await?,
        _ => String::new(),
    };
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    if !taken.source.clone().hold_for_request(&mut tx, taken.version, now).await? {
        tx.rollback().await?;
        if let Some(id) = requests::request_by_key(&state.pool, company, actor.member_id, key).await? {
            return Ok(Placed::Requested(id));
        }
        if let Source::Quote { .. } = taken.source {
            return Err(AppError::invalid("", "quotes.not_now"));
        }
        return Ok(Placed::Changed(cart::view(state, actor, locale, now).await?));
    }
    let lines: Vec<requests::NewRequestLine> = view
        .lines
        .iter()
        .map(|l| {
            (
                l.variant_id,
                l.sku.as_str(),
                l.name.as_str(),
                l.unit.as_str(),
                l.quantity,
                l.unit_price.map(|m| m.minor()).unwrap_or(0),
                l.line_total.map(|m| m.minor()).unwrap_or(0),
            )
        })
        .collect();
    let terms = header.terms.code();
    let reasons = super::approvals::reasons_text(&verdict.reasons);
    let steps = requests::steps_text(&verdict.steps);
    let new = requests::NewRequest {
        company,
        requested_by: actor.member_id,
        location_id: header.ship_to.id,
        buying_for: actor.location_id,
        po_number: &header.po,
        note: &header.note,
        requested_date: header.requested_date,
        payment_terms: &terms,
        currency: view.currency.code(),
        total_minor: view.total.minor(),
        line_count: view.lines.len() as i64,
        fingerprint: &view.fingerprint,
        idempotency_key: key,
        reasons: &reasons,
        steps: &steps,
        created_at: now,
        expires_at: now + expiry_days.max(1) * 86_400,
        quote_id: match taken.source {
            Source::Quote { id, .. } => Some(id),
            _ => None,
        },
    };
    let id = match requests::insert(&mut tx, &new, &lines).await {
        Ok(id) => id,
        Err(e) if super::platform::db::is_unique_violation(&e) => {
            tx.rollback().await?;
            if let Source::Quote { id, .. } = taken.source {
                // Another tab or teammate sent this quote for approval first.
                if requests::request_by_key(&state.pool, company, actor.member_id, key).await?.is_none() {
                    let open = requests::open_request_of_quote(&state.pool, company, id).await?;
                    return open.map(Placed::Requested).ok_or_else(|| AppError::invalid("", "quotes.not_now"));
                }
            }
            let id = requests::request_by_key(&state.pool, company, actor.member_id, key)
                .await?
                .ok_or(AppError::internal(e))?;
            return Ok(Placed::Requested(id));
        }
        Err(e) => return Err(e.into()),
    };
    requests::add_event(&mut tx, id, Some(actor.member_id), "requested", "", now).await?;
    taken.source.clone().requested(&mut tx, id, actor.member_id, &name, now).await?;
    super::approvals::mail_approvers(&state.auth.public_url, &mut tx, company, id, false, now).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(Placed::Requested(id))
}

/// The last approval of a purchase request: its frozen lines through the placement path as the
/// requester's order (their catalog and prices, today), exactly once. What changed since the
/// request (a price, a quantity rule, stock) moves it to "needs review" instead, unless the
/// approver accepts the new figures.
#[allow(clippy::too_many_arguments)]
pub async fn place_request(
    state: &AppState,
    approver: &Actor,
    requester: &Actor,
    r: &super::approvals::RequestRow,
    lines: &[super::approvals::LineRow],
    comment: &str,
    accept_changes: bool,
    locale: Locale,
    now: i64,
) -> Result<super::approvals::Decided, AppError> {
    use super::approvals::{repo as requests, Decided};
    let company = approver.company_id();
    let offer = Offer::load(state, requester, now).await?;
    let wanted: Vec<(i64, i64)> = lines.iter().map(|l| (l.variant_id, l.quantity)).collect();
    // A request made from a quote is placed at the quote's offered prices (frozen in its lines),
    // while the quote's offer stands.
    let quote = match r.quote_id {
        Some(id) => {
            let q = super::quotes::repo::get(&state.pool, company, id).await?.ok_or(AppError::NotFound)?;
            if q.status != "accepted" || q.expires_at.is_some_and(|e| e <= now) {
                return Err(AppError::invalid("", "quotes.expired_refused"));
            }
            Some((q.id, q.revision))
        }
        None => None,
    };
    let view = if quote.is_some() {
        let priced: Vec<(i64, i64, i64)> =
            lines.iter().map(|l| (l.variant_id, l.quantity, l.unit_price_minor)).collect();
        cart::price_quoted(&offer, r.version, &priced, locale)
    } else {
        cart::price_lines(&offer, r.version, &wanted, locale)
    };
    // What changed, line by line: (SKU, unit price then, unit price now or None if it cannot be
    // ordered as it is any more: gone from the catalog, quantity rule, stock).
    let changes: Vec<(String, i64, Option<i64>)> = lines
        .iter()
        .zip(view.lines.iter())
        .filter_map(|(was, now)| {
            let price = now.unit_price.map(|m| m.minor());
            // Stock counts when it stops the line (the offer check's problem); a level that moved
            // but still serves the line is not a change the approver must review.
            let changed = now.problem.is_some() || price != Some(was.unit_price_minor);
            changed.then(|| (was.sku.clone(), was.unit_price_minor, if now.problem.is_some() { None } else { price }))
        })
        .collect();
    if !changes.is_empty() && (!accept_changes || !view.orderable()) {
        let _turn = state.write_turn().await;
        let mut tx = state.pool.begin().await?;
        if !requests::transition(&mut tx, company, r.id, r.version, "needs_review", r.step, now).await? {
            return Err(AppError::invalid("", "approvals.already_decided"));
        }
        let detail: Vec<String> = changes
            .iter()
            .map(|(sku, was, now)| format!("{sku}: {was} → {}", now.map(|n| n.to_string()).unwrap_or("—".into())))
            .collect();
        requests::add_event(&mut tx, r.id, Some(approver.member_id), "needs_review", &detail.join("; "), now).await?;
        super::approvals::mail_requester(
            &state.auth.public_url,
            &mut tx,
            company,
            r.id,
            "review",
            &detail.join("; "),
            now,
        )
        .await?;
        tx.commit().await?;
        state.mail_wake.notify_one();
        return Ok(Decided::NeedsReview(changes));
    }
    let ship_to = repo::ship_to_locations(&state.pool, company, requester.member_id)
        .await?
        .into_iter()
        .find(|s| s.id == r.location_id)
        .ok_or_else(|| AppError::invalid("", "approvals.ship_to_gone"))?;
    let t = repo::terms(&state.pool, company).await?.ok_or(AppError::NotFound)?;
    let header = Header {
        ship_to,
        po: r.po_number.clone(),
        note: r.note.clone(),
        requested_date: r.requested_date,
        terms: company_terms(&t)?.0,
        credit_limit_minor: t.credit_limit_minor,
    };
    // The approval's history entry and "ordered" are written with the order (`Source::end`).
    let taken = Taken {
        source: Source::Request {
            company,
            id: r.id,
            step: r.step,
            approver: approver.member_id,
            comment: comment.to_string(),
            event: if changes.is_empty() { "approved" } else { "reviewed" },
            quote,
        },
        version: r.version,
        lines: wanted,
    };
    let key = format!("request-{}", r.id);
    let placing = Placing { state, actor: requester, locale, now };
    match write(&placing, &taken, &view, &header, &key).await? {
        Placed::Order(number) => {
            if !changes.is_empty() {
                let mut tx = state.pool.begin().await?;
                requests::set_figures(&mut tx, company, r.id, view.total.minor(), &view.fingerprint).await?;
                tx.commit().await?;
            }
            Ok(Decided::Ordered(number))
        }
        // The claim failed: someone else decided first.
        _ => Err(AppError::invalid("", "approvals.already_decided")),
    }
}

/// An accepted quote's checkout: its lines at the offered prices (stock as it is now).
pub struct QuoteCheckout {
    pub view: CartView,
    pub ship_to: Vec<ShipTo>,
    pub default_ship_to: Option<LocationId>,
    pub terms: PaymentTerms,
    pub po_required: bool,
    pub credit_available: Option<Money>,
}

pub async fn quote_checkout(
    state: &AppState,
    actor: &Actor,
    detail: &super::quotes::QuoteDetail,
    locale: Locale,
    now: i64,
) -> Result<QuoteCheckout, AppError> {
    let offer = Offer::load(state, actor, now).await?;
    let view = cart::price_quoted(&offer, detail.row.version, &super::quotes::offered_lines(detail), locale);
    let t = repo::terms(&state.pool, actor.company_id()).await?.ok_or(AppError::NotFound)?;
    let ship_to = repo::ship_to_locations(&state.pool, actor.company_id(), actor.member_id).await?;
    let quote_location = LocationId(detail.row.location_id);
    let default_ship_to =
        Some(quote_location).filter(|l| ship_to.iter().any(|s| s.id == *l)).or(ship_to.first().map(|s| s.id));
    Ok(QuoteCheckout {
        view,
        terms: company_terms(&t)?.0,
        po_required: t.po_required,
        credit_available: credit_available(state, actor, &t).await?,
        ship_to,
        default_ship_to,
    })
}

/// Places an accepted quote at its offered prices through the same path as a cart: the claim
/// is a compare-and-set on (accepted, revision, not expired), so a double click, a retry, two
/// tabs or two teammates make one order; the second gets "already ordered".
pub async fn place_quote(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    detail: &super::quotes::QuoteDetail,
    form: PlaceForm,
    now: i64,
) -> Result<Placed, AppError> {
    let key = parse_key(&form.idempotency_key)?;
    if let Some(id) = repo::by_idempotency_key(&state.pool, actor.company_id(), actor.member_id, key).await? {
        return Ok(Placed::Order(OrderNumber::from_id(id)));
    }
    let q = &detail.row;
    if q.order_id.is_some() {
        return Err(AppError::invalid("", "quotes.already_ordered"));
    }
    let status = crate::domain::quote::QuoteStatus::parse(&q.status);
    let expired = q.expires_at.is_some_and(|e| e <= now);
    if let Some(status) = status {
        crate::domain::quote::next(status, crate::domain::quote::Action::Place, q.revision, q.revision, expired)
            .map_err(|r| AppError::invalid("", r.key()))?;
    }
    let mut errors = vec![];
    let header = parse_header(state, actor, &form, now, &mut errors).await?;
    let offer = Offer::load(state, actor, now).await?;
    let view = cart::price_quoted(&offer, q.version, &super::quotes::offered_lines(detail), locale);
    if view.lines.is_empty() {
        errors.push(FieldError { field: "".into(), key: "cart.empty".into() });
    } else if !view.orderable() {
        errors.push(FieldError { field: "".into(), key: "checkout.fix_lines".into() });
    }
    let header = match header {
        Some(header) if errors.is_empty() => header,
        _ => return Err(AppError::Invalid(errors)),
    };
    if view.fingerprint != form.fingerprint {
        return Ok(Placed::Changed(view));
    }
    if super::approvals::repo::open_request_of_quote(&state.pool, actor.company_id(), q.id).await?.is_some() {
        return Err(AppError::invalid("", "quotes.awaiting_approval"));
    }
    let lines = view.lines.iter().map(|l| (l.variant_id, l.quantity)).collect();
    let source = Source::Quote { company: actor.company_id(), id: q.id, revision: q.revision };
    let taken = Taken { source, version: q.version, lines };
    let placing = Placing { state, actor, locale, now };
    // With approval rules (limits, rules, a role that may not place) the accepted quote becomes
    // a purchase request at its offered prices; the approver's yes orders it.
    let verdict = super::approvals::verdict(state, actor, &offer, &view, Some(header.ship_to.id), now).await?;
    if verdict.needs_approval() {
        return write_request(&placing, &taken, &view, &header, key, &verdict).await;
    }
    write(&placing, &taken, &view, &header, key).await
}

/// Step 4: one transaction that claims the source, checks credit, writes the order and ends
/// the source, exactly once.
async fn write(
    p: &Placing<'_>,
    taken: &Taken,
    view: &CartView,
    header: &Header,
    key: &str,
) -> Result<Placed, AppError> {
    let Placing { state, actor, locale, now } = *p;
    let company = actor.company_id();
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    if !taken.source.clone().claim(&mut tx, taken.version, now).await? {
        tx.rollback().await?;
        // Another approver, or the requester's cancel, decided first.
        if let Source::Request { .. } = taken.source {
            return Err(AppError::invalid("", "approvals.already_decided"));
        }
        if let Some(id) = repo::by_idempotency_key(&state.pool, company, actor.member_id, key).await? {
            return Ok(Placed::Order(OrderNumber::from_id(id)));
        }
        // Ordered already (another tab, a teammate), or expired meanwhile.
        if let Source::Quote { .. } = taken.source {
            return Err(AppError::invalid("", "quotes.already_ordered"));
        }
        return Ok(Placed::Changed(cart::view(state, actor, locale, now).await?));
    }
    // Credit is checked here, inside the transaction and serialised per company, so two
    // placements at once cannot both fit under the limit (SQLite: the write lock already
    // serialises them). Checked once: a check before the transaction could be stale anyway.
    if header.terms != PaymentTerms::Prepaid {
        if state.db == super::platform::db::DbKind::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(company.0).execute(&mut *tx).await?;
        }
        let balance = repo::credit_balance(&mut *tx, company, view.currency.code()).await?;
        let credit = crate::domain::invoice::Credit { limit: header.credit_limit_minor, balance };
        if !credit.allows(view.total.minor()) {
            tx.rollback().await?;
            return Err(AppError::OverCredit {
                currency: view.currency.code().to_string(),
                total: view.total.minor(),
                available: credit.available(),
            });
        }
    }
    let new_lines: Vec<repo::NewLine> = view
        .lines
        .iter()
        .map(|l| repo::NewLine {
            variant_id: l.variant_id,
            sku: &l.sku,
            name: &l.name,
            unit: &l.unit,
            quantity: l.quantity,
            unit_price_minor: l.unit_price.map(|m| m.minor()).unwrap_or(0),
            line_total_minor: l.line_total.map(|m| m.minor()).unwrap_or(0),
        })
        .collect();
    let terms_code = header.terms.code();
    let order = repo::NewOrder {
        company,
        placed_by: actor.member_id,
        location_id: header.ship_to.id,
        status: OrderStatus::Placed.code(),
        po_number: &header.po,
        note: &header.note,
        requested_date: header.requested_date,
        payment_terms: &terms_code,
        currency: view.currency.code(),
        total_minor: view.total.minor(),
        line_count: view.lines.len() as i64,
        idempotency_key: key,
        placed_at: now,
        paid_at: None,
    };
    let id = match repo::insert(&mut tx, &order, &new_lines).await {
        Ok(id) => id,
        Err(e) if super::platform::db::is_unique_violation(&e) => {
            // The same key won a race with us: that order is this placement's order.
            tx.rollback().await?;
            let id = repo::by_idempotency_key(&state.pool, company, actor.member_id, key)
                .await?
                .ok_or(AppError::internal(e))?;
            return Ok(Placed::Order(OrderNumber::from_id(id)));
        }
        Err(e) => return Err(e.into()),
    };
    taken.source.clone().end(&mut tx, id, now).await?;
    let number = OrderNumber::from_id(id);
    if let Some(email) = repo::member_email(&mut *tx, company, actor.member_id).await? {
        let (subject, body) = confirmation(locale, number, view, header);
        super::platform::mail::enqueue(&mut tx, &email, &subject, &body, now).await?;
    }
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(Placed::Order(number))
}

/// The confirmation mail, in the buyer's language: plain text with every line.
fn confirmation(locale: Locale, number: OrderNumber, view: &CartView, header: &Header) -> (String, String) {
    let (po, s, requested_date) = (&header.po, &header.ship_to, header.requested_date);
    let subject = tr!(locale, "mail.order.subject", number = number.to_string());
    let mut body = tr!(locale, "mail.order.intro", number = number.to_string());
    body.push_str("\n\n");
    for line in &view.lines {
        body.push_str(&format!(
            "{}  {}  {}  {}\n",
            line.sku,
            line.name,
            crate::format::number(line.quantity, locale),
            line.line_total.map(|m| crate::format::money(m, locale)).unwrap_or_default()
        ));
    }
    body.push_str(&format!("\n{}: {}\n", tr!(locale, "cart.total"), crate::format::money(view.total, locale)));
    if !po.is_empty() {
        body.push_str(&format!("{}: {po}\n", tr!(locale, "checkout.po_number")));
    }
    body.push_str(&format!(
        "{}: {}, {}, {} {}\n",
        tr!(locale, "checkout.ship_to"),
        s.name,
        s.address,
        s.city,
        s.country
    ));
    if let Some(d) = requested_date {
        body.push_str(&format!("{}: {}\n", tr!(locale, "checkout.requested_date"), crate::format::date(d, locale)));
    }
    (subject, body)
}

/// Orders the member may see: their own, or everyone's with `orders.view_all`.
fn scope(actor: &Actor, filter: &mut OrderFilter) {
    if !actor.permissions.allows(Permission::OrdersViewAll) {
        filter.placed_by = Some(actor.member_id);
    }
}

pub async fn list(state: &AppState, actor: &Actor, mut filter: OrderFilter) -> Result<Vec<OrderRow>, AppError> {
    scope(actor, &mut filter);
    Ok(repo::list(&state.pool, actor.company_id(), &filter).await?)
}

pub struct OrderDetail {
    pub header: repo::OrderHeader,
    pub lines: Vec<repo::LineRow>,
    pub events: Vec<(OrderStatus, i64)>,
    pub shipments: Vec<(String, String, i64, Option<i64>)>,
}

/// One order: NotFound for another company's, and for a colleague's without `orders.view_all`.
pub async fn detail(state: &AppState, actor: &Actor, number: OrderNumber) -> Result<OrderDetail, AppError> {
    let header = repo::header(&state.pool, actor.company_id(), number.id()).await?.ok_or(AppError::NotFound)?;
    if header.placed_by_member != actor.member_id && !actor.permissions.allows(Permission::OrdersViewAll) {
        return Err(AppError::NotFound);
    }
    let (company, id) = (actor.company_id(), header.row.id);
    Ok(OrderDetail {
        header,
        lines: repo::lines(&state.pool, company, id).await?,
        events: repo::events(&state.pool, company, id)
            .await?
            .into_iter()
            .filter_map(|(s, at)| Some((OrderStatus::parse(&s)?, at)))
            .collect(),
        shipments: repo::shipments(&state.pool, company, id).await?,
    })
}

pub struct ReorderLine {
    pub line_no: i64,
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub old_unit: Money,
    /// Today's unit price when the line went to the cart; the reason when it did not.
    pub outcome: Result<(Money, super::catalog::Stock), RowProblem>,
}

/// Puts the order's lines (all, or those picked) in the cart at today's prices, and says for
/// every line what changed: a new price, stock, gone from the catalog, a changed quantity rule.
pub async fn reorder(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    number: OrderNumber,
    picked: Option<&std::collections::HashSet<i64>>,
    now: i64,
) -> Result<(Vec<ReorderLine>, usize), AppError> {
    let order = detail(state, actor, number).await?;
    let currency = Currency::parse(&order.header.row.currency).map_err(|_| AppError::internal("order currency"))?;
    let lines: Vec<&repo::LineRow> =
        order.lines.iter().filter(|l| picked.is_none_or(|p| p.contains(&l.line_no))).collect();
    let rows: Vec<EnteredRow> = lines
        .iter()
        .map(|l| EnteredRow { row: l.line_no as usize, sku: l.sku.clone(), quantity: l.quantity.to_string() })
        .collect();
    let added = cart::add(state, actor, locale, &rows, now).await?;
    let report = lines
        .iter()
        .zip(added.rows)
        .map(|(l, checked)| ReorderLine {
            line_no: l.line_no,
            sku: l.sku.clone(),
            name: checked.outcome.as_ref().map(|a| a.name.clone()).unwrap_or_else(|_| l.name.clone()),
            quantity: l.quantity,
            old_unit: Money::from_minor(l.unit_price_minor, currency),
            outcome: checked.outcome.map(|a| (a.unit_price, a.stock)),
        })
        .collect();
    Ok((report, added.added))
}

pub async fn buy_again(state: &AppState, actor: &Actor) -> Result<Vec<repo::Purchased>, AppError> {
    let placed_by = (!actor.permissions.allows(Permission::OrdersViewAll)).then_some(actor.member_id);
    Ok(repo::purchased(&state.pool, actor.company_id(), placed_by).await?)
}
