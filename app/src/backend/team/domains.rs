//! Join by verified domain. An admin with an address at a domain verifies it through a link
//! mailed to that address, then chooses what happens when someone with an address there asks to
//! join at /join: "ask an admin" (a join request waits on /team) or "join as" a role at once.
//! The joiner proves their address by a mailed link first. Public mail providers cannot be
//! verified (`domain::team::is_public_domain`).

use super::audit::{self, Action, Who};
use super::{lock_company, repo};
use crate::backend::auth;
use crate::backend::platform::clock::now;
use crate::backend::platform::email_token::{self, Purpose};
use crate::backend::platform::guard::Actor;
use crate::backend::platform::state::AppState;
use crate::backend::platform::{mail, password, rate, session};
use crate::domain::email::Email;
use crate::domain::ids::{CompanyId, RoleId, UserId};
use crate::domain::permission::Permission;
use crate::domain::team::{check_new_password, clean_name, is_public_domain, MAX_NAME_CHARS};
use crate::error::AppError;
use crate::i18n::{tr, Locale};

pub const VERIFY_SECS: i64 = 86_400;
pub const JOIN_SECS: i64 = 86_400;

#[derive(Clone, Debug)]
pub struct DomainRow {
    pub id: i64,
    pub domain: String,
    /// `ask` or `join`.
    pub policy: String,
    pub join_role_id: Option<RoleId>,
    pub verified_at: i64,
}

pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<DomainRow>, AppError> {
    let rows: Vec<(i64, String, String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT id, domain, policy, join_role_id, verified_at FROM company_domains WHERE company_id = $1 ORDER BY domain",
    )
    .bind(actor.company_id().0)
    .fetch_all(&state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, domain, policy, role, verified_at)| DomainRow {
            id,
            domain,
            policy,
            join_role_id: role.map(RoleId),
            verified_at,
        })
        .collect())
}

/// Mails a verification link to the admin's own address for its domain.
pub async fn start_verification(state: &AppState, actor: &Actor, locale: Locale) -> Result<String, AppError> {
    let company = actor.company_id();
    let (email,): (String,) =
        sqlx::query_as("SELECT email FROM users WHERE id = $1").bind(actor.user_id.0).fetch_one(&state.pool).await?;
    let email = Email::parse(&email).map_err(|_| AppError::invalid("", "team.domain.public"))?;
    let domain = email.domain().to_string();
    if is_public_domain(&domain) {
        return Err(AppError::invalid("", "team.domain.public"));
    }
    let taken: Option<(i64,)> = sqlx::query_as("SELECT company_id FROM company_domains WHERE domain = $1")
        .bind(&domain)
        .fetch_optional(&state.pool)
        .await?;
    match taken {
        Some((c,)) if c == company.0 => return Err(AppError::invalid("", "team.domain.already")),
        Some(_) => return Err(AppError::invalid("", "team.domain.unavailable")),
        None => {}
    }
    rate::take(&state.pool, &[(rate::DOMAIN_PER_COMPANY, &company.0.to_string())]).await?;
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let token =
        email_token::create(&mut tx, Purpose::Domain, Some(actor.user_id), Some(company), email.as_str(), VERIFY_SECS)
            .await?;
    let link = format!("{}/verify-domain/{token}", state.auth.public_url);
    let subject = tr!(locale, "mail.domain.subject", domain = domain.as_str());
    let body = format!("{}\n\n{link}\n", tr!(locale, "mail.domain.body", domain = domain.as_str()));
    mail::enqueue(&mut tx, email.as_str(), &subject, &body, now()).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(domain)
}

/// The link's domain, while the link is good (the page that asks to confirm).
pub async fn verification(state: &AppState, token: &str) -> Result<String, AppError> {
    let row = email_token::peek(&state.pool, Purpose::Domain, token).await?.ok_or_else(link_invalid)?;
    Email::parse(&row.email).map(|e| e.domain().to_string()).map_err(|_| link_invalid())
}

pub fn link_invalid() -> AppError {
    AppError::invalid("", "link.invalid")
}

/// Confirms a domain verification: the link proves the address; its sender must still be an
/// active member of the company allowed to manage the team.
pub async fn confirm(state: &AppState, token: &str) -> Result<String, AppError> {
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let row = email_token::consume(&mut tx, Purpose::Domain, token).await?.ok_or_else(link_invalid)?;
    let (Some(user), Some(company)) = (row.user_id, row.company_id) else { return Err(link_invalid()) };
    let admin: Option<(i64,)> = sqlx::query_as(
        "SELECT m.id FROM members m JOIN role_permissions rp ON rp.role_id = m.role_id \
         WHERE m.user_id = $1 AND m.company_id = $2 AND m.active = 1 AND rp.permission = $3",
    )
    .bind(user.0)
    .bind(company.0)
    .bind(Permission::TeamManage.code())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((member,)) = admin else { return Err(link_invalid()) };
    let domain = Email::parse(&row.email).map(|e| e.domain().to_string()).map_err(|_| link_invalid())?;
    let at = now();
    let inserted = sqlx::query(
        "INSERT INTO company_domains (company_id, domain, policy, join_role_id, verified_at, verified_by) \
         VALUES ($1, $2, 'ask', NULL, $3, $4)",
    )
    .bind(company.0)
    .bind(&domain)
    .bind(at)
    .bind(member)
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if crate::backend::platform::db::is_unique_violation(&e) => {
            return Err(AppError::invalid("", "team.domain.unavailable"))
        }
        Err(e) => return Err(e.into()),
    }
    let who = Who::user(&mut tx, user).await?;
    audit::record(&mut tx, company, &who, Action::DomainVerified, &domain, "", at).await?;
    tx.commit().await?;
    Ok(domain)
}

/// "ask" (role None) or "join as" a role the admin could grant.
pub async fn set_policy(state: &AppState, actor: &Actor, id: i64, join_as: Option<RoleId>) -> Result<(), AppError> {
    let company = actor.company_id();
    let domain = list(state, actor).await?.into_iter().find(|d| d.id == id).ok_or(AppError::NotFound)?;
    let role = match join_as {
        Some(role) => Some(super::grantable_role(state, actor, role).await?),
        None => None,
    };
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    sqlx::query("UPDATE company_domains SET policy = $1, join_role_id = $2 WHERE id = $3 AND company_id = $4")
        .bind(if role.is_some() { "join" } else { "ask" })
        .bind(role.as_ref().map(|r| r.id.0))
        .bind(id)
        .bind(company.0)
        .execute(&mut *tx)
        .await?;
    let who = Who::user(&mut tx, actor.user_id).await?;
    let detail = role.map(|r| r.name).unwrap_or_else(|| "ask".into());
    audit::record(&mut tx, company, &who, Action::DomainPolicyChanged, &domain.domain, &detail, now()).await?;
    tx.commit().await?;
    Ok(())
}

/// /join: mails a link to the address when its domain is verified by a company it is not a
/// member of. The answer is the same whatever the address (nothing tells whether it has an
/// account or which company its domain belongs to).
pub async fn start_join(state: &AppState, email: &str, ip: &str, locale: Locale) -> Result<(), AppError> {
    let email = super::invitations::invitable(email)?;
    rate::take(&state.pool, &[(rate::JOIN_PER_EMAIL, email.as_str()), (rate::JOIN_PER_IP, ip)]).await?;
    let company: Option<(i64, String)> = sqlx::query_as(
        "SELECT c.id, c.name FROM company_domains d JOIN companies c ON c.id = d.company_id WHERE d.domain = $1",
    )
    .bind(email.domain())
    .fetch_optional(&state.pool)
    .await?;
    let Some((company, name)) = company else { return Ok(()) };
    if let Some(user) = auth::repo::find_user_by_email(&state.pool, &email).await? {
        if repo::membership_of(&state.pool, CompanyId(company), user.id).await?.is_some() {
            return Ok(());
        }
    }
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let token =
        email_token::create(&mut tx, Purpose::Join, None, Some(CompanyId(company)), email.as_str(), JOIN_SECS).await?;
    let link = format!("{}/join/{token}", state.auth.public_url);
    let subject = tr!(locale, "mail.join.subject", company = name.as_str());
    let body = format!("{}\n\n{link}\n", tr!(locale, "mail.join.body", company = name.as_str()));
    mail::enqueue(&mut tx, email.as_str(), &subject, &body, now()).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// What /join/{token} shows.
#[derive(Clone, Debug)]
pub struct JoinLink {
    pub company_name: String,
    pub email: String,
    pub has_account: bool,
    /// Joins at once (a role is set) rather than asking an admin.
    pub joins_at_once: bool,
}

pub async fn join_link(state: &AppState, token: &str) -> Result<JoinLink, AppError> {
    let row = email_token::peek(&state.pool, Purpose::Join, token).await?.ok_or_else(link_invalid)?;
    let company = row.company_id.ok_or_else(link_invalid)?;
    let email = Email::parse(&row.email).map_err(|_| link_invalid())?;
    let found: Option<(String, String)> = sqlx::query_as(
        "SELECT c.name, d.policy FROM company_domains d JOIN companies c ON c.id = d.company_id \
         WHERE d.company_id = $1 AND d.domain = $2",
    )
    .bind(company.0)
    .bind(email.domain())
    .fetch_optional(&state.pool)
    .await?;
    let (company_name, policy) = found.ok_or_else(link_invalid)?;
    let has_account = auth::repo::find_user_by_email(&state.pool, &email).await?.is_some();
    Ok(JoinLink { company_name, email: email.as_str().into(), has_account, joins_at_once: policy == "join" })
}

/// The outcome of a join: signed in as a new member, or waiting for an admin.
pub enum Joined {
    Member { session_token: String },
    Waiting,
}

pub async fn complete_join(
    state: &AppState,
    token: &str,
    name: &str,
    new_password: &str,
    ip: &str,
) -> Result<Joined, AppError> {
    let link = join_link(state, token).await?;
    let email = Email::parse(&link.email).map_err(|_| link_invalid())?;
    let existing = auth::repo::find_user_by_email(&state.pool, &email).await?;
    let new_user = match &existing {
        Some(user) => {
            auth::check_password(state, &email, &user.password_hash, new_password, ip).await?;
            None
        }
        None => {
            let name = clean_name(name, MAX_NAME_CHARS).map_err(super::invitations::name_error)?;
            check_new_password(new_password).map_err(super::invitations::password_error)?;
            Some((name, password::hash(new_password.to_string()).await?))
        }
    };
    let at = now();
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let row = email_token::consume(&mut tx, Purpose::Join, token).await?.ok_or_else(link_invalid)?;
    let company = row.company_id.ok_or_else(link_invalid)?;
    lock_company(state, &mut tx, company).await?;
    let policy: Option<(String, Option<i64>)> =
        sqlx::query_as("SELECT policy, join_role_id FROM company_domains WHERE company_id = $1 AND domain = $2")
            .bind(company.0)
            .bind(email.domain())
            .fetch_optional(&mut *tx)
            .await?;
    let (policy, role) = policy.ok_or_else(link_invalid)?;
    let user = match (existing, new_user) {
        (Some(user), _) => user.id,
        (None, Some((name, hash))) => {
            auth::repo::insert_user(&mut tx, &email, &name, &hash, None, at).await?.ok_or_else(link_invalid)?
        }
        (None, None) => return Err(link_invalid()),
    };
    if repo::membership_of(&mut *tx, company, user).await?.is_some() {
        return Err(link_invalid());
    }
    let who = Who::user(&mut tx, user).await?;
    let outcome = match (policy.as_str(), role) {
        ("join", Some(role)) => {
            repo::insert_member(&mut tx, company, user, RoleId(role), &[], at).await?;
            audit::record(&mut tx, company, &who, Action::JoinedByDomain, email.as_str(), "", at).await?;
            None
        }
        _ => {
            let done = sqlx::query(
                "INSERT INTO join_requests (company_id, user_id, status, created_at) VALUES ($1, $2, 'pending', $3)",
            )
            .bind(company.0)
            .bind(user.0)
            .bind(at)
            .execute(&mut *tx)
            .await;
            match done {
                Ok(_) => {}
                // Asked before: the earlier request stands (or was decided).
                Err(e) if crate::backend::platform::db::is_unique_violation(&e) => return Ok(Joined::Waiting),
                Err(e) => return Err(e.into()),
            }
            audit::record(&mut tx, company, &who, Action::JoinRequested, email.as_str(), "", at).await?;
            Some(())
        }
    };
    tx.commit().await?;
    match outcome {
        Some(()) => Ok(Joined::Waiting),
        None => {
            let session_token =
                session::create(&state.pool, user, Some(company), None, state.auth.session_ttl_secs).await?;
            auth::repo::touch_sign_in(&state.pool, user).await?;
            Ok(Joined::Member { session_token })
        }
    }
}

#[derive(Clone, Debug)]
pub struct JoinRequestRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub created_at: i64,
}

pub async fn pending_requests(state: &AppState, actor: &Actor) -> Result<Vec<JoinRequestRow>, AppError> {
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT j.id, u.display_name, u.email, j.created_at FROM join_requests j JOIN users u ON u.id = j.user_id \
         WHERE j.company_id = $1 AND j.status = 'pending' ORDER BY j.created_at, j.id",
    )
    .bind(actor.company_id().0)
    .fetch_all(&state.pool)
    .await?;
    Ok(rows.into_iter().map(|(id, name, email, created_at)| JoinRequestRow { id, name, email, created_at }).collect())
}

/// Approves (with a role the admin could grant) or declines a pending join request.
pub async fn decide(state: &AppState, actor: &Actor, id: i64, approve_as: Option<RoleId>) -> Result<(), AppError> {
    let company = actor.company_id();
    let request = pending_requests(state, actor).await?.into_iter().find(|r| r.id == id);
    let request = match request {
        Some(r) => r,
        // Decided already, or not this company's: is it this company's at all?
        None => {
            let any: Option<(i64,)> = sqlx::query_as("SELECT id FROM join_requests WHERE id = $1 AND company_id = $2")
                .bind(id)
                .bind(company.0)
                .fetch_optional(&state.pool)
                .await?;
            return Err(if any.is_some() { AppError::invalid("", "team.join.decided") } else { AppError::NotFound });
        }
    };
    let role = match approve_as {
        Some(role) => Some(super::grantable_role(state, actor, role).await?),
        None => None,
    };
    let at = now();
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE join_requests SET status = $1, decided_at = $2 WHERE id = $3 AND company_id = $4 AND status = 'pending'",
    )
    .bind(if role.is_some() { "approved" } else { "declined" })
    .bind(at)
    .bind(id)
    .bind(company.0)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::invalid("", "team.join.decided"));
    }
    let who = Who::user(&mut tx, actor.user_id).await?;
    match &role {
        Some(role) => {
            let (user,): (i64,) =
                sqlx::query_as("SELECT user_id FROM join_requests WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
            if repo::membership_of(&mut *tx, company, UserId(user)).await?.is_none() {
                repo::insert_member(&mut tx, company, UserId(user), role.id, &[], at).await?;
            }
            audit::record(&mut tx, company, &who, Action::JoinApproved, &request.email, &role.name, at).await?;
        }
        None => audit::record(&mut tx, company, &who, Action::JoinDeclined, &request.email, "", at).await?,
    }
    tx.commit().await?;
    Ok(())
}
