//! Sessions stored in the database. The browser holds a random 256-bit token in an HttpOnly,
//! SameSite=Lax cookie; the table holds only its SHA-256, plus the member's selected company and
//! location. Ending a session deletes the row, so a copied cookie is dead after logout.

use super::clock::now;
use crate::domain::ids::{CompanyId, LocationId, UserId};
use crate::i18n::Locale;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

pub const COOKIE: &str = "portal_session";
pub const LOCALE_COOKIE: &str = "portal_locale";

/// The signed-in user behind a request, resolved once by the middleware and kept in the
/// request's extensions for the guard and the page render.
#[derive(Clone, Debug)]
pub struct CurrentSession {
    pub id_hash: String,
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub is_staff: bool,
    /// The user's saved language, which beats cookie and Accept-Language.
    pub locale: Option<Locale>,
    pub company_id: Option<CompanyId>,
    pub location_id: Option<LocationId>,
    /// The change-log head read with the session: the read model answers as of this or later.
    pub head: i64,
    /// The user's privileges changed since the token was handed out: this request rotates it.
    pub rotate: bool,
}

pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Tokens (sessions, invitations, mailed links) are 64 lowercase hex characters; anything else
/// is not looked up at all.
pub fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub async fn create(
    pool: &AnyPool,
    user_id: UserId,
    company_id: Option<CompanyId>,
    location_id: Option<LocationId>,
    ttl_secs: i64,
) -> Result<String, sqlx::Error> {
    let token = new_token();
    let created = now();
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, company_id, location_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash_token(&token))
    .bind(user_id.0)
    .bind(company_id.map(|c| c.0))
    .bind(location_id.map(|l| l.0))
    .bind(created)
    .bind(created + ttl_secs)
    .execute(pool)
    .await?;
    Ok(token)
}

type SessionRow = (String, i64, String, String, i64, Option<String>, Option<i64>, Option<i64>, i64, i64);

/// The live session for a cookie value; a malformed, unknown or expired token is `None`
/// (treated as signed out), never an error. The change-log head comes in the same query, so a
/// signed-in page costs one round trip before the in-memory read model answers.
pub async fn lookup(pool: &AnyPool, token: &str) -> Result<Option<CurrentSession>, sqlx::Error> {
    if !well_formed(token) {
        return Ok(None);
    }
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT s.id_hash, u.id, u.email, u.display_name, u.is_staff, u.locale, s.company_id, s.location_id, \
           (SELECT h.seq FROM change_head h WHERE h.id = 1), s.rotate \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2",
    )
    .bind(hash_token(token))
    .bind(now())
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(id_hash, user_id, email, display_name, is_staff, locale, company_id, location_id, head, rotate)| {
        CurrentSession {
            id_hash,
            user_id: UserId(user_id),
            email,
            display_name,
            is_staff: is_staff != 0,
            locale: locale.as_deref().and_then(Locale::parse),
            company_id: company_id.map(CompanyId),
            location_id: location_id.map(LocationId),
            head,
            rotate: rotate != 0,
        }
    }))
}

pub async fn delete(pool: &AnyPool, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(pool).await?;
    Ok(())
}

/// Gives the session a new token, and with `selection` another company and location: the old
/// token stops working at once, so one seen before a privilege change is worth nothing after it.
/// `None` when the session is gone (signed out meanwhile, or rotated by a parallel request).
pub async fn rotate(
    pool: &AnyPool,
    id_hash: &str,
    selection: Option<(CompanyId, Option<LocationId>)>,
) -> Result<Option<String>, sqlx::Error> {
    let token = new_token();
    let done =
        match selection {
            Some((company, location)) => sqlx::query(
                "UPDATE sessions SET id_hash = $1, rotate = 0, company_id = $2, location_id = $3 WHERE id_hash = $4",
            )
            .bind(hash_token(&token))
            .bind(company.0)
            .bind(location.map(|l| l.0))
            .bind(id_hash)
            .execute(pool)
            .await?,
            None => {
                sqlx::query("UPDATE sessions SET id_hash = $1, rotate = 0 WHERE id_hash = $2")
                    .bind(hash_token(&token))
                    .bind(id_hash)
                    .execute(pool)
                    .await?
            }
        };
    Ok((done.rows_affected() == 1).then_some(token))
}

pub async fn select_company(
    pool: &AnyPool,
    id_hash: &str,
    company_id: CompanyId,
    location_id: Option<LocationId>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET company_id = $1, location_id = $2 WHERE id_hash = $3")
        .bind(company_id.0)
        .bind(location_id.map(|l| l.0))
        .bind(id_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Expired rows are useless; sweep them now and then (on sign-in) so the table stays small.
pub async fn delete_expired(pool: &AnyPool) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now()).execute(pool).await?;
    Ok(())
}

pub fn set_cookie(token: &str, secure: bool, max_age_secs: i64) -> String {
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_cookie(secure: bool) -> String {
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", if secure { "; Secure" } else { "" })
}

/// The language cookie is readable by scripts on purpose (it is not a secret) and lasts a year.
pub fn locale_cookie(locale: Locale, secure: bool) -> String {
    format!(
        "{LOCALE_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{}",
        locale.tag(),
        if secure { "; Secure" } else { "" }
    )
}

/// The value of cookie `name` in a request's `Cookie` headers.
pub fn read_cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_only_hashes_are_stored() {
        let a = new_token();
        assert!(well_formed(&a));
        assert_ne!(a, new_token());
        assert_ne!(hash_token(&a), a);
        assert!(!well_formed("../../etc/passwd"));
        assert!(!well_formed(&"A".repeat(64)));
    }

    #[test]
    fn cookies_are_http_only_and_lax() {
        let c = set_cookie("abc", true, 60);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.ends_with("Secure"));
        assert!(!set_cookie("abc", false, 60).contains("Secure"));
    }

    #[test]
    fn reads_one_cookie_among_many() {
        let mut h = axum::http::HeaderMap::new();
        h.insert("cookie", "a=1; portal_session=xyz; b=2".parse().unwrap());
        assert_eq!(read_cookie(&h, COOKIE).as_deref(), Some("xyz"));
        assert_eq!(read_cookie(&h, "missing"), None);
    }
}
