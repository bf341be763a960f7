//! Sign-in and sign-out: password check, rate limits, session creation, company switching.

pub mod repo;

use super::platform::clock::now;
use super::platform::password;
use super::platform::session::{self, CurrentSession};
use super::platform::state::AppState;
use crate::domain::email::Email;
use crate::domain::ids::{CompanyId, UserId};
use crate::error::AppError;
use crate::i18n::Locale;

/// A successful sign-in: the cookie token to hand to the browser.
pub struct SignedIn {
    pub token: String,
    pub locale: Option<Locale>,
}

/// Checks the rate limits, then the password. Failures are counted per account and per IP in
/// the database (shared by all app servers); success clears the account's count.
pub async fn login(state: &AppState, email: &str, password: &str, ip: &str) -> Result<SignedIn, AppError> {
    // An unparseable address cannot have an account; it still counts against the IP.
    let email = Email::parse(email).ok();
    let user = match &email {
        Some(e) => repo::find_user_by_email(&state.pool, e).await?,
        None => None,
    };
    // Verify against a decoy when the user is unknown, so timing does not reveal accounts.
    let stored = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| password::decoy_hash().to_string());
    check(state, email.as_ref(), &stored, password, ip).await?;
    let Some(user) = user else { return Err(AppError::invalid("", "auth.login.invalid")) };
    let (company_id, location_id) = repo::default_membership(&state.pool, user.id).await?;
    let token = session::create(&state.pool, user.id, company_id, location_id, state.auth.session_ttl_secs).await?;
    repo::touch_sign_in(&state.pool, user.id).await?;
    session::delete_expired(&state.pool).await?;
    repo::prune_failures(&state.pool, now() - state.auth.failure_window_secs).await?;
    Ok(SignedIn { token, locale: user.locale })
}

/// Checks a password typed for an account (sign-in, accepting an invitation, changing the
/// password) under the sign-in rate limits: failures are counted per account and per IP in the
/// database (shared by all app servers); success clears the account's count.
pub async fn check_password(
    state: &AppState,
    email: &Email,
    stored: &str,
    password: &str,
    ip: &str,
) -> Result<(), AppError> {
    check(state, Some(email), stored, password, ip).await
}

async fn check(
    state: &AppState,
    email: Option<&Email>,
    stored: &str,
    password: &str,
    ip: &str,
) -> Result<(), AppError> {
    let settings = &state.auth;
    let account_key = email.map(|e| e.as_str().to_string()).unwrap_or_default();
    let since = now() - settings.failure_window_secs;
    let ip_failures = repo::count_failures(&state.pool, "ip", ip, since).await?;
    let account_failures = if account_key.is_empty() {
        0
    } else {
        repo::count_failures(&state.pool, "account", &account_key, since).await?
    };
    if ip_failures >= settings.max_failures_per_ip || account_failures >= settings.max_failures_per_account {
        let minutes = ((settings.failure_window_secs + 59) / 60).max(1) as u32;
        return Err(AppError::RateLimited { retry_after_minutes: minutes });
    }
    let ok = password::verify(stored.to_string(), password.to_string()).await? && !account_key.is_empty();
    if !ok {
        repo::record_failure(&state.pool, "ip", ip).await?;
        if !account_key.is_empty() {
            repo::record_failure(&state.pool, "account", &account_key).await?;
        }
        return Err(AppError::invalid("", "auth.login.invalid"));
    }
    repo::clear_failures(&state.pool, "account", &account_key).await?;
    Ok(())
}

pub async fn logout(state: &AppState, current: &CurrentSession) -> Result<(), AppError> {
    session::delete(&state.pool, &current.id_hash).await?;
    Ok(())
}

/// Switches the session to another company the user is a member of, under a new token (other
/// privileges: the old token stops working). A company the user does not belong to answers
/// NotFound, exactly like one that does not exist.
pub async fn switch_company(
    state: &AppState,
    current: &CurrentSession,
    company_id: CompanyId,
) -> Result<String, AppError> {
    let location =
        repo::membership_default_location(&state.pool, current.user_id, company_id).await?.ok_or(AppError::NotFound)?;
    session::rotate(&state.pool, &current.id_hash, Some((company_id, location))).await?.ok_or(AppError::Unauthenticated)
}

pub async fn save_locale(state: &AppState, user_id: UserId, locale: Locale) -> Result<(), AppError> {
    repo::save_locale(&state.pool, user_id, locale).await?;
    Ok(())
}

/// Switches the session to another location the member may buy for; any other location id
/// answers NotFound.
pub async fn switch_location(
    state: &AppState,
    actor: &super::platform::guard::Actor,
    location_id: crate::domain::ids::LocationId,
) -> Result<(), AppError> {
    if !repo::member_may_buy_for(&state.pool, actor.member_id, location_id).await? {
        return Err(AppError::NotFound);
    }
    session::select_company(&state.pool, &actor.session_hash, actor.company_id(), Some(location_id)).await?;
    Ok(())
}
