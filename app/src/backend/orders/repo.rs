//! SQL for orders, their lines, timeline and shipments, and the company's terms. Every query
//! takes the company (lines, events and shipments are reached through their order's company);
//! member-scoped reads take the member too.

use crate::domain::ids::{CompanyId, LocationId, MemberId, OrderId};
use sqlx::{Any, AnyPool, Transaction};

pub struct CompanyTerms {
    pub payment_terms: String,
    pub credit_limit_minor: i64,
    pub po_required: bool,
    pub currency: String,
    /// An order above the available credit waits for approval instead of being refused.
    pub over_credit_approval: bool,
}

pub async fn terms(pool: &AnyPool, company: CompanyId) -> Result<Option<CompanyTerms>, sqlx::Error> {
    let row: Option<(String, i64, i64, String, String)> = sqlx::query_as(
        "SELECT payment_terms, credit_limit_minor, po_required, currency, over_credit FROM companies WHERE id = $1",
    )
    .bind(company.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(payment_terms, credit_limit_minor, po_required, currency, over_credit)| CompanyTerms {
        payment_terms,
        credit_limit_minor,
        po_required: po_required != 0,
        currency,
        over_credit_approval: over_credit == "approval",
    }))
}

/// What the company owes on credit, in one currency (minor units): what its open invoices still
/// owe, plus what placed, uncancelled, unpaid orders total beyond their (non-void) invoices. The
/// one definition checkout, placing and /invoices use; another currency is never summed in.
pub async fn credit_balance<'e, E: sqlx::Executor<'e, Database = Any>>(
    executor: E,
    company: CompanyId,
    currency: &str,
) -> Result<i64, sqlx::Error> {
    // (CAST: PostgreSQL sums BIGINTs as NUMERIC.)
    let (total,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE((SELECT SUM(i.total_minor - i.paid_minor) FROM invoices i \
           WHERE i.company_id = $1 AND i.currency = $2 AND i.status IN ('open', 'partly_paid')), 0) \
         + COALESCE((SELECT SUM(o.total_minor - COALESCE((SELECT SUM(v.total_minor) FROM invoices v \
           WHERE v.order_id = o.id AND v.status <> 'void'), 0)) FROM orders o \
           WHERE o.company_id = $1 AND o.currency = $2 AND o.paid_at IS NULL AND o.status <> 'cancelled'), 0) AS BIGINT)",
    )
    .bind(company.0)
    .bind(currency)
    .fetch_one(executor)
    .await?;
    Ok(total)
}

pub struct ShipTo {
    pub id: LocationId,
    pub name: String,
    pub address: String,
    pub city: String,
    pub country: String,
}

/// The locations this member may have orders shipped to.
pub async fn ship_to_locations(
    pool: &AnyPool,
    company: CompanyId,
    member: MemberId,
) -> Result<Vec<ShipTo>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT l.id, l.name, l.address, l.city, l.country FROM locations l \
         JOIN member_locations ml ON ml.location_id = l.id \
         WHERE ml.member_id = $1 AND l.company_id = $2 AND l.kind IN ('ship_to', 'both') ORDER BY l.name",
    )
    .bind(member.0)
    .bind(company.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, address, city, country)| ShipTo { id: LocationId(id), name, address, city, country })
        .collect())
}

/// The order this member's placement with this key already made, if any (a colleague's key
/// finds nothing: keys are random per checkout view, and never reveal another's order).
pub async fn by_idempotency_key<'e, E: sqlx::Executor<'e, Database = Any>>(
    executor: E,
    company: CompanyId,
    member: MemberId,
    key: &str,
) -> Result<Option<OrderId>, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM orders WHERE company_id = $1 AND placed_by = $2 AND idempotency_key = $3")
            .bind(company.0)
            .bind(member.0)
            .bind(key)
            .fetch_optional(executor)
            .await?;
    Ok(row.map(|(id,)| OrderId(id)))
}

pub struct NewOrder<'a> {
    pub company: CompanyId,
    pub placed_by: MemberId,
    pub location_id: LocationId,
    pub status: &'a str,
    pub po_number: &'a str,
    pub note: &'a str,
    pub requested_date: Option<i64>,
    pub payment_terms: &'a str,
    pub currency: &'a str,
    pub total_minor: i64,
    pub line_count: i64,
    pub idempotency_key: &'a str,
    pub placed_at: i64,
    pub paid_at: Option<i64>,
}

pub struct NewLine<'a> {
    pub variant_id: i64,
    pub sku: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub quantity: i64,
    pub unit_price_minor: i64,
    pub line_total_minor: i64,
}

/// Inserts the order, its lines and its first timeline entry; returns the id.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    order: &NewOrder<'_>,
    lines: &[NewLine<'_>],
) -> Result<OrderId, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO orders (company_id, placed_by, location_id, status, po_number, note, requested_date, \
         payment_terms, currency, total_minor, line_count, idempotency_key, placed_at, paid_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(order.company.0)
    .bind(order.placed_by.0)
    .bind(order.location_id.0)
    .bind(order.status)
    .bind(order.po_number)
    .bind(order.note)
    .bind(order.requested_date)
    .bind(order.payment_terms)
    .bind(order.currency)
    .bind(order.total_minor)
    .bind(order.line_count)
    .bind(order.idempotency_key)
    .bind(order.placed_at)
    .bind(order.paid_at)
    .fetch_one(&mut **tx)
    .await?;
    // Multi-row inserts: one statement per 100 lines keeps a 200-line order at two round trips.
    for (chunk_no, chunk) in lines.chunks(100).enumerate() {
        let mut sql = String::from(
            "INSERT INTO order_lines (order_id, line_no, variant_id, sku, name, unit, quantity, unit_price_minor, line_total_minor) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 9;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 8,
                b + 9
            ));
        }
        let mut query = sqlx::query(&sql);
        for (i, line) in chunk.iter().enumerate() {
            query = query
                .bind(id)
                .bind((chunk_no * 100 + i + 1) as i64)
                .bind(line.variant_id)
                .bind(line.sku)
                .bind(line.name)
                .bind(line.unit)
                .bind(line.quantity)
                .bind(line.unit_price_minor)
                .bind(line.line_total_minor);
        }
        query.execute(&mut **tx).await?;
    }
    let id = OrderId(id);
    add_event(tx, order.company, id, "placed", order.placed_at).await?;
    Ok(id)
}

/// The subquery that keeps a statement on an order's rows inside the company.
const OWN_ORDER: &str = "order_id IN (SELECT id FROM orders WHERE id = $1 AND company_id = $2)";

pub async fn add_event(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    order: OrderId,
    status: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO order_events (order_id, status, at) SELECT $1, $3, $4 \
         WHERE EXISTS (SELECT 1 FROM orders WHERE id = $1 AND company_id = $2)",
    )
    .bind(order.0)
    .bind(company.0)
    .bind(status)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The email address of a member (for their confirmation).
pub async fn member_email<'e, E: sqlx::Executor<'e, Database = Any>>(
    executor: E,
    company: CompanyId,
    member: MemberId,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT u.email FROM members m JOIN users u ON u.id = m.user_id WHERE m.id = $1 AND m.company_id = $2",
    )
    .bind(member.0)
    .bind(company.0)
    .fetch_optional(executor)
    .await?;
    Ok(row.map(|(e,)| e))
}

/// Filters of the order list; `placed_by` is forced to the member without `orders.view_all`.
#[derive(Clone, Debug, Default)]
pub struct OrderFilter {
    pub status: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub location: Option<LocationId>,
    pub po: Option<String>,
    pub placed_by: Option<MemberId>,
    pub offset: i64,
    pub limit: i64,
}

pub struct OrderRow {
    pub id: OrderId,
    pub placed_at: i64,
    pub status: String,
    pub po_number: String,
    pub location: String,
    pub placed_by: String,
    pub total_minor: i64,
    pub currency: String,
    pub line_count: i64,
}

enum Bind {
    Int(i64),
    Text(String),
}

pub async fn list(pool: &AnyPool, company: CompanyId, filter: &OrderFilter) -> Result<Vec<OrderRow>, sqlx::Error> {
    let mut sql = String::from(
        "SELECT o.id, o.placed_at, o.status, o.po_number, l.name, u.display_name, o.total_minor, o.currency, o.line_count \
         FROM orders o JOIN locations l ON l.id = o.location_id JOIN members m ON m.id = o.placed_by \
         JOIN users u ON u.id = m.user_id WHERE o.company_id = $1",
    );
    let mut binds = vec![Bind::Int(company.0)];
    let mut push = |sql: &mut String, clause: &str, bind: Bind| {
        binds.push(bind);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
    };
    if let Some(s) = &filter.status {
        push(&mut sql, " AND o.status = ?", Bind::Text(s.clone()));
    }
    if let Some(from) = filter.from {
        push(&mut sql, " AND o.placed_at >= ?", Bind::Int(from));
    }
    if let Some(to) = filter.to {
        push(&mut sql, " AND o.placed_at < ?", Bind::Int(to));
    }
    if let Some(l) = filter.location {
        push(&mut sql, " AND o.location_id = ?", Bind::Int(l.0));
    }
    if let Some(po) = &filter.po {
        // Case-insensitive substring on both databases; % and _ in the input are literal.
        let escaped = po.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        push(&mut sql, " AND LOWER(o.po_number) LIKE ? ESCAPE '\\'", Bind::Text(format!("%{escaped}%")));
    }
    if let Some(m) = filter.placed_by {
        push(&mut sql, " AND o.placed_by = ?", Bind::Int(m.0));
    }
    sql.push_str(&format!(" ORDER BY o.placed_at DESC, o.id DESC LIMIT {} OFFSET {}", filter.limit, filter.offset));
    let mut query = sqlx::query_as::<_, (i64, i64, String, String, String, String, i64, String, i64)>(&sql);
    for b in binds {
        query = match b {
            Bind::Int(v) => query.bind(v),
            Bind::Text(v) => query.bind(v),
        };
    }
    let rows = query.fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|(id, placed_at, status, po_number, location, placed_by, total_minor, currency, line_count)| OrderRow {
            id: OrderId(id),
            placed_at,
            status,
            po_number,
            location,
            placed_by,
            total_minor,
            currency,
            line_count,
        })
        .collect())
}

pub struct OrderHeader {
    pub row: OrderRow,
    pub placed_by_member: MemberId,
    pub note: String,
    pub requested_date: Option<i64>,
    pub payment_terms: String,
    pub ship_to: ShipTo,
}

/// One order of the company; `None` for another company's id (the same as a missing one).
pub async fn header(pool: &AnyPool, company: CompanyId, id: OrderId) -> Result<Option<OrderHeader>, sqlx::Error> {
    type Row = (i64, i64, String, String, i64, String, i64, String, i64, i64, String, Option<i64>, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT o.id, o.placed_at, o.status, o.po_number, o.location_id, u.display_name, o.total_minor, o.currency, \
         o.line_count, o.placed_by, o.note, o.requested_date, o.payment_terms \
         FROM orders o JOIN members m ON m.id = o.placed_by JOIN users u ON u.id = m.user_id \
         WHERE o.company_id = $1 AND o.id = $2",
    )
    .bind(company.0)
    .bind(id.0)
    .fetch_optional(pool)
    .await?;
    let Some((
        id,
        placed_at,
        status,
        po_number,
        location_id,
        placed_by,
        total_minor,
        currency,
        line_count,
        member,
        note,
        requested_date,
        payment_terms,
    )) = row
    else {
        return Ok(None);
    };
    let (name, address, city, country): (String, String, String, String) =
        sqlx::query_as("SELECT name, address, city, country FROM locations WHERE id = $1 AND company_id = $2")
            .bind(location_id)
            .bind(company.0)
            .fetch_one(pool)
            .await?;
    Ok(Some(OrderHeader {
        row: OrderRow {
            id: OrderId(id),
            placed_at,
            status,
            po_number,
            location: name.clone(),
            placed_by,
            total_minor,
            currency,
            line_count,
        },
        placed_by_member: MemberId(member),
        note,
        requested_date,
        payment_terms,
        ship_to: ShipTo { id: LocationId(location_id), name, address, city, country },
    }))
}

pub struct LineRow {
    pub line_no: i64,
    pub variant_id: i64,
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
    pub line_total_minor: i64,
}

pub async fn lines(pool: &AnyPool, company: CompanyId, order: OrderId) -> Result<Vec<LineRow>, sqlx::Error> {
    let rows: Vec<(i64, i64, String, String, String, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT line_no, variant_id, sku, name, unit, quantity, unit_price_minor, line_total_minor \
         FROM order_lines WHERE {OWN_ORDER} ORDER BY line_no"
    ))
    .bind(order.0)
    .bind(company.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(line_no, variant_id, sku, name, unit, quantity, unit_price_minor, line_total_minor)| LineRow {
            line_no,
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

/// (status, at) oldest first.
pub async fn events(pool: &AnyPool, company: CompanyId, order: OrderId) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT status, at FROM order_events WHERE {OWN_ORDER} ORDER BY at, id"))
        .bind(order.0)
        .bind(company.0)
        .fetch_all(pool)
        .await
}

/// (carrier, tracking number, shipped at, delivered at)
pub async fn shipments(
    pool: &AnyPool,
    company: CompanyId,
    order: OrderId,
) -> Result<Vec<(String, String, i64, Option<i64>)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT carrier, tracking_number, shipped_at, delivered_at FROM shipments WHERE {OWN_ORDER} ORDER BY shipped_at, id"
    ))
    .bind(order.0)
    .bind(company.0)
    .fetch_all(pool)
    .await
}

pub struct Purchased {
    pub variant_id: i64,
    pub sku: String,
    pub name: String,
    pub unit_price_minor: i64,
    pub currency: String,
    pub last_quantity: i64,
    pub placed_at: i64,
    pub times: i64,
}

/// Everything bought before, newest purchase first, one entry per variant.
pub async fn purchased(
    pool: &AnyPool,
    company: CompanyId,
    placed_by: Option<MemberId>,
) -> Result<Vec<Purchased>, sqlx::Error> {
    let sql = format!(
        "SELECT ol.variant_id, ol.sku, ol.name, ol.unit_price_minor, o.currency, ol.quantity, o.placed_at \
         FROM order_lines ol JOIN orders o ON o.id = ol.order_id \
         WHERE o.company_id = $1 AND o.status <> 'cancelled'{} ORDER BY o.placed_at DESC, o.id DESC, ol.line_no LIMIT 20000",
        if placed_by.is_some() { " AND o.placed_by = $2" } else { "" }
    );
    let mut query = sqlx::query_as::<_, (i64, String, String, i64, String, i64, i64)>(&sql).bind(company.0);
    if let Some(m) = placed_by {
        query = query.bind(m.0);
    }
    let mut seen: std::collections::HashMap<i64, usize> = Default::default();
    let mut out: Vec<Purchased> = vec![];
    for (variant_id, sku, name, unit_price_minor, currency, last_quantity, placed_at) in query.fetch_all(pool).await? {
        match seen.get(&variant_id) {
            Some(&i) => out[i].times += 1,
            None => {
                seen.insert(variant_id, out.len());
                out.push(Purchased {
                    variant_id,
                    sku,
                    name,
                    unit_price_minor,
                    currency,
                    last_quantity,
                    placed_at,
                    times: 1,
                });
            }
        }
    }
    Ok(out)
}
