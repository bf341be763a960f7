//! The team: companies, locations, members, roles, invitations, join by domain and the audit log,
//! always read through the actor's company: a record of another company is `NotFound`, the same
//! answer as a record that does not exist. The rules that protect a company live in
//! `domain::team` (pure); this module gathers the facts they need inside the transaction that
//! makes the change, and writes the audit entry in that same transaction.

pub mod audit;
pub mod domains;
pub mod invitations;
pub mod repo;
pub mod roles;

use super::platform::clock::now;
use super::platform::guard::Actor;
use super::platform::state::AppState;
use crate::domain::ids::{CompanyId, LocationId, MemberId, RoleId};
use crate::domain::team::{check_member_change, MemberChange, Target, TeamRule};
use crate::error::{AppError, FieldError};
use audit::{Action, Who};
pub use repo::{CompanyRow, InvitationRow, LocationRow, MemberFilter, MemberRow, RoleRow};
use sqlx::{Any, Transaction};

/// Members per page on /team.
pub const PAGE_SIZE: i64 = 50;

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

/// Every member's id and name, by name (the orders page's "placed by" filter).
pub async fn member_names(state: &AppState, actor: &Actor) -> Result<Vec<(MemberId, String)>, AppError> {
    Ok(repo::member_names(&state.pool, actor.company_id()).await?)
}

pub async fn list_members(
    state: &AppState,
    actor: &Actor,
    filter: &MemberFilter,
) -> Result<(Vec<MemberRow>, i64), AppError> {
    Ok(repo::members(&state.pool, actor.company_id(), filter).await?)
}

/// The translated-key error of a broken rule.
pub fn rule_error(rule: TeamRule) -> AppError {
    AppError::invalid("", rule.key())
}

pub fn changed_meanwhile() -> AppError {
    AppError::invalid("", "team.changed_meanwhile")
}

/// Every id must be one of the company's locations (a foreign one is NotFound, like a missing
/// one); duplicates are dropped.
pub async fn company_locations(
    state: &AppState,
    company: CompanyId,
    ids: &[LocationId],
) -> Result<Vec<LocationId>, AppError> {
    let own = repo::locations(&state.pool, company).await?;
    let mut out: Vec<LocationId> = Vec::new();
    for id in ids {
        if !own.iter().any(|l| l.id == *id) {
            return Err(AppError::NotFound);
        }
        if !out.contains(id) {
            out.push(*id);
        }
    }
    out.sort();
    Ok(out)
}

/// Serialises team changes per company on PostgreSQL (the last-admin count must not be raced);
/// on SQLite the first statement's write lock does it.
async fn lock_company(state: &AppState, tx: &mut Transaction<'_, Any>, company: CompanyId) -> Result<(), sqlx::Error> {
    if state.db == super::platform::db::DbKind::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock(13, CAST($1 AS INTEGER))").bind(company.0).execute(&mut **tx).await?;
    }
    Ok(())
}

fn names(locations: &[(i64, String)], ids: &[LocationId]) -> String {
    let mut picked: Vec<&str> =
        locations.iter().filter(|(id, _)| ids.contains(&LocationId(*id))).map(|(_, n)| n.as_str()).collect();
    picked.sort();
    if picked.is_empty() {
        "—".into()
    } else {
        picked.join(", ")
    }
}

/// An open change to one member: the transaction (holding this process's write turn on SQLite),
/// the member as they were, and who acts. Made only by `begin_change`, after the rules passed.
struct MemberChangeTx<'a> {
    tx: Transaction<'a, Any>,
    member: MemberRow,
    who: Who,
    _turn: Option<tokio::sync::MutexGuard<'a, ()>>,
}

/// The start of every change to a member: its first statement claims the member at `version`
/// (a change made meanwhile answers "changed meanwhile"), then the company's rules are checked
/// against the database as it is inside the transaction.
async fn begin_change<'a>(
    state: &'a AppState,
    actor: &Actor,
    member: MemberRow,
    version: i64,
    change: &MemberChange,
) -> Result<MemberChangeTx<'a>, AppError> {
    let company = actor.company_id();
    let current = repo::role(&state.pool, company, member.role_id).await?.ok_or(AppError::NotFound)?;
    let turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    lock_company(state, &mut tx, company).await?;
    if !repo::claim_member(&mut tx, company, member.id, version).await? {
        return Err(changed_meanwhile());
    }
    let admins = repo::active_admins(&mut *tx, company).await? as usize;
    let target =
        Target { is_self: member.id == actor.member_id, active: member.active, permissions: current.permissions };
    check_member_change(&actor.permissions, &target, change, admins).map_err(rule_error)?;
    let who = Who::user(&mut tx, actor.user_id).await?;
    Ok(MemberChangeTx { tx, member, who, _turn: turn })
}

/// Gives a member another role and set of locations, if nobody changed them since `version`.
pub async fn update_member(
    state: &AppState,
    actor: &Actor,
    id: MemberId,
    role: RoleId,
    locations: &[LocationId],
    version: i64,
) -> Result<(), AppError> {
    let company = actor.company_id();
    let member = repo::member(&state.pool, company, id).await?.ok_or(AppError::NotFound)?;
    let role = repo::role(&state.pool, company, role).await?.ok_or(AppError::NotFound)?;
    let locations = company_locations(state, company, locations).await?;
    let all_locations: Vec<(i64, String)> =
        repo::locations(&state.pool, company).await?.into_iter().map(|l| (l.id.0, l.name)).collect();
    let change = MemberChange::Role(role.permissions.clone());
    let MemberChangeTx { mut tx, member, who, _turn } = begin_change(state, actor, member, version, &change).await?;
    let at = now();
    if member.role_id != role.id {
        repo::set_member_role(&mut tx, company, id, role.id).await?;
        // Their browsers get new tokens on their next request (`http::resolve_session`).
        repo::rotate_sessions_in(&mut tx, company, member.user_id).await?;
        let detail = format!("{} → {}", member.role_name, role.name);
        audit::record(&mut tx, company, &who, Action::RoleChanged, &member.email, &detail, at).await?;
    }
    let before: Vec<LocationId> = member.locations.iter().map(|(l, _)| LocationId(*l)).collect();
    if before != locations {
        repo::set_member_locations(&mut tx, company, id, &locations).await?;
        let detail = format!("{} → {}", names(&all_locations, &before), names(&all_locations, &locations));
        audit::record(&mut tx, company, &who, Action::LocationsChanged, &member.email, &detail, at).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Deactivates (ending the member's sessions in this company at once) or reactivates a member.
/// Their orders, lists and quotes stay with the company either way.
pub async fn set_active(
    state: &AppState,
    actor: &Actor,
    id: MemberId,
    active: bool,
    version: i64,
) -> Result<(), AppError> {
    let company = actor.company_id();
    let member = repo::member(&state.pool, company, id).await?.ok_or(AppError::NotFound)?;
    if member.active == active {
        return Ok(());
    }
    let change = if active { MemberChange::Reactivate } else { MemberChange::Deactivate };
    let MemberChangeTx { mut tx, member, who, _turn } = begin_change(state, actor, member, version, &change).await?;
    repo::set_member_active(&mut tx, company, id, active).await?;
    if !active {
        repo::end_sessions_in(&mut tx, company, member.user_id).await?;
    }
    let action = if active { Action::Reactivated } else { Action::Deactivated };
    audit::record(&mut tx, company, &who, action, &member.email, "", now()).await?;
    tx.commit().await?;
    Ok(())
}

/// A role of the company the actor may hand out (built-in or the company's own, holding only
/// what the actor holds); another company's role is NotFound.
pub async fn grantable_role(state: &AppState, actor: &Actor, id: RoleId) -> Result<RoleRow, AppError> {
    let role = repo::role(&state.pool, actor.company_id(), id).await?.ok_or(AppError::NotFound)?;
    crate::domain::team::may_grant(&actor.permissions, &role.permissions).map_err(rule_error)?;
    Ok(role)
}

/// The audit log, newest first.
pub async fn audit_entries(
    state: &AppState,
    actor: &Actor,
    filter: &audit::Filter,
    before: Option<i64>,
    limit: i64,
) -> Result<(Vec<audit::Entry>, i64), AppError> {
    Ok(audit::entries(&state.pool, actor.company_id(), filter, before, limit).await?)
}

/// A field's problem as an `AppError`.
pub fn field(field: &str, key: &str) -> FieldError {
    FieldError { field: field.into(), key: key.into() }
}
