//! A member's own account: name, language, password, sessions; and the forgotten-password link.
//! Needs only a signed-in user (`guard::signed_in`): these are the person's, not a company's.

use super::auth;
use super::platform::clock::now;
use super::platform::email_token::{self, Purpose};
use super::platform::session::CurrentSession;
use super::platform::state::AppState;
use super::platform::{mail, password, rate};
use super::team::audit::{self, Action, Who};
use super::team::invitations::{name_error, password_error};
use crate::domain::email::Email;
use crate::domain::ids::{CompanyId, UserId};
use crate::domain::team::{check_new_password, clean_name, MAX_NAME_CHARS};
use crate::error::AppError;
use crate::i18n::{tr, Locale};
use sqlx::{Any, Transaction};

pub const RESET_SECS: i64 = 3600;

pub async fn update_profile(
    state: &AppState,
    current: &CurrentSession,
    name: &str,
    locale: &str,
) -> Result<(), AppError> {
    let name = clean_name(name, MAX_NAME_CHARS).map_err(name_error)?;
    let locale = Locale::parse(locale).ok_or_else(|| AppError::invalid("locale", "prefs.locale.unknown"))?;
    sqlx::query("UPDATE users SET display_name = $1, locale = $2 WHERE id = $3")
        .bind(&name)
        .bind(locale.tag())
        .bind(current.user_id.0)
        .execute(&state.pool)
        .await?;
    Ok(())
}

/// Records `action` in the audit log of every company the user is an active member of.
async fn audit_everywhere(tx: &mut Transaction<'_, Any>, user: UserId, action: Action) -> Result<(), sqlx::Error> {
    let companies: Vec<(i64, String)> = sqlx::query_as(
        "SELECT m.company_id, u.email FROM members m JOIN users u ON u.id = m.user_id WHERE m.user_id = $1 AND m.active = 1",
    )
    .bind(user.0)
    .fetch_all(&mut **tx)
    .await?;
    let who = Who::user(tx, user).await?;
    let at = now();
    for (company, email) in companies {
        audit::record(tx, CompanyId(company), &who, action, &email, "", at).await?;
    }
    Ok(())
}

/// Changes the password (the current one is required, under the sign-in limits) and ends the
/// user's other sessions.
pub async fn change_password(
    state: &AppState,
    current: &CurrentSession,
    old: &str,
    new: &str,
    ip: &str,
) -> Result<(), AppError> {
    let email = Email::parse(&current.email).map_err(|_| AppError::Unauthenticated)?;
    let (stored,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
        .bind(current.user_id.0)
        .fetch_one(&state.pool)
        .await?;
    auth::check_password(state, &email, &stored, old, ip).await.map_err(|e| {
        if matches!(e, AppError::Invalid(_)) {
            AppError::invalid("current", "account.current_wrong")
        } else {
            e
        }
    })?;
    check_new_password(new).map_err(|e| match password_error(e) {
        AppError::Invalid(mut f) => {
            f[0].field = "new".into();
            AppError::Invalid(f)
        }
        other => other,
    })?;
    let hash = password::hash(new.to_string()).await?;
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(&hash)
        .bind(current.user_id.0)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(current.user_id.0)
        .bind(&current.id_hash)
        .execute(&mut *tx)
        .await?;
    audit_everywhere(&mut tx, current.user_id, Action::PasswordChanged).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct SessionRow {
    pub created_at: i64,
    pub expires_at: i64,
    pub current: bool,
    pub company: Option<String>,
}

pub async fn sessions(state: &AppState, current: &CurrentSession) -> Result<Vec<SessionRow>, AppError> {
    let rows: Vec<(String, i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT s.id_hash, s.created_at, s.expires_at, c.name FROM sessions s LEFT JOIN companies c ON c.id = s.company_id \
         WHERE s.user_id = $1 AND s.expires_at > $2 ORDER BY s.created_at DESC",
    )
    .bind(current.user_id.0)
    .bind(now())
    .fetch_all(&state.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(hash, created_at, expires_at, company)| SessionRow {
            created_at,
            expires_at,
            current: hash == current.id_hash,
            company,
        })
        .collect())
}

/// Ends every session of the user but this one; returns how many ended.
pub async fn sign_out_elsewhere(state: &AppState, current: &CurrentSession) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(current.user_id.0)
        .bind(&current.id_hash)
        .execute(&state.pool)
        .await?;
    Ok(done.rows_affected())
}

/// Mails a reset link (valid one hour) when the address has an account. The caller answers the
/// same either way; the limits count every request, known address or not.
pub async fn forgot_password(state: &AppState, email: &str, ip: &str, locale: Locale) -> Result<(), AppError> {
    let Ok(email) = Email::parse(email) else {
        return Err(AppError::invalid("email", "team.invite.email_invalid"));
    };
    rate::take(&state.pool, &[(rate::RESET_PER_EMAIL, email.as_str()), (rate::RESET_PER_IP, ip)]).await?;
    let Some(user) = auth::repo::find_user_by_email(&state.pool, &email).await? else { return Ok(()) };
    let locale = user.locale.unwrap_or(locale);
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let token = email_token::create(&mut tx, Purpose::Reset, Some(user.id), None, email.as_str(), RESET_SECS).await?;
    let link = format!("{}/reset-password/{token}", state.auth.public_url);
    let subject = tr!(locale, "mail.reset.subject");
    let body = format!("{}\n\n{link}\n\n{}\n", tr!(locale, "mail.reset.body"), tr!(locale, "mail.reset.ignore"));
    mail::enqueue(&mut tx, email.as_str(), &subject, &body, now()).await?;
    tx.commit().await?;
    state.mail_wake.notify_one();
    Ok(())
}

/// Whether a reset link is still good (the page that shows the form).
pub async fn reset_link_valid(state: &AppState, token: &str) -> Result<bool, AppError> {
    Ok(email_token::peek(&state.pool, Purpose::Reset, token).await?.is_some())
}

/// Sets a new password through a reset link, ends every session of the user and clears their
/// sign-in lockout. The link works once.
pub async fn reset_password(state: &AppState, token: &str, new: &str) -> Result<(), AppError> {
    check_new_password(new).map_err(password_error)?;
    if !reset_link_valid(state, token).await? {
        return Err(AppError::invalid("", "link.invalid"));
    }
    let hash = password::hash(new.to_string()).await?;
    let _turn = state.write_turn().await;
    let mut tx = state.pool.begin().await?;
    let row = email_token::consume(&mut tx, Purpose::Reset, token)
        .await?
        .ok_or_else(|| AppError::invalid("", "link.invalid"))?;
    let user = row.user_id.ok_or_else(|| AppError::invalid("", "link.invalid"))?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(&hash).bind(user.0).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.0).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM login_failures WHERE scope = 'account' AND subject = $1")
        .bind(&row.email)
        .execute(&mut *tx)
        .await?;
    audit_everywhere(&mut tx, user, Action::PasswordReset).await?;
    tx.commit().await?;
    Ok(())
}
