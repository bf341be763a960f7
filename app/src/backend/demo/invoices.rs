//! Demo invoices (README): every demo company's shipments were invoiced with them
//! (`demo::orders`); here they get the states a finance person meets: paid (the history's paid
//! orders, with their payment), partly paid, overdue by 10 and by 75 days, and void. Idempotent:
//! a company with a recorded payment is left alone.

use crate::backend::invoices::repo;
use crate::backend::platform::clock;
use crate::domain::ids::CompanyId;
use crate::error::AppError;
use sqlx::AnyPool;

/// Each demo company's billing contact (README): where its invoice mail goes.
const BILLING: [(&str, &str); 5] = [
    ("Acme Builders", "finance@acme.example"),
    ("Müller Haustechnik GmbH", "anna@mueller.example"),
    ("Kanto Kogyo", "kenji@kanto.example"),
    ("Saigon Foods", "lan@saigon.example"),
    ("Bayt Al Tijara", "omar@bayt.example"),
];

pub async fn load(pool: &AnyPool) -> Result<(), AppError> {
    for (company, email) in BILLING {
        // Set once: an admin's later choice (even none) is kept.
        sqlx::query(
            "UPDATE companies SET billing_email = $1 WHERE name = $2 AND billing_email IS NULL AND NOT EXISTS \
             (SELECT 1 FROM audit_log a WHERE a.company_id = companies.id AND a.action = 'billing_changed')",
        )
        .bind(email)
        .bind(company)
        .execute(pool)
        .await?;
    }
    let companies: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, time_zone FROM companies ORDER BY id").fetch_all(pool).await?;
    for (company, tz) in companies {
        let (paid_before,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM payments WHERE company_id = $1").bind(company).fetch_one(pool).await?;
        if paid_before > 0 {
            continue;
        }
        let today = clock::local_day(&tz, clock::now());
        // (id, currency, total, due, order paid?) oldest first.
        let invoices: Vec<(i64, String, i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT i.id, i.currency, i.total_minor, i.due_on, o.paid_at FROM invoices i JOIN orders o ON o.id = i.order_id \
             WHERE i.company_id = $1 ORDER BY i.issued_on, i.id",
        )
        .bind(company)
        .fetch_all(pool)
        .await?;
        if invoices.is_empty() {
            continue;
        }
        let company = CompanyId(company);
        let mut tx = pool.begin().await?;
        let mut open = vec![];
        for (id, currency, total, due, paid_at) in &invoices {
            match paid_at {
                Some(at) => {
                    let on = clock::local_day(&tz, *at);
                    let reference = format!("WIRE-{}", id * 37 % 100_000);
                    repo::insert_payment(
                        &mut tx,
                        company,
                        currency,
                        *total,
                        on,
                        &reference,
                        None,
                        &[(*id, *total)],
                        *at,
                    )
                    .await?;
                }
                None => open.push((*id, currency.clone(), *total, *due)),
            }
        }
        // Overdue by 75 and by 10 days (issued 30 days before their due day), partly paid, void.
        let mut plan = open.iter();
        for days in [75, 10] {
            if let Some((id, ..)) = plan.next() {
                sqlx::query("UPDATE invoices SET due_on = $1, issued_on = $2 WHERE id = $3")
                    .bind(today - days)
                    .bind(today - days - 30)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if let Some((id, currency, total, _)) = plan.next() {
            let part = total / 2;
            repo::insert_payment(
                &mut tx,
                company,
                currency,
                part,
                today - 2,
                "WIRE-PART-1",
                None,
                &[(*id, part)],
                clock::now(),
            )
            .await?;
        }
        if let Some((id, ..)) = plan.next() {
            repo::void(&mut tx, company, *id).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}
