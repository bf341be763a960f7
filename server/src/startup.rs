//! Builds the whole application from `Settings` alone: database, migrations, demo data, router,
//! middleware, listener. Tests build exactly this with port 0 and their own database.

use crate::configuration::Settings;
use app::backend::{demo::seed, platform::db, platform::headers, platform::http, platform::state::AppState};
use app::{shell, App};
use axum::http::{header, HeaderValue};
use axum::{middleware, routing::get, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// Plain axum routes beside the Leptos pages and server functions: the leak matrix
/// (`tests/api/leaks.rs`) covers these too, so a new one goes in `PLAIN_ROUTES`.
pub const HEALTH: &str = "/health";
pub const READY: &str = "/ready";
pub const METRICS: &str = "/metrics";
pub const CATALOG_EXPORT: &str = "/catalog/export.csv";
pub const AUDIT_EXPORT: &str = "/team/audit.csv";
pub const QUOTE_FILE: &str = "/quotes/{number}/files/{file}";
pub const DESK_FILE: &str = "/staff/quotes/{number}/files/{file}";
pub const QUOTE_PDF: &str = "/quotes/{number}/pdf/{revision}";
pub const DESK_PDF: &str = "/staff/quotes/{number}/pdf/{revision}";
pub const INVOICE_PDF: &str = "/invoices/{number}/pdf";
pub const STATEMENT: &str = "/invoices/statement.csv";
pub const STATEMENT_PDF: &str = "/invoices/statement.pdf";
pub const PLAIN_ROUTES: [&str; 12] = [
    HEALTH,
    READY,
    METRICS,
    CATALOG_EXPORT,
    AUDIT_EXPORT,
    QUOTE_FILE,
    DESK_FILE,
    QUOTE_PDF,
    DESK_PDF,
    INVOICE_PDF,
    STATEMENT,
    STATEMENT_PDF,
];

pub struct Application {
    listener: TcpListener,
    router: Router,
    pub state: AppState,
    mail_stop: tokio::sync::watch::Sender<bool>,
    mail_task: tokio::task::JoinHandle<()>,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, String> {
        let (pool, kind) = db::connect(&settings.database.url, settings.database.max_connections)
            .await
            .map_err(|e| format!("cannot open the database: {e}"))?;
        db::migrate(&pool, kind).await.map_err(|e| format!("migrations failed: {e}"))?;
        seed::ensure_builtin_roles(&pool).await.map_err(|e| format!("built-in roles: {e:?}"))?;
        if settings.load_demo {
            seed::load_demo(&pool).await.map_err(|e| format!("demo data: {e:?}"))?;
            app::backend::demo::team::load(&pool).await.map_err(|e| format!("demo team: {e:?}"))?;
            app::backend::demo::team::generate_members(&pool, settings.demo_team_members)
                .await
                .map_err(|e| format!("demo team members: {e:?}"))?;
            app::backend::demo::catalog::ensure_demo_catalog(&pool, settings.demo_catalog_products)
                .await
                .map_err(|e| format!("demo catalog: {e:?}"))?;
        }

        // Keep a day's worth of changes at a busy pace; a server further behind reloads all.
        app::backend::read_model::log::prune(&pool, 200_000).await.map_err(|e| format!("change log: {e}"))?;
        app::backend::search::repo::prune_misses(&pool, app::backend::platform::clock::now())
            .await
            .map_err(|e| format!("search misses: {e}"))?;
        let read =
            app::backend::read_model::ReadModel::load(&pool, kind).await.map_err(|e| format!("read model: {e:?}"))?;

        let listener = TcpListener::bind(settings.address())
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", settings.address()))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;

        let leptos_options = LeptosOptions::builder()
            .output_name("portal")
            .site_root(settings.site_root.clone())
            .site_pkg_dir("pkg")
            .site_addr(address)
            .build();
        let state = AppState::new(pool, kind, read, settings.auth.clone(), leptos_options);
        // Each app server follows the change log on its own (see backend/changes.rs).
        tokio::spawn(app::backend::read_model::follow(state.read.clone(), state.pool.clone()));
        if settings.load_demo {
            app::backend::demo::orders::seed_history(&state, app::backend::platform::clock::now())
                .await
                .map_err(|e| format!("demo order history: {e:?}"))?;
            // Needs the order history (its requests reuse a demo order's lines).
            app::backend::demo::approvals::load(&state.pool).await.map_err(|e| format!("demo approvals: {e:?}"))?;
            app::backend::demo::quotes::load(&state).await.map_err(|e| format!("demo quotes: {e:?}"))?;
            app::backend::demo::invoices::load(&state.pool).await.map_err(|e| format!("demo invoices: {e:?}"))?;
            app::backend::demo::search::load(&state.pool).await.map_err(|e| format!("demo synonyms: {e:?}"))?;
        }
        let mailer = app::backend::platform::mail::Mailer::from_settings(&settings.mail)?;
        let (mail_stop, stop) = tokio::sync::watch::channel(false);
        let mail_task = tokio::spawn(app::backend::platform::mail::follow(
            state.pool.clone(),
            mailer,
            settings.mail.from.clone(),
            app::backend::invoices::attacher(state.clone()),
            state.mail_wake.clone(),
            stop,
        ));
        // Expires old purchase requests and reminds approvers (every app server; claims are
        // conditional updates, so each happens once).
        tokio::spawn(app::backend::approvals::follow(state.clone()));
        // Expires quotes past their offer's day and reminds buyers 3 days before (same claims).
        tokio::spawn(app::backend::quotes::follow(state.clone()));
        let router = router(state.clone());
        Ok(Application { listener, router, state, mail_stop, mail_task })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Serves until SIGTERM or Ctrl-C, then stops taking connections, finishes the requests in
    /// flight (a checkout being placed completes and answers), lets the mail sender finish the
    /// message it is sending, and returns. What is left in the outbox is sent after the restart
    /// (or by another server): it is in the database, not in memory.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await;
        tracing::info!("requests finished; stopping the mail sender");
        let _ = self.mail_stop.send(true);
        if tokio::time::timeout(std::time::Duration::from_secs(30), self.mail_task).await.is_err() {
            tracing::warn!("the mail sender did not stop within 30 s");
        }
        served
    }
}

/// The page routes, generated once per process. Generating runs the whole app once with resource
/// loading suppressed through a process-global flag (leptos_server's `SuppressResourceLoad`): a
/// page rendering anywhere in the process at that moment has its resources pend forever
/// (leptos-rs/leptos#4773). The binary builds one application, but the tests build a hundred
/// while others render pages, which hung one page GET in every few runs.
pub fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

fn router(state: AppState) -> Router {
    let routes = routes();
    let pkg_dir = format!("{}/pkg", state.leptos_options.site_root);
    // Precompressed brotli and gzip copies (scripts/build.sh) go out as they are.
    let pkg = Router::new()
        .nest_service("/pkg", ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip())
        .layer(middleware::from_fn(bundle_cache));

    Router::new()
        .route(HEALTH, get(|| async { "ok" }))
        .route(READY, get(ready))
        .route(METRICS, get(metrics))
        .route(CATALOG_EXPORT, get(app::api::csv::export_catalog))
        .route(AUDIT_EXPORT, get(app::api::team::export_audit))
        .route(QUOTE_FILE, get(app::api::quotes::download_attachment))
        .route(DESK_FILE, get(app::api::quotes::download_attachment))
        .route(QUOTE_PDF, get(app::api::quotes::download_pdf))
        .route(DESK_PDF, get(app::api::quotes::download_pdf))
        .route(INVOICE_PDF, get(app::api::invoices::download_pdf))
        .route(STATEMENT, get(app::api::invoices::export_statement))
        .route(STATEMENT_PDF, get(app::api::invoices::statement_pdf))
        .leptos_routes_with_context(&state, routes, headers::provide_nonce, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .merge(pkg)
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(headers::provide_nonce, shell))
        .layer(middleware::from_fn(http::require_session))
        .layer(middleware::from_fn_with_state(state.clone(), http::resolve_session))
        .layer(middleware::from_fn(http::form_answers))
        .layer(middleware::from_fn(http::server_fn_status))
        .layer(middleware::from_fn(http::same_origin_writes))
        .layer(middleware::from_fn_with_state(state.clone(), headers::security_headers))
        .layer(middleware::from_fn_with_state(state.clone(), http::request_id))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// A bundle file named after its content (`portal.<16 hex>.wasm`) never changes: browsers keep
/// it a year without asking. Anything else under /pkg is revalidated (a cheap 304).
async fn bundle_cache(request: axum::extract::Request, next: middleware::Next) -> axum::response::Response {
    let hashed = request
        .uri()
        .path()
        .rsplit('/')
        .next()
        .and_then(|file| file.split('.').nth(1))
        .is_some_and(|part| part.len() == 16 && part.bytes().all(|b| b.is_ascii_hexdigit()));
    let mut response = next.run(request).await;
    let value = if hashed { "public, max-age=31536000, immutable" } else { "no-cache" };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

/// Ready for traffic: the database answers within two seconds (the read model is loaded before
/// the server listens at all). A load balancer stops sending requests to a server that is not.
async fn ready(axum::extract::State(state): axum::extract::State<AppState>) -> (axum::http::StatusCode, String) {
    let probe = sqlx::query("SELECT 1").execute(&state.pool);
    match tokio::time::timeout(std::time::Duration::from_secs(2), probe).await {
        Ok(Ok(_)) => {
            let seq = state.read.catalog(&state.pool, 0).await.map(|c| c.seq).unwrap_or(-1);
            (axum::http::StatusCode::OK, format!("ready: database reachable, read model at change {seq}"))
        }
        Ok(Err(e)) => {
            tracing::warn!("readiness: {e}");
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, "not ready: database error".into())
        }
        Err(_) => (axum::http::StatusCode::SERVICE_UNAVAILABLE, "not ready: database did not answer".into()),
    }
}

/// Prometheus metrics (`app::backend::platform::metrics`): to a bearer of `APP_METRICS_TOKEN`,
/// or without one to a direct local connection; anyone else gets 404.
async fn metrics(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use app::backend::platform::metrics;
    use axum::response::IntoResponse;
    if !metrics::may_read(state.auth.metrics_token.as_deref(), peer.ip(), &headers) {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], metrics::exposition(&state).await).into_response()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
