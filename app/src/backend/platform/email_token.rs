//! Single-use links mailed to prove an address: a password reset, a domain verification, a join
//! by domain. The token is 256 random bits in the link; the table keeps only its SHA-256.
//! Consuming is one conditional UPDATE, so a link works once even when clicked twice at once.

use super::clock::now;
use super::session::{hash_token, new_token, well_formed};
use crate::domain::ids::{CompanyId, UserId};
use sqlx::{Any, AnyPool, Transaction};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Reset,
    Domain,
    Join,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::Reset => "reset",
            Purpose::Domain => "domain",
            Purpose::Join => "join",
        }
    }
}

#[derive(Clone, Debug)]
pub struct TokenRow {
    pub user_id: Option<UserId>,
    pub company_id: Option<CompanyId>,
    pub email: String,
}

/// Stores a new token and returns it (for the mail only).
pub async fn create(
    tx: &mut Transaction<'_, Any>,
    purpose: Purpose,
    user: Option<UserId>,
    company: Option<CompanyId>,
    email: &str,
    valid_secs: i64,
) -> Result<String, sqlx::Error> {
    let token = new_token();
    let at = now();
    sqlx::query(
        "INSERT INTO email_tokens (token_hash, purpose, user_id, company_id, email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(hash_token(&token))
    .bind(purpose.code())
    .bind(user.map(|u| u.0))
    .bind(company.map(|c| c.0))
    .bind(email)
    .bind(at)
    .bind(at + valid_secs)
    .execute(&mut **tx)
    .await?;
    // Spent and expired links are useless: sweep them while here.
    sqlx::query("DELETE FROM email_tokens WHERE expires_at < $1").bind(at - 86_400).execute(&mut **tx).await?;
    Ok(token)
}

const SELECT: &str = "SELECT user_id, company_id, email FROM email_tokens \
     WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3";

type Row = (Option<i64>, Option<i64>, String);

fn row((user, company, email): Row) -> TokenRow {
    TokenRow { user_id: user.map(UserId), company_id: company.map(CompanyId), email }
}

/// The unused, unexpired token's row, without using it (the page that shows the form).
pub async fn peek(pool: &AnyPool, purpose: Purpose, token: &str) -> Result<Option<TokenRow>, sqlx::Error> {
    if !well_formed(token) {
        return Ok(None);
    }
    let found: Option<Row> =
        sqlx::query_as(SELECT).bind(hash_token(token)).bind(purpose.code()).bind(now()).fetch_optional(pool).await?;
    Ok(found.map(row))
}

/// Uses the token up: the first statement of the caller's transaction. `None` when it is
/// unknown, used, expired or for something else.
pub async fn consume(
    tx: &mut Transaction<'_, Any>,
    purpose: Purpose,
    token: &str,
) -> Result<Option<TokenRow>, sqlx::Error> {
    if !well_formed(token) {
        return Ok(None);
    }
    let at = now();
    let hash = hash_token(token);
    let done = sqlx::query(
        "UPDATE email_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(at)
    .bind(&hash)
    .bind(purpose.code())
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    let found: Row = sqlx::query_as("SELECT user_id, company_id, email FROM email_tokens WHERE token_hash = $1")
        .bind(&hash)
        .fetch_one(&mut **tx)
        .await?;
    Ok(Some(row(found)))
}
