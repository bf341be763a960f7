//! Demo approvals for Acme (README): Acme's months run on Chicago time; buyer@acme.example may
//! spend 10,000 USD per order and 40,000 USD per month; the rule "order total above 25,000 USD:
//! an Admin, then Finance"; and three purchase requests from requester@acme.example, whose role
//! always needs approval: one waiting (admin@acme.example may decide it), one approved and
//! ordered, one rejected, each with its history. Idempotent: made once, by key.

use crate::backend::approvals::repo as requests;
use crate::backend::orders::repo as orders;
use crate::backend::platform::clock::now;
use crate::domain::approval::{Condition, Rule, Step};
use crate::domain::ids::{CompanyId, LocationId, MemberId, OrderId};
use crate::error::AppError;
use sqlx::AnyPool;

async fn id(pool: &AnyPool, sql: &str, param: &str) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(sql).bind(param).fetch_optional(pool).await?;
    Ok(row.map(|(id,)| id))
}

async fn member(pool: &AnyPool, company: i64, email: &str) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE m.company_id = $1 AND u.email = $2",
    )
    .bind(company)
    .bind(email)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(id,)| id))
}

pub async fn load(pool: &AnyPool) -> Result<(), AppError> {
    let Some(acme) = id(pool, "SELECT id FROM companies WHERE name = $1", "Acme Builders").await? else {
        return Ok(());
    };
    let company = CompanyId(acme);
    let (Some(ben), Some(rita), Some(dana)) = (
        member(pool, acme, "buyer@acme.example").await?,
        member(pool, acme, "requester@acme.example").await?,
        member(pool, acme, "admin@acme.example").await?,
    ) else {
        return Ok(());
    };
    // Set once: a company that changed them keeps its own.
    let (set,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM approval_rules WHERE company_id = $1").bind(acme).fetch_one(pool).await?;
    let mut tx = pool.begin().await?;
    if set == 0 {
        sqlx::query("UPDATE companies SET time_zone = 'America/Chicago' WHERE id = $1")
            .bind(acme)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE members SET order_limit_minor = 1000000, month_limit_minor = 4000000 WHERE id = $1")
            .bind(ben)
            .execute(&mut *tx)
            .await?;
        let admin = id(pool, "SELECT id FROM roles WHERE company_id IS NULL AND code = $1", "admin").await?;
        let finance = id(pool, "SELECT id FROM roles WHERE company_id IS NULL AND code = $1", "finance").await?;
        if let (Some(admin), Some(finance)) = (admin, finance) {
            let rule = Rule { id: 0, condition: Condition::TotalAbove(2_500_000), first: admin, second: Some(finance) };
            requests::insert_rule(&mut tx, company, &rule, now()).await?;
        }
    }
    tx.commit().await?;

    // Lines to request: the first three of one of Ben's demo orders, at their prices.
    let Some((order,)) = sqlx::query_as::<_, (i64,)>(
        "SELECT id FROM orders WHERE company_id = $1 AND placed_by = $2 ORDER BY id LIMIT 1",
    )
    .bind(acme)
    .bind(ben)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(());
    };
    let lines: Vec<_> = orders::lines(pool, company, OrderId(order)).await?.into_iter().take(3).collect();
    let Some(denver) = id(pool, "SELECT id FROM locations WHERE name = $1", "Denver Yard").await? else {
        return Ok(());
    };
    let day = 86_400;
    let t = now();
    for (key, status, age_days) in [
        ("demo-request-pending", "pending", 1),
        ("demo-request-ordered", "ordered", 9),
        ("demo-request-rejected", "rejected", 16),
    ] {
        if requests::request_by_key(pool, company, MemberId(rita), key).await?.is_some() {
            continue;
        }
        let created = t - age_days * day;
        let total: i64 = lines.iter().map(|l| l.line_total_minor).sum();
        let new_lines: Vec<requests::NewRequestLine> = lines
            .iter()
            .map(|l| {
                (
                    l.variant_id,
                    l.sku.as_str(),
                    l.name.as_str(),
                    l.unit.as_str(),
                    l.quantity,
                    l.unit_price_minor,
                    l.line_total_minor,
                )
            })
            .collect();
        let steps = requests::steps_text(&[Step { role: None }]);
        let mut tx = pool.begin().await?;
        let id = requests::insert(
            &mut tx,
            &requests::NewRequest {
                company,
                requested_by: MemberId(rita),
                location_id: LocationId(denver),
                buying_for: Some(LocationId(denver)),
                po_number: "PO-DEN-2211",
                note: "",
                requested_date: None,
                payment_terms: "net30",
                currency: "USD",
                total_minor: total,
                line_count: lines.len() as i64,
                fingerprint: "demo",
                idempotency_key: key,
                reasons: "no_permission",
                steps: &steps,
                created_at: created,
                expires_at: created + 14 * day,
                quote_id: None,
            },
            &new_lines,
        )
        .await?;
        requests::add_event(&mut tx, id, Some(MemberId(rita)), "requested", "", created).await?;
        match status {
            "ordered" => {
                let order_lines: Vec<orders::NewLine> = lines
                    .iter()
                    .map(|l| orders::NewLine {
                        variant_id: l.variant_id,
                        sku: &l.sku,
                        name: &l.name,
                        unit: &l.unit,
                        quantity: l.quantity,
                        unit_price_minor: l.unit_price_minor,
                        line_total_minor: l.line_total_minor,
                    })
                    .collect();
                let placed = created + day / 2;
                let order = orders::insert(
                    &mut tx,
                    &orders::NewOrder {
                        company,
                        placed_by: MemberId(rita),
                        location_id: LocationId(denver),
                        status: "placed",
                        po_number: "PO-DEN-2211",
                        note: "",
                        requested_date: None,
                        payment_terms: "net30",
                        currency: "USD",
                        total_minor: total,
                        line_count: lines.len() as i64,
                        idempotency_key: "request-demo-ordered",
                        placed_at: placed,
                        paid_at: None,
                    },
                    &order_lines,
                )
                .await?;
                sqlx::query("UPDATE purchase_requests SET status = 'ordered', step = 1, order_id = $1, decided_at = $2 WHERE id = $3")
                    .bind(order.0)
                    .bind(placed)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                requests::add_event(
                    &mut tx,
                    id,
                    Some(MemberId(dana)),
                    "approved",
                    "Approved for the Denver job.",
                    placed,
                )
                .await?;
                requests::add_event(&mut tx, id, None, "ordered", "", placed).await?;
            }
            "rejected" => {
                let at = created + day;
                sqlx::query("UPDATE purchase_requests SET status = 'rejected', decided_at = $1 WHERE id = $2")
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                requests::add_event(
                    &mut tx,
                    id,
                    Some(MemberId(dana)),
                    "rejected",
                    "We have these in stock in Chicago; ask Ben to transfer them.",
                    at,
                )
                .await?;
            }
            _ => {}
        }
        tx.commit().await?;
    }
    Ok(())
}
