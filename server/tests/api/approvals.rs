//! Approvals on a real server and database (SQLite and PostgreSQL): each trigger, limits at the
//! boundary, reservations by pending requests, cancelled orders, months in the company's time
//! zone, two-step rules, self-approval, two approvers (or an approver and the requester) at the
//! same time, a price change between request and approval, and foreign ids.

use crate::helpers::*;
use crate::ordering::{add, buyable, checkout, json, place};
use serde_json::Value;

fn key(body: &Value) -> String {
    body["Invalid"][0]["key"].as_str().unwrap_or_else(|| panic!("not an Invalid answer: {body}")).to_string()
}

/// Fills the signed-in member's cart with `quantity` of the first orderable SKU and checks out:
/// the checkout DTO.
async fn cart_of(app: &TestApp, quantity: Option<i64>) -> Value {
    let (items, _) = buyable(app).await;
    let item = &items[0];
    let q = quantity.map(|q| (q / item.increment.max(1)) * item.increment.max(1)).unwrap_or(item.min).max(item.min);
    let (status, body) = add(app, &[(&item.sku, &q.to_string())]).await;
    assert_eq!(status, 200, "{body}");
    checkout(app).await
}

fn total_minor(dto: &Value) -> i64 {
    // "$1,234.50" → 123450: the checkout total as the server formats it, in USD.
    let digits: String = dto["cart"]["total"].as_str().unwrap().chars().filter(|c| c.is_ascii_digit()).collect();
    digits.parse().unwrap()
}

async fn member_id(app: &TestApp, email: &str) -> String {
    app.id_of("SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE u.email = $1", email).await.to_string()
}

async fn set_limits(admin: &TestApp, email: &str, per_order: &str, per_month: &str) {
    let member = member_id(admin, email).await;
    let (status, body) = json(
        admin
            .call("approvals/set_limits", &[("member", &member), ("per_order", per_order), ("per_month", per_month)])
            .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

fn usd(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

async fn request_number(app: &TestApp, dto: &Value) -> String {
    let (status, answer) = place(app, dto, "PO-APPROVE").await;
    assert_eq!(status, 200, "{answer}");
    answer["Requested"]["number"].as_str().unwrap_or_else(|| panic!("not requested: {answer}")).to_string()
}

async fn request(app: &TestApp, number: &str) -> Value {
    let (status, body) = json(app.call("approvals/get", &[("number", number)]).await).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn a_requesters_order_is_placed_once_when_approved_and_shows_on_their_orders() {
    let app = spawn_app().await;
    let rita = app.fresh_browser();
    rita.login_as("requester@acme.example").await;
    let dto = cart_of(&rita, None).await;
    assert_eq!(dto["approval_by"], serde_json::json!(["an approver"]));
    let number = request_number(&rita, &dto).await;
    let mine = request(&rita, &number).await;
    assert_eq!(mine["summary"]["status"], "pending");
    assert_eq!(mine["can_cancel"], true);
    assert_eq!(mine["can_decide"], false, "nobody approves their own");

    app.login_as("admin@acme.example").await;
    let queue: Value = app.call("approvals/queue", &[]).await.json().await.unwrap();
    assert!(queue.to_string().contains(&number), "{queue}");
    let r = request(&app, &number).await;
    assert_eq!(r["can_decide"], true);
    let before = app.count("SELECT COUNT(*) FROM orders").await;
    let version = r["version"].to_string();
    let (status, decided) =
        json(app.call("approvals/approve", &[("number", &number), ("version", &version), ("comment", "ok")]).await)
            .await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided["outcome"], "ordered");
    let order = decided["order_number"].as_str().unwrap().to_string();
    // Again with the same version: already decided, still one order.
    let (status, again) =
        json(app.call("approvals/approve", &[("number", &number), ("version", &version)]).await).await;
    assert_eq!((status, key(&again).as_str()), (422, "approvals.already_decided"));
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, before + 1);

    let (status, placed) = json(rita.call("orders/get", &[("number", &order)]).await).await;
    assert_eq!(status, 200, "the requester's own order: {placed}");
    assert_eq!(placed["po_number"], "PO-APPROVE");
    let list: Value = rita.call("approvals/requests", &[]).await.json().await.unwrap();
    let row = list.as_array().unwrap().iter().find(|r| r["number"] == number.as_str()).unwrap();
    assert_eq!(row["status"], "ordered");
    let r = request(&rita, &number).await;
    assert_eq!(r["order_number"], order.as_str());
    let events: Vec<&str> = r["history"].as_array().unwrap().iter().filter_map(|e| e["event"].as_str()).collect();
    assert_eq!(events, ["requested", "approved", "ordered"]);
}

#[tokio::test]
async fn two_approvers_at_once_and_approve_against_cancel_give_one_outcome() {
    let app = spawn_app().await;
    let rita = app.fresh_browser();
    rita.login_as("requester@acme.example").await;
    let dana = app.fresh_browser();
    dana.login_as("admin@acme.example").await;
    let fiona = app.fresh_browser();
    fiona.login_as("finance@acme.example").await;

    let number = request_number(&rita, &cart_of(&rita, None).await).await;
    let version = request(&dana, &number).await["version"].to_string();
    let before = app.count("SELECT COUNT(*) FROM orders").await;
    let form = [("number", number.as_str()), ("version", version.as_str())];
    let (a, b) = tokio::join!(dana.call("approvals/approve", &form), fiona.call("approvals/approve", &form));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 422], "one wins, the other is told it was decided");
    assert_eq!(app.count("SELECT COUNT(*) FROM orders").await, before + 1);

    // Approve against cancel in the same moment.
    let number = request_number(&rita, &cart_of(&rita, None).await).await;
    let version = request(&dana, &number).await["version"].to_string();
    let form = [("number", number.as_str()), ("version", version.as_str())];
    let (a, c) = tokio::join!(dana.call("approvals/approve", &form), rita.call("approvals/cancel", &form));
    let (a, c) = (a.status().as_u16(), c.status().as_u16());
    assert!(matches!((a, c), (200, 422) | (422, 200)), "approve {a}, cancel {c}");
    let status = request(&rita, &number).await["summary"]["status"].clone();
    let orders = app.count("SELECT COUNT(*) FROM orders").await;
    if a == 200 {
        assert_eq!((status.as_str(), orders), (Some("ordered"), before + 2));
    } else {
        assert_eq!((status.as_str(), orders), (Some("cancelled"), before + 1));
    }
}

#[tokio::test]
async fn limits_allow_exactly_the_limit_count_pending_requests_and_skip_cancelled_orders() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    let ben = app.fresh_browser();
    ben.login_as("buyer@acme.example").await;
    // No limits: nothing needs approval, however much.
    set_limits(&app, "buyer@acme.example", "", "").await;
    let dto = cart_of(&ben, Some(40)).await;
    let total = total_minor(&dto);
    assert_eq!(dto["approval_by"], serde_json::json!([]), "{dto}");

    // Per order: exactly at the limit is fine, a cent below it needs approval.
    set_limits(&app, "buyer@acme.example", &usd(total), "").await;
    assert_eq!(checkout(&ben).await["approval_by"], serde_json::json!([]));
    set_limits(&app, "buyer@acme.example", &usd(total - 1), "").await;
    let dto = checkout(&ben).await;
    assert_eq!(dto["approval_by"], serde_json::json!(["an approver"]));
    assert!(dto["approval_reasons"][0].as_str().unwrap().contains("per order"), "{dto}");

    // Per month: what Ben spent this month (not cancelled) plus this cart, at the boundary.
    let since = app::backend::platform::clock::month_start("America/Chicago", app::backend::platform::clock::now());
    let (spent,): (Option<i64>,) = sqlx::query_as(
        "SELECT CAST(SUM(o.total_minor) AS BIGINT) FROM orders o JOIN members m ON m.id = o.placed_by JOIN users u ON u.id = m.user_id \
         WHERE u.email = 'buyer@acme.example' AND o.placed_at >= $1 AND o.status <> 'cancelled'",
    )
    .bind(since)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let spent = spent.unwrap_or(0);
    set_limits(&app, "buyer@acme.example", "", &usd(spent + total)).await;
    assert_eq!(checkout(&ben).await["approval_by"], serde_json::json!([]), "exactly at the monthly limit");
    set_limits(&app, "buyer@acme.example", "", &usd(spent + total - 1)).await;
    let dto = checkout(&ben).await;
    assert_eq!(dto["approval_by"], serde_json::json!(["an approver"]));

    // A pending request reserves its amount: with room for one cart, the second needs approval.
    set_limits(&app, "buyer@acme.example", "", &usd(spent + total + total / 2)).await;
    set_limits(&app, "requester@acme.example", "", "").await;
    let over = checkout(&ben).await;
    assert_eq!(over["approval_by"], serde_json::json!([]));
    sqlx::query("UPDATE members SET order_limit_minor = 1 WHERE id = $1")
        .bind(member_id(&app, "buyer@acme.example").await.parse::<i64>().unwrap())
        .execute(&app.pool)
        .await
        .unwrap();
    let number = request_number(&ben, &checkout(&ben).await).await;
    sqlx::query("UPDATE members SET order_limit_minor = NULL WHERE id = $1")
        .bind(member_id(&app, "buyer@acme.example").await.parse::<i64>().unwrap())
        .execute(&app.pool)
        .await
        .unwrap();
    let dto = cart_of(&ben, Some(40)).await;
    assert_eq!(dto["approval_by"], serde_json::json!(["an approver"]), "the pending {number} counts");
    // Cancelled, the reservation is gone.
    let version = request(&ben, &number).await["version"].to_string();
    assert_eq!(ben.call("approvals/cancel", &[("number", &number), ("version", &version)]).await.status(), 200);
    assert_eq!(checkout(&ben).await["approval_by"], serde_json::json!([]));

    // Cancelled orders do not count: cancel everything Ben placed this month.
    set_limits(&app, "buyer@acme.example", "", &usd(total)).await;
    assert_eq!(checkout(&ben).await["approval_by"] == serde_json::json!([]), spent == 0);
    sqlx::query(
        "UPDATE orders SET status = 'cancelled' WHERE placed_by = (SELECT m.id FROM members m JOIN users u ON u.id = m.user_id \
         WHERE u.email = 'buyer@acme.example')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(checkout(&ben).await["approval_by"], serde_json::json!([]));
}

#[tokio::test]
async fn a_month_begins_at_midnight_where_the_company_is() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    let ben = app.fresh_browser();
    ben.login_as("buyer@acme.example").await;
    let dto = cart_of(&ben, None).await;
    let total = total_minor(&dto);
    sqlx::query(
        "UPDATE orders SET status = 'cancelled' WHERE placed_by = (SELECT m.id FROM members m JOIN users u ON u.id = m.user_id \
         WHERE u.email = 'buyer@acme.example')",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    set_limits(&app, "buyer@acme.example", "", &usd(total + 100)).await;
    let now = app::backend::platform::clock::now();
    let chicago = app::backend::platform::clock::month_start("America/Chicago", now);
    // An order a minute before the month began in Chicago is last month's; a minute after, this month's.
    let ben_id: i64 = member_id(&app, "buyer@acme.example").await.parse().unwrap();
    let old = sqlx::query("UPDATE orders SET status = 'placed', placed_at = $1, total_minor = 1000000 WHERE id = (SELECT MIN(id) FROM orders WHERE placed_by = $2)")
        .bind(chicago - 60)
        .bind(ben_id)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(old.rows_affected(), 1);
    assert_eq!(checkout(&ben).await["approval_by"], serde_json::json!([]), "last month's order does not count");
    sqlx::query("UPDATE orders SET placed_at = $1 WHERE id = (SELECT MIN(id) FROM orders WHERE placed_by = $2)")
        .bind(chicago + 60)
        .bind(ben_id)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(checkout(&ben).await["approval_by"], serde_json::json!(["an approver"]), "this month's does");
}

#[tokio::test]
async fn a_two_step_rule_asks_an_admin_then_finance_and_nobody_approves_their_own() {
    let app = spawn_app().await;
    let dana = app.fresh_browser();
    dana.login_as("admin@acme.example").await;
    let fiona = app.fresh_browser();
    fiona.login_as("finance@acme.example").await;
    // The demo rule: over 25,000 USD, an Admin then Finance. Ben's limits out of the way.
    set_limits(&dana, "buyer@acme.example", "", "").await;
    let ben = app.fresh_browser();
    ben.login_as("buyer@acme.example").await;
    let (items, _) = buyable(&ben).await;
    let dto = cart_of(&ben, None).await;
    let unit = total_minor(&dto) / items[0].min.max(1);
    // Volume tiers lower the unit price: three times what the list price would need.
    let quantity = (3 * 2_500_001 / unit.max(1) + 2) * items[0].increment.max(1);
    add(&ben, &[(&items[0].sku, &quantity.to_string())]).await;
    let dto = checkout(&ben).await;
    assert!(total_minor(&dto) > 2_500_000, "{}", dto["cart"]["total"]);
    assert_eq!(dto["approval_by"], serde_json::json!(["Admin", "Finance"]), "{dto}");
    let number = request_number(&ben, &dto).await;

    // Finance cannot go first; the admin approves, then Finance places it.
    let v = request(&fiona, &number).await["version"].to_string();
    assert_eq!(fiona.call("approvals/approve", &[("number", &number), ("version", &v)]).await.status(), 403);
    let (status, d) = json(dana.call("approvals/approve", &[("number", &number), ("version", &v)]).await).await;
    assert_eq!((status, d["outcome"].as_str()), (200, Some("next")), "{d}");
    let r = request(&fiona, &number).await;
    assert_eq!(r["can_decide"], true);
    assert_eq!(request(&dana, &number).await["can_decide"], false, "the admin's step is done");
    let (status, d) =
        json(fiona.call("approvals/approve", &[("number", &number), ("version", &r["version"].to_string())]).await)
            .await;
    assert_eq!((status, d["outcome"].as_str()), (200, Some("ordered")), "{d}");

    // Dana over 25,000 USD needs an admin too, but not herself.
    let (items, _) = buyable(&dana).await;
    add(&dana, &[(&items[0].sku, &quantity.to_string())]).await;
    let number = request_number(&dana, &checkout(&dana).await).await;
    let v = request(&dana, &number).await["version"].to_string();
    let (status, body) = json(dana.call("approvals/approve", &[("number", &number), ("version", &v)]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "approvals.own"));
}

#[tokio::test]
async fn a_price_change_after_the_request_needs_review_before_it_is_ordered() {
    let app = spawn_app().await;
    let rita = app.fresh_browser();
    rita.login_as("requester@acme.example").await;
    let dto = cart_of(&rita, None).await;
    let number = request_number(&rita, &dto).await;
    let variant: (i64,) = sqlx::query_as("SELECT variant_id FROM purchase_request_lines WHERE request_id = $1")
        .bind(app::domain::approval::parse_request_number(&number).unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE prices SET amount_minor = amount_minor + 100 WHERE variant_id = $1")
        .bind(variant.0)
        .execute(&app.pool)
        .await
        .unwrap();
    app.login_as("admin@acme.example").await;
    let v = request(&app, &number).await["version"].to_string();
    let (status, d) = json(app.call("approvals/approve", &[("number", &number), ("version", &v)]).await).await;
    assert_eq!((status, d["outcome"].as_str()), (200, Some("review")), "{d}");
    let r = request(&app, &number).await;
    assert_eq!(r["summary"]["status"], "needs_review");
    let v = r["version"].to_string();
    let (status, d) =
        json(app.call("approvals/approve", &[("number", &number), ("version", &v), ("accept_changes", "on")]).await)
            .await;
    assert_eq!((status, d["outcome"].as_str()), (200, Some("ordered")), "{d}");
    let events: Vec<String> = request(&app, &number).await["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(events, ["requested", "needs_review", "reviewed", "ordered"]);
}

#[tokio::test]
async fn a_rejection_needs_a_comment_and_its_lines_go_back_into_the_cart() {
    let app = spawn_app().await;
    let rita = app.fresh_browser();
    rita.login_as("requester@acme.example").await;
    let number = request_number(&rita, &cart_of(&rita, None).await).await;
    app.login_as("admin@acme.example").await;
    let v = request(&app, &number).await["version"].to_string();
    let (status, body) =
        json(app.call("approvals/reject", &[("number", &number), ("version", &v), ("comment", "  ")]).await).await;
    assert_eq!((status, key(&body).as_str()), (422, "approvals.comment_required"));
    let (status, _) = json(
        app.call("approvals/reject", &[("number", &number), ("version", &v), ("comment", "Not this month")]).await,
    )
    .await;
    assert_eq!(status, 200);
    let r = request(&rita, &number).await;
    assert_eq!((r["summary"]["status"].as_str(), r["can_copy"].as_bool()), (Some("rejected"), Some(true)));
    assert_eq!(checkout(&rita).await["cart"]["lines"].as_array().unwrap().len(), 0);
    let (status, added) = json(rita.call("approvals/to_cart", &[("number", &number)]).await).await;
    assert_eq!((status, added), (200, Value::from(1)));
    assert_eq!(checkout(&rita).await["cart"]["lines"].as_array().unwrap().len(), 1);
    // Another company sees nothing of it.
    let anna = app.fresh_browser();
    anna.login_as("anna@mueller.example").await;
    assert_eq!(anna.call("approvals/get", &[("number", &number)]).await.status(), 404);
}

#[tokio::test]
async fn approvers_are_mailed_reminded_after_two_days_and_requests_expire() {
    let app = spawn_app().await;
    let rita = app.fresh_browser();
    rita.login_as("requester@acme.example").await;
    let number = request_number(&rita, &cart_of(&rita, None).await).await;
    let mailed = |to: &'static str| {
        let pool = app.pool.clone();
        let number = number.clone();
        async move {
            let (n,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE recipient = $1 AND subject LIKE $2")
                    .bind(to)
                    .bind(format!("%{number}%"))
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            n
        }
    };
    // Every active member who may approve, in their language, but not the requester.
    assert_eq!((mailed("admin@acme.example").await, mailed("finance@acme.example").await), (1, 1));
    assert_eq!((mailed("requester@acme.example").await, mailed("buyer@acme.example").await), (0, 0));
    let now = app::backend::platform::clock::now();
    let sweep = |at: i64| {
        let pool = app.pool.clone();
        async move { app::backend::approvals::sweep(&pool, "http://portal.test", at).await.unwrap() }
    };
    // The demo's pending request (a day old) and this one: not yet.
    assert_eq!(sweep(now).await, (0, 0));
    let (_, reminded) = sweep(now + 2 * 86_400 + 60).await;
    assert!(reminded >= 1);
    assert_eq!(mailed("admin@acme.example").await, 2, "one reminder");
    assert_eq!(sweep(now + 2 * 86_400 + 120).await.1, 0, "only once");
    let (expired, _) = sweep(now + 15 * 86_400).await;
    assert!(expired >= 1);
    let r = request(&rita, &number).await;
    assert_eq!(r["summary"]["status"], "expired");
    assert_eq!(r["can_copy"], true);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'requester@acme.example'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(n >= 1, "the requester hears that it expired");
}

#[tokio::test]
async fn rules_by_category_location_and_role_each_fire_on_their_own() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    set_limits(&app, "buyer@acme.example", "", "").await;
    let ben = app.fresh_browser();
    ben.login_as("buyer@acme.example").await;
    let dto = cart_of(&ben, None).await;
    assert_eq!(dto["approval_by"], serde_json::json!([]), "no rule fires yet: {dto}");
    let finance = app.id_of("SELECT id FROM roles WHERE company_id IS NULL AND code = $1", "finance").await.to_string();
    let admin = app.id_of("SELECT id FROM roles WHERE company_id IS NULL AND code = $1", "admin").await.to_string();
    let settings: Value = app.call("approvals/settings", &[]).await.json().await.unwrap();
    let add_rule = |kind: &'static str, value: String, first: String| {
        let app = &app;
        async move {
            let (status, id) =
                json(app.call("approvals/add_rule", &[("kind", kind), ("value", &value), ("first", &first)]).await)
                    .await;
            assert_eq!(status, 200, "{kind}: {id}");
            id.to_string()
        }
    };
    // The category of the cart's product (or its parent).
    let sku = dto["cart"]["lines"][0]["sku"].as_str().unwrap().to_string();
    let (category,): (i64,) =
        sqlx::query_as("SELECT p.category_id FROM products p JOIN variants v ON v.product_id = p.id WHERE v.sku = $1")
            .bind(&sku)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let rules = [
        ("category", category.to_string(), finance.clone()),
        ("location", dto["default_ship_to"].to_string(), admin.clone()),
        (
            "role",
            app.id_of("SELECT id FROM roles WHERE company_id IS NULL AND code = $1", "buyer").await.to_string(),
            finance.clone(),
        ),
    ];
    assert!(settings["categories"].as_array().unwrap().iter().any(|c| c[0] == category));
    for (kind, value, first) in rules {
        let id = add_rule(kind, value, first).await;
        let dto = checkout(&ben).await;
        assert_eq!(dto["approval_by"].as_array().unwrap().len(), 1, "{kind} fires: {dto}");
        assert_eq!(dto["approval_reasons"].as_array().unwrap().len(), 1, "{dto}");
        assert_eq!(app.call("approvals/delete_rule", &[("rule", &id)]).await.status(), 200);
        assert_eq!(checkout(&ben).await["approval_by"], serde_json::json!([]), "{kind} deleted");
    }
    // A rule naming another company's location, or an unknown kind, is refused.
    let munich = app.id_of("SELECT id FROM locations WHERE name = $1", "Zentrale München").await.to_string();
    assert_eq!(
        app.call("approvals/add_rule", &[("kind", "location"), ("value", &munich), ("first", &admin)]).await.status(),
        404
    );
    let (status, body) =
        json(app.call("approvals/add_rule", &[("kind", "total_above"), ("value", "lots"), ("first", &admin)]).await)
            .await;
    assert_eq!((status, key(&body).as_str()), (422, "approvals.value_invalid"));
    assert_eq!(
        app.call("approvals/add_rule", &[("kind", "weekday"), ("value", "1"), ("first", &admin)]).await.status(),
        422
    );
}

#[tokio::test]
async fn an_approver_limited_to_locations_neither_sees_nor_decides_other_locations_requests() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    // Fiona (Finance, an approver) may buy for Chicago HQ only; Rita's requests ship to Denver Yard.
    let fiona = member_id(&app, "finance@acme.example").await;
    let (version,): (i64,) = sqlx::query_as("SELECT version FROM members WHERE id = $1")
        .bind(fiona.parse::<i64>().unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let finance = app.id_of("SELECT id FROM roles WHERE company_id IS NULL AND code = $1", "finance").await.to_string();
    let chicago = app.id_of("SELECT id FROM locations WHERE name = $1", "Chicago HQ").await.to_string();
    let form =
        [("member", fiona.as_str()), ("role", &finance), ("locations[0]", &chicago), ("version", &version.to_string())];
    assert_eq!(app.call("team/update_member", &form).await.status(), 200);
    let rita = app.fresh_browser();
    rita.login_as("requester@acme.example").await;
    let number = request_number(&rita, &cart_of(&rita, None).await).await;

    let fi = app.fresh_browser();
    fi.login_as("finance@acme.example").await;
    let queue: Value = fi.call("approvals/queue", &[]).await.json().await.unwrap();
    assert!(!queue.to_string().contains(&number), "{queue}");
    // orders.view_all still shows it to her, but she cannot decide it.
    let r = request(&fi, &number).await;
    assert_eq!(r["can_decide"], false);
    let v = r["version"].to_string();
    assert_eq!(fi.call("approvals/approve", &[("number", &number), ("version", &v)]).await.status(), 403);
    // Dana, with every location, decides it.
    assert_eq!(request(&app, &number).await["can_decide"], true);

    // An approver without orders.view_all, limited to Chicago HQ, does not even see it.
    let (status, role) = json(
        app.call(
            "team/save_role",
            &[("name", "Site approver"), ("permissions[0]", "catalog.view"), ("permissions[1]", "orders.approve")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{role}");
    let ben = member_id(&app, "buyer@acme.example").await;
    let (version,): (i64,) = sqlx::query_as("SELECT version FROM members WHERE id = $1")
        .bind(ben.parse::<i64>().unwrap())
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let form = [
        ("member", ben.as_str()),
        ("role", &role.to_string()),
        ("locations[0]", &chicago),
        ("version", &version.to_string()),
    ];
    assert_eq!(app.call("team/update_member", &form).await.status(), 200);
    let b = app.fresh_browser();
    b.login_as("buyer@acme.example").await;
    assert_eq!(b.call("approvals/get", &[("number", &number)]).await.status(), 404);
    assert_eq!(b.get_page(&format!("/requests/{number}")).await.status(), 404);
}

/// A company that sends orders above its available credit for approval: the checkout becomes a
/// purchase request saying why and by how much; approving cannot place it while the credit is
/// short (the refusal has the figures), and places it once a higher limit frees enough.
#[tokio::test]
async fn an_order_over_credit_waits_for_approval_when_the_company_chose_that() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    let (status, body) = json(
        app.call("invoices/billing", &[("email", "finance@acme.example"), ("over_credit_approval", "true")]).await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let ben = app.fresh_browser();
    ben.login_as("buyer@acme.example").await;
    cart_of(&ben, None).await;
    // Leave 1.00 of credit: less than the order.
    let balance = app::backend::orders::repo::credit_balance(
        &app.pool,
        app::domain::ids::CompanyId(app.company_id("Acme Builders").await),
        "USD",
    )
    .await
    .unwrap();
    sqlx::query("UPDATE companies SET credit_limit_minor = $1 WHERE name = 'Acme Builders'")
        .bind(balance + 100)
        .execute(&app.pool)
        .await
        .unwrap();
    let dto = checkout(&ben).await;
    let reasons = dto["approval_reasons"].to_string();
    assert!(reasons.contains("available credit") && reasons.contains("$1.00"), "{dto}");
    let number = request_number(&ben, &dto).await;
    let r = request(&app, &number).await;
    let (status, refused) =
        json(app.call("approvals/approve", &[("number", &number), ("version", &r["version"].to_string())]).await).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["OverCredit"]["available"], 100, "{refused}");
    sqlx::query(
        "UPDATE companies SET credit_limit_minor = credit_limit_minor + 100000000 WHERE name = 'Acme Builders'",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let r = request(&app, &number).await;
    let (status, decided) =
        json(app.call("approvals/approve", &[("number", &number), ("version", &r["version"].to_string())]).await).await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided["outcome"], "ordered");
}
