//! Accepting an invitation, joining by verified domain and confirming a domain: public (the
//! mailed link's token is the proof), and every bad, used, revoked or expired token answers the
//! same "no longer valid".

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationViewDto {
    pub company: String,
    pub inviter: String,
    pub role_code: String,
    pub role_name: String,
    pub email: String,
    /// The address has an account: the page asks for its password, not a new one.
    pub has_account: bool,
}

#[server(endpoint = "invitations/view")]
pub async fn view_invitation(token: String) -> Result<InvitationViewDto, AppError> {
    use crate::backend::{platform::state::app_state, team};
    let i = team::invitations::by_token(&app_state()?, &token).await?;
    Ok(InvitationViewDto {
        company: i.company_name,
        inviter: i.row.invited_by,
        role_code: i.row.role_code,
        role_name: i.row.role_name,
        email: i.row.email,
        has_account: i.has_account,
    })
}

/// Accepts: a new person sends `name` and `password`; an existing account its `password`. Signs
/// the browser in to the company and goes to the catalog.
#[server(endpoint = "invitations/accept")]
pub async fn accept_invitation(
    token: String,
    #[server(default)] name: String,
    password: String,
) -> Result<(), AppError> {
    use crate::backend::{platform::state::app_state, team};
    let state = app_state()?;
    let session = team::invitations::accept(&state, &token, &name, &password, &crate::api::auth::client_ip()?).await?;
    crate::api::auth::set_session_cookie(&state, &session)?;
    if crate::api::form_post() {
        leptos_axum::redirect(crate::domain::return_to::HOME);
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JoinViewDto {
    pub company: String,
    pub email: String,
    pub has_account: bool,
    pub joins_at_once: bool,
}

/// Asks for a join link at /join. The same answer for every address.
#[server(endpoint = "join/start")]
pub async fn start_join(email: String) -> Result<bool, AppError> {
    use crate::backend::{platform::state::app_state, team};
    let state = app_state()?;
    team::domains::start_join(&state, &email, &crate::api::auth::client_ip()?, crate::i18n::request_locale()).await?;
    Ok(true)
}

#[server(endpoint = "join/view")]
pub async fn view_join(token: String) -> Result<JoinViewDto, AppError> {
    use crate::backend::{platform::state::app_state, team};
    let j = team::domains::join_link(&app_state()?, &token).await?;
    Ok(JoinViewDto {
        company: j.company_name,
        email: j.email,
        has_account: j.has_account,
        joins_at_once: j.joins_at_once,
    })
}

/// Completes a join: answers `true` when signed in as a member, `false` when the request waits
/// for an admin.
#[server(endpoint = "join/complete")]
pub async fn complete_join(token: String, #[server(default)] name: String, password: String) -> Result<bool, AppError> {
    use crate::backend::{platform::state::app_state, team};
    use team::domains::Joined;
    let state = app_state()?;
    match team::domains::complete_join(&state, &token, &name, &password, &crate::api::auth::client_ip()?).await? {
        Joined::Member { session_token } => {
            crate::api::auth::set_session_cookie(&state, &session_token)?;
            if crate::api::form_post() {
                leptos_axum::redirect(crate::domain::return_to::HOME);
            }
            Ok(true)
        }
        Joined::Waiting => {
            if crate::api::form_post() {
                leptos_axum::redirect("/join?waiting=1");
            }
            Ok(false)
        }
    }
}

/// The domain a verification link is for, while it works.
#[server(endpoint = "domains/view")]
pub async fn view_domain_link(token: String) -> Result<String, AppError> {
    use crate::backend::{platform::state::app_state, team};
    team::domains::verification(&app_state()?, &token).await
}

#[server(endpoint = "domains/confirm")]
pub async fn confirm_domain(token: String) -> Result<String, AppError> {
    use crate::backend::{platform::state::app_state, team};
    // A form post goes back to the link's page, which shows this answer (post/redirect/get).
    team::domains::confirm(&app_state()?, &token).await
}
