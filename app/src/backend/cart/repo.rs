//! SQL for carts. A cart belongs to one member and location of one company. The cart itself is
//! only ever found by company, member and location (`find`, `lock_for_change`), which hand out a
//! `CompanyCart`: the cart id with the company it was found in. Every line statement takes that
//! handle, never a bare `CartId`, so a cart id from anywhere else (a request, another company)
//! does not fit. The lines table has no company column; the handle is its proof, which keeps the
//! statements of a one-line add (the hottest write) free of a company subquery.

use crate::domain::ids::{CartId, CompanyId, MemberId};
use sqlx::{Any, AnyPool, Transaction};

/// A cart found within its company. Only the company-scoped queries of this module make one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompanyCart {
    id: CartId,
    company: CompanyId,
}

impl CompanyCart {
    pub fn id(self) -> CartId {
        self.id
    }

    pub fn company(self) -> CompanyId {
        self.company
    }
}

/// The cart of this member at this location: (id, version).
pub async fn find(
    pool: &AnyPool,
    company: CompanyId,
    member: MemberId,
    location_key: i64,
) -> Result<Option<(CompanyCart, i64)>, sqlx::Error> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT id, version FROM carts WHERE company_id = $1 AND member_id = $2 AND location_key = $3")
            .bind(company.0)
            .bind(member.0)
            .bind(location_key)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(id, version)| (CompanyCart { id: CartId(id), company }, version)))
}

/// The cart for a change, created if missing, with its version bumped. Its first statement
/// writes, so on SQLite the transaction holds the write lock from here on (no lock upgrade that
/// could fail under load) and on PostgreSQL the cart row is locked until commit.
pub async fn lock_for_change(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    member: MemberId,
    location_key: i64,
    now: i64,
) -> Result<(CompanyCart, i64), sqlx::Error> {
    sqlx::query(
        "INSERT INTO carts (company_id, member_id, location_key, version, updated_at) VALUES ($1, $2, $3, 0, $4) \
         ON CONFLICT (member_id, location_key) DO NOTHING",
    )
    .bind(company.0)
    .bind(member.0)
    .bind(location_key)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    let (id, version): (i64, i64) = sqlx::query_as(
        "UPDATE carts SET version = version + 1, updated_at = $1 \
         WHERE company_id = $2 AND member_id = $3 AND location_key = $4 RETURNING id, version",
    )
    .bind(now)
    .bind(company.0)
    .bind(member.0)
    .bind(location_key)
    .fetch_one(&mut **tx)
    .await?;
    Ok((CompanyCart { id: CartId(id), company }, version))
}

/// Bumps the version only if it is still `expected`: the compare-and-set that makes placing an
/// order from a reviewed cart happen once. False when the cart changed (or was placed) meanwhile.
pub async fn claim_version(
    tx: &mut Transaction<'_, Any>,
    cart: CompanyCart,
    expected: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE carts SET version = version + 1, updated_at = $1 WHERE id = $2 AND company_id = $3 AND version = $4",
    )
    .bind(now)
    .bind(cart.id.0)
    .bind(cart.company.0)
    .bind(expected)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// (variant id, quantity) in the order they were added.
pub async fn lines<'e, E: sqlx::Executor<'e, Database = Any>>(
    executor: E,
    cart: CompanyCart,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT variant_id, quantity FROM cart_lines WHERE cart_id = $1 ORDER BY position, variant_id")
        .bind(cart.id.0)
        .fetch_all(executor)
        .await
}

/// (variant id, quantity) of just these variants' lines: a one-line add need not read a
/// 200-line cart.
pub async fn quantities<'e, E: sqlx::Executor<'e, Database = Any>>(
    executor: E,
    cart: CompanyCart,
    variants: &[i64],
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    if variants.is_empty() {
        return Ok(vec![]);
    }
    let params: Vec<String> = (0..variants.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT variant_id, quantity FROM cart_lines WHERE cart_id = $1 AND variant_id IN ({})",
        params.join(", ")
    );
    let mut query = sqlx::query_as(&sql).bind(cart.id.0);
    for v in variants {
        query = query.bind(*v);
    }
    query.fetch_all(executor).await
}

/// How many lines the member's cart at this location holds (the header's cart badge): one
/// indexed read, scoped through the cart's company, member and location.
pub async fn line_count(
    pool: &AnyPool,
    company: CompanyId,
    member: MemberId,
    location_key: i64,
) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM cart_lines WHERE cart_id IN \
         (SELECT id FROM carts WHERE company_id = $1 AND member_id = $2 AND location_key = $3)",
    )
    .bind(company.0)
    .bind(member.0)
    .bind(location_key)
    .fetch_one(pool)
    .await?;
    Ok(n)
}

pub async fn count(tx: &mut Transaction<'_, Any>, cart: CompanyCart) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cart_lines WHERE cart_id = $1")
        .bind(cart.id.0)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n)
}

pub async fn set_line(
    tx: &mut Transaction<'_, Any>,
    cart: CompanyCart,
    variant: i64,
    quantity: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO cart_lines (cart_id, variant_id, quantity, position) \
         VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM cart_lines WHERE cart_id = $1)) \
         ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = excluded.quantity",
    )
    .bind(cart.id.0)
    .bind(variant)
    .bind(quantity)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// False when the line was not there (removed in another tab).
pub async fn update_line(
    tx: &mut Transaction<'_, Any>,
    cart: CompanyCart,
    variant: i64,
    quantity: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE cart_lines SET quantity = $3 WHERE cart_id = $1 AND variant_id = $2")
        .bind(cart.id.0)
        .bind(variant)
        .bind(quantity)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn remove_line(tx: &mut Transaction<'_, Any>, cart: CompanyCart, variant: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM cart_lines WHERE cart_id = $1 AND variant_id = $2")
        .bind(cart.id.0)
        .bind(variant)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn clear(tx: &mut Transaction<'_, Any>, cart: CompanyCart) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM cart_lines WHERE cart_id = $1").bind(cart.id.0).execute(&mut **tx).await?;
    Ok(())
}
