//! SQL for shopping lists. Every read takes the company and the member: a list is visible when
//! it is theirs or shared, within their company. Every change takes the company beside the list
//! id (lines are reached through their list's company).

use crate::domain::ids::{CompanyId, ListId, MemberId};
use sqlx::{Any, AnyPool, Transaction};

/// A list holds at most this many lines (a catalog export is the tool for more).
pub const MAX_LINES: usize = 1_000;

pub struct ListRow {
    pub id: ListId,
    pub name: String,
    pub shared: bool,
    pub owner_id: MemberId,
    pub owner_name: String,
    pub line_count: i64,
}

type Row = (i64, String, i64, i64, String, i64);

fn row((id, name, shared, owner_id, owner_name, line_count): Row) -> ListRow {
    ListRow { id: ListId(id), name, shared: shared != 0, owner_id: MemberId(owner_id), owner_name, line_count }
}

const SELECT: &str = "SELECT l.id, l.name, l.shared, l.owner_id, u.display_name, \
     (SELECT COUNT(*) FROM shopping_list_lines x WHERE x.list_id = l.id) \
     FROM shopping_lists l JOIN members m ON m.id = l.owner_id JOIN users u ON u.id = m.user_id \
     WHERE l.company_id = $1 AND (l.owner_id = $2 OR l.shared = 1)";

pub async fn visible(pool: &AnyPool, company: CompanyId, member: MemberId) -> Result<Vec<ListRow>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} ORDER BY l.name, l.id"))
        .bind(company.0)
        .bind(member.0)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(row).collect())
}

pub async fn one(
    pool: &AnyPool,
    company: CompanyId,
    member: MemberId,
    id: ListId,
) -> Result<Option<ListRow>, sqlx::Error> {
    let found: Option<Row> = sqlx::query_as(&format!("{SELECT} AND l.id = $3"))
        .bind(company.0)
        .bind(member.0)
        .bind(id.0)
        .fetch_optional(pool)
        .await?;
    Ok(found.map(row))
}

/// The subquery that keeps a line statement inside the company: `list_id` must be one of its lists.
const OWN_LIST: &str = "list_id IN (SELECT id FROM shopping_lists WHERE id = $1 AND company_id = $2)";

pub async fn lines(pool: &AnyPool, company: CompanyId, list: ListId) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT variant_id, quantity FROM shopping_list_lines WHERE {OWN_LIST} ORDER BY position, variant_id"
    ))
    .bind(list.0)
    .bind(company.0)
    .fetch_all(pool)
    .await
}

pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    owner: MemberId,
    name: &str,
    shared: bool,
    now: i64,
) -> Result<ListId, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO shopping_lists (company_id, owner_id, name, shared, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(company.0)
    .bind(owner.0)
    .bind(name)
    .bind(shared as i64)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(ListId(id))
}

pub async fn set_line(
    tx: &mut Transaction<'_, Any>,
    company: CompanyId,
    list: ListId,
    variant: i64,
    quantity: i64,
) -> Result<(), sqlx::Error> {
    // INSERT … SELECT … WHERE: a list of another company inserts nothing.
    sqlx::query(
        "INSERT INTO shopping_list_lines (list_id, variant_id, quantity, position) \
         SELECT $1, $3, $4, (SELECT COALESCE(MAX(position), 0) + 1 FROM shopping_list_lines WHERE list_id = $1) \
         WHERE EXISTS (SELECT 1 FROM shopping_lists WHERE id = $1 AND company_id = $2) \
         ON CONFLICT (list_id, variant_id) DO UPDATE SET quantity = excluded.quantity",
    )
    .bind(list.0)
    .bind(company.0)
    .bind(variant)
    .bind(quantity)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn remove_line(pool: &AnyPool, company: CompanyId, list: ListId, variant: i64) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("DELETE FROM shopping_list_lines WHERE {OWN_LIST} AND variant_id = $3"))
        .bind(list.0)
        .bind(company.0)
        .bind(variant)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn set_shared(pool: &AnyPool, company: CompanyId, list: ListId, shared: bool) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE shopping_lists SET shared = $1 WHERE id = $2 AND company_id = $3")
        .bind(shared as i64)
        .bind(list.0)
        .bind(company.0)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn delete(tx: &mut Transaction<'_, Any>, company: CompanyId, list: ListId) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("DELETE FROM shopping_list_lines WHERE {OWN_LIST}"))
        .bind(list.0)
        .bind(company.0)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM shopping_lists WHERE id = $1 AND company_id = $2")
        .bind(list.0)
        .bind(company.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
