//! What the process-level benches (crash, soak) share: the release server as a child process,
//! browsers, form encoding, and a small random source.
// Each bench uses only part of this.
#![allow(dead_code)]

use app::url::encode_component;
use reqwest::header::{ACCEPT, CONTENT_TYPE, ORIGIN};
use reqwest::Client;
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "portal-demo-2026";

/// A browser of one user: keeps its cookies, follows no redirects.
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A form body, url-encoded as a browser sends it.
pub fn encode(form: &[(&str, &str)]) -> String {
    form.iter().map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v))).collect::<Vec<_>>().join("&")
}

/// A set-up call to a server function (not measured, not retried): its status and JSON.
pub async fn api(client: &Client, base: &str, endpoint: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let response = client
        .post(format!("{base}/api/{endpoint}"))
        .header(ORIGIN, base)
        .header(ACCEPT, "application/json")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(encode(form))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub async fn sign_in(client: &Client, base: &str, email: &str) {
    let (status, body) =
        api(client, base, "auth/login", &[("email", email), ("password", PASSWORD), ("next", "/")]).await;
    assert_eq!(status, 200, "sign-in as {email}: {body}");
}

/// A product a buyer sees (slug, name) and its variants as (SKU, minimum quantity, quote-only);
/// only variants with a price or quote-only ones are listed.
pub type Product = (String, String, Vec<(String, i64, bool)>);

/// The first `pages` catalog pages as `email` sees them, with the variants of the first
/// `detailed` products.
pub async fn catalog(base: &str, email: &str, pages: usize, detailed: usize) -> Vec<Product> {
    let client = browser();
    sign_in(&client, base, email).await;
    let mut products = vec![];
    for page in 1..=pages {
        let (_, list) = api(&client, base, "catalog/list", &[("page", &page.to_string())]).await;
        for p in list["products"].as_array().into_iter().flatten() {
            products.push((
                p["slug"].as_str().unwrap().to_string(),
                p["name"].as_str().unwrap_or("").to_string(),
                vec![],
            ));
        }
    }
    for (slug, _, variants) in products.iter_mut().take(detailed) {
        let (_, product) = api(&client, base, "catalog/product", &[("slug", slug)]).await;
        for v in product["variants"].as_array().into_iter().flatten() {
            let quote_only = v["quote_only"] == true;
            if quote_only || v["tiers"].as_array().is_some_and(|t| !t.is_empty()) {
                let min = v["rule"]["min"].as_i64().unwrap_or(1);
                variants.push((v["sku"].as_str().unwrap().to_string(), min, quote_only));
            }
        }
    }
    products
}

/// The `n`th (from 0) generated Acme member who can order: the demo gives every third generated
/// member the Denver Yard location to ship to, and the others none (`demo::team`). Generate
/// `3 × (n + 1)` members (APP_DEMO_TEAM_MEMBERS) to have this one.
pub fn orderer(n: usize) -> String {
    format!("member.{:04}@acme.example", 3 * (n + 1))
}

/// Raises Acme's credit line out of reach: a run places thousands of orders, and what it measures
/// is not the credit check. A plain SQL change, as an admin's would be; servers see it at once.
pub async fn unlimited_credit(url: &str) {
    let (pool, _) = app::backend::platform::db::connect(url, 1).await.expect("connect");
    sqlx::query("UPDATE companies SET credit_limit_minor = 1000000000000000 WHERE name = 'Acme Builders'")
        .execute(&pool)
        .await
        .expect("raise the credit line");
    pool.close().await;
}

pub fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| default.to_string())
}

/// `cargo bench` passes --bench; `cargo test --benches` would run these too: only run when asked.
pub fn asked() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// xorshift: random enough for kill moments and think times, and no dependency.
pub struct Random(pub u64);

impl Random {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// The server binary (the release build under `cargo bench`) on one database and port.
pub struct Server {
    pub url: String,
    pub port: u16,
    pub dir: PathBuf,
    /// Extra environment, e.g. the demo's size.
    pub env: Vec<(String, String)>,
    pub child: Option<Child>,
}

impl Server {
    pub fn new(url: &str, dir: PathBuf, env: &[(&str, &str)]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Server { url: url.to_string(), port, dir, env, child: None }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(|c| c.id()).unwrap_or(0)
    }

    /// Starts the server; returns once `/ready` answers, with the time that took.
    pub async fn start(&mut self) -> Duration {
        let started = Instant::now();
        let log = std::fs::OpenOptions::new().create(true).append(true).open(self.dir.join("server.log")).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .env("APP_HOST", "127.0.0.1")
            .env("APP_PORT", self.port.to_string())
            .env("DATABASE_URL", &self.url)
            .env("APP_MAIL_OUTBOX", self.dir.join("outbox"))
            .env("RUST_LOG", "warn")
            .envs(self.env.iter().cloned())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("start the server");
        self.child = Some(child);
        let client = Client::new();
        loop {
            if client.get(format!("{}/ready", self.base())).send().await.is_ok_and(|r| r.status() == 200) {
                return started.elapsed();
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("the server exited ({status}): see {}", self.dir.join("server.log").display());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// SIGKILL: no shutdown of any kind.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    /// The server's resident memory, from /proc (Linux), in KiB.
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}
