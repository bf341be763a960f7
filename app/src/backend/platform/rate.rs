//! Rate limits on actions that send mail or can be abused to probe (invitations, password
//! resets, join links), counted in the database so every app server shares them.

use super::clock::now;
use crate::error::AppError;
use sqlx::AnyPool;

/// One limit: at most `max` events per `window_secs` for a (scope, subject).
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub scope: &'static str,
    pub max: i64,
    pub window_secs: i64,
}

pub const INVITE_PER_ADMIN: Limit = Limit { scope: "invite_admin", max: 30, window_secs: 3600 };
pub const INVITE_PER_COMPANY: Limit = Limit { scope: "invite_company", max: 100, window_secs: 86_400 };
pub const RESET_PER_EMAIL: Limit = Limit { scope: "reset_email", max: 3, window_secs: 3600 };
pub const RESET_PER_IP: Limit = Limit { scope: "reset_ip", max: 20, window_secs: 3600 };
pub const JOIN_PER_EMAIL: Limit = Limit { scope: "join_email", max: 3, window_secs: 3600 };
pub const JOIN_PER_IP: Limit = Limit { scope: "join_ip", max: 20, window_secs: 3600 };
pub const DOMAIN_PER_COMPANY: Limit = Limit { scope: "domain_company", max: 5, window_secs: 3600 };

/// Counts one event against every limit, or refuses (and counts nothing) when one is reached.
pub async fn take(pool: &AnyPool, limits: &[(Limit, &str)]) -> Result<(), AppError> {
    let at = now();
    for (limit, subject) in limits {
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM rate_events WHERE scope = $1 AND subject = $2 AND at > $3")
                .bind(limit.scope)
                .bind(*subject)
                .bind(at - limit.window_secs)
                .fetch_one(pool)
                .await?;
        if count >= limit.max {
            let minutes = ((limit.window_secs + 59) / 60) as u32;
            return Err(AppError::RateLimited { retry_after_minutes: minutes });
        }
    }
    for (limit, subject) in limits {
        sqlx::query("INSERT INTO rate_events (scope, subject, at) VALUES ($1, $2, $3)")
            .bind(limit.scope)
            .bind(*subject)
            .bind(at)
            .execute(pool)
            .await?;
    }
    // Events older than a day count for nothing.
    sqlx::query("DELETE FROM rate_events WHERE at < $1").bind(at - 86_400).execute(pool).await?;
    Ok(())
}
