//! SQL for sign-in: users, memberships, failure counts.

use crate::backend::platform::clock::now;
use crate::domain::email::Email;
use crate::domain::ids::{CompanyId, LocationId, UserId};
use crate::i18n::Locale;
use sqlx::AnyPool;

pub struct UserRow {
    pub id: UserId,
    pub password_hash: String,
    pub locale: Option<Locale>,
}

pub async fn find_user_by_email(pool: &AnyPool, email: &Email) -> Result<Option<UserRow>, sqlx::Error> {
    let row: Option<(i64, String, Option<String>)> =
        sqlx::query_as("SELECT id, password_hash, locale FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(id, password_hash, locale)| UserRow {
        id: UserId(id),
        password_hash,
        locale: locale.as_deref().and_then(Locale::parse),
    }))
}

/// The company a user lands in after sign-in (their oldest membership) and its first location.
pub async fn default_membership(
    pool: &AnyPool,
    user_id: UserId,
) -> Result<(Option<CompanyId>, Option<LocationId>), sqlx::Error> {
    let company: Option<(i64,)> =
        sqlx::query_as("SELECT company_id FROM members WHERE user_id = $1 AND active = 1 ORDER BY id LIMIT 1")
            .bind(user_id.0)
            .fetch_optional(pool)
            .await?;
    match company {
        None => Ok((None, None)),
        Some((company_id,)) => {
            let location = membership_default_location(pool, user_id, CompanyId(company_id)).await?.flatten();
            Ok((Some(CompanyId(company_id)), location))
        }
    }
}

/// `None` when the user is not a member of `company_id`; `Some(first location it may buy for)`
/// otherwise (which may itself be `None` for a member with no locations yet).
pub async fn membership_default_location(
    pool: &AnyPool,
    user_id: UserId,
    company_id: CompanyId,
) -> Result<Option<Option<LocationId>>, sqlx::Error> {
    let member: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM members WHERE user_id = $1 AND company_id = $2 AND active = 1")
            .bind(user_id.0)
            .bind(company_id.0)
            .fetch_optional(pool)
            .await?;
    let Some((member_id,)) = member else { return Ok(None) };
    let location: Option<(i64,)> =
        sqlx::query_as("SELECT location_id FROM member_locations WHERE member_id = $1 ORDER BY location_id LIMIT 1")
            .bind(member_id)
            .fetch_optional(pool)
            .await?;
    Ok(Some(location.map(|(l,)| LocationId(l))))
}

pub async fn count_failures(pool: &AnyPool, scope: &str, subject: &str, since: i64) -> Result<i64, sqlx::Error> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE scope = $1 AND subject = $2 AND at > $3")
            .bind(scope)
            .bind(subject)
            .bind(since)
            .fetch_one(pool)
            .await?;
    Ok(count)
}

pub async fn record_failure(pool: &AnyPool, scope: &str, subject: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO login_failures (scope, subject, at) VALUES ($1, $2, $3)")
        .bind(scope)
        .bind(subject)
        .bind(now())
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn clear_failures(pool: &AnyPool, scope: &str, subject: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE scope = $1 AND subject = $2")
        .bind(scope)
        .bind(subject)
        .execute(pool)
        .await?;
    Ok(())
}

/// Failures older than the window no longer count; drop them.
pub async fn prune_failures(pool: &AnyPool, before: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE at <= $1").bind(before).execute(pool).await?;
    Ok(())
}

/// A new account (accepting an invitation, joining by domain); `None` when the address has one
/// already (a race with another invitation).
pub async fn insert_user(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    email: &Email,
    name: &str,
    password_hash: &str,
    locale: Option<&str>,
    now: i64,
) -> Result<Option<UserId>, sqlx::Error> {
    let inserted: Result<(i64,), sqlx::Error> = sqlx::query_as(
        "INSERT INTO users (email, display_name, password_hash, locale, is_staff, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5) RETURNING id",
    )
    .bind(email.as_str())
    .bind(name)
    .bind(password_hash)
    .bind(locale)
    .bind(now)
    .fetch_one(&mut **tx)
    .await;
    match inserted {
        Ok((id,)) => Ok(Some(UserId(id))),
        Err(e) if crate::backend::platform::db::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Remembers when the user last signed in (shown to their company's admins).
pub async fn touch_sign_in(pool: &AnyPool, user_id: UserId) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET last_sign_in_at = $1 WHERE id = $2")
        .bind(now())
        .bind(user_id.0)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn save_locale(pool: &AnyPool, user_id: UserId, locale: Locale) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET locale = $1 WHERE id = $2").bind(locale.tag()).bind(user_id.0).execute(pool).await?;
    Ok(())
}

pub async fn member_may_buy_for(
    pool: &AnyPool,
    member: crate::domain::ids::MemberId,
    location: LocationId,
) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT location_id FROM member_locations WHERE member_id = $1 AND location_id = $2")
            .bind(member.0)
            .bind(location.0)
            .fetch_optional(pool)
            .await?;
    Ok(row.is_some())
}

/// The locations a member may buy for (id, name), for the location switcher.
pub async fn member_locations(
    pool: &AnyPool,
    member: crate::domain::ids::MemberId,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.id, l.name FROM member_locations ml JOIN locations l ON l.id = ml.location_id \
         WHERE ml.member_id = $1 ORDER BY l.name",
    )
    .bind(member.0)
    .fetch_all(pool)
    .await
}
