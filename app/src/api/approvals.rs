//! Purchase requests and approvals: the requester's list and request page, the approver's queue
//! and decisions, and (with `approvals.manage`) rules and spending limits. A request is named by
//! its number (`R-10001`); another company's, or one the caller may not see, is NotFound.

use crate::domain::ids::MemberId;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestSummaryDto {
    pub number: String,
    /// `pending`, `needs_review`, `ordered`, `rejected`, `cancelled`, `expired`.
    pub status: String,
    pub requested: String,
    pub requester: String,
    pub location: String,
    pub total: String,
    pub line_count: i64,
    /// Who is asked now (translated role, or "an approver"); empty once decided.
    pub waiting_for: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestLineDto {
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price: String,
    pub line_total: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepDto {
    pub approver: String,
    pub done: bool,
    pub current: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDto {
    pub at: String,
    pub who: String,
    /// `approvals.event.<code>` translates it.
    pub event: String,
    pub comment: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestDto {
    pub summary: RequestSummaryDto,
    pub version: i64,
    pub po_number: String,
    pub note: String,
    pub lines: Vec<RequestLineDto>,
    pub reasons: Vec<String>,
    pub steps: Vec<StepDto>,
    pub history: Vec<EventDto>,
    /// The requester's spending this month against their monthly limit, formatted, when set.
    pub budget: Option<String>,
    pub order_number: Option<String>,
    pub can_decide: bool,
    pub can_cancel: bool,
    pub can_copy: bool,
}

#[cfg(feature = "ssr")]
mod convert {
    use super::*;
    use crate::backend::approvals::RequestRow;
    use crate::backend::platform::{guard::Actor, state::AppState};
    use crate::domain::approval::{RequestStatus, Step};
    use crate::i18n::{tr, Locale};

    /// A step's approver in the viewer's words: a role's name, or "an approver".
    pub async fn approver(state: &AppState, actor: &Actor, step: &Step, locale: Locale) -> Result<String, AppError> {
        Ok(match step.role {
            None => tr!(locale, "approvals.any_approver"),
            Some(role) => {
                match crate::backend::team::repo::role(
                    &state.pool,
                    actor.company_id(),
                    crate::domain::ids::RoleId(role),
                )
                .await?
                {
                    Some(r) => crate::api::team::role_label(locale, &r.code, &r.name),
                    None => tr!(locale, "approvals.any_approver"),
                }
            }
        })
    }

    pub async fn reasons(
        state: &AppState,
        actor: &Actor,
        text: &str,
        currency: &str,
        locale: Locale,
    ) -> Result<Vec<String>, AppError> {
        let rules = crate::backend::approvals::rules(state, actor).await?;
        let mut out = vec![];
        for part in text.split(',').filter(|p| !p.is_empty()) {
            let mut bits = part.split(':');
            let code = bits.next().unwrap_or_default();
            let nums: Vec<i64> = bits.filter_map(|b| b.parse().ok()).collect();
            out.push(match (code, nums.as_slice()) {
                ("no_permission", _) => tr!(locale, "approvals.reason.no_permission"),
                ("order_limit", [limit]) => {
                    tr!(
                        locale,
                        "approvals.reason.order_limit",
                        limit = crate::format::money_minor(*limit, currency, locale)
                    )
                }
                ("month_limit", [limit, spent]) => tr!(
                    locale,
                    "approvals.reason.month_limit",
                    limit = crate::format::money_minor(*limit, currency, locale),
                    spent = crate::format::money_minor(*spent, currency, locale)
                ),
                ("over_credit", [available]) => tr!(
                    locale,
                    "approvals.reason.over_credit",
                    available = crate::format::money_minor(*available, currency, locale)
                ),
                ("rule", [id]) => match rules.iter().find(|r| r.id == *id) {
                    Some(rule) => rule_text(state, actor, rule, currency, locale).await?,
                    None => tr!(locale, "approvals.reason.rule_gone"),
                },
                _ => continue,
            });
        }
        Ok(out)
    }

    /// "Order total above 25,000.00 $", "Any line in Valves", "Ships to Denver Yard", "Role: Buyer".
    pub async fn rule_text(
        state: &AppState,
        actor: &Actor,
        rule: &crate::domain::approval::Rule,
        currency: &str,
        locale: Locale,
    ) -> Result<String, AppError> {
        use crate::domain::approval::Condition;
        let company = actor.company_id();
        Ok(match rule.condition {
            Condition::TotalAbove(amount) => {
                tr!(locale, "approvals.rule.total_above", amount = crate::format::money_minor(amount, currency, locale))
            }
            Condition::Category(c) => {
                let catalog = state.read.catalog(&state.pool, actor.seen).await?;
                tr!(locale, "approvals.rule.category", category = catalog.meta.category_path(c, locale))
            }
            Condition::Location(l) => {
                let name =
                    crate::backend::team::repo::location(&state.pool, company, crate::domain::ids::LocationId(l))
                        .await?
                        .map(|l| l.name)
                        .unwrap_or_default();
                tr!(locale, "approvals.rule.location", location = name)
            }
            Condition::Role(r) => {
                let step = Step { role: Some(r) };
                tr!(locale, "approvals.rule.role", role = approver(state, actor, &step, locale).await?)
            }
        })
    }

    pub async fn summary(
        state: &AppState,
        actor: &Actor,
        r: &RequestRow,
        locale: Locale,
    ) -> Result<RequestSummaryDto, AppError> {
        let open = RequestStatus::parse(&r.status).is_some_and(|s| s.open());
        let waiting_for = match (open, r.steps.get(r.step as usize)) {
            (true, Some(step)) => approver(state, actor, step, locale).await?,
            _ => String::new(),
        };
        Ok(RequestSummaryDto {
            number: crate::domain::approval::request_number(r.id),
            status: if open && r.expires_at <= crate::backend::platform::clock::now() {
                "expired".into()
            } else {
                r.status.clone()
            },
            requested: crate::format::date(r.created_at, locale),
            requester: r.requester_name.clone(),
            location: r.location_name.clone(),
            total: crate::format::money_minor(r.total_minor, &r.currency, locale),
            line_count: r.line_count,
            waiting_for,
        })
    }
}

/// The steps and reasons of a checkout's verdict, in the viewer's words (the checkout page).
#[cfg(feature = "ssr")]
pub async fn describe_verdict(
    state: &crate::backend::platform::state::AppState,
    actor: &crate::backend::platform::guard::Actor,
    verdict: &crate::domain::approval::Verdict,
    locale: crate::i18n::Locale,
) -> Result<(Vec<String>, Vec<String>), AppError> {
    let mut by = vec![];
    for step in &verdict.steps {
        by.push(convert::approver(state, actor, step, locale).await?);
    }
    let (_, _, currency) = crate::backend::approvals::repo::company_settings(&state.pool, actor.company_id()).await?;
    let reasons =
        convert::reasons(state, actor, &crate::backend::approvals::reasons_text(&verdict.reasons), &currency, locale)
            .await?;
    Ok((by, reasons))
}

fn request_id(number: &str) -> Result<i64, AppError> {
    crate::domain::approval::parse_request_number(number).ok_or(AppError::NotFound)
}

/// The caller's purchase requests (the company's, with `orders.view_all` and `all`), newest first.
#[server(endpoint = "approvals/requests")]
pub async fn list_requests(#[server(default)] all: bool) -> Result<Vec<RequestSummaryDto>, AppError> {
    use crate::backend::{approvals, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CatalogView).await?;
    let locale = crate::i18n::request_locale();
    let mut out = vec![];
    for r in approvals::list(&state, &actor, all).await? {
        out.push(convert::summary(&state, &actor, &r, locale).await?);
    }
    Ok(out)
}

/// What waits for the caller's decision now.
#[server(endpoint = "approvals/queue")]
pub async fn queue() -> Result<Vec<RequestSummaryDto>, AppError> {
    use crate::backend::{approvals, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::OrdersApprove).await?;
    let locale = crate::i18n::request_locale();
    let mut out = vec![];
    for r in approvals::queue(&state, &actor).await? {
        out.push(convert::summary(&state, &actor, &r, locale).await?);
    }
    Ok(out)
}

/// What the caller approved or rejected, newest first.
#[server(endpoint = "approvals/decided")]
pub async fn decided() -> Result<Vec<RequestSummaryDto>, AppError> {
    use crate::backend::{approvals, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::OrdersApprove).await?;
    let locale = crate::i18n::request_locale();
    let mut out = vec![];
    for r in approvals::decided_by(&state, &actor).await? {
        out.push(convert::summary(&state, &actor, &r, locale).await?);
    }
    Ok(out)
}

#[server(endpoint = "approvals/get")]
pub async fn get_request(number: String) -> Result<RequestDto, AppError> {
    use crate::backend::{approvals, platform::clock::month_start, platform::clock::now, platform::guard::authorize};
    use crate::domain::approval::RequestStatus;
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CatalogView).await?;
    let locale = crate::i18n::request_locale();
    let r = approvals::get(&state, &actor, request_id(&number)?).await?;
    let company = actor.company_id();
    let lines = approvals::lines(&state, &actor, &r).await?;
    let mut steps = vec![];
    for (i, step) in r.steps.iter().enumerate() {
        let done = (i as i64) < r.step || r.status == "ordered";
        steps.push(StepDto {
            approver: convert::approver(&state, &actor, step, locale).await?,
            done,
            current: !done && i as i64 == r.step && RequestStatus::parse(&r.status).is_some_and(|s| s.open()),
        });
    }
    let history = approvals::events(&state, &actor, &r)
        .await?
        .into_iter()
        .map(|(at, who, event, comment)| EventDto { at: crate::format::date_time(at, locale), who, event, comment })
        .collect();
    let (limits, _) = approvals::repo::member_facts(&state.pool, company, r.requested_by).await?.unwrap_or_default();
    let (time_zone, _, currency) = approvals::repo::company_settings(&state.pool, company).await?;
    let budget = match limits.per_month {
        Some(limit) => {
            let spent = approvals::repo::spent_since(
                &state.pool,
                company,
                r.requested_by,
                &currency,
                month_start(&time_zone, now()),
            )
            .await?;
            Some(crate::i18n::tr!(
                locale,
                "approvals.budget",
                spent = crate::format::money_minor(spent, &currency, locale),
                limit = crate::format::money_minor(limit, &currency, locale)
            ))
        }
        None => None,
    };
    let open = RequestStatus::parse(&r.status).is_some_and(|s| s.open()) && r.expires_at > now();
    let mine = r.requested_by == actor.member_id;
    Ok(RequestDto {
        summary: convert::summary(&state, &actor, &r, locale).await?,
        version: r.version,
        po_number: r.po_number.clone(),
        note: r.note.clone(),
        lines: lines
            .into_iter()
            .map(|l| RequestLineDto {
                unit_price: crate::format::money_minor(l.unit_price_minor, &r.currency, locale),
                line_total: crate::format::money_minor(l.line_total_minor, &r.currency, locale),
                sku: l.sku,
                name: l.name,
                quantity: l.quantity,
            })
            .collect(),
        reasons: convert::reasons(&state, &actor, &r.reasons, &r.currency, locale).await?,
        steps,
        history,
        budget,
        order_number: r
            .order_id
            .map(|id| crate::domain::order::OrderNumber::from_id(crate::domain::ids::OrderId(id)).to_string()),
        can_decide: open && approvals::may_decide(&state, &actor, &r).await?,
        can_cancel: open && mine,
        can_copy: mine && actor.permissions.allows(Permission::CartManage) && !open && r.status != "ordered",
    })
}

/// What a decision came to, for the page's notice: `ordered` (with the order number), `next`
/// (the next approver is asked), `review` (figures changed), `rejected`, `cancelled`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionDto {
    pub outcome: String,
    pub order_number: Option<String>,
}

#[cfg(feature = "ssr")]
fn decision(d: crate::backend::approvals::Decided) -> DecisionDto {
    use crate::backend::approvals::Decided;
    let (outcome, order) = match d {
        Decided::NextStep => ("next", None),
        Decided::Ordered(n) => ("ordered", Some(n.to_string())),
        Decided::NeedsReview(_) => ("review", None),
        Decided::Rejected => ("rejected", None),
        Decided::Cancelled => ("cancelled", None),
    };
    DecisionDto { outcome: outcome.into(), order_number: order }
}

/// Approves the request's current step at `version`; `accept_changes` approves new figures of a
/// request that needs review.
#[server(endpoint = "approvals/approve")]
pub async fn approve(
    number: String,
    version: i64,
    #[server(default)] comment: String,
    #[server(default)] accept_changes: Option<String>,
) -> Result<DecisionDto, AppError> {
    use crate::backend::{approvals, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::OrdersApprove).await?;
    let locale = crate::i18n::request_locale();
    let d =
        approvals::approve(&state, &actor, request_id(&number)?, version, &comment, accept_changes.is_some(), locale)
            .await?;
    Ok(decision(d))
}

/// Rejects the request (a comment is required).
#[server(endpoint = "approvals/reject")]
pub async fn reject(number: String, version: i64, #[server(default)] comment: String) -> Result<DecisionDto, AppError> {
    use crate::backend::{approvals, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::OrdersApprove).await?;
    Ok(decision(approvals::reject(&state, &actor, request_id(&number)?, version, &comment).await?))
}

/// The requester withdraws their open request.
#[server(endpoint = "approvals/cancel")]
pub async fn cancel(number: String, version: i64) -> Result<DecisionDto, AppError> {
    use crate::backend::{approvals, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    Ok(decision(approvals::cancel(&state, &actor, request_id(&number)?, version).await?))
}

/// A decided (not ordered) request's lines back into the requester's cart; answers how many.
#[server(endpoint = "approvals/to_cart")]
pub async fn to_cart(number: String) -> Result<usize, AppError> {
    use crate::backend::{approvals, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CartManage).await?;
    let locale = crate::i18n::request_locale();
    let added = approvals::to_cart(&state, &actor, request_id(&number)?, locale).await?;
    Ok(added.added)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleDto {
    pub id: i64,
    pub text: String,
    pub approvers: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LimitDto {
    pub member: i64,
    pub name: String,
    pub email: String,
    /// Decimal amounts in the company currency ("10000.00"); empty: no limit.
    pub per_order: String,
    pub per_month: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApprovalSettingsDto {
    pub currency: String,
    pub rules: Vec<RuleDto>,
    pub limits: Vec<LimitDto>,
    /// (id, label) to build rules from.
    pub roles: Vec<(i64, String)>,
    pub locations: Vec<(i64, String)>,
    pub categories: Vec<(i64, String)>,
}

/// Rules and limits for /team/approvals.
#[server(endpoint = "approvals/settings")]
pub async fn settings() -> Result<ApprovalSettingsDto, AppError> {
    use crate::backend::{approvals, platform::guard::authorize, team};
    use crate::domain::money::{Currency, Money};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::ApprovalsManage).await?;
    let locale = crate::i18n::request_locale();
    let company = actor.company_id();
    let (_, _, currency) = approvals::repo::company_settings(&state.pool, company).await?;
    let c = Currency::parse(&currency).map_err(AppError::internal)?;
    let mut rules = vec![];
    for rule in approvals::rules(&state, &actor).await? {
        let mut approvers = vec![];
        for role in std::iter::once(rule.first).chain(rule.second) {
            let step = crate::domain::approval::Step { role: Some(role) };
            approvers.push(convert::approver(&state, &actor, &step, locale).await?);
        }
        rules.push(RuleDto {
            id: rule.id,
            text: convert::rule_text(&state, &actor, &rule, &currency, locale).await?,
            approvers,
        });
    }
    let everyone = team::MemberFilter { limit: 10_000, active: Some(true), ..Default::default() };
    let (members, _) = team::list_members(&state, &actor, &everyone).await?;
    let mut limits = vec![];
    for m in members {
        let (l, _) = approvals::repo::member_facts(&state.pool, company, m.id).await?.unwrap_or_default();
        let show = |v: Option<i64>| v.map(|v| Money::from_minor(v, c).to_decimal_string()).unwrap_or_default();
        limits.push(LimitDto {
            member: m.id.0,
            name: m.display_name,
            email: m.email,
            per_order: show(l.per_order),
            per_month: show(l.per_month),
        });
    }
    let roles = team::roles::list(&state, &actor)
        .await?
        .into_iter()
        .map(|r| (r.id.0, crate::api::team::role_label(locale, &r.code, &r.name)))
        .collect();
    let locations = team::list_locations(&state, &actor).await?.into_iter().map(|l| (l.id.0, l.name)).collect();
    let catalog = state.read.catalog(&state.pool, actor.seen).await?;
    let categories = catalog.meta.categories.iter().map(|c| (c.id, catalog.meta.category_path(c.id, locale))).collect();
    Ok(ApprovalSettingsDto { currency, rules, limits, roles, locations, categories })
}

/// Adds a rule: `kind` `total_above` (`value` an amount typed in the company currency),
/// `category`, `location` or `role` (`value` that id); `first` approves, then `second` if set.
#[server(endpoint = "approvals/add_rule")]
pub async fn add_rule(
    kind: String,
    value: String,
    first: i64,
    #[server(default)] second: String,
) -> Result<i64, AppError> {
    use crate::backend::{approvals, platform::guard::authorize};
    use crate::domain::approval::{Condition, Rule};
    use crate::domain::money::{Currency, Money};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::ApprovalsManage).await?;
    let (_, _, currency) = approvals::repo::company_settings(&state.pool, actor.company_id()).await?;
    let c = Currency::parse(&currency).map_err(AppError::internal)?;
    let number = match kind.as_str() {
        "total_above" => Money::parse_decimal(&value, c).map(Money::minor),
        _ => value.trim().parse::<i64>().ok(),
    }
    .ok_or_else(|| AppError::invalid("value", "approvals.value_invalid"))?;
    let condition = Condition::parse(&kind, number).ok_or_else(|| AppError::invalid("kind", "error.bad_request"))?;
    let second = match second.trim() {
        "" => None,
        s => Some(s.parse::<i64>().map_err(|_| AppError::invalid("second", "error.bad_request"))?),
    };
    approvals::add_rule(&state, &actor, Rule { id: 0, condition, first, second }).await
}

#[server(endpoint = "approvals/delete_rule")]
pub async fn delete_rule(rule: i64) -> Result<i64, AppError> {
    use crate::backend::{approvals, platform::guard::authorize};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::ApprovalsManage).await?;
    approvals::delete_rule(&state, &actor, rule).await?;
    Ok(rule)
}

/// A member's limits, typed in the company currency; empty: no limit.
#[server(endpoint = "approvals/set_limits")]
pub async fn set_limits(
    member: MemberId,
    #[server(default)] per_order: String,
    #[server(default)] per_month: String,
) -> Result<i64, AppError> {
    use crate::backend::{approvals, platform::guard::authorize};
    use crate::domain::approval::Limits;
    use crate::domain::money::{Currency, Money};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::ApprovalsManage).await?;
    let (_, _, currency) = approvals::repo::company_settings(&state.pool, actor.company_id()).await?;
    let c = Currency::parse(&currency).map_err(AppError::internal)?;
    let parse = |raw: &str, field: &str| -> Result<Option<i64>, AppError> {
        if raw.trim().is_empty() {
            return Ok(None);
        }
        Money::parse_decimal(raw, c)
            .map(|m| Some(m.minor()))
            .ok_or_else(|| AppError::invalid(field, "approvals.limit_invalid"))
    };
    let limits = Limits { per_order: parse(&per_order, "per_order")?, per_month: parse(&per_month, "per_month")? };
    approvals::set_limits(&state, &actor, member, limits).await?;
    Ok(member.0)
}
