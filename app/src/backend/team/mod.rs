//! Companies, their locations and members, always read through the actor's company: a record of
//! another company is `NotFound`, the same answer as a record that does not exist.

pub mod repo;

use super::platform::guard::Actor;
use super::platform::state::AppState;
use crate::domain::ids::{CompanyId, LocationId, MemberId};
use crate::error::AppError;
pub use repo::{CompanyRow, LocationRow, MemberRow};

pub async fn get_company(state: &AppState, actor: &Actor, id: CompanyId) -> Result<CompanyRow, AppError> {
    if id != actor.company_id() {
        return Err(AppError::NotFound);
    }
    repo::company(&state.pool, actor.company_id()).await?.ok_or(AppError::NotFound)
}

pub async fn get_location(state: &AppState, actor: &Actor, id: LocationId) -> Result<LocationRow, AppError> {
    repo::location(&state.pool, actor.company_id(), id).await?.ok_or(AppError::NotFound)
}

pub async fn list_locations(state: &AppState, actor: &Actor) -> Result<Vec<LocationRow>, AppError> {
    Ok(repo::locations(&state.pool, actor.company_id()).await?)
}

pub async fn get_member(state: &AppState, actor: &Actor, id: MemberId) -> Result<MemberRow, AppError> {
    repo::member(&state.pool, actor.company_id(), id).await?.ok_or(AppError::NotFound)
}

pub async fn list_members(state: &AppState, actor: &Actor) -> Result<Vec<MemberRow>, AppError> {
    Ok(repo::members(&state.pool, actor.company_id()).await?)
}
