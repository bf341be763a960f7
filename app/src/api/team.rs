//! Company, location and member records by id: always inside the caller's company.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompanyDto {
    pub id: i64,
    pub name: String,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocationDto {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub address: String,
    pub city: String,
    pub country: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberDto {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// Built-in role code (`admin`, `buyer`, …) or a custom role's code.
    pub role_code: String,
    pub role_name: String,
}

#[server(endpoint = "team/company")]
pub async fn get_company(id: crate::domain::ids::CompanyId) -> Result<CompanyDto, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CatalogView).await?;
    let c = team::get_company(&state, &actor, id).await?;
    Ok(CompanyDto { id: c.id.0, name: c.name, currency: c.currency })
}

#[server(endpoint = "team/location")]
pub async fn get_location(id: crate::domain::ids::LocationId) -> Result<LocationDto, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::CatalogView).await?;
    let l = team::get_location(&state, &actor, id).await?;
    Ok(LocationDto { id: l.id.0, name: l.name, kind: l.kind, address: l.address, city: l.city, country: l.country })
}

#[cfg(feature = "ssr")]
fn member_dto(m: crate::backend::team::MemberRow) -> MemberDto {
    MemberDto { id: m.id.0, name: m.display_name, email: m.email, role_code: m.role_code, role_name: m.role_name }
}

#[server(endpoint = "team/member")]
pub async fn get_member(id: crate::domain::ids::MemberId) -> Result<MemberDto, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    Ok(member_dto(team::get_member(&state, &actor, id).await?))
}

#[server(endpoint = "team/members")]
pub async fn list_members() -> Result<Vec<MemberDto>, AppError> {
    use crate::backend::{platform::guard::authorize, team};
    use crate::domain::permission::Permission;
    let (state, actor) = authorize(Permission::TeamManage).await?;
    Ok(team::list_members(&state, &actor).await?.into_iter().map(member_dto).collect())
}
