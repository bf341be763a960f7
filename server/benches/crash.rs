//! Crash safety, proven (issue 18): the release server under load from many buyers, killed with
//! SIGKILL at random moments (50 times by default), restarted each time. Buyers place orders, a
//! requester's orders wait for an approver who approves them, and a buyer's quotes are offered
//! by the desk, accepted and placed, all without pause. A request whose answer was lost to a kill
//! is retried after the restart, as a browser's retry would, with the same idempotency key.
//!
//! Checked, and printed as counts at the end:
//! - every order that was answered, or whose answer was lost, exists exactly once (by its PO
//!   number), with the lines its cart held; no other order exists;
//! - no cart is half-emptied: after each lost placement, the order either exists and the cart is
//!   empty, or it does not and the cart holds every line it held;
//! - no mail is lost or doubled: every order has exactly one confirmation row in the mail outbox,
//!   every row is sent, and the outbox folder holds exactly one file per row.
//!
//! Run by `bench/crash.sh` (SQLite, then PostgreSQL on a throwaway cluster):
//!   CRASH_DATABASE_URL=… CRASH_KILLS=50 cargo bench -p server --bench crash

mod common;

use app::domain::ids::OrderId;
use app::domain::order::OrderNumber;
use common::{asked, browser, encode, env_or, orderer, unlimited_credit, Random, Server};
use reqwest::header::{ACCEPT, CONTENT_TYPE, ORIGIN};
use reqwest::Client;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Generated Acme members (role Buyer) ordering from their carts, one client each.
const BUYERS: usize = 12;

/// What every client records, and what the end checks.
#[derive(Default)]
struct Ledger {
    /// PO number → (order number, the cart's lines as (SKU, quantity)) of every finished placement.
    orders: BTreeMap<String, (String, Vec<(String, i64)>)>,
    answered: u64,
    lost_then_found: u64,
    lost_then_placed: u64,
    half_emptied: Vec<String>,
    unexpected: Vec<String>,
}

struct Shared {
    base: String,
    pool: sqlx::AnyPool,
    ledger: Mutex<Ledger>,
    stop: AtomicBool,
    requests: AtomicU64,
    lost: AtomicU64,
}

type Answer = (u16, Value);

impl Shared {
    /// One server function call; `Err` when the answer was lost (the server died or is down).
    async fn send(&self, client: &Client, endpoint: &str, form: &[(&str, &str)]) -> Result<Answer, ()> {
        self.send_body(client, endpoint, "application/x-www-form-urlencoded", encode(form).into_bytes()).await
    }

    async fn send_body(&self, client: &Client, endpoint: &str, kind: &str, body: Vec<u8>) -> Result<Answer, ()> {
        self.requests.fetch_add(1, SeqCst);
        let sent = client
            .post(format!("{}/api/{endpoint}", self.base))
            .header(ORIGIN, self.base.clone())
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, kind)
            .body(body)
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(_) => {
                self.lost.fetch_add(1, SeqCst);
                return Err(());
            }
        };
        let status = response.status().as_u16();
        match response.bytes().await {
            Ok(bytes) => Ok((status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))),
            Err(_) => {
                self.lost.fetch_add(1, SeqCst);
                Err(())
            }
        }
    }

    /// The call, sent again until it is answered: for reads and for steps that are safe to repeat.
    async fn answered(&self, client: &Client, endpoint: &str, form: &[(&str, &str)]) -> Answer {
        self.answered_body(client, endpoint, "application/x-www-form-urlencoded", encode(form).into_bytes()).await
    }

    async fn answered_body(&self, client: &Client, endpoint: &str, kind: &str, body: Vec<u8>) -> Answer {
        loop {
            if let Ok(answer) = self.send_body(client, endpoint, kind, body.clone()).await {
                return answer;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Notes an answer the run did not expect (and pauses, so a client stuck on one cannot spin).
    async fn unexpected(&self, what: String) {
        eprintln!("UNEXPECTED: {what}");
        self.ledger.lock().unwrap().unexpected.push(what);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    async fn count(&self, sql: &str, bind: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sql).bind(bind).fetch_one(&self.pool).await.unwrap();
        n
    }

    /// Signs in before the kills start (a plain call: the server is up).
    async fn login(&self, client: &Client, email: &str) {
        common::sign_in(client, &self.base, email).await;
    }
}

/// What the generated buyers see (they all ship to Denver Yard, so one catalog): two variants
/// they can order at their minimum, and what to ask a quote for: a quote-only variant if they
/// see one, else the first of the two.
async fn catalog(base: &str) -> (Vec<(String, i64)>, (String, i64)) {
    let variants: Vec<(String, i64, bool)> =
        common::catalog(base, &orderer(0), 3, usize::MAX).await.into_iter().flat_map(|(_, _, v)| v).collect();
    let orderable: Vec<(String, i64)> =
        variants.iter().filter(|v| !v.2).take(2).map(|(sku, min, _)| (sku.clone(), *min)).collect();
    let quote = variants
        .iter()
        .find(|v| v.2)
        .map(|(sku, min, _)| (sku.clone(), *min))
        .or_else(|| orderable.first().cloned())
        .expect("something to quote");
    (orderable, quote)
}

fn lines_of(cart: &Value) -> Vec<(String, i64)> {
    let mut lines: Vec<(String, i64)> = cart["lines"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|l| (l["sku"].as_str().unwrap_or("").to_string(), l["quantity"].as_i64().unwrap_or(0)))
                .collect()
        })
        .unwrap_or_default();
    lines.sort();
    lines
}

/// Places the cart as it is now under PO `po`, through `place` (orders/place or quotes/place,
/// whose extra fields come in `extra`). A lost answer is judged from the database and the cart
/// once the server is back, then the same placement is sent again. Returns the answer's JSON.
async fn place(
    shared: &Shared,
    client: &Client,
    endpoint: &str,
    extra: &[(&str, &str)],
    checkout: &Value,
    po: &str,
    expected: &[(String, i64)],
) -> Option<Value> {
    // The default address, else the first the member may ship to (as the form preselects).
    let ship_to = checkout["default_ship_to"].as_i64().or_else(|| checkout["ship_to"][0]["id"].as_i64()).unwrap_or(0);
    let ship_to = ship_to.to_string();
    let mut form: Vec<(&str, &str)> = extra.to_vec();
    form.extend([
        ("idempotency_key", checkout["idempotency_key"].as_str().unwrap_or("")),
        ("fingerprint", checkout["cart"]["fingerprint"].as_str().unwrap_or("")),
        ("ship_to", ship_to.as_str()),
        ("po_number", po),
    ]);
    match shared.send(client, endpoint, &form).await {
        Ok((200, answer)) => {
            shared.ledger.lock().unwrap().answered += 1;
            return Some(answer);
        }
        Ok((status, answer)) => {
            shared.unexpected(format!("{endpoint} {po}: {status} {answer}")).await;
            return None;
        }
        Err(()) => {}
    }
    // The answer was lost. Once the server answers again: all or nothing happened.
    let (_, cart) = shared.answered(client, "cart/get", &[]).await;
    let placed = shared.count("SELECT COUNT(*) FROM orders WHERE po_number = $1", po).await
        + shared.count("SELECT COUNT(*) FROM purchase_requests WHERE po_number = $1", po).await;
    // A quote's placement takes nothing from the cart.
    let from_cart = endpoint == "orders/place";
    let whole = match (placed, from_cart) {
        (0, true) => lines_of(&cart) == expected,
        (1, true) => lines_of(&cart).is_empty(),
        (0 | 1, false) => true,
        _ => false,
    };
    if !whole {
        shared.ledger.lock().unwrap().half_emptied.push(format!("{po}: {placed} placed, cart {}", cart["lines"]));
    }
    let (status, answer) = shared.answered(client, endpoint, &form).await;
    if status != 200 {
        shared.unexpected(format!("{endpoint} {po} after a lost answer: {status} {answer}")).await;
        return None;
    }
    let mut ledger = shared.ledger.lock().unwrap();
    if placed == 1 {
        ledger.lost_then_found += 1;
    } else {
        ledger.lost_then_placed += 1;
    }
    Some(answer)
}

/// The cart, filled with `skus` at their minimum when empty; its checkout and lines.
async fn cart_checkout(
    shared: &Shared,
    client: &Client,
    skus: &[(String, i64)],
) -> Option<(Value, Vec<(String, i64)>)> {
    loop {
        let (_, cart) = shared.answered(client, "cart/get", &[]).await;
        if lines_of(&cart).is_empty() {
            let mut form: Vec<(String, String)> = vec![];
            for (i, (sku, q)) in skus.iter().enumerate() {
                form.push((format!("lines[{i}][sku]"), sku.clone()));
                form.push((format!("lines[{i}][quantity]"), q.to_string()));
            }
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            // Lost or not, the next turn reads the cart as it is.
            let _ = shared.send(client, "cart/add", &form).await;
            continue;
        }
        let (status, checkout) = shared.answered(client, "orders/checkout", &[]).await;
        if status != 200 {
            shared.unexpected(format!("orders/checkout: {status} {checkout}")).await;
            return None;
        }
        // The checkout's own view of the cart: what the order must hold.
        return Some((checkout.clone(), lines_of(&checkout["cart"])));
    }
}

async fn record(shared: &Shared, po: &str, number: &str, lines: Vec<(String, i64)>) {
    let twice = shared.ledger.lock().unwrap().orders.insert(po.to_string(), (number.to_string(), lines)).is_some();
    if twice {
        shared.unexpected(format!("PO {po} recorded twice")).await;
    }
}

/// A buyer ordering from the cart, over and over.
async fn buyer(shared: Arc<Shared>, n: usize, skus: Vec<(String, i64)>) {
    let client = browser();
    shared.login(&client, &orderer(n)).await;
    let mut round = 0;
    while !shared.stop.load(SeqCst) {
        round += 1;
        let po = format!("CR-B{n}-{round}");
        let Some((checkout, lines)) = cart_checkout(&shared, &client, &skus).await else { continue };
        if let Some(answer) = place(&shared, &client, "orders/place", &[], &checkout, &po, &lines).await {
            match answer["Placed"]["number"].as_str() {
                Some(number) => record(&shared, &po, number, lines).await,
                None => shared.unexpected(format!("{po}: {answer}")).await,
            }
        }
    }
}

/// The requester's orders become purchase requests; the admin approves each into an order.
async fn approvals(shared: Arc<Shared>, skus: Vec<(String, i64)>) {
    let (rita, dana) = (browser(), browser());
    shared.login(&rita, "requester@acme.example").await;
    shared.login(&dana, "admin@acme.example").await;
    let mut round = 0;
    while !shared.stop.load(SeqCst) {
        round += 1;
        let po = format!("CR-A-{round}");
        let Some((checkout, lines)) = cart_checkout(&shared, &rita, &skus).await else { continue };
        let Some(answer) = place(&shared, &rita, "orders/place", &[], &checkout, &po, &lines).await else { continue };
        let Some(request) = answer["Requested"]["number"].as_str() else {
            shared.unexpected(format!("{po}: not a purchase request: {answer}")).await;
            continue;
        };
        // Approve until the request says it was ordered (a lost approval is read back); a
        // request that never gets there is reported, not waited on forever.
        let mut tries = 0;
        let order = loop {
            tries += 1;
            if tries > 100 {
                shared.unexpected(format!("approvals {request}: not ordered after 100 tries")).await;
                break None;
            }
            let (status, r) = shared.answered(&dana, "approvals/get", &[("number", request)]).await;
            if status != 200 {
                shared.unexpected(format!("approvals/get {request}: {status} {r}")).await;
                break None;
            }
            if let Some(order) = r["order_number"].as_str() {
                break Some(order.to_string());
            }
            let version = r["version"].to_string();
            match shared.send(&dana, "approvals/approve", &[("number", request), ("version", &version)]).await {
                Ok((200, d)) if d["order_number"].is_string() => break d["order_number"].as_str().map(String::from),
                Ok((status, d)) => shared.unexpected(format!("approvals/approve {request}: {status} {d}")).await,
                Err(()) => {}
            }
        };
        if let Some(order) = order {
            record(&shared, &po, &order, lines).await;
        }
    }
}

/// Multipart form data, as the quote form sends it.
fn multipart(fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "----portal-crash-boundary-4b1d";
    let mut body = vec![];
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A buyer requests a quote, the desk offers it, the buyer accepts and places it: one order each.
async fn quotes(shared: Arc<Shared>, (sku, quantity): (String, i64), valid_until: String) {
    let (ben, desk) = (browser(), browser());
    // A generated member of its own (buyer@acme.example has spending limits the run would reach).
    shared.login(&ben, &orderer(BUYERS)).await;
    shared.login(&desk, "staff@northwind.example").await;
    let mut round = 0;
    while !shared.stop.load(SeqCst) {
        round += 1;
        let po = format!("CR-Q-{round}");
        let key = format!("crash-quote-{round}");
        let (kind, body) = multipart(&[
            ("key", &key),
            ("note", "crash run"),
            ("sku_0", &sku),
            ("quantity_0", &quantity.to_string()),
            ("target_0", "1.00"),
        ]);
        // The same key again is the same quote: safe to repeat.
        let (status, number) = shared.answered_body(&ben, "quotes/request", &kind, body).await;
        let Some(number) = number.as_str().map(String::from) else {
            shared.unexpected(format!("quotes/request: {status} {number}")).await;
            continue;
        };
        // Offer until the quote shows an offer; accept until it shows accepted.
        loop {
            let (_, d) = shared.answered(&desk, "staff/quote", &[("number", &number)]).await;
            if d["can_offer"] != true {
                break;
            }
            let version = d["quote"]["version"].to_string();
            let mut fields: Vec<(String, String)> = vec![
                ("number".into(), number.clone()),
                ("version".into(), version),
                ("valid_until".into(), valid_until.clone()),
                ("message".into(), "Offer".into()),
            ];
            for (i, l) in d["draft"].as_array().into_iter().flatten().enumerate() {
                fields.push((format!("lines[{i}][line]"), l["line_no"].to_string()));
                fields.push((format!("lines[{i}][quantity]"), l["quantity"].to_string()));
                fields.push((format!("lines[{i}][price]"), "37.50".into()));
            }
            let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            if let Ok((status, answer)) = shared.send(&desk, "staff/offer", &form).await {
                if status != 200 {
                    shared.unexpected(format!("staff/offer {number}: {status} {answer}")).await;
                    break;
                }
            }
        }
        loop {
            let (_, q) = shared.answered(&ben, "quotes/get", &[("number", &number)]).await;
            if q["summary"]["status"] != "offered" {
                break;
            }
            let revision = q["revision"].to_string();
            let form = [("number", number.as_str()), ("action", "accept"), ("revision", &revision), ("text", "")];
            if let Ok((status, answer)) = shared.send(&ben, "quotes/answer", &form).await {
                if status != 200 {
                    shared.unexpected(format!("quotes/answer {number}: {status} {answer}")).await;
                    break;
                }
            }
        }
        let (status, c) = shared.answered(&ben, "quotes/checkout", &[("number", &number)]).await;
        if status != 200 {
            shared.unexpected(format!("quotes/checkout {number}: {status} {c}")).await;
            continue;
        }
        let lines = lines_of(&c["checkout"]["cart"]);
        if let Some(answer) =
            place(&shared, &ben, "quotes/place", &[("number", &number)], &c["checkout"], &po, &lines).await
        {
            match answer.as_str() {
                Some(order) => record(&shared, &po, order, lines).await,
                None => shared.unexpected(format!("{po}: {answer}")).await,
            }
        }
    }
}

#[tokio::main]
async fn main() {
    if !asked() {
        return;
    }
    sqlx::any::install_default_drivers();
    let kills: usize = env_or("CRASH_KILLS", "50").parse().unwrap();
    let dir = std::env::temp_dir().join(format!("portal-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = env_or("CRASH_DATABASE_URL", &format!("sqlite://{}?mode=rwc", dir.join("crash.db").display()));
    let engine = if url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" };
    let buyers = (3 * (BUYERS + 1)).to_string();
    let env = [("APP_DEMO_CATALOG_PRODUCTS", "120"), ("APP_DEMO_TEAM_MEMBERS", buyers.as_str())];
    let mut server = Server::new(&url, dir.clone(), &env);
    let first = server.start().await;
    unlimited_credit(&url).await;
    println!("crash run on {engine}: {kills} kills, {BUYERS} buyers + a requester and approver + a quoting buyer and the desk");
    println!("first start (demo data loaded): {first:.1?}");

    let (pool, _) = app::backend::platform::db::connect(&url, 4).await.expect("the harness's pool");
    let valid_until = app::domain::order::iso_date(app::backend::platform::clock::now().div_euclid(86_400) + 30);

    let shared = Arc::new(Shared {
        base: server.base(),
        pool: pool.clone(),
        ledger: Mutex::new(Ledger::default()),
        stop: AtomicBool::new(false),
        requests: AtomicU64::new(0),
        lost: AtomicU64::new(0),
    });
    let (skus, quote_sku) = catalog(&shared.base).await;
    assert_eq!(skus.len(), 2, "two orderable variants");
    let mut clients = vec![];
    for n in 0..BUYERS {
        clients.push(tokio::spawn(buyer(shared.clone(), n, skus.clone())));
    }
    clients.push(tokio::spawn(approvals(shared.clone(), skus.clone())));
    clients.push(tokio::spawn(quotes(shared.clone(), quote_sku, valid_until)));

    let mut random = Random(0x9e37_79b9_7f4a_7c15 ^ u64::from(server.port));
    let mut restarts = vec![];
    let began = Instant::now();
    for k in 0..kills {
        tokio::time::sleep(Duration::from_millis(300 + random.below(1700))).await;
        server.kill();
        restarts.push(server.start().await);
        if (k + 1) % 10 == 0 {
            let ledger = shared.ledger.lock().unwrap();
            println!("  {} kills: {} orders so far", k + 1, ledger.orders.len());
        }
    }
    // Let every client finish the order it is on, then check everything.
    tokio::time::sleep(Duration::from_secs(1)).await;
    shared.stop.store(true, SeqCst);
    for c in clients {
        c.await.unwrap();
    }
    let elapsed = began.elapsed();

    // Every mail sent: a message claimed by a killed server waits for its claim (120 s) to lapse.
    let sent_by = Instant::now() + Duration::from_secs(200);
    while app::backend::platform::mail::backlog(&pool).await.unwrap() > 0 && Instant::now() < sent_by {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    let ledger = std::mem::take(&mut *shared.ledger.lock().unwrap());
    let mut missing = 0;
    let mut doubled = 0;
    let mut wrong_numbers = 0;
    let mut wrong_lines = 0;
    let mut mails_lost = 0;
    let mut mails_doubled = 0;
    for (po, (number, lines)) in &ledger.orders {
        let rows: Vec<(i64,)> =
            sqlx::query_as("SELECT id FROM orders WHERE po_number = $1").bind(po).fetch_all(&pool).await.unwrap();
        match rows.as_slice() {
            [] => missing += 1,
            [(id,)] => {
                if OrderNumber::from_id(OrderId(*id)).to_string() != *number {
                    wrong_numbers += 1;
                }
                let mut held: Vec<(String, i64)> =
                    sqlx::query_as("SELECT sku, quantity FROM order_lines WHERE order_id = $1")
                        .bind(id)
                        .fetch_all(&pool)
                        .await
                        .unwrap();
                held.sort();
                if held != *lines {
                    eprintln!("{po}: order holds {held:?}, the cart held {lines:?}");
                    wrong_lines += 1;
                }
            }
            _ => doubled += 1,
        }
        let confirmations: Vec<(i64, Option<i64>)> =
            sqlx::query_as("SELECT id, sent_at FROM mail_outbox WHERE subject LIKE $1 AND body LIKE $2")
                .bind(format!("%{number}%"))
                .bind(format!("%{po}%"))
                .fetch_all(&pool)
                .await
                .unwrap();
        match confirmations.as_slice() {
            [(id, Some(_))] if dir.join("outbox").join(format!("mail-{id:010}.eml")).exists() => {}
            [] | [(_, _)] => mails_lost += 1,
            _ => mails_doubled += 1,
        }
    }
    let unknown = sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM orders WHERE po_number LIKE 'CR-%'")
        .fetch_one(&pool)
        .await
        .unwrap()
        .0
        - ledger.orders.len() as i64;
    let rows = app::backend::platform::mail::backlog(&pool).await.unwrap();
    let (all_rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox").fetch_one(&pool).await.unwrap();
    let files = std::fs::read_dir(dir.join("outbox"))
        .map(|d| d.filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".eml")).count())
        .unwrap_or(0) as i64;
    restarts.sort();
    let p = |q: f64| restarts[((restarts.len() - 1) as f64 * q) as usize];

    println!("\n{engine}: {kills} SIGKILLs in {elapsed:.0?}; restart to ready p50 {:.0?}, max {:.0?}", p(0.5), p(1.0));
    println!("  requests sent {}, answers lost to a kill {}", shared.requests.load(SeqCst), shared.lost.load(SeqCst));
    println!(
        "  orders: {} ({} answered; answer lost: {} had been placed, {} had not and were placed on retry)",
        ledger.orders.len(),
        ledger.answered,
        ledger.lost_then_found,
        ledger.lost_then_placed
    );
    let by = |prefix: &str| ledger.orders.keys().filter(|po| po.starts_with(prefix)).count();
    println!("  of which: {} from carts, {} approved requests, {} accepted quotes", by("CR-B"), by("CR-A"), by("CR-Q"));
    println!(
        "  missing orders {missing}, doubled orders {doubled}, unknown orders {unknown}, wrong numbers {wrong_numbers}, wrong lines {wrong_lines}"
    );
    println!("  half-emptied carts {}", ledger.half_emptied.len());
    println!("  mail: {all_rows} queued, {rows} unsent, {files} files; confirmations lost {mails_lost}, doubled {mails_doubled}");
    println!("  unexpected answers {}", ledger.unexpected.len());
    // One line per kind: the PO and quote numbers taken out.
    let numbers = regex::Regex::new(r"CR-[A-Z0-9]+-\d+|Q-\d+|\d{6,}").unwrap();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for line in ledger.half_emptied.iter().chain(&ledger.unexpected) {
        *kinds.entry(numbers.replace_all(line, "…").into_owned()).or_default() += 1;
    }
    for (kind, n) in kinds.iter().take(20) {
        println!("    {n} × {kind}");
    }
    let clean = missing == 0
        && doubled == 0
        && unknown == 0
        && wrong_numbers == 0
        && wrong_lines == 0
        && ledger.half_emptied.is_empty()
        && ledger.unexpected.is_empty()
        && mails_lost == 0
        && mails_doubled == 0
        && rows == 0
        && files == all_rows
        && !ledger.orders.is_empty();
    server.kill();
    if !clean {
        println!("CRASH RUN FAILED (data kept in {})", dir.display());
        std::process::exit(1);
    }
    println!("  all clean");
    let _ = std::fs::remove_dir_all(&dir);
}
