//! Soak (issue 18): 500 simulated buyers browsing, searching and ordering for 10 minutes against
//! one release server on loopback, on the full demo catalog. Each buyer has their own session and
//! connections, acts, then thinks for 1 to 4 seconds (a busy buyer, not a flood: about 200 actions
//! a second in all). Prints the error rate, count and p50/p95/p99 per route, and the server's
//! memory after warm-up and at the end.
//!
//! Run by `bench/soak.sh`:
//!   SOAK_BUYERS=500 SOAK_SECONDS=600 cargo bench -p server --bench soak

mod common;

use common::{asked, browser, encode, env_or, orderer, unlimited_credit, Random, Server, PASSWORD};
use reqwest::header::{ACCEPT, CONTENT_TYPE, ORIGIN};
use reqwest::Client;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Per route: every answer's time in µs, and the failures by kind.
#[derive(Default)]
struct Route {
    micros: Vec<u64>,
    failures: BTreeMap<String, u64>,
}

struct Shared {
    base: String,
    routes: Mutex<BTreeMap<&'static str, Route>>,
    stop: AtomicBool,
    slugs: Vec<String>,
    words: Vec<String>,
    skus: Vec<(String, i64)>,
}

impl Shared {
    fn note(&self, route: &'static str, started: Instant, failure: Option<String>) {
        let mut routes = self.routes.lock().unwrap();
        let entry = routes.entry(route).or_default();
        entry.micros.push(started.elapsed().as_micros() as u64);
        if let Some(failure) = failure {
            *entry.failures.entry(failure).or_default() += 1;
        }
    }

    /// A page as a browser asks for it; a failure is anything but 200.
    async fn page(&self, client: &Client, route: &'static str, path: &str) {
        let started = Instant::now();
        let sent = client.get(format!("{}{path}", self.base)).header(ACCEPT, "text/html").send().await;
        let failure = match sent {
            Ok(r) if r.status() == 200 => r.bytes().await.err().map(|e| format!("body: {e}")),
            Ok(r) => Some(format!("status {}", r.status().as_u16())),
            Err(e) => Some(format!("transport: {}", if e.is_timeout() { "timeout" } else { "error" })),
        };
        self.note(route, started, failure);
    }

    /// A server function call as the hydrated app makes it; its JSON when it answered 200.
    async fn call(&self, client: &Client, route: &'static str, form: &[(&str, &str)]) -> Option<Value> {
        let started = Instant::now();
        let sent = client
            .post(format!("{}{route}", self.base))
            .header(ORIGIN, self.base.clone())
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(encode(form))
            .send()
            .await;
        let (value, failure) = match sent {
            Ok(r) if r.status() == 200 => match r.json::<Value>().await {
                Ok(v) => (Some(v), None),
                Err(e) => (None, Some(format!("body: {e}"))),
            },
            Ok(r) => {
                let status = r.status().as_u16();
                let body = r.text().await.unwrap_or_default();
                (None, Some(format!("status {status}: {}", body.chars().take(80).collect::<String>())))
            }
            Err(e) => (None, Some(format!("transport: {}", if e.is_timeout() { "timeout" } else { "error" }))),
        };
        self.note(route, started, failure);
        value
    }
}

/// One buyer: signs in, then browses, searches and orders until the end, thinking in between.
async fn buyer(shared: Arc<Shared>, n: usize) {
    let mut random = Random(0x2545_f491_4f6c_dd1d ^ (n as u64 + 1) * 0x9e37_79b9);
    // Buyers arrive over the first 20 seconds, not all at once.
    tokio::time::sleep(Duration::from_millis(random.below(20_000))).await;
    let client = browser();
    let email = orderer(n);
    if shared
        .call(&client, "/api/auth/login", &[("email", &email), ("password", PASSWORD), ("next", "/catalog")])
        .await
        .is_none()
    {
        return;
    }
    let mut orders: Vec<String> = vec![];
    while !shared.stop.load(SeqCst) {
        let slug = &shared.slugs[random.below(shared.slugs.len() as u64) as usize];
        let word = &shared.words[random.below(shared.words.len() as u64) as usize];
        match random.below(100) {
            0..=19 => shared.page(&client, "/catalog", &format!("/catalog?page={}", 1 + random.below(5))).await,
            20..=39 => shared.page(&client, "/products/…", &format!("/products/{slug}")).await,
            40..=59 => {
                shared.page(&client, "/search", &format!("/search?q={}", app::url::encode_component(word))).await
            }
            60..=69 => {
                let prefix: String = word.chars().take(3).collect();
                shared.call(&client, "/api/search/suggest", &[("q", &prefix)]).await;
            }
            70..=79 => {
                let (sku, min) = &shared.skus[random.below(shared.skus.len() as u64) as usize];
                let quantity = min.to_string();
                shared
                    .call(&client, "/api/cart/add", &[("lines[0][sku]", sku), ("lines[0][quantity]", &quantity)])
                    .await;
            }
            80..=84 => shared.page(&client, "/cart", "/cart").await,
            85..=89 => {
                shared.page(&client, "/orders", "/orders").await;
                if let Some(number) = orders.last() {
                    shared.page(&client, "/orders/…", &format!("/orders/{number}")).await;
                }
            }
            _ => {
                // Check out what the cart holds, when it holds something.
                let Some(checkout) = shared.call(&client, "/api/orders/checkout", &[]).await else { continue };
                if checkout["cart"]["lines"].as_array().is_none_or(|l| l.is_empty()) {
                    continue;
                }
                let ship_to = checkout["default_ship_to"].as_i64().unwrap_or(0).to_string();
                let po = format!("SOAK-{n}-{}", orders.len() + 1);
                let form = [
                    ("idempotency_key", checkout["idempotency_key"].as_str().unwrap_or("")),
                    ("fingerprint", checkout["cart"]["fingerprint"].as_str().unwrap_or("")),
                    ("ship_to", ship_to.as_str()),
                    ("po_number", po.as_str()),
                ];
                if let Some(placed) = shared.call(&client, "/api/orders/place", &form).await {
                    if let Some(number) = placed["Placed"]["number"].as_str() {
                        orders.push(number.to_string());
                    }
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(1_000 + random.below(3_000))).await;
    }
}

/// Slugs, search words and orderable SKUs, read through the API as a buyer sees them.
async fn catalog(base: &str) -> (Vec<String>, Vec<String>, Vec<(String, i64)>) {
    let products = common::catalog(base, &orderer(0), 5, 40).await;
    let slugs = products.iter().map(|(slug, _, _)| slug.clone()).collect();
    let mut words: Vec<String> = products
        .iter()
        .flat_map(|(_, name, _)| name.split_whitespace().filter(|w| w.chars().count() >= 4).map(String::from))
        .collect();
    words.sort();
    words.dedup();
    let skus = products
        .iter()
        .flat_map(|(_, _, variants)| variants.iter().filter(|v| !v.2).map(|(sku, min, _)| (sku.clone(), *min)))
        .collect();
    (slugs, words, skus)
}

fn percentile(sorted: &[u64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize] as f64 / 1000.0
}

#[tokio::main]
async fn main() {
    if !asked() {
        return;
    }
    let buyers: usize = env_or("SOAK_BUYERS", "500").parse().unwrap();
    let seconds: u64 = env_or("SOAK_SECONDS", "600").parse().unwrap();
    let dir = std::env::temp_dir().join(format!("portal-soak-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = env_or("SOAK_DATABASE_URL", &format!("sqlite://{}?mode=rwc", dir.join("soak.db").display()));
    let members = (3 * buyers).to_string();
    let mut server = Server::new(&url, dir.clone(), &[("APP_DEMO_TEAM_MEMBERS", members.as_str())]);
    let first = server.start().await;
    unlimited_credit(&url).await;
    println!("soak: {buyers} buyers for {seconds} s against one release server ({first:.1?} to start with the demo)");
    let (slugs, words, skus) = catalog(&server.base()).await;
    println!("  {} products, {} search words, {} orderable SKUs to pick from", slugs.len(), words.len(), skus.len());
    let shared = Arc::new(Shared {
        base: server.base(),
        routes: Default::default(),
        stop: AtomicBool::new(false),
        slugs,
        words,
        skus,
    });
    let began = Instant::now();
    let tasks: Vec<_> = (0..buyers).map(|n| tokio::spawn(buyer(shared.clone(), n))).collect();
    // Memory: after the buyers have all arrived and warmed up (60 s), then every minute.
    let mut memory = vec![];
    while began.elapsed() < Duration::from_secs(seconds) {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let at = began.elapsed().as_secs();
        if at >= 60 && at % 60 == 0 && memory.last().is_none_or(|(t, _)| *t != at) {
            memory.push((at, server.rss_kib()));
            let done: usize = shared.routes.lock().unwrap().values().map(|r| r.micros.len()).sum();
            println!("  {at:>4} s: {done} requests, server RSS {:.1} MiB", server.rss_kib() as f64 / 1024.0);
        }
    }
    shared.stop.store(true, SeqCst);
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = began.elapsed().as_secs_f64();

    let routes = shared.routes.lock().unwrap();
    let total: usize = routes.values().map(|r| r.micros.len()).sum();
    let failed: u64 = routes.values().flat_map(|r| r.failures.values()).sum();
    println!(
        "\n{total} requests in {elapsed:.0} s ({:.0}/s), {failed} failed ({:.3} %)",
        total as f64 / elapsed,
        failed as f64 * 100.0 / total.max(1) as f64
    );
    println!("{:<24} {:>8} {:>9} {:>9} {:>9} {:>8}", "route", "count", "p50 ms", "p95 ms", "p99 ms", "failed");
    for (route, r) in routes.iter() {
        let mut sorted = r.micros.clone();
        sorted.sort_unstable();
        let failed: u64 = r.failures.values().sum();
        println!(
            "{route:<24} {:>8} {:>9.1} {:>9.1} {:>9.1} {failed:>8}",
            sorted.len(),
            percentile(&sorted, 0.5),
            percentile(&sorted, 0.95),
            percentile(&sorted, 0.99)
        );
        for (kind, n) in &r.failures {
            println!("    {n} × {kind}");
        }
    }
    if let (Some((t0, first)), Some((t1, last))) = (memory.first(), memory.last()) {
        println!(
            "server memory (RSS): {:.1} MiB at {t0} s, {:.1} MiB at {t1} s: {:+.1} MiB ({:+.1} %)",
            *first as f64 / 1024.0,
            *last as f64 / 1024.0,
            (*last as f64 - *first as f64) / 1024.0,
            (*last as f64 - *first as f64) * 100.0 / *first as f64
        );
    }
    drop(routes);
    server.kill();
    let _ = std::fs::remove_dir_all(&dir);
}
