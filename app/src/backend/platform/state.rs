//! The router state shared by every request: the pool, the settings the services need, and
//! Leptos's options, and the read model. Nothing per-user lives only here: sessions and rate
//! limits are in the database, and the read model follows the database's change log, so any
//! number of app servers can run behind one load balancer.

use super::db::DbKind;
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use sqlx::AnyPool;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// Mark the session cookie `Secure` (set when the portal is served over TLS).
    pub secure_cookies: bool,
    pub session_ttl_secs: i64,
    /// Failed sign-ins allowed per account within the window before it is locked for the window.
    pub max_failures_per_account: i64,
    /// Failed sign-ins allowed per client IP within the window.
    pub max_failures_per_ip: i64,
    pub failure_window_secs: i64,
    /// Take the client IP from the first `X-Forwarded-For` entry (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Where mailed links point (`APP_PUBLIC_URL`, else `http://<host>:<port>`): never taken from
    /// a request's Host header, which an attacker sets (a reset link to their own site).
    pub public_url: String,
    /// `Authorization: Bearer <token>` opens `/metrics` (`APP_METRICS_TOKEN`); without one, only a
    /// direct connection from this machine may read it.
    pub metrics_token: Option<String>,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            secure_cookies: false,
            session_ttl_secs: 7 * 24 * 3600,
            max_failures_per_account: 5,
            max_failures_per_ip: 50,
            failure_window_secs: 15 * 60,
            trust_forwarded_for: false,
            public_url: "http://127.0.0.1:3000".into(),
            metrics_token: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub pool: AnyPool,
    pub db: DbKind,
    pub auth: Arc<AuthSettings>,
    pub leptos_options: LeptosOptions,
    /// Catalog, prices, stock and memberships in memory, following the change log.
    pub read: Arc<crate::backend::read_model::ReadModel>,
    /// The merchant's name for the header (changes almost never).
    pub merchant_name: Arc<super::cache::TtlCache<(), String>>,
    /// Wakes this server's mail sender when a transaction has queued mail.
    pub mail_wake: Arc<tokio::sync::Notify>,
    /// Request counts and latency per route (`/metrics`).
    pub metrics: Arc<super::metrics::Metrics>,
    /// SQLite has one writer at a time, and a writer that finds the lock taken sleeps in SQLite's
    /// busy handler (1, 2, 5, 10 ms…). Queueing this process's write transactions here instead
    /// hands the lock over without those sleeps (add-to-cart from 8 clients: see the ordering
    /// benchmark). PostgreSQL locks rows, so there it is not taken.
    write_gate: Arc<tokio::sync::Mutex<()>>,
}

impl AppState {
    pub fn new(
        pool: AnyPool,
        db: DbKind,
        read: crate::backend::read_model::ReadModel,
        auth: AuthSettings,
        leptos_options: LeptosOptions,
    ) -> AppState {
        AppState {
            read: Arc::new(read),
            pool,
            db,
            auth: Arc::new(auth),
            leptos_options,
            merchant_name: Arc::new(super::cache::TtlCache::new(std::time::Duration::from_secs(60), 1)),
            mail_wake: Arc::new(tokio::sync::Notify::new()),
            metrics: Default::default(),
            write_gate: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    /// Hold the returned guard for the whole of a write transaction (see `write_gate`).
    pub async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.db {
            DbKind::Sqlite => Some(self.write_gate.lock().await),
            DbKind::Postgres => None,
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The state inside a server function or page render (provided by `leptos_routes_with_context`).
pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| AppError::internal("AppState missing from the request context"))
}

/// The merchant's name until `app_settings` says otherwise.
pub const MERCHANT_NAME: &str = "Northwind Supply";

/// The merchant's name for the header, cached a minute (it is on every page and almost never
/// changes).
pub async fn merchant_name(state: &AppState) -> Result<String, sqlx::Error> {
    if let Some(name) = state.merchant_name.get(&()) {
        return Ok(name);
    }
    let name = read_merchant_name(&state.pool).await?;
    state.merchant_name.insert((), name.clone());
    Ok(name)
}

/// The merchant's name as stored (uncached), through any executor: a transaction that writes a
/// mail reads it here.
pub async fn read_merchant_name<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    executor: E,
) -> Result<String, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT value FROM app_settings WHERE key = 'merchant_name'").fetch_optional(executor).await?;
    Ok(row.map(|(v,)| v).unwrap_or_else(|| MERCHANT_NAME.to_string()))
}
