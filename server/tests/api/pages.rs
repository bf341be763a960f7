//! Server-rendered pages: the shell and the translated empty states.

use crate::helpers::*;

#[tokio::test]
async fn the_signed_in_shell_shows_company_location_currency_and_navigation() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let response = app.get_page("/catalog").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = response.text().await.unwrap();
    for expected in
        ["Acme Builders", "Chicago HQ", "USD", "Northwind Supply", "Quick order", "Orders", "Quotes", "Sign out"]
    {
        assert!(html.contains(expected), "missing {expected}");
    }
    // A buyer has no team or invoice rights: those links are not offered.
    assert!(!html.contains("href=\"/team\""));
    assert!(!html.contains("href=\"/invoices\""));
    // The hydration bundle is referenced.
    assert!(html.contains("/pkg/portal"), "the bundle is referenced");
    // The header is in place in the document, not streamed later into a template that only
    // JavaScript would move: the page must read the same without it.
    let header = html.find("class=\"site-header\"").expect("header rendered");
    let main = html.find("id=\"main\"").expect("main rendered");
    assert!(header < main, "header must precede main in the HTML");
    assert!(!html[..main].contains("<template"), "no deferred templates before the content");
}

#[tokio::test]
async fn every_route_renders_its_page_or_a_translated_empty_state_not_an_error() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    for (path, text) in [
        ("/quick-order", "Type SKUs and quantities"),
        ("/cart", "Your cart is empty"),
        ("/checkout", "Your cart is empty"),
        ("/orders", "href=\"/orders/1"),
        ("/buy-again", "Last ordered"),
        ("/quotes", "href=\"/quotes/Q-1"),
        ("/invoices", "href=\"/invoices/INV-2"),
    ] {
        let response = app.get_page(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(response.text().await.unwrap().contains(text), "{path}");
    }
    let team = app.get_page("/team").await.text().await.unwrap();
    assert!(team.contains("Ben Carter") && team.contains("Rita Alvarez"));
}

#[tokio::test]
async fn the_root_sends_a_member_to_the_catalog_and_unknown_pages_are_404() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let root = app.get_page("/").await;
    assert_eq!(root.status(), 302);
    assert_eq!(location(&root), "/catalog");
    let missing = app.get_page("/definitely/not/here").await;
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn the_login_page_of_a_signed_in_member_goes_to_the_catalog() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let response = app.get_page("/login").await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/catalog");
}

#[tokio::test]
async fn hashes_and_tokens_never_reach_the_page() {
    let app = spawn_app().await;
    app.login_as("admin@acme.example").await;
    let html = app.get_page("/team").await.text().await.unwrap();
    assert!(!html.contains("$argon2"));
    assert!(!html.contains("password_hash"));
}

#[tokio::test]
async fn demo_data_loads_idempotently() {
    let app = spawn_app().await;
    app::backend::demo::seed::load_demo(&app.pool).await.unwrap();
    app::backend::demo::team::load(&app.pool).await.unwrap();
    let count = |table: &'static str| {
        let pool = app.pool.clone();
        async move {
            let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&pool).await.unwrap();
            n
        }
    };
    // Ten accounts plus the Site buyer and the joiner; the team demo once each.
    assert_eq!((count("users").await, count("members").await, count("companies").await), (12, 11, 5));
    assert_eq!(
        (count("roles WHERE company_id IS NOT NULL").await, count("invitations").await, count("company_domains").await),
        (1, 1, 1)
    );
    assert_eq!((count("join_requests").await, count("audit_log").await), (1, 7));
}

/// The first attribute value that follows `marker` in `html`.
fn after(html: &str, marker: &str) -> String {
    html.split(marker).nth(1).expect(marker).split('"').next().unwrap().to_string()
}

/// The catalog's first product page: its path and its HTML.
async fn first_product(app: &TestApp) -> (String, String) {
    let catalog = app.get_page("/catalog").await.text().await.unwrap();
    let page = format!("/products/{}", after(&catalog, "href=\"/products/"));
    let html = app.get_page(&page).await.text().await.unwrap();
    (page, html)
}

/// Pages render on the server only, so every form is a plain post: the answer comes back in the
/// redirect (`__ok`, or server_fn's `__err`) and the page shows it when it renders again.
#[tokio::test]
async fn a_plain_form_post_comes_back_to_its_page_with_the_answer_shown() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (page, product) = first_product(&app).await;
    let sku = after(&product, "name=\"lines[0][sku]\" value=\"");

    // An add: back to the product page, whose report says what happened.
    let response = app
        .submit_form(
            "cart/add",
            &[
                ("lines[0][sku]", &sku),
                ("lines[0][quantity]", "abc"),
                ("lines[1][sku]", "NO-SUCH-SKU"),
                ("lines[1][quantity]", "1"),
            ],
            &page,
        )
        .await;
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains(&page) && location.contains("__ok="), "{location}");
    let shown = app.get_page(location.trim_start_matches(&app.url(""))).await.text().await.unwrap();
    assert!(shown.contains("No product has this SKU"), "the refused row and its reason are shown");

    // Quick order's add: back to quick order with the refused rows as its rows, report shown.
    let response = app
        .submit_form(
            "cart/quick_add",
            &[
                ("lines[0][sku]", "NO-SUCH-SKU"),
                ("lines[0][quantity]", "2"),
                ("lines[1][sku]", ""),
                ("lines[1][quantity]", ""),
            ],
            "/quick-order",
        )
        .await;
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/quick-order?") && location.contains("__ok="), "{location}");
    let shown = app.get_page(&location).await.text().await.unwrap();
    assert!(shown.contains("value=\"NO-SUCH-SKU\""), "the refused row stays, as typed");
    assert!(shown.contains("No product has this SKU"));

    // A checkout that fails validation keeps what was typed.
    let response = app
        .submit_form(
            "orders/place",
            &[("idempotency_key", "k-1"), ("fingerprint", "x"), ("po_number", "PO\u{7}1"), ("note", "ring the bell")],
            "/checkout",
        )
        .await;
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/checkout?") && location.contains("note=ring%20the%20bell"), "{location}");
}

/// Without JavaScript: a CSV posted by the plain form becomes quick order's rows (checked there),
/// and a checkout whose cart moved since the buyer looked comes back listing what changed.
#[tokio::test]
async fn without_javascript_a_csv_becomes_quick_order_rows_and_checkout_explains_a_moved_cart() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let boundary = "----portal-test-nojs";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"order.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(b"SKU,Quantity\nNO-SUCH-SKU,3\n");
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = app
        .client
        .post(app.url("/api/cart/upload_csv_form"))
        .header("origin", app.address.clone())
        .header("accept", "text/html")
        .header("referer", app.url("/quick-order"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/quick-order?lines[0][sku]=NO-SUCH-SKU"), "{location}");
    let page = app.get_page(&location).await.text().await.unwrap();
    assert!(page.contains("value=\"NO-SUCH-SKU\"") && page.contains("No product has this SKU"));

    // Something in the cart, then a placement with a fingerprint the cart no longer has.
    let (_, product) = first_product(&app).await;
    let (sku, min) = (after(&product, "name=\"lines[0][sku]\" value=\""), after(&product, "data-min=\""));
    let added = app.call("cart/add", &[("lines[0][sku]", &sku), ("lines[0][quantity]", &min)]).await;
    assert_eq!(added.status(), 200);
    let checkout = app.get_page("/checkout").await.text().await.unwrap();
    let ship_to = after(checkout.split("id=\"ship_to\"").nth(1).unwrap(), "value=\"");
    let response = app
        .submit_form(
            "orders/place",
            &[
                ("idempotency_key", "nojs-moved-1"),
                ("fingerprint", "stale"),
                ("ship_to", &ship_to),
                ("po_number", "PO-7"),
                ("seen", "[]"),
            ],
            "/checkout",
        )
        .await;
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/checkout?") && location.contains("seen="), "{location}");
    let page = app.get_page(&location).await.text().await.unwrap();
    assert!(page.contains("Prices or stock changed since you opened checkout"), "the notice is shown");
    assert!(page.contains(&format!("{sku} was added to the cart.")), "the change is listed");
    assert!(page.contains("value=\"PO-7\""), "what was typed stays");
}
