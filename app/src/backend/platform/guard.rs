//! The one authorization guard. Every server function calls `authorize` (or `signed_in` when it
//! needs only a user, saying why) before anything else; services take the returned `Actor`, so
//! they cannot run for nobody. Ids sent by the browser are never trusted: the company always comes
//! from the session, and repositories scope every query by it.

use super::session::CurrentSession;
use super::state::{app_state, AppState};
use crate::domain::ids::{CompanyId, LocationId, MemberId, UserId};
use crate::domain::permission::{Permission, PermissionSet};
use crate::error::AppError;

/// A member acting in their selected company, with what their role allows.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: UserId,
    pub member_id: MemberId,
    pub company_id: CompanyId,
    pub location_id: Option<LocationId>,
    pub permissions: PermissionSet,
    pub session_hash: String,
    /// The change-log head of this request (see `backend::read_model::log`).
    pub seen: i64,
}

impl Actor {
    pub fn company_id(&self) -> CompanyId {
        self.company_id
    }
}

/// The signed-in user of this request, member of a company or not (staff, or someone whose
/// membership was removed).
pub fn signed_in() -> Result<CurrentSession, AppError> {
    leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentSession>().cloned())
        .ok_or(AppError::Unauthenticated)
}

/// The member behind this request, checked for `permission`.
pub async fn authorize(permission: Permission) -> Result<(AppState, Actor), AppError> {
    let state = app_state()?;
    let session = signed_in()?;
    let actor = permit(load_actor(&state, &session).await?, permission)?;
    Ok((state, actor))
}

fn permit(actor: Actor, permission: Permission) -> Result<Actor, AppError> {
    if actor.permissions.allows(permission) {
        Ok(actor)
    } else {
        Err(AppError::Forbidden)
    }
}

/// `authorize` for a plain axum handler (a streamed download), which has the request parts but
/// no Leptos context.
pub async fn authorize_parts(
    state: &AppState,
    parts: &axum::http::request::Parts,
    permission: Permission,
) -> Result<Actor, AppError> {
    let session = parts.extensions.get::<CurrentSession>().ok_or(AppError::Unauthenticated)?;
    permit(load_actor_uncached(state, session).await?, permission)
}

/// The `Actor` of one request, shared by every server function the page render calls in-process
/// (the shell and the page data both authorize): loaded once per request, never across requests,
/// so a role change applies to the very next request. The middleware puts one in each request.
#[derive(Clone, Default)]
pub struct RequestMemo(std::sync::Arc<std::sync::OnceLock<Actor>>);

/// Loads the member of the session's company; a session without a company, or whose membership
/// is gone, is Forbidden.
pub async fn load_actor(state: &AppState, session: &CurrentSession) -> Result<Actor, AppError> {
    let memo = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestMemo>().cloned());
    if let Some(actor) = memo.as_ref().and_then(|m| m.0.get()).filter(|a| a.session_hash == session.id_hash) {
        return Ok(actor.clone());
    }
    let actor = load_actor_uncached(state, session).await?;
    if let Some(memo) = memo {
        let _ = memo.0.set(actor.clone());
    }
    Ok(actor)
}

async fn load_actor_uncached(state: &AppState, session: &CurrentSession) -> Result<Actor, AppError> {
    let company_id = session.company_id.ok_or(AppError::Forbidden)?;
    let directory = state.read.user(&state.pool, session.user_id, session.head).await?;
    let membership = directory.membership(company_id).ok_or(AppError::Forbidden)?;
    // The session's location counts only while the member may still buy for it: access taken away
    // since the session chose it moves to the first location they may buy for, or to the
    // company-wide catalog and prices when they are not limited to locations.
    let location_id = session
        .location_id
        .filter(|l| membership.locations.iter().any(|(id, _)| *id == l.0))
        .or_else(|| membership.locations.first().map(|(id, _)| LocationId(*id)));
    Ok(Actor {
        user_id: session.user_id,
        member_id: membership.member_id,
        company_id,
        location_id,
        permissions: membership.permissions.clone(),
        session_hash: session.id_hash.clone(),
        seen: session.head,
    })
}

/// Another member of the caller's company as an `Actor`, for work done on their behalf: an
/// approved purchase request is placed as its requester's order, at their prices and catalog
/// for the location it ships to. Not a way in: it takes the caller's `Actor` (their company), and
/// a member who is gone or deactivated is NotFound.
pub async fn on_behalf_of(
    state: &AppState,
    caller: &Actor,
    member: MemberId,
    location: Option<LocationId>,
) -> Result<Actor, AppError> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT user_id FROM members WHERE id = $1 AND company_id = $2 AND active = 1")
            .bind(member.0)
            .bind(caller.company_id.0)
            .fetch_optional(&state.pool)
            .await?;
    let (user,) = row.ok_or(AppError::NotFound)?;
    let directory = state.read.user(&state.pool, UserId(user), caller.seen).await?;
    let membership = directory.membership(caller.company_id).ok_or(AppError::NotFound)?;
    let location_id = location
        .filter(|l| membership.locations.is_empty() || membership.locations.iter().any(|(id, _)| *id == l.0))
        .or_else(|| membership.locations.first().map(|(id, _)| LocationId(*id)));
    Ok(Actor {
        user_id: UserId(user),
        member_id: membership.member_id,
        company_id: caller.company_id,
        location_id,
        permissions: membership.permissions.clone(),
        session_hash: String::new(),
        seen: caller.seen,
    })
}

/// Merchant staff behind this request: their user and the desk key (`quotes::repo::Desk`) that
/// opens every company's quotes. A buyer, however privileged in their company, is Forbidden.
#[derive(Clone, Debug)]
pub struct Staff {
    pub user_id: UserId,
    pub name: String,
    pub desk: crate::backend::quotes::repo::Desk,
}

pub async fn authorize_staff() -> Result<(AppState, Staff), AppError> {
    let state = app_state()?;
    Ok((state, staff_of(&signed_in()?)?))
}

/// `authorize_staff` for a plain axum handler (a download).
pub fn staff_of_parts(parts: &axum::http::request::Parts) -> Result<Staff, AppError> {
    staff_of(parts.extensions.get::<CurrentSession>().ok_or(AppError::Unauthenticated)?)
}

fn staff_of(session: &CurrentSession) -> Result<Staff, AppError> {
    if !session.is_staff {
        return Err(AppError::Forbidden);
    }
    let desk = crate::backend::quotes::repo::Desk(());
    Ok(Staff { user_id: session.user_id, name: session.display_name.clone(), desk })
}

/// A company's member as an `Actor`, for the merchant's desk: a quote's lines are priced at the
/// requester's catalog and price list. Only the desk key opens it; a member who is gone is NotFound.
pub async fn member_for_desk(
    state: &AppState,
    _desk: crate::backend::quotes::repo::Desk,
    company: CompanyId,
    member: MemberId,
    location: Option<LocationId>,
    seen: i64,
) -> Result<Actor, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT user_id FROM members WHERE id = $1 AND company_id = $2")
        .bind(member.0)
        .bind(company.0)
        .fetch_optional(&state.pool)
        .await?;
    let (user,) = row.ok_or(AppError::NotFound)?;
    let directory = state.read.user(&state.pool, UserId(user), seen).await?;
    let membership = directory.membership(company).ok_or(AppError::NotFound)?;
    let location_id = location
        .filter(|l| membership.locations.is_empty() || membership.locations.iter().any(|(id, _)| *id == l.0))
        .or_else(|| membership.locations.first().map(|(id, _)| LocationId(*id)));
    Ok(Actor {
        user_id: UserId(user),
        member_id: membership.member_id,
        company_id: company,
        location_id,
        permissions: membership.permissions.clone(),
        session_hash: String::new(),
        seen,
    })
}
