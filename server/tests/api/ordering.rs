//! Ordering: the cart on the server, ordering by SKU with a reason for every bad row, checkout
//! that places exactly once, order history scoped to the company, reorder, and the confirmation
//! mail through the outbox and through a real SMTP conversation.

use crate::helpers::*;
use serde_json::Value;

#[derive(Clone, Debug)]
pub(crate) struct Orderable {
    pub sku: String,
    pub min: i64,
    pub increment: i64,
}

pub(crate) async fn json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// Priced, orderable variants and one quote-only SKU the signed-in member can see.
pub(crate) async fn buyable(app: &TestApp) -> (Vec<Orderable>, Option<String>) {
    let (_, list) = json(app.call("catalog/list", &[]).await).await;
    let mut out = vec![];
    let mut quote_only = None;
    for p in list["products"].as_array().unwrap() {
        let (_, product) = json(app.call("catalog/product", &[("slug", p["slug"].as_str().unwrap())]).await).await;
        for v in product["variants"].as_array().unwrap() {
            let sku = v["sku"].as_str().unwrap().to_string();
            if v["quote_only"].as_bool().unwrap() {
                quote_only.get_or_insert(sku);
            } else if !v["tiers"].as_array().unwrap().is_empty() {
                let rule = &v["rule"];
                out.push(Orderable {
                    sku,
                    min: rule["min"].as_i64().unwrap(),
                    increment: rule["increment"].as_i64().unwrap(),
                });
            }
        }
        if out.len() >= 12 && quote_only.is_some() {
            break;
        }
    }
    (out, quote_only)
}

pub(crate) async fn add(app: &TestApp, lines: &[(&str, &str)]) -> (u16, Value) {
    let keys: Vec<(String, String)> = lines
        .iter()
        .enumerate()
        .flat_map(|(i, (sku, q))| {
            [(format!("lines[{i}][sku]"), sku.to_string()), (format!("lines[{i}][quantity]"), q.to_string())]
        })
        .collect();
    let form: Vec<(&str, &str)> = keys.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    json(app.call("cart/add", &form).await).await
}

pub(crate) async fn get_cart(app: &TestApp) -> Value {
    let (status, cart) = json(app.call("cart/get", &[]).await).await;
    assert_eq!(status, 200, "{cart}");
    cart
}

pub(crate) async fn checkout(app: &TestApp) -> Value {
    let (status, dto) = json(app.call("orders/checkout", &[]).await).await;
    assert_eq!(status, 200, "{dto}");
    dto
}

pub(crate) async fn place(app: &TestApp, checkout: &Value, po: &str) -> (u16, Value) {
    let ship_to = checkout["default_ship_to"].as_i64().unwrap().to_string();
    json(
        app.call(
            "orders/place",
            &[
                ("idempotency_key", checkout["idempotency_key"].as_str().unwrap()),
                ("fingerprint", checkout["cart"]["fingerprint"].as_str().unwrap()),
                ("ship_to", &ship_to),
                ("po_number", po),
            ],
        )
        .await,
    )
    .await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&app.pool).await.unwrap();
    n
}

fn problem(row: &Value) -> String {
    row["problem"].to_string()
}

#[tokio::test]
async fn the_cart_lives_on_the_server_across_sign_out_and_app_servers() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    let item = &items[0];
    let (status, report) = add(&app, &[(&item.sku.to_lowercase(), &item.min.to_string())]).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["added"], 1, "{report}");

    app.logout().await;
    app.login_as("buyer@acme.example").await;
    let other = app.second_server().await;
    let (_, cart) = json(other.call("cart/get", &[]).await).await;
    assert_eq!(cart["lines"].as_array().unwrap().len(), 1, "{cart}");
    assert_eq!(cart["lines"][0]["sku"], item.sku.as_str());
    assert_eq!(cart["lines"][0]["quantity"], item.min);

    // Adding the same SKU again adds up, on one line.
    add(&app, &[(&item.sku, &item.min.to_string())]).await;
    let cart = get_cart(&app).await;
    assert_eq!(cart["lines"][0]["quantity"], item.min * 2);
}

#[tokio::test]
async fn every_bad_row_gets_its_own_reason_and_good_rows_still_go_in() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, quote_only) = buyable(&app).await;
    let good = &items[0];
    let (europe_only,): (String,) = sqlx::query_as(
        "SELECT v.sku FROM variants v JOIN catalog_products cp ON cp.product_id = v.product_id JOIN catalogs c ON c.id = cp.catalog_id \
         WHERE c.code = 'EUROPE' AND NOT EXISTS (SELECT 1 FROM catalog_products o WHERE o.product_id = v.product_id AND o.catalog_id <> c.id) \
         ORDER BY v.id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let long = "X".repeat(1000);
    let spaced = format!("  {}  ", good.sku.to_lowercase());
    // A valid quantity written with digit grouping ("1,005").
    let grouped = {
        let q = (good.min + good.increment * 1000).to_string();
        let (head, tail) = q.split_at(q.len() - 3);
        format!("{head},{tail}")
    };
    let stepped = items.iter().find(|i| i.increment > 1);
    let not_multiple = stepped.map(|i| (i.sku.clone(), (i.min + 1).to_string()));
    let quote = match quote_only {
        Some(sku) => sku,
        None => {
            let (sku,): (String,) = sqlx::query_as(
                "SELECT v.sku FROM variants v JOIN catalog_products cp ON cp.product_id = v.product_id \
                 JOIN catalogs c ON c.id = cp.catalog_id WHERE c.code = 'CORE' AND v.quote_only = 1 ORDER BY v.id LIMIT 1",
            )
            .fetch_one(&app.pool)
            .await
            .expect("a quote-only variant in the core catalog");
            sku
        }
    };
    let mut rows: Vec<(&str, &str)> = vec![
        (&spaced, &grouped),
        ("NO-SUCH-SKU-42", "1"),
        (&europe_only, "1"),
        (&quote, "1"),
        (&items[1].sku, "0"),
        (&items[1].sku, "-5"),
        (&items[1].sku, "2.5"),
        (&items[1].sku, "100000000000000000000"),
        (&items[1].sku, "ten"),
        (&long, "1"),
        ("ÄÖÜ-Ω", "1"),
    ];
    if let Some((sku, q)) = &not_multiple {
        rows.push((sku, q));
    }
    let (status, report) = add(&app, &rows).await;
    assert_eq!(status, 200, "{report}");
    let r = report["rows"].as_array().unwrap();
    assert_eq!(problem(&r[0]), "null", "whitespace, lower case and digit grouping are fine: {}", r[0]);
    assert_eq!(problem(&r[1]), "\"UnknownSku\"");
    assert_eq!(problem(&r[2]), "\"NotInCatalog\"");
    assert_eq!(problem(&r[3]), "\"QuoteOnly\"");
    assert_eq!(problem(&r[4]), "{\"Quantity\":\"NotPositive\"}");
    assert_eq!(problem(&r[5]), "{\"Quantity\":\"NotPositive\"}");
    assert_eq!(problem(&r[6]), "{\"Quantity\":\"Fractional\"}");
    assert_eq!(problem(&r[7]), "{\"Quantity\":\"TooLarge\"}");
    assert_eq!(problem(&r[8]), "{\"Quantity\":\"NotANumber\"}");
    assert_eq!(problem(&r[9]), "{\"Sku\":\"TooLong\"}");
    assert_eq!(problem(&r[10]), "\"UnknownSku\"");
    if not_multiple.is_some() {
        assert!(problem(&r[11]).contains("NotMultiple"), "{}", r[11]);
    }
    // The rows keep what was typed, for the buyer to fix.
    assert_eq!(r[8]["quantity"], "ten");
    let cart = get_cart(&app).await;
    let skus: Vec<&str> = cart["lines"].as_array().unwrap().iter().map(|l| l["sku"].as_str().unwrap()).collect();
    assert!(!skus.contains(&quote.as_str()) && !skus.contains(&europe_only.as_str()));
}

#[tokio::test]
async fn quantity_changes_follow_the_rule_and_a_stale_line_is_reported_not_a_500() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    let item = &items[0];
    add(&app, &[(&item.sku, &item.min.to_string())]).await;

    let (status, dto) = json(app.call("cart/set_quantity", &[("sku", &item.sku), ("quantity", "0")]).await).await;
    assert_eq!(status, 200);
    assert_eq!(dto["refused"], serde_json::json!({"Quantity": "NotPositive"}));
    assert_eq!(dto["typed"], "0", "what was typed comes back to be fixed");
    assert_eq!(dto["cart"]["lines"][0]["quantity"], item.min, "the line keeps its quantity");

    let bigger = (item.min + item.increment * 3).to_string();
    let (_, dto) = json(app.call("cart/set_quantity", &[("sku", &item.sku), ("quantity", &bigger)]).await).await;
    assert_eq!(dto["refused"], Value::Null);
    assert_eq!(dto["cart"]["lines"][0]["quantity"].to_string(), bigger);

    // Removed in another tab, then changed here.
    app.call("cart/remove", &[("sku", &item.sku)]).await;
    let (status, dto) = json(app.call("cart/set_quantity", &[("sku", &item.sku), ("quantity", &bigger)]).await).await;
    assert_eq!(status, 200);
    assert_eq!(dto["gone"], true);
    // Garbage in every field: an answer, not a 500.
    let (status, _) =
        json(app.call("cart/set_quantity", &[("sku", &"é".repeat(5000)), ("quantity", "\u{0}")]).await).await;
    assert_eq!(status, 200);
    let (status, _) = json(app.call("cart/add", &[("lines[0][sku]", "A"), ("lines[x]", "y")]).await).await;
    assert!(status == 200 || status == 422, "{status}");
}

#[tokio::test]
async fn checkout_places_one_order_however_often_it_is_submitted() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    add(&app, &[(&items[0].sku, &items[0].min.to_string()), (&items[1].sku, &items[1].min.to_string())]).await;
    let before = count(&app, "SELECT COUNT(*) FROM orders").await;
    let dto = checkout(&app).await;
    assert_eq!(dto["po_required"], true, "Acme requires a PO number");

    let (status, missing_po) = place(&app, &dto, "").await;
    assert_eq!(status, 422, "{missing_po}");
    assert!(missing_po.to_string().contains("checkout.po_required"));
    let (status, control) = place(&app, &dto, "PO\u{7}1").await;
    assert_eq!(status, 422);
    assert!(control.to_string().contains("checkout.po_control"));

    let (status, first) = place(&app, &dto, "PO-7781").await;
    assert_eq!(status, 200, "{first}");
    let number = first["Placed"]["number"].as_str().expect("placed").to_string();
    // A double click or a retry after a lost answer: the same order.
    let (_, again) = place(&app, &dto, "PO-7781").await;
    assert_eq!(again["Placed"]["number"], number.as_str());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM orders").await, before + 1);
    assert!(get_cart(&app).await["lines"].as_array().unwrap().is_empty(), "the cart is emptied");

    let (status, order) = json(app.call("orders/get", &[("number", &number)]).await).await;
    assert_eq!(status, 200);
    assert_eq!(order["po_number"], "PO-7781");
    assert_eq!(order["lines"].as_array().unwrap().len(), 2);
    assert_eq!(order["status"], "Placed");
    let (_, list) = json(app.call("orders/list", &[("po", "7781")]).await).await;
    assert_eq!(list["rows"].as_array().unwrap().len(), 1, "{list}");
}

#[tokio::test]
async fn two_tabs_placing_the_same_cart_at_once_make_one_order() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    let lines: Vec<(String, String)> = items.iter().take(8).map(|i| (i.sku.clone(), i.min.to_string())).collect();
    let refs: Vec<(&str, &str)> = lines.iter().map(|(s, q)| (s.as_str(), q.as_str())).collect();
    add(&app, &refs).await;
    let before = count(&app, "SELECT COUNT(*) FROM orders").await;
    // Two checkout views (two tabs): two idempotency keys, one reviewed cart.
    let tab_a = checkout(&app).await;
    let tab_b = checkout(&app).await;
    assert_ne!(tab_a["idempotency_key"], tab_b["idempotency_key"]);
    let (a, b) = tokio::join!(place(&app, &tab_a, "PO-1"), place(&app, &tab_b, "PO-1"));
    let placed = [&a.1, &b.1].iter().filter(|r| r.get("Placed").is_some()).count();
    assert_eq!(placed, 1, "exactly one tab places: {a:?} {b:?}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM orders").await, before + 1);
}

#[tokio::test]
async fn a_failure_in_the_middle_of_placing_leaves_no_half_order_and_keeps_the_cart() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    let lines: Vec<(String, String)> = items.iter().take(6).map(|i| (i.sku.clone(), i.min.to_string())).collect();
    let refs: Vec<(&str, &str)> = lines.iter().map(|(s, q)| (s.as_str(), q.as_str())).collect();
    add(&app, &refs).await;
    // The database refuses the order's timeline entry, after the order row and its lines were
    // written: what a crash at that point leaves is what the database rolls back.
    let postgres = std::env::var("TEST_DB").as_deref() == Ok("postgres");
    if postgres {
        sqlx::query(
            "CREATE FUNCTION fail_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$",
        )
        .execute(&app.pool)
        .await
        .unwrap();
        sqlx::query(
            "CREATE TRIGGER fail_event BEFORE INSERT ON order_events FOR EACH ROW EXECUTE FUNCTION fail_event()",
        )
        .execute(&app.pool)
        .await
        .unwrap();
    } else {
        sqlx::query("CREATE TRIGGER fail_event BEFORE INSERT ON order_events BEGIN SELECT RAISE(ABORT, 'boom'); END")
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let orders = count(&app, "SELECT COUNT(*) FROM orders").await;
    let order_lines = count(&app, "SELECT COUNT(*) FROM order_lines").await;
    let dto = checkout(&app).await;
    let (status, body) = place(&app, &dto, "PO-9").await;
    assert_eq!(status, 500, "{body}");
    assert!(body.to_string().contains("Internal"), "an incident id, not database text: {body}");
    assert!(!body.to_string().contains("boom"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM orders").await, orders);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM order_lines").await, order_lines);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM mail_outbox").await, 0);
    assert_eq!(get_cart(&app).await["lines"].as_array().unwrap().len(), 6, "the cart is intact");
}

#[tokio::test]
async fn a_price_change_after_review_is_shown_before_anything_is_placed() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    add(&app, &[(&items[0].sku, &items[0].min.to_string())]).await;
    let dto = checkout(&app).await;
    sqlx::query("UPDATE prices SET amount_minor = amount_minor + 100 WHERE variant_id = (SELECT id FROM variants WHERE sku = $1)")
        .bind(&items[0].sku)
        .execute(&app.pool)
        .await
        .unwrap();
    let before = count(&app, "SELECT COUNT(*) FROM orders").await;
    let (status, changed) = place(&app, &dto, "PO-2").await;
    assert_eq!(status, 200);
    let fresh = &changed["Changed"]["cart"];
    assert_ne!(fresh["lines"][0]["unit_price"], dto["cart"]["lines"][0]["unit_price"], "{changed}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM orders").await, before);
    // Placing again with what the buyer has now seen goes through.
    let mut reviewed = dto.clone();
    reviewed["cart"] = fresh.clone();
    let (_, placed) = place(&app, &reviewed, "PO-2").await;
    assert!(placed.get("Placed").is_some(), "{placed}");
}

#[tokio::test]
async fn a_requesters_checkout_becomes_a_purchase_request_exactly_once() {
    let app = spawn_app().await;
    app.login_as("requester@acme.example").await;
    let (items, _) = buyable(&app).await;
    add(&app, &[(&items[0].sku, &items[0].min.to_string())]).await;
    let dto = checkout(&app).await;
    assert_eq!(dto["can_place"], false);
    assert_eq!(dto["approval_by"], serde_json::json!(["an approver"]), "{dto}");
    let orders = count(&app, "SELECT COUNT(*) FROM orders").await;
    let requests = count(&app, "SELECT COUNT(*) FROM purchase_requests").await;
    let (status, answer) = place(&app, &dto, "PO-3").await;
    assert_eq!(status, 200);
    let number =
        answer["Requested"]["number"].as_str().unwrap_or_else(|| panic!("not requested: {answer}")).to_string();
    // The same form again (a double click): the same request, nothing more.
    let (_, again) = place(&app, &dto, "PO-3").await;
    assert_eq!(again["Requested"]["number"], number.as_str());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM orders").await, orders);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM purchase_requests").await, requests + 1);
    assert_eq!(checkout(&app).await["cart"]["lines"].as_array().unwrap().len(), 0, "the cart went into the request");
}

/// Another company's and a colleague's order numbers are in the leak matrix (leaks.rs).
#[tokio::test]
async fn order_numbers_that_cannot_exist_are_not_found() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    for junk in ["abc", "-1", "1e9", "100000", &"9".repeat(300)] {
        assert_eq!(app.call("orders/get", &[("number", junk)]).await.status(), 404, "{junk}");
        assert_eq!(app.call("orders/reorder", &[("number", junk)]).await.status(), 404, "{junk}");
    }
}

#[tokio::test]
async fn a_buyer_sees_their_own_orders_and_finance_sees_everyones() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (_, own) = json(app.call("orders/list", &[]).await).await;
    let own_rows = own["rows"].as_array().unwrap().clone();
    assert!(!own_rows.is_empty(), "demo history for every buyer");
    assert!(own_rows.iter().all(|r| r["placed_by"] == "Ben Carter"));
    assert!(own["members"].as_array().unwrap().is_empty());
    let (_, delivered) = json(app.call("orders/list", &[("status", "delivered")]).await).await;
    assert!(delivered["rows"].as_array().unwrap().iter().all(|r| r["status"] == "Delivered"));
    app.logout().await;

    app.login_as("finance@acme.example").await;
    let (_, all) = json(app.call("orders/list", &[]).await).await;
    let names: std::collections::HashSet<&str> =
        all["rows"].as_array().unwrap().iter().map(|r| r["placed_by"].as_str().unwrap()).collect();
    assert!(names.contains("Ben Carter") && names.contains("Dana Whitfield"), "{names:?}");
    let shipped = all["rows"].as_array().unwrap().iter().find(|r| r["status"] == "Delivered").unwrap();
    let (_, order) = json(app.call("orders/get", &[("number", shipped["number"].as_str().unwrap())]).await).await;
    assert!(order["timeline"].as_array().unwrap().len() >= 4, "{order}");
    assert!(!order["shipments"][0]["tracking_number"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn reorder_puts_lines_in_the_cart_at_todays_prices_and_says_what_changed() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (_, list) = json(app.call("orders/list", &[("status", "delivered")]).await).await;
    let number = list["rows"][0]["number"].as_str().unwrap().to_string();
    let (_, order) = json(app.call("orders/get", &[("number", &number)]).await).await;
    let first = order["lines"][0]["sku"].as_str().unwrap().to_string();
    sqlx::query(
        "UPDATE prices SET amount_minor = amount_minor + 7 WHERE variant_id = (SELECT id FROM variants WHERE sku = $1)",
    )
    .bind(&first)
    .execute(&app.pool)
    .await
    .unwrap();
    let (status, report) = json(app.call("orders/reorder", &[("number", &number), ("lines[0]", "1")]).await).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["lines"].as_array().unwrap().len(), 1, "only the picked line");
    assert_eq!(report["added"], 1);
    assert!(report["lines"][0]["new_price"].is_string(), "the new price is shown: {report}");
    let cart = get_cart(&app).await;
    assert_eq!(cart["lines"][0]["sku"], first.as_str());

    let (_, everything) = json(app.call("orders/reorder", &[("number", &number)]).await).await;
    assert_eq!(everything["lines"].as_array().unwrap().len(), order["lines"].as_array().unwrap().len());
    let (_, again) = json(app.call("orders/buy_again", &[]).await).await;
    assert!(again.as_array().unwrap().iter().any(|p| p["sku"] == first.as_str()));
}

async fn wait_for<F: Fn() -> bool>(what: &str, ok: F) {
    for _ in 0..100 {
        if ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test]
async fn the_confirmation_is_written_to_the_outbox_by_default() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    add(&app, &[(&items[0].sku, &items[0].min.to_string())]).await;
    let (_, placed) = place(&app, &checkout(&app).await, "PO-55").await;
    let number = placed["Placed"]["number"].as_str().unwrap().to_string();
    let outbox = app.outbox.clone();
    wait_for("the .eml file", || std::fs::read_dir(&outbox).map(|d| d.count() > 0).unwrap_or(false)).await;
    let file = std::fs::read_dir(&outbox).unwrap().next().unwrap().unwrap().path();
    let mail = std::fs::read_to_string(file).unwrap();
    assert!(mail.contains("To: buyer@acme.example"), "{mail}");
    assert!(mail.contains(&number));
    assert!(mail.contains(&items[0].sku));
    // The sender writes the file, then marks the row sent: the mark may come a moment later.
    let mut sent = 0;
    for _ in 0..100 {
        sent = count(&app, "SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NOT NULL").await;
        if sent == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(sent, 1);
}

/// A minimal SMTP server: enough of RFC 5321 for one client, recording the message.
async fn smtp_sink() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = std::sync::Arc::new(std::sync::Mutex::new(vec![]));
    let store = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut transcript = String::new();
                let mut in_data = false;
                while let Ok(Some(line)) = lines.next_line().await {
                    transcript.push_str(&line);
                    transcript.push('\n');
                    let reply: &[u8] = if in_data {
                        if line == "." {
                            in_data = false;
                            b"250 queued\r\n"
                        } else {
                            continue;
                        }
                    } else {
                        match line.get(..4).unwrap_or("").to_ascii_uppercase().as_str() {
                            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                            "HELO" => b"250 sink\r\n",
                            "DATA" => {
                                in_data = true;
                                b"354 go ahead\r\n"
                            }
                            "QUIT" => {
                                write.write_all(b"221 bye\r\n").await.ok();
                                break;
                            }
                            _ => b"250 ok\r\n",
                        }
                    };
                    write.write_all(reply).await.unwrap();
                }
                store.lock().unwrap().push(transcript);
            });
        }
    });
    (format!("smtp://127.0.0.1:{port}"), received)
}

#[tokio::test]
async fn with_smtp_configured_the_confirmation_goes_through_a_real_smtp_conversation() {
    let (url, received) = smtp_sink().await;
    let app = spawn_app_with_mail(Default::default(), Some(url)).await;
    app.login_as("anna@mueller.example").await;
    let (items, _) = buyable(&app).await;
    add(&app, &[(&items[0].sku, &items[0].min.to_string())]).await;
    let (_, placed) = place(&app, &checkout(&app).await, "").await;
    let number = placed["Placed"]["number"].as_str().expect("placed").to_string();
    let got = received.clone();
    wait_for("the SMTP conversation", || got.lock().unwrap().iter().any(|t| t.contains("DATA"))).await;
    let transcript = received.lock().unwrap().join("\n");
    assert!(transcript.contains("RCPT TO:<anna@mueller.example>"), "{transcript}");
    assert!(transcript.contains("Subject:") && transcript.contains(&number), "{transcript}");
}

pub(crate) async fn upload(app: &TestApp, bytes: &[u8]) -> (u16, Value) {
    json(app.upload_csv(bytes).await).await
}

#[tokio::test]
async fn export_then_fill_in_quantities_then_upload_gives_a_cart() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    // A product name that a spreadsheet would run as a formula.
    sqlx::query("UPDATE product_texts SET name = '=HYPERLINK(\"http://x\")' WHERE locale = 'en' AND product_id = (SELECT MIN(product_id) FROM catalog_products cp JOIN catalogs c ON c.id = cp.catalog_id WHERE c.code = 'CORE')")
        .execute(&app.pool)
        .await
        .unwrap();
    let response = app.get_page("/catalog/export.csv").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = response.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'), "a BOM, so spreadsheets read UTF-8");
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "the formula stays text");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header.first().map(String::as_str), Some("SKU"));
    assert_eq!(header.last().map(String::as_str), Some("Quantity"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let (visible,): (i64,) = sqlx::query_as(
        "SELECT COUNT(DISTINCT v.id) FROM variants v JOIN catalog_products cp ON cp.product_id = v.product_id \
         JOIN catalog_assignments a ON a.catalog_id = cp.catalog_id JOIN companies c ON c.id = a.company_id \
         WHERE c.name = 'Acme Builders' AND a.location_id IS NULL",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(rows.len() as i64, visible, "one row per variant the member may buy");

    // Fill in the minimum on three priced rows, one bad quantity, and upload the whole file back.
    let mut writer = csv::Writer::from_writer(vec![]);
    writer.write_record(&header).unwrap();
    let mut filled = 0;
    for row in &rows {
        let mut cells: Vec<String> = row.iter().map(String::from).collect();
        if !cells[4].is_empty() && filled < 4 {
            let last = cells.len() - 1;
            cells[last] = if filled == 3 { "zwölf".into() } else { cells[6].clone() };
            filled += 1;
        }
        writer.write_record(&cells).unwrap();
    }
    let file = writer.into_inner().unwrap();
    let (status, report) = upload(&app, &file).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["rows"], 4, "rows without a quantity are not rows of the order");
    assert_eq!(report["good"].as_array().unwrap().len(), 3);
    assert_eq!(report["bad"][0]["problem"], serde_json::json!({"Quantity": "NotANumber"}));
    assert!(report["bad"][0]["row"].as_u64().unwrap() >= 2, "spreadsheet row numbers");
    let good: Vec<(String, String)> = report["good"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["sku"].as_str().unwrap().to_string(), l["quantity"].as_str().unwrap().to_string()))
        .collect();
    let refs: Vec<(&str, &str)> = good.iter().map(|(s, q)| (s.as_str(), q.as_str())).collect();
    let (_, added) = add(&app, &refs).await;
    assert_eq!(added["added"], 3);
    assert_eq!(get_cart(&app).await["lines"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn unreadable_csv_files_are_refused_with_a_reason() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (vec![], "csv.empty"),
        (b"PK\x03\x04\x14\x00\x06\x00".to_vec(), "csv.binary"),
        (b"SKU;Quantity\nM\xfcller;1\n".to_vec(), "csv.not_utf8"),
        (b"code,amount\nA,1\n".to_vec(), "csv.no_header"),
        (vec![b'a'; 50 * 1024 * 1024], "csv.too_large"),
    ];
    for (bytes, key) in cases {
        let (status, body) = upload(&app, &bytes).await;
        assert_eq!(status, 422, "{key}: {body}");
        assert!(body.to_string().contains(key), "{key}: {body}");
    }
    // Semicolons, quotes and a localized header (German) read fine.
    let (status, report) = upload(&app, "Artikelnummer;Menge\n\"NO-SUCH\";\"5\"\n".as_bytes()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["bad"][0]["problem"], "UnknownSku");
    // Signed out: no upload, no export.
    app.logout().await;
    assert_eq!(upload(&app, b"SKU,Quantity\nA,1\n").await.0, 401);
    assert_ne!(app.get_page("/catalog/export.csv").await.status(), 200);
}

#[tokio::test]
async fn a_shopping_list_from_the_cart_goes_back_to_the_cart_in_one_action_and_stays_private() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    add(&app, &[(&items[0].sku, &items[0].min.to_string()), (&items[1].sku, &items[1].min.to_string())]).await;
    let (status, created) =
        json(app.call("lists/create", &[("name", "Weekly site order"), ("source", "cart")]).await).await;
    assert_eq!(status, 200, "{created}");
    let id = created["id"].as_i64().unwrap().to_string();
    let (status, bad_name) = json(app.call("lists/create", &[("name", "  ")]).await).await;
    assert_eq!(status, 422);
    assert!(bad_name.to_string().contains("lists.name_required"));

    app.call("cart/clear", &[]).await;
    let (_, list) = json(app.call("lists/get", &[("id", &id)]).await).await;
    assert_eq!(list["lines"].as_array().unwrap().len(), 2, "{list}");
    let (_, report) = json(app.call("lists/to_cart", &[("list", &id)]).await).await;
    assert_eq!(report["added"], 2, "{report}");
    assert_eq!(get_cart(&app).await["lines"].as_array().unwrap().len(), 2);

    // A colleague does not see a private list, and nobody outside the company does.
    app.logout().await;
    app.login_as("admin@acme.example").await;
    assert_eq!(app.call("lists/get", &[("id", &id)]).await.status(), 404);
    assert_eq!(app.call("lists/to_cart", &[("list", &id)]).await.status(), 404);
    app.logout().await;
    app.login_as("buyer@acme.example").await;
    app.call("lists/share", &[("list", &id), ("shared", "on")]).await;
    app.logout().await;
    app.login_as("admin@acme.example").await;
    assert_eq!(app.call("lists/get", &[("id", &id)]).await.status(), 200, "shared with the company");
    assert_eq!(app.call("lists/delete", &[("list", &id)]).await.status(), 403, "only the owner deletes it");
    app.logout().await;
    app.login_as("anna@mueller.example").await;
    assert_eq!(app.call("lists/get", &[("id", &id)]).await.status(), 404);
    let (_, theirs) = json(app.call("lists/all", &[]).await).await;
    assert!(theirs.as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_list_from_an_order_keeps_its_lines() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (_, list) = json(app.call("orders/list", &[]).await).await;
    let number = list["rows"][0]["number"].as_str().unwrap().to_string();
    let (_, order) = json(app.call("orders/get", &[("number", &number)]).await).await;
    let (status, created) =
        json(app.call("lists/create", &[("name", "From an order"), ("source", "order"), ("number", &number)]).await)
            .await;
    assert_eq!(status, 200, "{created}");
    let (_, saved) = json(app.call("lists/get", &[("id", &created["id"].to_string())]).await).await;
    let skipped = created["skipped"].as_array().unwrap().len();
    assert_eq!(saved["lines"].as_array().unwrap().len() + skipped, order["lines"].as_array().unwrap().len());
}

#[tokio::test]
async fn an_order_over_the_available_credit_is_refused_with_a_reason() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    add(&app, &[(&items[0].sku, &items[0].min.to_string())]).await;
    sqlx::query("UPDATE companies SET credit_limit_minor = 0 WHERE name = 'Acme Builders'")
        .execute(&app.pool)
        .await
        .unwrap();
    let dto = checkout(&app).await;
    let before = count(&app, "SELECT COUNT(*) FROM orders").await;
    let (status, body) = place(&app, &dto, "PO-11").await;
    assert_eq!(status, 422, "{body}");
    // The refusal carries the figures: the order's total and what is available (nothing).
    let refused = &body["OverCredit"];
    assert_eq!(refused["currency"], "USD", "{body}");
    assert_eq!(refused["available"], 0);
    assert!(refused["total"].as_i64().unwrap() > 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM orders").await, before);
    // The page shows both, formatted.
    let page = app.get_page("/checkout").await.text().await.unwrap();
    assert!(page.contains("credit"), "checkout page renders");
}
