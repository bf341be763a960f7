//! Logging: `RUST_LOG` filters (default: info for the portal, warnings for libraries).
//! `APP_LOG_FORMAT=json` writes one JSON object per line (for a log collector): the time, level,
//! message and fields, and the request span (`request{id,method,path}`), so every line a request
//! causes carries its request id (`app::backend::platform::http::request_id`). Access lines (status and time
//! per request) are at target `access`: `RUST_LOG=info,access=info`.

pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,server=info,app=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = if std::env::var("APP_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().with_current_span(true).with_span_list(false).try_init()
    } else {
        builder.try_init()
    };
}
