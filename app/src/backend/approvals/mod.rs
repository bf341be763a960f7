//! Approvals: whether a checkout needs approval (`domain::approval::evaluate` over the facts
//! gathered here), purchase requests and their decisions. A request is created by the one
//! placement path (`orders::place`, which freezes the reviewed lines instead of ordering), and
//! the last approval places it through that same path as the requester's order
//! (`orders::place_request`), exactly once: every change of a request starts with a
//! compare-and-set on its version (`repo::transition`).

pub mod repo;

use super::cart::CartView;
use super::catalog::offer::Offer;
use super::platform::clock::{month_start, now};
use super::platform::guard::{self, Actor};
use super::platform::state::AppState;
use crate::domain::approval::{evaluate, Facts, Limits, Reason, RequestStatus, Rule, Step, Verdict};
use crate::domain::ids::{CompanyId, LocationId, MemberId, RoleId};
use crate::domain::permission::Permission;
use crate::error::AppError;
pub use repo::{LineRow, RequestRow};

/// Every category of the view's lines, parents included.
fn categories(offer: &Offer, view: &CartView) -> Vec<i64> {
    let snapshot = offer.snapshot();
    let mut out: Vec<i64> = vec![];
    for line in &view.lines {
        let Some(product) = snapshot.product_of_variant(line.variant_id) else { continue };
        let mut next = Some(product.category_id);
        while let Some(id) = next {
            if out.contains(&id) {
                break;
            }
            out.push(id);
            next = snapshot.meta.category(id).and_then(|c| c.parent_id);
        }
    }
    out
}

/// The verdict for `actor` checking out `view` to `location`, now.
pub async fn verdict(
    state: &AppState,
    actor: &Actor,
    offer: &Offer,
    view: &CartView,
    location: Option<LocationId>,
    at: i64,
) -> Result<Verdict, AppError> {
    let company = actor.company_id();
    let (limits, role) = repo::member_facts(&state.pool, company, actor.member_id).await?.ok_or(AppError::Forbidden)?;
    let (time_zone, _, currency) = repo::company_settings(&state.pool, company).await?;
    let spent = if limits.per_month.is_some() {
        repo::spent_since(&state.pool, company, actor.member_id, &currency, month_start(&time_zone, at)).await?
    } else {
        0
    };
    let facts = Facts {
        can_place: actor.permissions.allows(Permission::OrdersPlace),
        total: view.total.minor(),
        limits,
        spent_this_month: spent,
        categories: categories(offer, view),
        location: location.map(|l| l.0),
        role,
        credit_for_approval: credit_for_approval(state, company, &currency).await?,
    };
    Ok(evaluate(&facts, &repo::rules(&state.pool, company).await?))
}

/// The available credit, when the company sends orders above it for approval (see
/// `Reason::OverCredit`); the final check is the placement's, inside its transaction.
async fn credit_for_approval(state: &AppState, company: CompanyId, currency: &str) -> Result<Option<i64>, AppError> {
    use crate::domain::order::PaymentTerms;
    let t = super::orders::repo::terms(&state.pool, company).await?.ok_or(AppError::NotFound)?;
    if !t.over_credit_approval || PaymentTerms::parse(&t.payment_terms) == Some(PaymentTerms::Prepaid) {
        return Ok(None);
    }
    let balance = super::orders::repo::credit_balance(&state.pool, company, currency).await?;
    Ok(Some(crate::domain::invoice::Credit { limit: t.credit_limit_minor, balance }.available()))
}

/// Reasons as stored on a request: codes the pages translate (`approvals.reason.<code>`), the
/// limit and rule ids after a colon.
pub fn reasons_text(reasons: &[Reason]) -> String {
    reasons
        .iter()
        .map(|r| match r {
            Reason::NoPlacePermission => "no_permission".to_string(),
            Reason::OverOrderLimit { limit } => format!("order_limit:{limit}"),
            Reason::OverMonthLimit { limit, spent } => format!("month_limit:{limit}:{spent}"),
            Reason::Rule(id) => format!("rule:{id}"),
            Reason::OverCredit { available } => format!("over_credit:{available}"),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The caller as an approver: their role and the locations they are limited to (empty: all),
/// read once for a page or a list rather than once per request.
pub struct Approver {
    member: MemberId,
    role: i64,
    locations: Vec<i64>,
}

impl Approver {
    /// `None` for a caller without `orders.approve`.
    pub async fn load(state: &AppState, actor: &Actor) -> Result<Option<Approver>, AppError> {
        if !actor.permissions.allows(Permission::OrdersApprove) {
            return Ok(None);
        }
        let (_, role) =
            repo::member_facts(&state.pool, actor.company_id(), actor.member_id).await?.ok_or(AppError::Forbidden)?;
        let directory = state.read.user(&state.pool, actor.user_id, actor.seen).await?;
        let locations = directory
            .membership(actor.company_id())
            .map(|m| m.locations.iter().map(|(id, _)| *id).collect())
            .unwrap_or_default();
        Ok(Some(Approver { member: actor.member_id, role, locations }))
    }

    /// The approver's location scope covers the request's ship-to location.
    pub fn covers(&self, r: &RequestRow) -> bool {
        self.locations.is_empty() || self.locations.contains(&r.location_id.0)
    }

    /// May decide the request's current step: not their own, the step's role (when it names
    /// one), within their locations.
    pub fn may_decide(&self, r: &RequestRow) -> bool {
        let Some(step) = r.steps.get(r.step as usize) else { return false };
        r.requested_by != self.member && step.role.is_none_or(|wanted| wanted == self.role) && self.covers(r)
    }
}

/// Who may decide the request's current step: an active member (not the requester) holding
/// `orders.approve`, of the step's role when it names one, whose locations (if limited) include
/// the request's.
pub async fn may_decide(state: &AppState, actor: &Actor, r: &RequestRow) -> Result<bool, AppError> {
    Ok(Approver::load(state, actor).await?.is_some_and(|a| a.may_decide(r)))
}

/// A request the actor may see: their own, any with `orders.view_all`, and with
/// `orders.approve` any within their location scope. Anything else is NotFound.
pub async fn get(state: &AppState, actor: &Actor, id: i64) -> Result<RequestRow, AppError> {
    let r = repo::request(&state.pool, actor.company_id(), id).await?.ok_or(AppError::NotFound)?;
    if r.requested_by == actor.member_id || actor.permissions.allows(Permission::OrdersViewAll) {
        return Ok(r);
    }
    match Approver::load(state, actor).await? {
        Some(approver) if approver.covers(&r) => Ok(r),
        _ => Err(AppError::NotFound),
    }
}

pub async fn lines(state: &AppState, actor: &Actor, r: &RequestRow) -> Result<Vec<LineRow>, AppError> {
    Ok(repo::lines(&state.pool, actor.company_id(), r.id).await?)
}

pub async fn events(
    state: &AppState,
    actor: &Actor,
    r: &RequestRow,
) -> Result<Vec<(i64, String, String, String)>, AppError> {
    Ok(repo::events(&state.pool, actor.company_id(), r.id).await?)
}

/// The member's requests (the company's with `orders.view_all` when `all`), newest first.
pub async fn list(state: &AppState, actor: &Actor, all: bool) -> Result<Vec<RequestRow>, AppError> {
    let by = if all && actor.permissions.allows(Permission::OrdersViewAll) { None } else { Some(actor.member_id) };
    Ok(repo::requests(&state.pool, actor.company_id(), by, 200).await?)
}

/// The approval queue: open requests the actor may decide now.
pub async fn queue(state: &AppState, actor: &Actor) -> Result<Vec<RequestRow>, AppError> {
    let Some(approver) = Approver::load(state, actor).await? else { return Ok(vec![]) };
    let at = now();
    Ok(repo::requests(&state.pool, actor.company_id(), None, 500)
        .await?
        .into_iter()
        .filter(|r| RequestStatus::parse(&r.status).is_some_and(|s| s.open()) && r.expires_at > at)
        .filter(|r| approver.may_decide(r))
        .collect())
}

/// Requests the actor approved or rejected, newest first.
pub async fn decided_by(state: &AppState, actor: &Actor) -> Result<Vec<RequestRow>, AppError> {
    let ids: Vec<(i64,)> = sqlx::query_as(
        "SELECT DISTINCT e.request_id FROM purchase_request_events e JOIN purchase_requests r ON r.id = e.request_id \
         WHERE r.company_id = $1 AND e.member_id = $2 AND e.event IN ('approved', 'reviewed', 'rejected') \
         ORDER BY e.request_id DESC LIMIT 100",
    )
    .bind(actor.company_id().0)
    .bind(actor.member_id.0)
    .fetch_all(&state.pool)
    .await?;
    let mut out = vec![];
    for (id,) in ids {
        if let Some(r) = repo::request(&state.pool, actor.company_id(), id).await? {
            out.push(r);
        }
    }
    Ok(out)
}

/// What a decision came to.
pub enum Decided {
    /// One step approved; the next approver is asked.
    NextStep,
    /// The last step: placed as the requester's order.
    Ordered(crate::domain::order::OrderNumber),
    /// Prices, quantity rules or stock changed since the request: (SKU, before, now) per line.
    NeedsReview(Vec<(String, i64, Option<i64>)>),
    Rejected,
    Cancelled,
}

fn already_decided() -> AppError {
    AppError::invalid("", "approvals.already_decided")
}

/// Approves the current step at `version`. On the last step the request is placed through the
/// placement path as the requester's order; if anything the requester reviewed changed, the
/// request moves to "needs review" and nothing is placed, unless the approver accepts the new
/// figures (`accept_changes`).
pub async fn approve(
    state: &AppState,
    actor: &Actor,
    id: i64,
    version: i64,
    comment: &str,
    accept_changes: bool,
    locale: crate::i18n::Locale,
) -> Result<Decided, AppError> {
    let r = get(state, actor, id).await?;
    if r.requested_by == actor.member_id {
        return Err(AppError::invalid("", "approvals.own"));
    }
    if !RequestStatus::parse(&r.status).is_some_and(|s| s.open()) || r.version != version || r.expires_at <= now() {
        return Err(already_decided());
    }
    if !may_decide(state, actor, &r).await? {
        return Err(AppError::Forbidden);
    }
    let comment = clean_comment(comment)?;
    let at = now();
    if (r.step as usize) + 1 < r.steps.len() {
        let _turn = state.write_turn().await;
        let mut tx = state.pool.begin().await?;
        if !repo::transition(&mut tx, actor.company_id(), id, version, "pending", r.step + 1, at).await? {
            return Err(already_decided());
        }
        repo::add_event(&mut tx, id, Some(actor.member_id), "approved", &comment, at).await?;
        mail_approvers(&state.auth.public_url, &mut tx, actor.company_id(), id, false, at).await?;
        mail_requester(&state.auth.public_url, &mut tx, actor.company_id(), id, "next", &comment, at).await?;
        tx.commit().await?;
        state.mail_wake.notify_one();
        return Ok(Decided::NextStep);
    }
    let requester = guard::on_behalf_of(state, actor, r.requested_by, Some(r.location_id)).await?;
    let lines = repo::lines(&state.pool, actor.company_id(), id).await?;
    super::orders::place_request(state, actor, &requester, &r, &lines, &comment, accept_changes, locale, at).await
}

pub async fn reject(
    state: &AppState,
    actor: &Actor,
    id: i64,
    version: i64,
    comment: &str,
) -> Result<Decided, AppError> {
    let r = get(state, actor, id).await?;
    if r.requested_by == actor.member_id {
        return Err(AppError::invalid("", "approvals.own"));
    }
    if !may_decide(state, actor, &r).await? {
        return Err(if RequestStatus::parse(&r.status).is_some_and(|s| s.open()) {
            AppError::Forbidden
        } else {
            already_decided()
        });
    }
    let comment = clean_comment(comment)?;
    if comment.is_empty() {
        return Err(AppError::invalid("comment", "approvals.comment_required"));
    }
    let at = now();
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    if !repo::transition(&mut tx, actor.company_id(), id, version, "rejected", r.step, at).await? {
        return Err(already_decided());
    }
    repo::add_event(&mut tx, id, Some(actor.member_id), "rejected", &comment, at).await?;
    mail_requester(&state.auth.public_url, &mut tx, actor.company_id(), id, "rejected", &comment, at).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(Decided::Rejected)
}

/// The requester withdraws their own open request.
pub async fn cancel(state: &AppState, actor: &Actor, id: i64, version: i64) -> Result<Decided, AppError> {
    let r = get(state, actor, id).await?;
    if r.requested_by != actor.member_id {
        return Err(AppError::NotFound);
    }
    let at = now();
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    if !repo::transition(&mut tx, actor.company_id(), id, version, "cancelled", r.step, at).await? {
        return Err(already_decided());
    }
    repo::add_event(&mut tx, id, Some(actor.member_id), "cancelled", "", at).await?;
    tx.commit().await?;
    Ok(Decided::Cancelled)
}

/// A rejected (or cancelled, or expired) request's lines back into the requester's cart.
pub async fn to_cart(
    state: &AppState,
    actor: &Actor,
    id: i64,
    locale: crate::i18n::Locale,
) -> Result<super::cart::Added, AppError> {
    let r = get(state, actor, id).await?;
    if r.requested_by != actor.member_id {
        return Err(AppError::NotFound);
    }
    if RequestStatus::parse(&r.status).is_some_and(|s| s.open() || s == RequestStatus::Ordered) {
        return Err(AppError::invalid("", "approvals.still_open"));
    }
    let rows: Vec<crate::domain::order_entry::EnteredRow> = repo::lines(&state.pool, actor.company_id(), id)
        .await?
        .into_iter()
        .enumerate()
        .map(|(i, l)| crate::domain::order_entry::EnteredRow {
            row: i + 1,
            sku: l.sku,
            quantity: l.quantity.to_string(),
        })
        .collect();
    super::cart::add(state, actor, locale, &rows, now()).await
}

pub const MAX_COMMENT_CHARS: usize = 1_000;

fn clean_comment(raw: &str) -> Result<String, AppError> {
    let comment = raw.trim().to_string();
    if comment.chars().count() > MAX_COMMENT_CHARS
        || comment.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(AppError::invalid("comment", "approvals.comment_invalid"));
    }
    Ok(comment)
}

// ---------------------------------------------------------------------------------------------
// Managing (`approvals.manage`): rules and limits.

pub async fn rules(state: &AppState, actor: &Actor) -> Result<Vec<Rule>, AppError> {
    Ok(repo::rules(&state.pool, actor.company_id()).await?)
}

/// Adds a rule; its roles must be the company's (built-in or own). Audited.
pub async fn add_rule(state: &AppState, actor: &Actor, rule: Rule) -> Result<i64, AppError> {
    let company = actor.company_id();
    for role in std::iter::once(rule.first).chain(rule.second) {
        super::team::repo::role(&state.pool, company, RoleId(role)).await?.ok_or(AppError::NotFound)?;
    }
    match rule.condition {
        crate::domain::approval::Condition::Location(l) => {
            super::team::repo::location(&state.pool, company, LocationId(l)).await?.ok_or(AppError::NotFound)?;
        }
        crate::domain::approval::Condition::Role(r) => {
            super::team::repo::role(&state.pool, company, RoleId(r)).await?.ok_or(AppError::NotFound)?;
        }
        crate::domain::approval::Condition::Category(c) => {
            let catalog = state.read.catalog(&state.pool, actor.seen).await?;
            catalog.meta.category(c).ok_or(AppError::NotFound)?;
        }
        crate::domain::approval::Condition::TotalAbove(_) => {}
    }
    let at = now();
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let id = repo::insert_rule(&mut tx, company, &rule, at).await?;
    let who = super::team::audit::Who::user(&mut tx, actor.user_id).await?;
    let detail = format!(
        "{} {} → {}{}",
        rule.condition.kind(),
        rule.condition.value(),
        rule.first,
        rule.second.map(|s| format!(", {s}")).unwrap_or_default()
    );
    super::team::audit::record(
        &mut tx,
        company,
        &who,
        super::team::audit::Action::ApprovalRuleAdded,
        &format!("#{id}"),
        &detail,
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn delete_rule(state: &AppState, actor: &Actor, id: i64) -> Result<(), AppError> {
    let company = actor.company_id();
    let at = now();
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    if !repo::delete_rule(&mut tx, company, id).await? {
        return Err(AppError::NotFound);
    }
    let who = super::team::audit::Who::user(&mut tx, actor.user_id).await?;
    super::team::audit::record(
        &mut tx,
        company,
        &who,
        super::team::audit::Action::ApprovalRuleDeleted,
        &format!("#{id}"),
        "",
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a member's limits (`None`: no limit). Audited with before and after.
pub async fn set_limits(state: &AppState, actor: &Actor, member: MemberId, limits: Limits) -> Result<(), AppError> {
    let company = actor.company_id();
    let (before, _) = repo::member_facts(&state.pool, company, member).await?.ok_or(AppError::NotFound)?;
    if limits.per_order.is_some_and(|v| v < 0) || limits.per_month.is_some_and(|v| v < 0) {
        return Err(AppError::invalid("", "approvals.limit_invalid"));
    }
    let email = super::team::repo::member(&state.pool, company, member).await?.ok_or(AppError::NotFound)?.email;
    let at = now();
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    repo::set_limits(&mut tx, company, member, limits).await?;
    let who = super::team::audit::Who::user(&mut tx, actor.user_id).await?;
    let show = |l: Limits| {
        format!(
            "{}/{}",
            l.per_order.map(|v| v.to_string()).unwrap_or("—".into()),
            l.per_month.map(|v| v.to_string()).unwrap_or("—".into())
        )
    };
    super::team::audit::record(
        &mut tx,
        company,
        &who,
        super::team::audit::Action::LimitsChanged,
        &email,
        &format!("{} → {}", show(before), show(limits)),
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Mail: approvers when a request waits for them (and a reminder after 2 days), the requester on
// every decision; each in the recipient's language.

/// Who may decide `step` of a request at `location` by `requester`: (email, language).
async fn approvers(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    company: crate::domain::ids::CompanyId,
    step: Option<&Step>,
    location: LocationId,
    requester: MemberId,
) -> Result<Vec<(String, Option<String>)>, sqlx::Error> {
    let rows: Vec<(i64, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT m.id, m.role_id, u.email, u.locale FROM members m JOIN users u ON u.id = m.user_id \
         JOIN role_permissions rp ON rp.role_id = m.role_id \
         WHERE m.company_id = $1 AND m.active = 1 AND rp.permission = 'orders.approve' AND m.id <> $2 \
         AND (NOT EXISTS (SELECT 1 FROM member_locations ml WHERE ml.member_id = m.id) \
              OR EXISTS (SELECT 1 FROM member_locations ml WHERE ml.member_id = m.id AND ml.location_id = $3))",
    )
    .bind(company.0)
    .bind(requester.0)
    .bind(location.0)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|(_, role, _, _)| step.is_none_or(|s| s.role.is_none_or(|r| r == *role)))
        .map(|(_, _, email, locale)| (email, locale))
        .collect())
}

pub(crate) async fn company_locale(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    company: crate::domain::ids::CompanyId,
) -> Result<crate::i18n::Locale, sqlx::Error> {
    let (tag,): (String,) = sqlx::query_as("SELECT default_locale FROM companies WHERE id = $1")
        .bind(company.0)
        .fetch_one(&mut **tx)
        .await?;
    Ok(crate::i18n::Locale::parse(&tag).unwrap_or_default())
}

/// Mails the approvers of the request's current step ("waits for you", or a `reminder`).
pub async fn mail_approvers(
    public_url: &str,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    company: crate::domain::ids::CompanyId,
    id: i64,
    reminder: bool,
    at: i64,
) -> Result<usize, AppError> {
    use crate::i18n::tr;
    let row: Option<(i64, i64, String, i64, String, String)> = sqlx::query_as(
        "SELECT r.requested_by, r.location_id, r.steps, r.step, u.display_name, r.currency FROM purchase_requests r \
         JOIN members m ON m.id = r.requested_by JOIN users u ON u.id = m.user_id WHERE r.id = $1 AND r.company_id = $2",
    )
    .bind(id)
    .bind(company.0)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((requester, location, steps, step, name, _)) = row else { return Ok(0) };
    let steps: Vec<Step> = steps.split(',').filter(|s| !s.is_empty()).map(|s| Step { role: s.parse().ok() }).collect();
    let fallback = company_locale(tx, company).await?;
    let number = crate::domain::approval::request_number(id);
    let link = format!("{public_url}/requests/{number}");
    let recipients =
        approvers(tx, company, steps.get(step as usize), LocationId(location), MemberId(requester)).await?;
    for (email, locale) in &recipients {
        let locale = locale.as_deref().and_then(crate::i18n::Locale::parse).unwrap_or(fallback);
        let key = if reminder { "mail.approval.reminder" } else { "mail.approval.waiting" };
        let subject = tr!(locale, "mail.approval.subject", number = number.as_str());
        let body = format!("{}\n\n{link}\n", tr!(locale, key, name = name.as_str(), number = number.as_str()));
        super::platform::mail::enqueue(tx, email, &subject, &body, at).await?;
    }
    Ok(recipients.len())
}

/// Mails the requester what was decided (`decision`: an `approvals.outcome.*` code).
pub async fn mail_requester(
    public_url: &str,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    company: crate::domain::ids::CompanyId,
    id: i64,
    decision: &str,
    comment: &str,
    at: i64,
) -> Result<(), AppError> {
    use crate::i18n::tr;
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT u.email, u.locale FROM purchase_requests r JOIN members m ON m.id = r.requested_by \
         JOIN users u ON u.id = m.user_id WHERE r.id = $1 AND r.company_id = $2",
    )
    .bind(id)
    .bind(company.0)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((email, locale)) = row else { return Ok(()) };
    let fallback = company_locale(tx, company).await?;
    let locale = locale.as_deref().and_then(crate::i18n::Locale::parse).unwrap_or(fallback);
    let number = crate::domain::approval::request_number(id);
    let subject = tr!(locale, "mail.approval.decided_subject", number = number.as_str());
    let mut body = tr!(locale, &format!("approvals.outcome.{decision}"), order = "");
    if !comment.is_empty() {
        body.push_str(&format!("\n\n{comment}"));
    }
    body.push_str(&format!("\n\n{public_url}/requests/{number}\n"));
    super::platform::mail::enqueue(tx, &email, &subject, &body, at).await?;
    Ok(())
}

/// Runs on every app server: expires requests past their date and reminds approvers of
/// requests pending for 2 days, once each (claimed with a conditional update, so two servers
/// do not both send).
pub async fn follow(state: AppState) {
    loop {
        match sweep(&state.pool, &state.auth.public_url, now()).await {
            Ok((expired, reminded)) if expired + reminded > 0 => state.mail_wake.notify_one(),
            Ok(_) => {}
            Err(e) => tracing::warn!("approvals sweep: {e:?}"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(60)).await;
    }
}

pub const REMIND_AFTER_SECS: i64 = 2 * 86_400;

/// One pass of `follow` at time `at`; returns (expired, reminded).
pub async fn sweep(pool: &sqlx::AnyPool, public_url: &str, at: i64) -> Result<(usize, usize), AppError> {
    let expired: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, company_id FROM purchase_requests WHERE status IN ('pending', 'needs_review') AND expires_at <= $1",
    )
    .bind(at)
    .fetch_all(pool)
    .await?;
    let mut n_expired = 0;
    for (id, company) in expired {
        let mut tx = pool.begin().await?;
        let done = sqlx::query(
            "UPDATE purchase_requests SET status = 'expired', version = version + 1, decided_at = $1 \
             WHERE id = $2 AND status IN ('pending', 'needs_review') AND expires_at <= $1",
        )
        .bind(at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 1 {
            repo::add_event(&mut tx, id, None, "expired", "", at).await?;
            mail_requester(public_url, &mut tx, crate::domain::ids::CompanyId(company), id, "expired", "", at).await?;
            n_expired += 1;
        }
        tx.commit().await?;
    }
    let due: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, company_id FROM purchase_requests WHERE status = 'pending' AND reminded_at IS NULL AND created_at <= $1",
    )
    .bind(at - REMIND_AFTER_SECS)
    .fetch_all(pool)
    .await?;
    let mut n_reminded = 0;
    for (id, company) in due {
        let mut tx = pool.begin().await?;
        let done = sqlx::query("UPDATE purchase_requests SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL")
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 1 {
            mail_approvers(public_url, &mut tx, crate::domain::ids::CompanyId(company), id, true, at).await?;
            repo::add_event(&mut tx, id, None, "reminded", "", at).await?;
            n_reminded += 1;
        }
        tx.commit().await?;
    }
    Ok((n_expired, n_reminded))
}
