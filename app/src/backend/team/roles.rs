//! Custom roles: a company's own named sets of permissions. Built-in roles are shared and
//! read-only; another company's role id is NotFound.

use super::audit::{self, Action, Who};
use super::{changed_meanwhile, repo, rule_error, RoleRow};
use crate::backend::platform::clock::now;
use crate::backend::platform::guard::Actor;
use crate::backend::platform::state::AppState;
use crate::domain::ids::RoleId;
use crate::domain::permission::PermissionSet;
use crate::domain::team::{check_role_permissions, clean_name, TextError, MAX_ROLE_NAME_CHARS};
use crate::error::AppError;

pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<RoleRow>, AppError> {
    Ok(repo::roles(&state.pool, actor.company_id()).await?)
}

fn describe(p: &PermissionSet) -> String {
    p.iter().map(|p| p.code()).collect::<Vec<_>>().join(", ")
}

/// Creates a role (`id` None) or changes one of the company's custom roles at `version`.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    id: Option<RoleId>,
    version: i64,
    name: &str,
    permissions: PermissionSet,
) -> Result<RoleId, AppError> {
    let company = actor.company_id();
    let name = clean_name(name, MAX_ROLE_NAME_CHARS).map_err(|e| {
        AppError::invalid("name", if e == TextError::Empty { "team.roles.name_empty" } else { "team.roles.name_long" })
    })?;
    check_role_permissions(&actor.permissions, &permissions).map_err(rule_error)?;
    let existing = repo::roles(&state.pool, company).await?;
    if existing.iter().any(|r| Some(r.id) != id && r.name.to_lowercase() == name.to_lowercase()) {
        return Err(AppError::invalid("name", "team.roles.name_taken"));
    }
    let old = match id {
        Some(id) => {
            let role = existing.into_iter().find(|r| r.id == id).ok_or(AppError::NotFound)?;
            if role.company_id.is_none() {
                return Err(AppError::invalid("", "team.roles.built_in"));
            }
            // Editing a role the editor could not have granted would let them widen others.
            crate::domain::team::may_grant(&actor.permissions, &role.permissions).map_err(rule_error)?;
            Some(role)
        }
        None => None,
    };
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let who = Who::user(&mut tx, actor.user_id).await?;
    let at = now();
    let id = match old {
        Some(old) => {
            if !repo::update_role(&mut tx, company, old.id, version, &name).await? {
                return Err(changed_meanwhile());
            }
            repo::set_role_permissions(&mut tx, old.id, &permissions).await?;
            let detail =
                format!("{} [{}] → {} [{}]", old.name, describe(&old.permissions), name, describe(&permissions));
            audit::record(&mut tx, company, &who, Action::RoleEdited, &name, &detail, at).await?;
            old.id
        }
        None => {
            let code = format!("custom-{}", hex::encode(rand::random::<[u8; 6]>()));
            let id = repo::insert_role(&mut tx, company, &code, &name, &permissions).await?;
            audit::record(&mut tx, company, &who, Action::RoleCreated, &name, &describe(&permissions), at).await?;
            id
        }
    };
    tx.commit().await?;
    Ok(id)
}

/// Deletes a custom role nobody holds (members must be moved first).
pub async fn delete(state: &AppState, actor: &Actor, id: RoleId) -> Result<(), AppError> {
    let company = actor.company_id();
    let role = repo::role(&state.pool, company, id).await?.ok_or(AppError::NotFound)?;
    if role.company_id.is_none() {
        return Err(AppError::invalid("", "team.roles.built_in"));
    }
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    if !repo::delete_role(&mut tx, company, id).await? {
        return Err(AppError::invalid("", "team.roles.in_use"));
    }
    let who = Who::user(&mut tx, actor.user_id).await?;
    audit::record(&mut tx, company, &who, Action::RoleDeleted, &role.name, &describe(&role.permissions), now()).await?;
    tx.commit().await?;
    Ok(())
}
