//! SQL for companies, locations and members. Every query takes the caller's `CompanyId`.

use crate::domain::ids::{CompanyId, LocationId, MemberId, UserId};
use sqlx::AnyPool;

#[derive(Clone, Debug)]
pub struct CompanyRow {
    pub id: CompanyId,
    pub name: String,
    pub currency: String,
    pub default_locale: String,
}

#[derive(Clone, Debug)]
pub struct LocationRow {
    pub id: LocationId,
    pub name: String,
    pub kind: String,
    pub address: String,
    pub city: String,
    pub country: String,
}

#[derive(Clone, Debug)]
pub struct MemberRow {
    pub id: MemberId,
    pub display_name: String,
    pub email: String,
    pub role_code: String,
    pub role_name: String,
}

pub async fn company(pool: &AnyPool, company_id: CompanyId) -> Result<Option<CompanyRow>, sqlx::Error> {
    let row: Option<(i64, String, String, String)> =
        sqlx::query_as("SELECT id, name, currency, default_locale FROM companies WHERE id = $1")
            .bind(company_id.0)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(id, name, currency, default_locale)| CompanyRow { id: CompanyId(id), name, currency, default_locale }))
}

/// The companies a user belongs to, for the company switcher.
pub async fn companies_of_user(pool: &AnyPool, user_id: UserId) -> Result<Vec<(CompanyId, String)>, sqlx::Error> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT c.id, c.name FROM members m JOIN companies c ON c.id = m.company_id \
         WHERE m.user_id = $1 ORDER BY c.name",
    )
    .bind(user_id.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id, name)| (CompanyId(id), name)).collect())
}

type LocationTuple = (i64, String, String, String, String, String);

fn location_row((id, name, kind, address, city, country): LocationTuple) -> LocationRow {
    LocationRow { id: LocationId(id), name, kind, address, city, country }
}

pub async fn location(
    pool: &AnyPool,
    company_id: CompanyId,
    id: LocationId,
) -> Result<Option<LocationRow>, sqlx::Error> {
    let row: Option<LocationTuple> = sqlx::query_as(
        "SELECT id, name, kind, address, city, country FROM locations WHERE id = $1 AND company_id = $2",
    )
    .bind(id.0)
    .bind(company_id.0)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(location_row))
}

pub async fn locations(pool: &AnyPool, company_id: CompanyId) -> Result<Vec<LocationRow>, sqlx::Error> {
    let rows: Vec<LocationTuple> = sqlx::query_as(
        "SELECT id, name, kind, address, city, country FROM locations WHERE company_id = $1 ORDER BY name",
    )
    .bind(company_id.0)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(location_row).collect())
}

type MemberTuple = (i64, String, String, String, String);

fn member_row((id, display_name, email, role_code, role_name): MemberTuple) -> MemberRow {
    MemberRow { id: MemberId(id), display_name, email, role_code, role_name }
}

const MEMBER_SELECT: &str = "SELECT m.id, u.display_name, u.email, r.code, r.name \
     FROM members m JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id";

pub async fn member(pool: &AnyPool, company_id: CompanyId, id: MemberId) -> Result<Option<MemberRow>, sqlx::Error> {
    let row: Option<MemberTuple> = sqlx::query_as(&format!("{MEMBER_SELECT} WHERE m.id = $1 AND m.company_id = $2"))
        .bind(id.0)
        .bind(company_id.0)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(member_row))
}

pub async fn members(pool: &AnyPool, company_id: CompanyId) -> Result<Vec<MemberRow>, sqlx::Error> {
    let rows: Vec<MemberTuple> =
        sqlx::query_as(&format!("{MEMBER_SELECT} WHERE m.company_id = $1 ORDER BY u.display_name"))
            .bind(company_id.0)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(member_row).collect())
}
