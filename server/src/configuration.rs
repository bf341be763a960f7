//! One typed `Settings`, from defaults that run the demo on SQLite, overridden by environment
//! variables (`APP_…`, plus the conventional `DATABASE_URL`). Secrets are never printed.

use app::backend::platform::mail::MailSettings;
use app::backend::platform::state::AuthSettings;
use std::net::{IpAddr, SocketAddr};

#[derive(Clone, Debug)]
pub struct Settings {
    pub host: IpAddr,
    /// 0 asks the OS for a free port (tests).
    pub port: u16,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    /// Load the demo companies and accounts at start-up (idempotent).
    pub load_demo: bool,
    /// Extra generated Acme members (`APP_DEMO_TEAM_MEMBERS`), for measuring /team at size.
    pub demo_team_members: usize,
    /// Products in the generated demo catalog (about three variants each); generated once, when
    /// the database has no products. 33,334 gives the 100,000-SKU benchmark catalog.
    pub demo_catalog_products: usize,
    /// Where the built site (pkg/portal.js, .wasm, .css) lives.
    pub site_root: String,
    /// SMTP, or the local outbox folder by default.
    pub mail: MailSettings,
}

#[derive(Clone)]
pub struct DatabaseSettings {
    pub url: String,
    pub max_connections: u32,
}

impl std::fmt::Debug for DatabaseSettings {
    // The URL may carry a password: show only the scheme.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = self.url.split(':').next().unwrap_or("");
        f.debug_struct("DatabaseSettings")
            .field("url", &format!("{scheme}:[redacted]"))
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/portal.db?mode=rwc";

impl Settings {
    pub fn defaults() -> Settings {
        Settings {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 3000,
            database: DatabaseSettings { url: DEFAULT_DATABASE_URL.into(), max_connections: 16 },
            auth: AuthSettings::default(),
            load_demo: true,
            demo_team_members: 0,
            demo_catalog_products: 2_200,
            site_root: "target/site".into(),
            mail: MailSettings::default(),
        }
    }

    /// Defaults overridden by the environment; a malformed value is an error naming the variable.
    pub fn from_env() -> Result<Settings, String> {
        let mut s = Settings::defaults();
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let Some(v) = var("APP_HOST") {
            s.host = v.parse().map_err(|_| format!("APP_HOST is not an IP address: {v}"))?;
        }
        if let Some(v) = var("APP_PORT") {
            s.port = v.parse().map_err(|_| format!("APP_PORT is not a port: {v}"))?;
        }
        if let Some(v) = var("DATABASE_URL") {
            s.database.url = v;
        }
        if let Some(v) = var("APP_DB_MAX_CONNECTIONS") {
            s.database.max_connections = v.parse().map_err(|_| "APP_DB_MAX_CONNECTIONS is not a number".to_string())?;
        }
        if let Some(v) = var("APP_LOAD_DEMO") {
            s.load_demo = parse_bool("APP_LOAD_DEMO", &v)?;
        }
        if let Some(v) = var("APP_DEMO_CATALOG_PRODUCTS") {
            s.demo_catalog_products =
                v.parse().map_err(|_| format!("APP_DEMO_CATALOG_PRODUCTS is not a number: {v}"))?;
        }
        if let Some(v) = var("APP_DEMO_TEAM_MEMBERS") {
            s.demo_team_members = v.parse().map_err(|_| format!("APP_DEMO_TEAM_MEMBERS is not a number: {v}"))?;
        }
        if let Some(v) = var("APP_SECURE_COOKIES") {
            s.auth.secure_cookies = parse_bool("APP_SECURE_COOKIES", &v)?;
        }
        if let Some(v) = var("APP_METRICS_TOKEN").filter(|v| !v.is_empty()) {
            s.auth.metrics_token = Some(v);
        }
        if let Some(v) = var("APP_TRUST_FORWARDED_FOR") {
            s.auth.trust_forwarded_for = parse_bool("APP_TRUST_FORWARDED_FOR", &v)?;
        }
        if let Some(v) = var("APP_SITE_ROOT") {
            s.site_root = v;
        }
        // The URL may carry a password; it is never logged (MailSettings' Debug hides it).
        s.mail.smtp_url = var("APP_SMTP_URL");
        if let Some(v) = var("APP_MAIL_FROM") {
            s.mail.from = v;
        }
        if let Some(v) = var("APP_MAIL_OUTBOX") {
            s.mail.outbox_dir = v;
        }
        s.auth.public_url = match var("APP_PUBLIC_URL") {
            Some(v) if v.starts_with("http://") || v.starts_with("https://") => v.trim_end_matches('/').to_string(),
            Some(v) => return Err(format!("APP_PUBLIC_URL is not an http(s) URL: {v}")),
            None => format!("http://{}", s.address()),
        };
        Ok(s)
    }

    pub fn address(&self) -> SocketAddr {
        SocketAddr::new(self.host, self.port)
    }
}

fn parse_bool(name: &str, v: &str) -> Result<bool, String> {
    match v {
        "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        _ => Err(format!("{name} must be true or false, not {v}")),
    }
}
