//! Quotes on a real server and database (SQLite and PostgreSQL): a buyer's request (with files,
//! judged by their bytes), the desk's offer, revisions, every transition allowed and refused,
//! acceptance placed as exactly one order at the offered prices (double submit, two tabs at
//! once, a price change after the offer), expiry, mail, and hidden list prices.

use crate::helpers::*;
use crate::ordering::{add, buyable, json};
use serde_json::Value;

fn key(body: &Value) -> String {
    body["Invalid"][0]["key"].as_str().unwrap_or_else(|| panic!("not an Invalid answer: {body}")).to_string()
}

/// Requests a quote for `lines` (SKU, quantity, target) with `files`; the quote's number.
async fn request(app: &TestApp, key: &str, lines: &[(&str, &str, &str)], files: &[(&str, &[u8])]) -> (u16, Value) {
    let mut fields: Vec<(String, String)> = vec![("key".into(), key.into()), ("note".into(), "Please quote".into())];
    for (i, (sku, quantity, target)) in lines.iter().enumerate() {
        fields.push((format!("sku_{i}"), sku.to_string()));
        fields.push((format!("quantity_{i}"), quantity.to_string()));
        fields.push((format!("target_{i}"), target.to_string()));
    }
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    json(app.multipart("quotes/request", &pairs, files).await).await
}

async fn get(app: &TestApp, number: &str) -> Value {
    let (status, body) = json(app.call("quotes/get", &[("number", number)]).await).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn desk(staff: &TestApp, number: &str) -> Value {
    let (status, body) = json(staff.call("staff/quote", &[("number", number)]).await).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The desk offers every draft line at `price` (a decimal) until `valid_until`.
async fn offer(staff: &TestApp, number: &str, price: &str, valid_until: &str) -> (u16, Value) {
    let d = desk(staff, number).await;
    let mut fields: Vec<(String, String)> = vec![
        ("number".into(), number.into()),
        ("version".into(), d["quote"]["version"].to_string()),
        ("valid_until".into(), valid_until.into()),
        ("message".into(), "Our offer".into()),
    ];
    for (i, l) in d["draft"].as_array().unwrap().iter().enumerate() {
        fields.push((format!("lines[{i}][line]"), l["line_no"].to_string()));
        fields.push((format!("lines[{i}][quantity]"), l["quantity"].to_string()));
        fields.push((format!("lines[{i}][price]"), price.into()));
    }
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    json(staff.call("staff/offer", &pairs).await).await
}

async fn answer(app: &TestApp, number: &str, action: &str, revision: i64, text: &str) -> (u16, Value) {
    json(
        app.call(
            "quotes/answer",
            &[("number", number), ("action", action), ("revision", &revision.to_string()), ("text", text)],
        )
        .await,
    )
    .await
}

async fn place(app: &TestApp, number: &str, key: &str) -> (u16, Value) {
    let (status, c) = json(app.call("quotes/checkout", &[("number", number)]).await).await;
    assert_eq!(status, 200, "{c}");
    let ship_to = c["checkout"]["default_ship_to"].as_i64().unwrap().to_string();
    let fingerprint = c["checkout"]["cart"]["fingerprint"].as_str().unwrap().to_string();
    json(
        app.call(
            "quotes/place",
            &[
                ("number", number),
                ("idempotency_key", key),
                ("fingerprint", &fingerprint),
                ("ship_to", &ship_to),
                ("po_number", "PO-QUOTE-1"),
            ],
        )
        .await,
    )
    .await
}

fn today_plus(days: i64) -> String {
    app::domain::order::iso_date(app::backend::platform::clock::now().div_euclid(86_400) + days)
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// A quote-only variant the buyer sees, requested with a PNG, offered, accepted, placed with a
/// PO number; the order holds the offered price; a second click makes no second order.
#[tokio::test]
async fn a_quote_only_product_is_requested_offered_accepted_and_ordered_once() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    // The demo's submitted quote starts with a quote-only variant of Acme's catalog.
    let (sku,): (String,) = sqlx::query_as(
        "SELECT ql.sku FROM quote_lines ql JOIN quotes q ON q.id = ql.quote_id JOIN variants v ON v.id = ql.variant_id \
         WHERE q.idempotency_key = 'demo-quote-submitted' AND ql.revision = 0 AND v.quote_only = 1 ORDER BY ql.line_no",
    )
    .fetch_one(&app.pool)
    .await
    .expect("the demo catalog has a quote-only variant for Acme");
    let (status, number) = request(&app, "k-flow-1", &[(&sku, "12", "40.00")], &[("drawing.png", PNG)]).await;
    assert_eq!(status, 200, "{number}");
    let number = number.as_str().unwrap().to_string();
    assert!(number.starts_with("Q-1"), "{number}");
    // The same key again: the same quote, not a second one.
    let (_, again) = request(&app, "k-flow-1", &[(&sku, "12", "40.00")], &[]).await;
    assert_eq!(again.as_str(), Some(number.as_str()));
    let q = get(&app, &number).await;
    assert_eq!(q["summary"]["status"], "submitted");
    assert_eq!(q["lines"][0]["requested_quantity"], 12);
    let file = &q["thread"][0]["files"][0];
    assert_eq!(file["name"], "drawing.png");
    // The file comes back as a download of its judged type, never run by the browser.
    let download = app.get_page(file["href"].as_str().unwrap()).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "image/png");
    assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    assert!(download.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(download.bytes().await.unwrap().as_ref(), PNG);

    let staff = app.fresh_browser();
    staff.login_as("staff@northwind.example").await;
    let (status, revision) = offer(&staff, &number, "37.50", &today_plus(10)).await;
    assert_eq!(status, 200, "{revision}");
    assert_eq!(revision, 1);
    // The buyer was mailed about it.
    let mails = app
        .count("SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'buyer@acme.example' AND subject LIKE '%offer%'")
        .await;
    assert!(mails >= 1, "an offer mail");
    let q = get(&app, &number).await;
    assert_eq!(q["summary"]["status"], "offered");
    assert_eq!(q["lines"][0]["offered"], "$37.50");
    assert_eq!(q["lines"][0]["list_price"], "", "no list price reaches a buyer");
    assert_eq!(q["can_accept"], true);

    let (status, to) = answer(&app, &number, "accept", 1, "").await;
    assert_eq!((status, to.as_str()), (200, Some("accepted")));
    let (status, order) = place(&app, &number, "k-place-1").await;
    assert_eq!(status, 200, "{order}");
    let order = order.as_str().unwrap().to_string();
    // A retry of the same form: the same order. Another tab (another key): "already ordered".
    let (status, again) = place_with_old_fingerprint(&app, &number, "k-place-1").await;
    assert_eq!((status, again.as_str()), (200, Some(order.as_str())));
    let (status, second) = place_with_old_fingerprint(&app, &number, "k-place-2").await;
    assert_eq!(status, 422, "{second}");
    assert_eq!(key(&second), "quotes.already_ordered");
    let (_, o) = json(app.call("orders/get", &[("number", &order)]).await).await;
    assert_eq!(o["lines"].as_array().unwrap().len(), 1, "{o}");
    assert_eq!(o["lines"][0]["unit_price"], "$37.50", "{o}");
    assert_eq!(o["po_number"], "PO-QUOTE-1");
    let q = get(&app, &number).await;
    assert_eq!(q["summary"]["status"], "ordered");
    assert_eq!(q["order_number"], order.as_str());
    let orders_of_quote = app
        .count(&format!("SELECT COUNT(*) FROM quotes WHERE order_id IS NOT NULL AND id = {}", quote_id(&number)))
        .await;
    assert_eq!(orders_of_quote, 1);
}

fn quote_id(number: &str) -> i64 {
    app::domain::quote::parse_quote_number(number).unwrap()
}

/// Placing without asking for the checkout again (a retry of an old form).
async fn place_with_old_fingerprint(app: &TestApp, number: &str, key: &str) -> (u16, Value) {
    let ship_to: i64 =
        app.id_of("SELECT location_id FROM quotes WHERE id = CAST($1 AS BIGINT)", &quote_id(number).to_string()).await;
    json(
        app.call(
            "quotes/place",
            &[
                ("number", number),
                ("idempotency_key", key),
                ("fingerprint", "stale"),
                ("ship_to", &ship_to.to_string()),
                ("po_number", "PO-QUOTE-1"),
            ],
        )
        .await,
    )
    .await
}

/// Two teammates (two sessions) place the same accepted quote at the same moment: one order.
#[tokio::test]
async fn concurrent_placements_of_one_quote_make_one_order() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    let (status, number) = request(&app, "k-race", &[(&items[0].sku, &items[0].min.to_string(), "")], &[]).await;
    assert_eq!(status, 200, "{number}");
    let number = number.as_str().unwrap().to_string();
    let staff = app.fresh_browser();
    staff.login_as("staff@northwind.example").await;
    assert_eq!(offer(&staff, &number, "1.00", &today_plus(5)).await.0, 200);
    assert_eq!(answer(&app, &number, "accept", 1, "").await.0, 200);
    let admin = app.fresh_browser();
    admin.login_as("admin@acme.example").await;
    let before = app.count("SELECT COUNT(*) FROM orders").await;
    let (a, b) = tokio::join!(place(&app, &number, "k-race-a"), place(&admin, &number, "k-race-b"));
    let statuses = [a.0, b.0];
    assert!(statuses.contains(&200), "{a:?} {b:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, before + 1, "{a:?} {b:?}");
    for (status, body) in [a, b] {
        if status != 200 {
            assert_eq!(key(&body), "quotes.already_ordered");
        }
    }
}

/// Every refused transition: withdraw after an offer, accept an older revision, accept an expired
/// offer, accept after declining, the desk offering on a declined quote, and another company.
#[tokio::test]
async fn refused_transitions_say_why() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    let sku = items[0].sku.clone();
    let qty = items[0].min.to_string();
    let staff = app.fresh_browser();
    staff.login_as("staff@northwind.example").await;

    // Withdraw before an offer is fine; after it, not.
    let (_, n1) = request(&app, "k-t-1", &[(&sku, &qty, "")], &[]).await;
    let n1 = n1.as_str().unwrap().to_string();
    assert_eq!(answer(&app, &n1, "withdraw", 0, "").await.0, 200);
    let (status, body) = offer(&staff, &n1, "2.00", &today_plus(3)).await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.not_now"));

    let (_, n2) = request(&app, "k-t-2", &[(&sku, &qty, "")], &[]).await;
    let n2 = n2.as_str().unwrap().to_string();
    assert_eq!(json(staff.call("staff/review", &[("number", &n2)]).await).await.0, 200);
    assert_eq!(get(&app, &n2).await["summary"]["status"], "in_review");
    assert_eq!(offer(&staff, &n2, "2.00", &today_plus(3)).await.0, 200);
    let (status, body) = answer(&app, &n2, "withdraw", 1, "").await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.not_now"));
    // Changes asked (a reason is required) → revision 2; revision 1 cannot be accepted any more.
    let (status, body) = answer(&app, &n2, "changes", 1, "").await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.reason_required"));
    let (status, to) = json(
        app.call(
            "quotes/answer",
            &[
                ("number", &n2),
                ("action", "changes"),
                ("revision", "1"),
                ("text", "Lower, please"),
                ("targets[0][line]", "1"),
                ("targets[0][price]", "1.50"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!((status, to.as_str()), (200, Some("changes_requested")), "{to}");
    let d = desk(&staff, &n2).await;
    assert_eq!(d["draft"][0]["target"], "$1.50", "the new target reaches the desk");
    assert_eq!(offer(&staff, &n2, "1.75", &today_plus(3)).await.0, 200);
    let (status, body) = answer(&app, &n2, "accept", 1, "").await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.superseded"));
    let q = get(&app, &n2).await;
    assert_eq!(q["revisions"].as_array().unwrap().len(), 2);
    let changes = q["revisions"][1]["changes"].to_string();
    assert!(changes.contains("$2.00") && changes.contains("$1.75"), "what changed: {changes}");
    // Declined (with a reason), it cannot be accepted.
    let (status, body) = answer(&app, &n2, "decline", 2, "").await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.reason_required"));
    assert_eq!(answer(&app, &n2, "decline", 2, "Too late for this job").await.0, 200);
    let (status, body) = answer(&app, &n2, "accept", 2, "").await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.not_now"));

    // Expired: the offer's day is over (checked at acceptance even before the sweep runs).
    let (_, n3) = request(&app, "k-t-3", &[(&sku, &qty, "")], &[]).await;
    let n3 = n3.as_str().unwrap().to_string();
    assert_eq!(offer(&staff, &n3, "2.00", &today_plus(1)).await.0, 200);
    sqlx::query("UPDATE quotes SET expires_at = 1 WHERE id = $1").bind(quote_id(&n3)).execute(&app.pool).await.unwrap();
    let (status, body) = answer(&app, &n3, "accept", 1, "").await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.expired_refused"));
    // The sweep expires it and tells the buyer.
    let (expired, _) =
        app::backend::quotes::sweep(&app.pool, "http://portal.test", app::backend::platform::clock::now())
            .await
            .unwrap();
    assert!(expired >= 1);
    assert_eq!(get(&app, &n3).await["summary"]["status"], "expired");
    assert!(app.count("SELECT COUNT(*) FROM mail_outbox WHERE subject LIKE '%has expired%'").await >= 1);

    // Bad offers: no price, a bad percentage, a day in the past.
    let (_, n4) = request(&app, "k-t-4", &[(&sku, &qty, "")], &[]).await;
    let n4 = n4.as_str().unwrap().to_string();
    let (status, body) = offer(&staff, &n4, "abc", &today_plus(2)).await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.price_invalid"));
    let (status, body) = offer(&staff, &n4, "2.00", &today_plus(-2)).await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.valid_until_invalid"));

    // Another company's quote is NotFound to Acme, like a missing one.
    let kenji = app.fresh_browser();
    kenji.login_as("kenji@kanto.example").await;
    assert_eq!(kenji.call("quotes/get", &[("number", &n4)]).await.status(), 404);
    assert_eq!(kenji.call("quotes/get", &[("number", "Q-987654321")]).await.status(), 404);
    assert_eq!(kenji.get_page(&format!("/quotes/{n4}")).await.status(), 404);
}

/// The offered price holds after the price list changes; the order is at the offered price.
#[tokio::test]
async fn a_price_change_after_the_offer_does_not_change_the_order() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    let item = &items[0];
    let (_, number) = request(&app, "k-price", &[(&item.sku, &item.min.to_string(), "")], &[]).await;
    let number = number.as_str().unwrap().to_string();
    let staff = app.fresh_browser();
    staff.login_as("staff@northwind.example").await;
    assert_eq!(offer(&staff, &number, "3.21", &today_plus(4)).await.0, 200);
    assert_eq!(answer(&app, &number, "accept", 1, "").await.0, 200);
    // Every price of the variant doubles (and the catalog read model follows the change log).
    sqlx::query(
        "UPDATE prices SET amount_minor = amount_minor * 2 WHERE variant_id = (SELECT id FROM variants WHERE sku = $1)",
    )
    .bind(&item.sku)
    .execute(&app.pool)
    .await
    .unwrap();
    let (status, order) = place(&app, &number, "k-price-place").await;
    assert_eq!(status, 200, "{order}");
    let (_, o) = json(app.call("orders/get", &[("number", order.as_str().unwrap())]).await).await;
    assert_eq!(o["lines"][0]["unit_price"], "$3.21", "{o}");
}

/// Files: at most 5, at most 10 MB each, judged by their bytes whatever the name says; a bad
/// request writes nothing.
#[tokio::test]
async fn attachments_are_limited_and_judged_by_content() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    let line = [(items[0].sku.as_str(), "5", "")];
    let before = app.count("SELECT COUNT(*) FROM quotes").await;
    let exe: &[u8] = b"MZ\x90\0\x03\0\0\0\x04\0\0\0";
    let (status, body) = request(&app, "k-f-1", &line, &[("invoice.pdf", exe)]).await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.file_kind"));
    let html: &[u8] = b"<html><script>alert(1)</script></html>";
    let (status, body) = request(&app, "k-f-2", &line, &[("prices.csv", html)]).await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.file_kind"));
    let six: Vec<(&str, &[u8])> = (0..6).map(|_| ("a.png", PNG)).collect();
    let (status, body) = request(&app, "k-f-3", &line, &six).await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.too_many_files"));
    let big = vec![b'a'; app::domain::quote::MAX_ATTACHMENT_BYTES + 1];
    let (status, body) = request(&app, "k-f-4", &line, &[("big.csv", &big)]).await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.file_too_large"));
    assert_eq!(app.count("SELECT COUNT(*) FROM quotes").await, before, "nothing written");
    // Five good files of every kind go in.
    let pdf: &[u8] = b"%PDF-1.7\n%%EOF\n";
    let jpeg: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'];
    let csv: &[u8] = b"SKU,Quantity\nA,1\n";
    let files: Vec<(&str, &[u8])> =
        vec![("a.pdf", pdf), ("b.png", PNG), ("c.jpg", jpeg), ("d.csv", csv), ("e.csv", csv)];
    let (status, number) = request(&app, "k-f-5", &line, &files).await;
    assert_eq!(status, 200, "{number}");
    let q = get(&app, number.as_str().unwrap()).await;
    assert_eq!(q["thread"][0]["files"].as_array().unwrap().len(), 5);
    // Bad lines: an unknown SKU, a zero quantity, a bad target price.
    let (status, body) = request(&app, "k-f-6", &[("NO-SUCH-SKU", "1", "")], &[]).await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.unknown_sku"));
    let (status, body) = request(&app, "k-f-7", &[(items[0].sku.as_str(), "0", "")], &[]).await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.quantity_invalid"));
    let (status, body) = request(&app, "k-f-8", &[(items[0].sku.as_str(), "3", "1,2,3.4.5")], &[]).await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.price_invalid"));
}

/// From the cart: the picked lines become the quote and leave the cart.
#[tokio::test]
async fn a_quote_from_the_cart_takes_the_picked_lines_out_of_it() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    let (a, b) = (&items[0], &items[1]);
    let (status, _) = add(&app, &[(&a.sku, &a.min.to_string()), (&b.sku, &b.min.to_string())]).await;
    assert_eq!(status, 200);
    let fields = [
        ("key", "k-cart"),
        ("from_cart", "1"),
        ("sku_0", a.sku.as_str()),
        ("quantity_0", "100"),
        ("pick_0", "1"),
        ("sku_1", b.sku.as_str()),
        ("quantity_1", "1"),
    ];
    let (status, number) = json(app.multipart("quotes/request", &fields, &[]).await).await;
    assert_eq!(status, 200, "{number}");
    let q = get(&app, number.as_str().unwrap()).await;
    assert_eq!(q["lines"].as_array().unwrap().len(), 1, "only the picked line: {q}");
    assert_eq!(q["lines"][0]["sku"], a.sku.as_str());
    let (_, cart) = json(app.call("cart/get", &[]).await).await;
    let skus: Vec<&str> = cart["lines"].as_array().unwrap().iter().map(|l| l["sku"].as_str().unwrap()).collect();
    assert_eq!(skus, vec![b.sku.as_str()], "the quoted line left the cart");
}

/// The demo quotes are there for every state, in three currencies, and staff see the desk while
/// buyers do not.
#[tokio::test]
async fn demo_quotes_and_the_desk() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (status, list) = json(app.call("quotes/list", &[]).await).await;
    assert_eq!(status, 200, "{list}");
    let statuses: Vec<&str> = list["rows"].as_array().unwrap().iter().map(|q| q["status"].as_str().unwrap()).collect();
    for s in ["submitted", "offered", "changes_requested", "expired"] {
        assert!(statuses.contains(&s), "{s} in {statuses:?}");
    }
    let (_, expiring) = json(app.call("quotes/list", &[("expiring", "true")]).await).await;
    assert!(expiring["rows"].as_array().unwrap().is_empty(), "the offer runs 10 days: {expiring}");
    assert_eq!(app.call("staff/quotes", &[]).await.status(), 403);
    assert_eq!(app.get_page("/staff/quotes").await.status(), 403);
    let admin = app.fresh_browser();
    admin.login_as("admin@acme.example").await;
    let (_, all) = json(admin.call("quotes/list", &[]).await).await;
    assert!(all["rows"].as_array().unwrap().iter().any(|q| q["status"] == "ordered"), "{all}");
    let names: Vec<&str> = all["requesters"].as_array().unwrap().iter().map(|r| r[1].as_str().unwrap()).collect();
    assert!(names.contains(&"Ben Carter") && names.contains(&"Dana Whitfield"), "the filter's requesters: {names:?}");
    // "Placed by": the Admin narrows the company's quotes to Ben's; Ben cannot widen his to Dana's.
    let ben = app
        .id_of("SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE u.email = $1", "buyer@acme.example")
        .await;
    let dana = app
        .id_of("SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE u.email = $1", "admin@acme.example")
        .await;
    let (_, bens) = json(admin.call("quotes/list", &[("placed_by", &ben.to_string())]).await).await;
    let bens = bens["rows"].as_array().unwrap();
    assert!(!bens.is_empty() && bens.iter().all(|q| q["requester_id"] == ben), "{bens:?}");
    let (_, mine) = json(app.call("quotes/list", &[("placed_by", &dana.to_string())]).await).await;
    assert!(mine["rows"].as_array().unwrap().iter().all(|q| q["requester_id"] == ben), "{mine}");
    assert!(mine["requesters"].as_array().unwrap().is_empty(), "only who sees every quote gets the filter");

    let staff = app.fresh_browser();
    staff.login_as("staff@northwind.example").await;
    assert_eq!(staff.get_page("/catalog").await.status(), 302, "staff go to their desk");
    assert_eq!(staff.get_page("/staff/quotes").await.status(), 200);
    let (_, kanto) = json(staff.call("staff/quotes", &[("status", "offered")]).await).await;
    let totals: Vec<String> =
        kanto.as_array().unwrap().iter().map(|q| q["total"].as_str().unwrap().to_string()).collect();
    assert!(totals.iter().any(|t| t.contains('¥') || t.contains("JPY")), "{totals:?}");
    assert!(totals.iter().any(|t| t.contains("SAR") || t.contains("ر.س")), "{totals:?}");
}

/// The PDF of a Japanese and of an Arabic quote, in each buyer's language: the words come back
/// out of it, with every SKU; another company's is NotFound; the request (revision 0) has none.
#[tokio::test]
async fn japanese_and_arabic_quote_pdfs_hold_the_right_words() {
    let app = spawn_app().await;
    for (email, key, words) in [
        ("kenji@kanto.example", "demo-quote-kanto", ["見積書", "合計", "ページ"]),
        ("omar@bayt.example", "demo-quote-bayt", ["عرض", "السعر", "صفحة"]),
    ] {
        let client = app.fresh_browser();
        client.login_as(email).await;
        let id = app.id_of("SELECT id FROM quotes WHERE idempotency_key = $1", key).await;
        let number = app::domain::quote::quote_number(id);
        let response = client.get_page(&format!("/quotes/{number}/pdf/1")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/pdf");
        let bytes = response.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = pdf_text(&bytes);
        let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        for word in words {
            assert!(squeezed.contains(word), "{word} in the {email} PDF:\n{text}");
        }
        assert!(text.contains(&number), "{number} in:\n{text}");
        let skus: Vec<(String,)> = sqlx::query_as("SELECT sku FROM quote_lines WHERE quote_id = $1 AND revision = 1")
            .bind(id)
            .fetch_all(&app.pool)
            .await
            .unwrap();
        for (sku,) in skus {
            assert!(text.contains(&sku), "{sku} in:\n{text}");
        }
        assert_eq!(client.get_page(&format!("/quotes/{number}/pdf/0")).await.status(), 404);
        assert_eq!(client.get_page("/quotes/Q-100001/pdf/1").await.status(), 404, "Acme's quote");
    }
}

/// With approval rules, accepting and placing a quote makes a purchase request at the offered
/// prices; the approver's yes orders the quote once, at those prices, even after a price change.
#[tokio::test]
async fn an_accepted_quote_that_needs_approval_becomes_a_purchase_request() {
    let app = spawn_app().await;
    // Rita (Requester) may ask for quotes but not place: her role always needs approval. Give
    // her quotes.accept through a role of her own? The built-in Buyer with a tiny order limit
    // is simpler: Ben's per-order limit drops to 1.00 USD.
    let admin = app.fresh_browser();
    admin.login_as("admin@acme.example").await;
    let ben = app
        .id_of("SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE u.email = $1", "buyer@acme.example")
        .await;
    let (status, body) = json(
        admin
            .call("approvals/set_limits", &[("member", &ben.to_string()), ("per_order", "1.00"), ("per_month", "")])
            .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");

    app.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&app).await;
    let item = &items[0];
    let (_, number) = request(&app, "k-approve", &[(&item.sku, &item.min.to_string(), "")], &[]).await;
    let number = number.as_str().unwrap().to_string();
    let staff = app.fresh_browser();
    staff.login_as("staff@northwind.example").await;
    assert_eq!(offer(&staff, &number, "4.56", &today_plus(6)).await.0, 200);
    assert_eq!(answer(&app, &number, "accept", 1, "").await.0, 200);
    let before = app.count("SELECT COUNT(*) FROM orders").await;
    let (status, request) = place(&app, &number, "k-approve-place").await;
    assert_eq!(status, 200, "{request}");
    let request = request.as_str().unwrap().to_string();
    assert!(request.starts_with("R-"), "a purchase request: {request}");
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, before, "nothing ordered yet");
    // A second try while it waits: refused, and the quote page names the request.
    let (status, body) = place(&app, &number, "k-approve-again").await;
    assert_eq!((status, key(&body).as_str()), (422, "quotes.awaiting_approval"));
    assert_eq!(get(&app, &number).await["request_number"], request.as_str());

    // The price list changes; the admin approves: the order is at the offered price.
    sqlx::query(
        "UPDATE prices SET amount_minor = amount_minor * 3 WHERE variant_id = (SELECT id FROM variants WHERE sku = $1)",
    )
    .bind(&item.sku)
    .execute(&app.pool)
    .await
    .unwrap();
    let r = {
        let (status, body) = json(admin.call("approvals/get", &[("number", &request)]).await).await;
        assert_eq!(status, 200, "{body}");
        body
    };
    let (status, decided) = json(
        admin
            .call(
                "approvals/approve",
                &[("number", &request), ("version", &r["version"].to_string()), ("comment", "ok")],
            )
            .await,
    )
    .await;
    assert_eq!(status, 200, "{decided}");
    let order = decided["order_number"].as_str().unwrap_or_else(|| panic!("ordered: {decided}")).to_string();
    let (_, o) = json(app.call("orders/get", &[("number", &order)]).await).await;
    assert_eq!(o["lines"][0]["unit_price"], "$4.56", "{o}");
    let q = get(&app, &number).await;
    assert_eq!(q["summary"]["status"], "ordered");
    assert_eq!(q["order_number"], order.as_str());
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, before + 1);
}
