//! Logging: `RUST_LOG` filters (default: info for the portal, warnings for libraries).

pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,server=info,app=info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}
