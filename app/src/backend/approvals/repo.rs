//! SQL for approval rules, spending limits and purchase requests. Every query takes the caller's
//! `CompanyId`; request lines and events are reached through their request's company.

use crate::domain::approval::{Condition, Limits, Rule, Step};
use crate::domain::ids::{CompanyId, LocationId, MemberId};
use sqlx::{Any, AnyPool, Executor, Transaction};

pub async fn rules(pool: &AnyPool, company: CompanyId) -> Result<Vec<Rule>, sqlx::Error> {
    let rows: Vec<(i64, String, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, kind, value, first_role_id, second_role_id FROM approval_rules WHERE company_id = $1 ORDER BY id",
    )
    .bind(company.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, kind, value, first, second)| {
            Condition::parse(&kind, value).map(|condition| Rule { id, condition, first, second })
        })
        .collect())
}

pub async fn insert_rule(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    rule: &Rule,
    now: i64,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO approval_rules (company_id, kind, value, first_role_id, second_role_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(company.0)
    .bind(rule.condition.kind())
    .bind(rule.condition.value())
    .bind(rule.first)
    .bind(rule.second)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

pub async fn delete_rule(tx: &mut Transaction<'_, Any>, company: CompanyId, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM approval_rules WHERE id = $1 AND company_id = $2")
        .bind(id)
        .bind(company.0)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The member's limits and role.
pub async fn member_facts(
    pool: &AnyPool,
    company: CompanyId,
    member: MemberId,
) -> Result<Option<(Limits, i64)>, sqlx::Error> {
    let row: Option<(Option<i64>, Option<i64>, i64)> = sqlx::query_as(
        "SELECT order_limit_minor, month_limit_minor, role_id FROM members WHERE id = $1 AND company_id = $2",
    )
    .bind(member.0)
    .bind(company.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(per_order, per_month, role)| (Limits { per_order, per_month }, role)))
}

pub async fn set_limits(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    member: MemberId,
    limits: Limits,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE members SET order_limit_minor = $1, month_limit_minor = $2 WHERE id = $3 AND company_id = $4",
    )
    .bind(limits.per_order)
    .bind(limits.per_month)
    .bind(member.0)
    .bind(company.0)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The company's time zone, request expiry in days and currency.
pub async fn company_settings(pool: &AnyPool, company: CompanyId) -> Result<(String, i64, String), sqlx::Error> {
    sqlx::query_as("SELECT time_zone, request_expiry_days, currency FROM companies WHERE id = $1")
        .bind(company.0)
        .fetch_one(pool)
        .await
}

/// What counts against the member's monthly limit since `since`: placed orders that are not
/// cancelled, plus requests still waiting for a decision.
pub async fn spent_since<'c, E: Executor<'c, Database = Any> + Copy>(
    executor: E,
    company: CompanyId,
    member: MemberId,
    currency: &str,
    since: i64,
) -> Result<i64, sqlx::Error> {
    let (orders,): (Option<i64>,) = sqlx::query_as(
        "SELECT CAST(SUM(total_minor) AS BIGINT) FROM orders WHERE company_id = $1 AND placed_by = $2 AND currency = $3 \
         AND placed_at >= $4 AND status <> 'cancelled'",
    )
    .bind(company.0)
    .bind(member.0)
    .bind(currency)
    .bind(since)
    .fetch_one(executor)
    .await?;
    let (requests,): (Option<i64>,) = sqlx::query_as(
        "SELECT CAST(SUM(total_minor) AS BIGINT) FROM purchase_requests WHERE company_id = $1 AND requested_by = $2 AND currency = $3 \
         AND created_at >= $4 AND status IN ('pending', 'needs_review')",
    )
    .bind(company.0)
    .bind(member.0)
    .bind(currency)
    .bind(since)
    .fetch_one(executor)
    .await?;
    Ok(orders.unwrap_or(0).saturating_add(requests.unwrap_or(0)))
}

#[derive(Clone, Debug)]
pub struct RequestRow {
    pub id: i64,
    pub requested_by: MemberId,
    pub requester_name: String,
    pub location_id: LocationId,
    pub location_name: String,
    pub status: String,
    pub po_number: String,
    pub note: String,
    pub requested_date: Option<i64>,
    pub payment_terms: String,
    pub currency: String,
    pub total_minor: i64,
    pub line_count: i64,
    pub idempotency_key: String,
    pub reasons: String,
    pub steps: Vec<Step>,
    pub step: i64,
    pub version: i64,
    pub order_id: Option<i64>,
    pub created_at: i64,
    pub expires_at: i64,
    /// The accepted quote it was made from: placed at the quote's offered prices.
    pub quote_id: Option<i64>,
}

const REQUEST_SELECT: &str =
    "SELECT r.id, r.requested_by, u.display_name, r.location_id, l.name, r.status, r.po_number, \
     r.note, r.requested_date, r.payment_terms, r.currency, r.total_minor, r.line_count, r.idempotency_key, r.reasons, \
     r.steps, r.step, r.version, r.order_id, r.created_at, r.expires_at, r.quote_id \
     FROM purchase_requests r JOIN members m ON m.id = r.requested_by JOIN users u ON u.id = m.user_id \
     JOIN locations l ON l.id = r.location_id";

/// Steps as stored: role ids, `*` for "any approver", comma separated.
pub fn steps_text(steps: &[Step]) -> String {
    steps.iter().map(|s| s.role.map(|r| r.to_string()).unwrap_or_else(|| "*".into())).collect::<Vec<_>>().join(",")
}

fn parse_steps(text: &str) -> Vec<Step> {
    text.split(',').filter(|s| !s.is_empty()).map(|s| Step { role: s.parse().ok() }).collect()
}

fn request_row(row: &sqlx::any::AnyRow) -> Result<RequestRow, sqlx::Error> {
    use sqlx::Row;
    Ok(RequestRow {
        id: row.try_get(0)?,
        requested_by: MemberId(row.try_get(1)?),
        requester_name: row.try_get(2)?,
        location_id: LocationId(row.try_get(3)?),
        location_name: row.try_get(4)?,
        status: row.try_get(5)?,
        po_number: row.try_get(6)?,
        note: row.try_get(7)?,
        requested_date: row.try_get(8)?,
        payment_terms: row.try_get(9)?,
        currency: row.try_get(10)?,
        total_minor: row.try_get(11)?,
        line_count: row.try_get(12)?,
        idempotency_key: row.try_get(13)?,
        reasons: row.try_get(14)?,
        steps: parse_steps(&row.try_get::<String, _>(15)?),
        step: row.try_get(16)?,
        version: row.try_get(17)?,
        order_id: row.try_get(18)?,
        created_at: row.try_get(19)?,
        expires_at: row.try_get(20)?,
        quote_id: row.try_get(21)?,
    })
}

pub async fn request(pool: &AnyPool, company: CompanyId, id: i64) -> Result<Option<RequestRow>, sqlx::Error> {
    let row = sqlx::query(&format!("{REQUEST_SELECT} WHERE r.id = $1 AND r.company_id = $2"))
        .bind(id)
        .bind(company.0)
        .fetch_optional(pool)
        .await?;
    row.as_ref().map(request_row).transpose()
}

pub async fn request_by_key(
    pool: &AnyPool,
    company: CompanyId,
    member: MemberId,
    key: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM purchase_requests WHERE company_id = $1 AND requested_by = $2 AND idempotency_key = $3",
    )
    .bind(company.0)
    .bind(member.0)
    .bind(key)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Newest first: one member's (`Some`), or the company's.
pub async fn requests(
    pool: &AnyPool,
    company: CompanyId,
    by: Option<MemberId>,
    limit: i64,
) -> Result<Vec<RequestRow>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{REQUEST_SELECT} WHERE r.company_id = $1 AND ($2 = 0 OR r.requested_by = $2) ORDER BY r.id DESC LIMIT $3"
    ))
    .bind(company.0)
    .bind(by.map(|m| m.0).unwrap_or(0))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter().map(request_row).collect()
}

pub struct NewRequest<'a> {
    pub company: CompanyId,
    pub requested_by: MemberId,
    pub location_id: LocationId,
    pub buying_for: Option<LocationId>,
    pub po_number: &'a str,
    pub note: &'a str,
    pub requested_date: Option<i64>,
    pub payment_terms: &'a str,
    pub currency: &'a str,
    pub total_minor: i64,
    pub line_count: i64,
    pub fingerprint: &'a str,
    pub idempotency_key: &'a str,
    pub reasons: &'a str,
    pub steps: &'a str,
    pub created_at: i64,
    pub expires_at: i64,
    pub quote_id: Option<i64>,
}

/// (variant, sku, name, unit, quantity, unit price, line total)
pub type NewRequestLine<'a> = (i64, &'a str, &'a str, &'a str, i64, i64, i64);

pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    r: &NewRequest<'_>,
    lines: &[NewRequestLine<'_>],
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO purchase_requests (company_id, requested_by, location_id, buying_for, status, po_number, note, \
         requested_date, payment_terms, currency, total_minor, line_count, fingerprint, idempotency_key, reasons, \
         steps, step, version, created_at, expires_at, quote_id) \
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 0, 1, $16, $17, $18) RETURNING id",
    )
    .bind(r.company.0)
    .bind(r.requested_by.0)
    .bind(r.location_id.0)
    .bind(r.buying_for.map(|l| l.0))
    .bind(r.po_number)
    .bind(r.note)
    .bind(r.requested_date)
    .bind(r.payment_terms)
    .bind(r.currency)
    .bind(r.total_minor)
    .bind(r.line_count)
    .bind(r.fingerprint)
    .bind(r.idempotency_key)
    .bind(r.reasons)
    .bind(r.steps)
    .bind(r.created_at)
    .bind(r.expires_at)
    .bind(r.quote_id)
    .fetch_one(&mut **tx)
    .await?;
    replace_lines(tx, id, lines).await?;
    Ok(id)
}

/// The request's lines, replaced (at creation, and when an approver accepts new figures).
pub async fn replace_lines(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    lines: &[NewRequestLine<'_>],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM purchase_request_lines WHERE request_id = $1").bind(id).execute(&mut **tx).await?;
    for (i, (variant, sku, name, unit, quantity, unit_price, total)) in lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO purchase_request_lines (request_id, line_no, variant_id, sku, name, unit, quantity, \
             unit_price_minor, line_total_minor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(*variant)
        .bind(*sku)
        .bind(*name)
        .bind(*unit)
        .bind(*quantity)
        .bind(*unit_price)
        .bind(*total)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[derive(Clone, Debug)]
pub struct LineRow {
    pub variant_id: i64,
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
    pub line_total_minor: i64,
}

pub async fn lines(pool: &AnyPool, company: CompanyId, id: i64) -> Result<Vec<LineRow>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT variant_id, sku, name, unit, quantity, unit_price_minor, line_total_minor FROM purchase_request_lines \
         WHERE request_id IN (SELECT id FROM purchase_requests WHERE id = $1 AND company_id = $2) ORDER BY line_no",
    )
    .bind(id)
    .bind(company.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(variant_id, sku, name, unit, quantity, unit_price_minor, line_total_minor)| LineRow {
            variant_id,
            sku,
            name,
            unit,
            quantity,
            unit_price_minor,
            line_total_minor,
        })
        .collect())
}

/// (at, actor name, event, comment), oldest first.
pub async fn events(
    pool: &AnyPool,
    company: CompanyId,
    id: i64,
) -> Result<Vec<(i64, String, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT at, actor_name, event, comment FROM purchase_request_events \
         WHERE request_id IN (SELECT id FROM purchase_requests WHERE id = $1 AND company_id = $2) ORDER BY id",
    )
    .bind(id)
    .bind(company.0)
    .fetch_all(pool)
    .await
}

pub async fn add_event(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    member: Option<MemberId>,
    event: &str,
    comment: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO purchase_request_events (request_id, at, member_id, actor_name, event, comment) \
         VALUES ($1, $2, $3, COALESCE((SELECT u.display_name FROM members m JOIN users u ON u.id = m.user_id \
         WHERE m.id = $3), ''), $4, $5)",
    )
    .bind(id)
    .bind(at)
    .bind(member.map(|m| m.0))
    .bind(event)
    .bind(comment)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The compare-and-set every change of a request starts with: from `version` in an open state
/// and not expired, to `status` at the next version (and `step`). False: someone else decided
/// first, or it expired.
#[allow(clippy::too_many_arguments)]
pub async fn transition(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    id: i64,
    version: i64,
    status: &str,
    step: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE purchase_requests SET status = $1, step = $2, version = version + 1, \
         decided_at = CASE WHEN $1 IN ('pending', 'needs_review') THEN decided_at ELSE $3 END \
         WHERE id = $4 AND company_id = $5 AND version = $6 AND status IN ('pending', 'needs_review') AND expires_at > $3",
    )
    .bind(status)
    .bind(step)
    .bind(now)
    .bind(id)
    .bind(company.0)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_order(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    id: i64,
    order: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE purchase_requests SET order_id = $1 WHERE id = $2 AND company_id = $3")
        .bind(order)
        .bind(id)
        .bind(company.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn set_figures(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    id: i64,
    total_minor: i64,
    fingerprint: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE purchase_requests SET total_minor = $1, fingerprint = $2 WHERE id = $3 AND company_id = $4")
        .bind(total_minor)
        .bind(fingerprint)
        .bind(id)
        .bind(company.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The open purchase request made from a quote, if any.
pub async fn open_request_of_quote(pool: &AnyPool, company: CompanyId, quote: i64) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM purchase_requests WHERE company_id = $1 AND quote_id = $2 AND status IN ('pending', 'needs_review')",
    )
    .bind(company.0)
    .bind(quote)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(id,)| id))
}
