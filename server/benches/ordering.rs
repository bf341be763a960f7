//! Ordering speed on SQLite, through HTTP against the real application (release build, in this
//! process, its own database with the demo data and a generated catalog):
//!   * add-to-cart requests per second (8 concurrent clients, one line each);
//!   * placing a 200-line order: p50/p95 of the placement call;
//!   * reordering a 200-line order: p50/p95;
//!   * checking a 10,000-row CSV upload;
//!   * streaming the catalog export, with this process's peak memory growth while it streams.
//! Prints each figure next to its target.   cargo bench -p server --bench ordering [-- PRODUCTS]

use reqwest::Client;
use serde_json::Value;
use server::configuration::{DatabaseSettings, Settings};
use server::startup::Application;
use std::time::{Duration, Instant};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

struct Api {
    client: Client,
    base: String,
}

impl Api {
    async fn call(&self, endpoint: &str, form: &[(String, String)]) -> Value {
        let body: String = form
            .iter()
            .map(|(k, v)| format!("{}={}", app::url::encode_component(k), app::url::encode_component(v)))
            .collect::<Vec<_>>()
            .join("&");
        let response = self
            .client
            .post(format!("{}/api/{endpoint}", self.base))
            .header("origin", &self.base)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "{endpoint}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }
}

fn lines_form(lines: &[(String, String)]) -> Vec<(String, String)> {
    lines
        .iter()
        .enumerate()
        .flat_map(|(i, (sku, q))| {
            [(format!("lines[{i}][sku]"), sku.clone()), (format!("lines[{i}][quantity]"), q.clone())]
        })
        .collect()
}

fn report(name: &str, figure: String, target: &str, met: bool) {
    println!("{name:<44} {figure:>22}   target {target:<12} {}", if met { "met" } else { "NOT MET" });
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let products: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(33_334);
    let dir = std::env::temp_dir().join(format!("portal-bench-ordering-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let settings = Settings {
        port: 0,
        database: DatabaseSettings {
            url: format!("sqlite://{}/bench.db?mode=rwc", dir.display()),
            max_connections: 16,
        },
        demo_catalog_products: products,
        mail: app::backend::platform::mail::MailSettings {
            outbox_dir: dir.join("outbox").display().to_string(),
            ..Default::default()
        },
        ..Settings::defaults()
    };
    let started = Instant::now();
    let application = Application::build(settings).await.expect("application");
    let base = format!("http://127.0.0.1:{}", application.port());
    // Thirty 200-line orders would exceed Acme's demo credit (that check is real): raise it.
    sqlx::query("UPDATE companies SET credit_limit_minor = 1000000000000000")
        .execute(&application.state.pool)
        .await
        .unwrap();
    // The demo's limits and rule would send these orders for approval: the plain placement runs
    // without them; the approval figures below set a limit on purpose.
    sqlx::query("UPDATE members SET order_limit_minor = NULL, month_limit_minor = NULL")
        .execute(&application.state.pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM approval_rules").execute(&application.state.pool).await.unwrap();
    let pool = application.state.pool.clone();
    tokio::spawn(application.run_until_stopped());
    println!("{products} products generated and loaded in {:.1} s", started.elapsed().as_secs_f64());
    let api = Api { client: Client::builder().cookie_store(true).build().unwrap(), base: base.clone() };
    api.call(
        "auth/login",
        &[("email".into(), "buyer@acme.example".into()), ("password".into(), "portal-demo-2026".into())],
    )
    .await;

    // Export: stream it, count rows, watch memory.
    let before = rss_kb();
    let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(before));
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                peak.fetch_max(rss_kb(), std::sync::atomic::Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let t = Instant::now();
    let mut response = api.client.get(format!("{base}/catalog/export.csv")).send().await.unwrap();
    let mut bytes = 0usize;
    let mut text = Vec::new();
    let mut kept_rows = 0;
    while let Some(chunk) = response.chunk().await.unwrap() {
        bytes += chunk.len();
        // Keep only the first part (to pick SKUs); the rest is counted and dropped.
        if kept_rows < 5_000 {
            text.extend_from_slice(&chunk);
            kept_rows = text.iter().filter(|b| **b == b'\n').count();
        }
    }
    let export_secs = t.elapsed().as_secs_f64();
    sampler.abort();
    let growth_mb = (peak.load(std::sync::atomic::Ordering::Relaxed).saturating_sub(before)) as f64 / 1024.0;
    let text = String::from_utf8_lossy(&text).to_string();
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut orderable: Vec<(String, i64, i64)> = vec![];
    for record in reader.records().flatten() {
        let (Some(sku), Some(price), Some(min), Some(inc)) =
            (record.get(0), record.get(4), record.get(6), record.get(7))
        else {
            continue;
        };
        let (Ok(min), Ok(inc)) = (min.parse::<i64>(), inc.parse::<i64>()) else { continue };
        if !price.is_empty() && min % inc == 0 {
            orderable.push((sku.to_string(), min, inc));
        }
    }
    assert!(orderable.len() >= 200, "only {} orderable SKUs in the first rows", orderable.len());
    let lines200: Vec<(String, String)> =
        orderable.iter().take(200).map(|(s, m, _)| (s.clone(), m.to_string())).collect();

    // Add to cart: 8 concurrent clients (the same member, one cart), one line per request.
    api.call("cart/clear", &[]).await;
    let total = 2_000;
    let t = Instant::now();
    let mut tasks = vec![];
    for worker in 0..8usize {
        let client = api.client.clone();
        let base = base.clone();
        let lines = lines200.clone();
        tasks.push(tokio::spawn(async move {
            let api = Api { client, base };
            for i in 0..total / 8 {
                let (sku, q) = &lines[(worker * 31 + i) % lines.len()];
                api.call("cart/add", &lines_form(&[(sku.clone(), q.clone())])).await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let adds_per_sec = total as f64 / t.elapsed().as_secs_f64();

    // Place 200-line orders.
    let mut place_ms = vec![];
    let mut number = String::new();
    for _ in 0..30 {
        api.call("cart/clear", &[]).await;
        let added = api.call("cart/add", &lines_form(&lines200)).await;
        assert_eq!(added["added"], 200, "{added}");
        let checkout = api.call("orders/checkout", &[]).await;
        let form = vec![
            ("idempotency_key".to_string(), checkout["idempotency_key"].as_str().unwrap().to_string()),
            ("fingerprint".into(), checkout["cart"]["fingerprint"].as_str().unwrap().to_string()),
            ("ship_to".into(), checkout["default_ship_to"].as_i64().unwrap().to_string()),
            ("po_number".into(), "PO-BENCH".into()),
        ];
        let t = Instant::now();
        let placed = api.call("orders/place", &form).await;
        place_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        number = placed["Placed"]["number"].as_str().expect("placed").to_string();
    }
    place_ms.sort_by(f64::total_cmp);

    // Approvals: every order of Ben's needs approval (a one-cent limit per order) and Dana, the
    // admin, approves. Measured: the checkout of a 200-line cart (which evaluates the rules and
    // limits) and the approval that places it (re-pricing and the placement path).
    sqlx::query("UPDATE members SET order_limit_minor = 1 WHERE id IN (SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE u.email = 'buyer@acme.example')")
        .execute(&pool)
        .await
        .unwrap();
    let dana = Api { client: Client::builder().cookie_store(true).build().unwrap(), base: base.clone() };
    dana.call(
        "auth/login",
        &[("email".into(), "admin@acme.example".into()), ("password".into(), "portal-demo-2026".into())],
    )
    .await;
    let (mut checkout_ms, mut approve_ms) = (vec![], vec![]);
    for _ in 0..20 {
        api.call("cart/clear", &[]).await;
        api.call("cart/add", &lines_form(&lines200)).await;
        let t = Instant::now();
        let checkout = api.call("orders/checkout", &[]).await;
        checkout_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(checkout["approval_by"].as_array().map(|a| a.len()), Some(1), "needs approval");
        let form = vec![
            ("idempotency_key".to_string(), checkout["idempotency_key"].as_str().unwrap().to_string()),
            ("fingerprint".into(), checkout["cart"]["fingerprint"].as_str().unwrap().to_string()),
            ("ship_to".into(), checkout["default_ship_to"].as_i64().unwrap().to_string()),
            ("po_number".into(), "PO-BENCH-APPROVAL".into()),
        ];
        let requested = api.call("orders/place", &form).await;
        let request = requested["Requested"]["number"].as_str().expect("requested").to_string();
        let version = dana.call("approvals/get", &[("number".into(), request.clone())]).await["version"].to_string();
        let t = Instant::now();
        let decided = dana.call("approvals/approve", &[("number".into(), request), ("version".into(), version)]).await;
        approve_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(decided["outcome"], "ordered", "{decided}");
    }
    checkout_ms.sort_by(f64::total_cmp);
    approve_ms.sort_by(f64::total_cmp);
    sqlx::query("UPDATE members SET order_limit_minor = NULL").execute(&pool).await.unwrap();

    // Reorder the last 200-line order.
    let mut reorder_ms = vec![];
    for _ in 0..30 {
        api.call("cart/clear", &[]).await;
        let t = Instant::now();
        let report = api.call("orders/reorder", &[("number".into(), number.clone())]).await;
        reorder_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(report["added"], 200);
    }
    reorder_ms.sort_by(f64::total_cmp);

    // A paste of 500 lines checked (quick order), 20 times.
    let mut paste_ms = vec![];
    let paste: Vec<(String, String)> = (0..500)
        .map(|i| {
            let (sku, min, _) = &orderable[i % orderable.len()];
            (sku.clone(), min.to_string())
        })
        .collect();
    for _ in 0..20 {
        let t = Instant::now();
        let rows = api.call("cart/check", &lines_form(&paste)).await;
        paste_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(rows.as_array().map(|r| r.len()), Some(500));
    }
    paste_ms.sort_by(f64::total_cmp);

    // A 10,000-row CSV: our export's columns, quantities filled, every 50th row a bad SKU.
    let mut csv_file = String::from("SKU,Name,Quantity\n");
    for i in 0..10_000 {
        let (sku, min, _) = &orderable[i % orderable.len()];
        if i % 50 == 49 {
            csv_file.push_str(&format!("NO-SUCH-{i},x,1\n"));
        } else {
            csv_file.push_str(&format!("{sku},\"name, with comma\",{min}\n"));
        }
    }
    let boundary = "bench-boundary-1f9a";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"o.csv\"\r\n\r\n")
        .into_bytes();
    body.extend_from_slice(csv_file.as_bytes());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let t = Instant::now();
    let response = api
        .client
        .post(format!("{base}/api/cart/upload_csv"))
        .header("origin", &base)
        .header("accept", "application/json")
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap();
    let checked: Value = response.json().await.unwrap();
    let csv_ms = t.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(checked["rows"], 10_000, "{checked}");

    println!();
    report(
        "checkout of 200 lines with approval rules",
        format!("p50 {:.1} / p95 {:.1} ms", percentile(&checkout_ms, 0.5), percentile(&checkout_ms, 0.95)),
        "p95 <= 100 ms",
        percentile(&checkout_ms, 0.95) <= 100.0,
    );
    report(
        "approve and place a 200-line request",
        format!("p50 {:.1} / p95 {:.1} ms", percentile(&approve_ms, 0.5), percentile(&approve_ms, 0.95)),
        "p95 <= 200 ms",
        percentile(&approve_ms, 0.95) <= 200.0,
    );
    report(
        "add to cart (8 clients, 1 line each)",
        format!("{adds_per_sec:.0} adds/s"),
        ">= 1,000/s",
        adds_per_sec >= 1000.0,
    );
    report(
        "place a 200-line order",
        format!("p50 {:.1} / p95 {:.1} ms", percentile(&place_ms, 0.5), percentile(&place_ms, 0.95)),
        "p95 <= 50 ms",
        percentile(&place_ms, 0.95) <= 50.0,
    );
    report(
        "reorder a 200-line order",
        format!("p50 {:.1} / p95 {:.1} ms", percentile(&reorder_ms, 0.5), percentile(&reorder_ms, 0.95)),
        "<= 100 ms",
        percentile(&reorder_ms, 0.95) <= 100.0,
    );
    report(
        "check a 500-line paste (quick order)",
        format!("p50 {:.1} / p95 {:.1} ms", percentile(&paste_ms, 0.5), percentile(&paste_ms, 0.95)),
        "< 1,000 ms",
        percentile(&paste_ms, 0.95) < 1000.0,
    );
    report(
        "check a 10,000-row CSV upload",
        format!("{csv_ms:.0} ms ({} bad)", checked["bad"].as_array().map(|b| b.len()).unwrap_or(0)),
        "<= 2,000 ms",
        csv_ms <= 2000.0,
    );
    report(
        &format!("export the catalog ({:.1} MB)", bytes as f64 / 1e6),
        format!("{:.2} s, +{growth_mb:.1} MB RSS", export_secs),
        "<= 5 s, flat",
        export_secs <= 5.0 && growth_mb < 64.0,
    );
    let _ = std::fs::remove_dir_all(&dir);
}
