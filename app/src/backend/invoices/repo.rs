//! Invoice rows, always through the company (`CompanyId` beside every id); lines and payments
//! are reached through their invoice's company.

use crate::domain::ids::CompanyId;
use sqlx::{Any, AnyPool, Transaction};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InvoiceRow {
    pub id: i64,
    pub company_id: i64,
    pub company_name: String,
    pub order_id: i64,
    pub shipment_id: Option<i64>,
    pub status: String,
    pub currency: String,
    pub payment_terms: String,
    pub issued_on: i64,
    pub due_on: i64,
    pub total_minor: i64,
    pub paid_minor: i64,
    pub location_id: i64,
    pub location_name: String,
    pub location_address: String,
    pub location_city: String,
    pub location_country: String,
    pub po_number: String,
}

const SELECT: &str = "SELECT i.id, i.company_id, c.name AS company_name, i.order_id, i.shipment_id, i.status, \
     i.currency, i.payment_terms, i.issued_on, i.due_on, i.total_minor, i.paid_minor, o.location_id, \
     l.name AS location_name, l.address AS location_address, l.city AS location_city, \
     l.country AS location_country, o.po_number \
     FROM invoices i JOIN orders o ON o.id = i.order_id JOIN locations l ON l.id = o.location_id \
     JOIN companies c ON c.id = i.company_id";

pub async fn get<'e, E: sqlx::Executor<'e, Database = Any>>(
    executor: E,
    company: CompanyId,
    id: i64,
) -> Result<Option<InvoiceRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE i.id = $1 AND i.company_id = $2"))
        .bind(id)
        .bind(company.0)
        .fetch_optional(executor)
        .await
}

/// Whose invoice this is (for rendering a mail's attachment, which has no session).
pub async fn company_of(pool: &AnyPool, id: i64) -> Result<Option<CompanyId>, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT company_id FROM invoices WHERE id = $1").bind(id).fetch_optional(pool).await?;
    Ok(row.map(|(c,)| CompanyId(c)))
}

/// The company's billing contact and the language to write to them in: an active member's own
/// language when the address is a member's, else the company's.
pub async fn billing_contact<'e, E: sqlx::Executor<'e, Database = Any>>(
    executor: E,
    company: CompanyId,
) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    let row: Option<(Option<String>, String, Option<String>)> = sqlx::query_as(
        "SELECT c.billing_email, c.default_locale,          (SELECT u.locale FROM users u JOIN members m ON m.user_id = u.id           WHERE m.company_id = c.id AND m.active = 1 AND u.email = c.billing_email)          FROM companies c WHERE c.id = $1",
    )
    .bind(company.0)
    .fetch_optional(executor)
    .await?;
    Ok(row
        .and_then(|(email, company_locale, member_locale)| email.map(|e| (e, member_locale.or(Some(company_locale))))))
}

/// The billing settings a company admin sets: (billing contact, over-credit choice).
pub async fn billing_settings(pool: &AnyPool, company: CompanyId) -> Result<(Option<String>, String), sqlx::Error> {
    sqlx::query_as("SELECT billing_email, over_credit FROM companies WHERE id = $1")
        .bind(company.0)
        .fetch_one(pool)
        .await
}

#[derive(Clone, Debug, Default)]
pub struct InvoiceFilter {
    pub status: Option<String>,
    /// Owing and due before this day (overdue on the company's today).
    pub overdue_on: Option<i64>,
    pub from_day: Option<i64>,
    pub until_day: Option<i64>,
    pub location: Option<i64>,
    /// An order number's id or a PO number (part of it).
    pub order: Option<i64>,
    pub po: Option<String>,
}

/// A company's invoices, newest first (at most `limit`).
pub async fn list(
    pool: &AnyPool,
    company: CompanyId,
    f: &InvoiceFilter,
    limit: i64,
) -> Result<Vec<InvoiceRow>, sqlx::Error> {
    let mut sql = format!("{SELECT} WHERE i.company_id = $1");
    let mut n = 2;
    let mut push = |cond: &str, sql: &mut String| {
        sql.push_str(&cond.replace('?', &format!("${n}")));
        n += 1;
    };
    if f.status.is_some() {
        push(" AND i.status = ?", &mut sql);
    }
    if f.overdue_on.is_some() {
        push(" AND i.status IN ('open', 'partly_paid') AND i.due_on < ?", &mut sql);
    }
    if f.from_day.is_some() {
        push(" AND i.issued_on >= ?", &mut sql);
    }
    if f.until_day.is_some() {
        push(" AND i.issued_on <= ?", &mut sql);
    }
    if f.location.is_some() {
        push(" AND o.location_id = ?", &mut sql);
    }
    if f.order.is_some() {
        push(" AND i.order_id = ?", &mut sql);
    }
    if f.po.is_some() {
        push(" AND LOWER(o.po_number) LIKE ?", &mut sql);
    }
    sql.push_str(&format!(" ORDER BY i.issued_on DESC, i.id DESC LIMIT {}", limit.clamp(1, 1_000)));
    let mut q = sqlx::query_as::<_, InvoiceRow>(&sql).bind(company.0);
    if let Some(s) = &f.status {
        q = q.bind(s.clone());
    }
    for v in [f.overdue_on, f.from_day, f.until_day, f.location, f.order].into_iter().flatten() {
        q = q.bind(v);
    }
    if let Some(po) = &f.po {
        q = q.bind(format!("%{}%", po.to_lowercase().replace(['%', '_'], "")));
    }
    q.fetch_all(pool).await
}

/// What every owing invoice still owes: (currency, due day, open amount).
pub async fn owing(pool: &AnyPool, company: CompanyId) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT currency, due_on, total_minor - paid_minor FROM invoices \
         WHERE company_id = $1 AND status IN ('open', 'partly_paid')",
    )
    .bind(company.0)
    .fetch_all(pool)
    .await
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LineRow {
    pub line_no: i64,
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
    pub line_total_minor: i64,
}

pub async fn lines(pool: &AnyPool, company: CompanyId, id: i64) -> Result<Vec<LineRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT line_no, sku, name, unit, quantity, unit_price_minor, line_total_minor FROM invoice_lines \
         WHERE invoice_id IN (SELECT id FROM invoices WHERE id = $1 AND company_id = $2) ORDER BY line_no",
    )
    .bind(id)
    .bind(company.0)
    .fetch_all(pool)
    .await
}

/// Payments applied to an invoice: (received on, reference, amount applied).
pub async fn payments(pool: &AnyPool, company: CompanyId, id: i64) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.received_on, p.reference, a.amount_minor FROM payment_allocations a \
         JOIN payments p ON p.id = a.payment_id \
         WHERE a.invoice_id IN (SELECT id FROM invoices WHERE id = $1 AND company_id = $2) ORDER BY p.received_on, p.id",
    )
    .bind(id)
    .bind(company.0)
    .fetch_all(pool)
    .await
}

/// The invoices of one order: (id, status, total).
pub async fn of_order(pool: &AnyPool, company: CompanyId, order: i64) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT id, status, total_minor FROM invoices WHERE order_id = $1 AND company_id = $2 ORDER BY id")
        .bind(order)
        .bind(company.0)
        .fetch_all(pool)
        .await
}

pub struct NewInvoice<'a> {
    pub company: CompanyId,
    pub order: i64,
    pub shipment: Option<i64>,
    pub currency: &'a str,
    pub payment_terms: &'a str,
    pub issued_on: i64,
    pub due_on: i64,
    pub now: i64,
}

/// Writes an invoice of the order's lines in `shipped` (order line, quantity) at the order's
/// prices; its total is the sum of its lines. `None` when the order is not the company's.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    inv: &NewInvoice<'_>,
    shipped: &[(i64, i64)],
) -> Result<Option<i64>, sqlx::Error> {
    let lines: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT line_no, sku, name, unit, unit_price_minor FROM order_lines \
         WHERE order_id IN (SELECT id FROM orders WHERE id = $1 AND company_id = $2) ORDER BY line_no",
    )
    .bind(inv.order)
    .bind(inv.company.0)
    .fetch_all(&mut **tx)
    .await?;
    if lines.is_empty() {
        return Ok(None);
    }
    let mut priced = vec![];
    let mut total: i64 = 0;
    for (line_no, quantity) in shipped {
        let Some((_, sku, name, unit, price)) = lines.iter().find(|l| l.0 == *line_no) else { continue };
        let Some(line_total) = price.checked_mul(*quantity) else { continue };
        total = total.saturating_add(line_total);
        priced.push((sku.clone(), name.clone(), unit.clone(), *quantity, *price, line_total));
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO invoices (company_id, order_id, shipment_id, status, currency, payment_terms, issued_on, due_on, \
         total_minor, paid_minor, created_at) VALUES ($1, $2, $3, 'open', $4, $5, $6, $7, $8, 0, $9) RETURNING id",
    )
    .bind(inv.company.0)
    .bind(inv.order)
    .bind(inv.shipment)
    .bind(inv.currency)
    .bind(inv.payment_terms)
    .bind(inv.issued_on)
    .bind(inv.due_on)
    .bind(total)
    .bind(inv.now)
    .fetch_one(&mut **tx)
    .await?;
    for (n, (sku, name, unit, quantity, price, line_total)) in priced.iter().enumerate() {
        sqlx::query(
            "INSERT INTO invoice_lines (invoice_id, line_no, sku, name, unit, quantity, unit_price_minor, line_total_minor) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(n as i64 + 1)
        .bind(sku)
        .bind(name)
        .bind(unit)
        .bind(quantity)
        .bind(price)
        .bind(line_total)
        .execute(&mut **tx)
        .await?;
    }
    Ok(Some(id))
}

/// Records a payment and its allocations, and moves each invoice's paid amount and state, in the
/// caller's transaction. The allocations were checked (`domain::invoice::allocate`).
#[allow(clippy::too_many_arguments)]
pub async fn insert_payment(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    currency: &str,
    amount: i64,
    received_on: i64,
    reference: &str,
    recorded_by: Option<i64>,
    allocations: &[(i64, i64)],
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO payments (company_id, currency, amount_minor, received_on, reference, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(company.0)
    .bind(currency)
    .bind(amount)
    .bind(received_on)
    .bind(reference)
    .bind(recorded_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    for (invoice, part) in allocations.iter().filter(|(_, part)| *part > 0) {
        sqlx::query("INSERT INTO payment_allocations (payment_id, invoice_id, amount_minor) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(invoice)
            .bind(part)
            .execute(&mut **tx)
            .await?;
        // Conditional: an invoice takes no more than it owes, even against a payment recorded
        // at the same moment by another desk (the caller rolls back on `None`).
        let done = sqlx::query(
            "UPDATE invoices SET paid_minor = paid_minor + $1, \
             status = CASE WHEN paid_minor + $1 >= total_minor THEN 'paid' ELSE 'partly_paid' END \
             WHERE id = $2 AND company_id = $3 AND status IN ('open', 'partly_paid') AND paid_minor + $1 <= total_minor",
        )
        .bind(part)
        .bind(invoice)
        .bind(company.0)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(None);
        }
    }
    Ok(Some(id))
}

pub async fn void(tx: &mut Transaction<'_, Any>, company: CompanyId, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE invoices SET status = 'void' WHERE id = $1 AND company_id = $2 AND paid_minor = 0")
        .bind(id)
        .bind(company.0)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The desk's view: companies with money owed, and their name and currency.
pub async fn owing_companies(
    pool: &AnyPool,
    _desk: crate::backend::quotes::repo::Desk,
) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, c.name, c.currency FROM companies c WHERE EXISTS \
         (SELECT 1 FROM invoices i WHERE i.company_id = c.id AND i.status IN ('open', 'partly_paid')) ORDER BY c.name",
    )
    .fetch_all(pool)
    .await
}

/// A company's invoices still owing, oldest due first, for the desk.
pub async fn owing_of(
    pool: &AnyPool,
    _desk: crate::backend::quotes::repo::Desk,
    company: CompanyId,
) -> Result<Vec<InvoiceRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE i.company_id = $1 AND i.status IN ('open', 'partly_paid') ORDER BY i.due_on, i.id LIMIT 500"
    ))
    .bind(company.0)
    .fetch_all(pool)
    .await
}

/// The order's currency and payment terms, if it is the company's.
pub async fn order_terms<'e, E: sqlx::Executor<'e, Database = Any>>(
    executor: E,
    company: CompanyId,
    order: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT currency, payment_terms FROM orders WHERE id = $1 AND company_id = $2")
        .bind(order)
        .bind(company.0)
        .fetch_optional(executor)
        .await
}

/// The company's time zone, currency and credit limit.
pub async fn company_billing<'e, E: sqlx::Executor<'e, Database = Any>>(
    executor: E,
    company: CompanyId,
) -> Result<(String, String, i64), sqlx::Error> {
    sqlx::query_as("SELECT time_zone, currency, credit_limit_minor FROM companies WHERE id = $1")
        .bind(company.0)
        .fetch_one(executor)
        .await
}

/// A shipment of an order (found in the caller's transaction) and what it carried.
pub async fn insert_shipment(
    tx: &mut Transaction<'_, Any>,
    order: i64,
    carried: &[(i64, i64)],
    carrier: &str,
    tracking: &str,
    shipped_at: i64,
    delivered_at: Option<i64>,
) -> Result<i64, sqlx::Error> {
    let (shipment,): (i64,) = sqlx::query_as(
        "INSERT INTO shipments (order_id, carrier, tracking_number, shipped_at, delivered_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(order)
    .bind(carrier)
    .bind(tracking)
    .bind(shipped_at)
    .bind(delivered_at)
    .fetch_one(&mut **tx)
    .await?;
    for (line_no, quantity) in carried {
        sqlx::query("INSERT INTO shipment_lines (shipment_id, line_no, quantity) VALUES ($1, $2, $3)")
            .bind(shipment)
            .bind(line_no)
            .bind(quantity)
            .execute(&mut **tx)
            .await?;
    }
    Ok(shipment)
}

pub async fn invoice_count<'e, E: sqlx::Executor<'e, Database = Any>>(
    executor: E,
    company: CompanyId,
    order: i64,
) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM invoices WHERE order_id = $1 AND company_id = $2")
        .bind(order)
        .bind(company.0)
        .fetch_one(executor)
        .await?;
    Ok(n)
}

/// Every line of a company's order with its quantity: (line, quantity).
pub async fn order_quantities<'e, E: sqlx::Executor<'e, Database = Any>>(
    executor: E,
    company: CompanyId,
    order: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT line_no, quantity FROM order_lines \
         WHERE order_id IN (SELECT id FROM orders WHERE id = $1 AND company_id = $2) ORDER BY line_no",
    )
    .bind(order)
    .bind(company.0)
    .fetch_all(executor)
    .await
}

/// Before `day`: what was invoiced (not void) and what was paid, in `currency`.
pub async fn totals_before(
    pool: &AnyPool,
    company: CompanyId,
    currency: &str,
    day: i64,
) -> Result<(i64, i64), sqlx::Error> {
    // (CAST: PostgreSQL sums BIGINTs as NUMERIC.)
    sqlx::query_as(
        "SELECT CAST(COALESCE((SELECT SUM(total_minor) FROM invoices WHERE company_id = $1 AND currency = $2 \
           AND status <> 'void' AND issued_on < $3), 0) AS BIGINT), \
         CAST(COALESCE((SELECT SUM(amount_minor) FROM payments WHERE company_id = $1 AND currency = $2 \
           AND received_on < $3), 0) AS BIGINT)",
    )
    .bind(company.0)
    .bind(currency)
    .bind(day)
    .fetch_one(pool)
    .await
}

/// Invoices (not void) issued between two days: (issued on, id, total).
pub async fn invoices_between(
    pool: &AnyPool,
    company: CompanyId,
    currency: &str,
    from: i64,
    until: i64,
) -> Result<Vec<(i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT issued_on, id, total_minor FROM invoices WHERE company_id = $1 AND currency = $2 \
         AND status <> 'void' AND issued_on >= $3 AND issued_on <= $4 ORDER BY issued_on, id",
    )
    .bind(company.0)
    .bind(currency)
    .bind(from)
    .bind(until)
    .fetch_all(pool)
    .await
}

/// Payments received between two days: (received on, reference, amount).
pub async fn payments_between(
    pool: &AnyPool,
    company: CompanyId,
    currency: &str,
    from: i64,
    until: i64,
) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT received_on, reference, amount_minor FROM payments WHERE company_id = $1 AND currency = $2 \
         AND received_on >= $3 AND received_on <= $4 ORDER BY received_on, id",
    )
    .bind(company.0)
    .bind(currency)
    .bind(from)
    .bind(until)
    .fetch_all(pool)
    .await
}
