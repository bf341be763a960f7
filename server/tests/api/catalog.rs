//! The catalog a member sees: only their catalogs, their prices, their currency and language;
//! hidden prices never leave the server; bad URL input is an empty result or a 404, never a 500.

use crate::helpers::*;

async fn catalog(app: &TestApp, form: &[(&str, &str)]) -> serde_json::Value {
    let response = app.call("catalog/list", form).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn all_slugs(app: &TestApp) -> Vec<String> {
    let mut slugs = vec![];
    for page in 1..100 {
        let dto = catalog(app, &[("page", &page.to_string())]).await;
        slugs.extend(dto["products"].as_array().unwrap().iter().map(|p| p["slug"].as_str().unwrap().to_string()));
        if !dto["has_next"].as_bool().unwrap() {
            break;
        }
    }
    slugs
}

/// A product that is only in the European catalog (Müller's), and one only in the core range.
async fn exclusive_slugs(app: &TestApp) -> (String, String) {
    let q = |code: &str| {
        format!(
            "SELECT p.slug FROM products p JOIN catalog_products cp ON cp.product_id = p.id JOIN catalogs c ON c.id = cp.catalog_id \
             WHERE c.code = '{code}' AND NOT EXISTS (SELECT 1 FROM catalog_products o WHERE o.product_id = p.id AND o.catalog_id <> c.id) \
             ORDER BY p.id LIMIT 1"
        )
    };
    let (europe,): (String,) = sqlx::query_as(&q("EUROPE")).fetch_one(&app.pool).await.unwrap();
    let (core,): (String,) = sqlx::query_as(&q("CORE")).fetch_one(&app.pool).await.unwrap();
    (europe, core)
}

#[tokio::test]
async fn a_product_outside_the_members_catalog_does_not_exist_for_them() {
    let app = spawn_app().await;
    let (europe_only, core_only) = exclusive_slugs(&app).await;
    app.login_as("buyer@acme.example").await;

    let slugs = all_slugs(&app).await;
    assert!(slugs.contains(&core_only));
    assert!(!slugs.contains(&europe_only), "listed a product outside Acme's catalog");

    let foreign = app.call("catalog/product", &[("slug", &europe_only)]).await;
    let missing = app.call("catalog/product", &[("slug", "no-such-product-101")]).await;
    assert_eq!(foreign.status(), 404);
    assert_eq!(foreign.text().await.unwrap(), missing.text().await.unwrap());
    assert_eq!(app.get_page(&format!("/products/{europe_only}")).await.status(), 404);
    assert_eq!(app.get_page(&format!("/products/{core_only}")).await.status(), 200);

    // And the other way round for Müller.
    app.logout().await;
    app.login_as("anna@mueller.example").await;
    assert_eq!(app.call("catalog/product", &[("slug", &core_only)]).await.status(), 404);
    assert_eq!(app.call("catalog/product", &[("slug", &europe_only)]).await.status(), 200);
}

#[tokio::test]
async fn a_hidden_price_appears_nowhere_the_server_sends() {
    let app = spawn_app().await;
    let (slug, variant): (String, i64) = sqlx::query_as(
        "SELECT p.slug, v.id FROM variants v JOIN products p ON p.id = v.product_id \
         JOIN catalog_products cp ON cp.product_id = p.id JOIN catalogs c ON c.id = cp.catalog_id \
         WHERE v.quote_only = 1 AND c.code = 'CORE' ORDER BY v.id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("the demo catalog has a quote-only variant in the core range");
    let tiers: Vec<(i64,)> = sqlx::query_as("SELECT amount_minor FROM prices WHERE variant_id = $1")
        .bind(variant)
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(!tiers.is_empty());
    app.login_as("buyer@acme.example").await;

    let json = app.call("catalog/product", &[("slug", &slug)]).await.text().await.unwrap();
    let html = app.get_page(&format!("/products/{slug}")).await.text().await.unwrap();
    let dto: serde_json::Value = serde_json::from_str(&json).unwrap();
    let hidden = dto["variants"].as_array().unwrap().iter().find(|v| v["quote_only"] == true).unwrap();
    assert_eq!(hidden["tiers"], serde_json::json!([]));
    for (minor,) in tiers {
        // Any way the amount could be written: minor units, or dollars with 2 decimals.
        let dollars = format!("{}.{:02}", minor / 100, minor % 100);
        for body in [&json, &html] {
            assert!(!body.contains(&format!("${dollars}")), "hidden price {dollars} leaked");
            assert!(
                !body.contains(&format!("\"{minor}\"")) && !body.contains(&format!(":{minor},")),
                "hidden minor amount {minor} leaked"
            );
        }
    }
    assert!(html.contains("Request a quote"));
}

#[tokio::test]
async fn each_company_sees_its_currency_formatted_for_its_language() {
    let app = spawn_app().await;
    app.login_as("kenji@kanto.example").await;
    let html = app.get_page("/catalog").await.text().await.unwrap();
    assert!(html.contains('￥'), "yen sign");
    let dto = catalog(&app, &[]).await;
    assert_eq!(dto["currency"], "JPY");
    let price = dto["products"][0]["price_from"].as_str().unwrap().to_string();
    assert!(price.starts_with('￥') && !price.contains('.'), "yen without decimals: {price}");
    app.logout().await;

    app.login_as("anna@mueller.example").await;
    let dto = catalog(&app, &[]).await;
    assert_eq!(dto["currency"], "EUR");
    let price = dto["products"][0]["price_from"].as_str().unwrap().to_string();
    assert!(price.ends_with("\u{a0}€") && price.contains(','), "German euro format: {price}");
}

#[tokio::test]
async fn product_names_follow_the_members_language() {
    let app = spawn_app().await;
    app.login_as("lan@saigon.example").await;
    let dto = catalog(&app, &[]).await;
    let names: Vec<&str> = dto["products"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    let (english,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM product_texts WHERE locale = 'en' AND name = $1")
        .bind(names[0])
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(english, 0, "Vietnamese buyer got English names: {names:?}");
}

#[tokio::test]
async fn the_location_switcher_changes_the_prices() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let chicago = catalog(&app, &[]).await;
    let denver_id = app.id_of("SELECT id FROM locations WHERE name = $1", "Denver Yard").await;
    let response = app.call("session/switch_location", &[("location_id", &denver_id.to_string())]).await;
    assert_eq!(response.status(), 200);
    let shell: serde_json::Value = app.call("session/shell", &[]).await.json().await.unwrap();
    assert_eq!(shell["location_name"], "Denver Yard");
    let denver = catalog(&app, &[]).await;
    assert_ne!(chicago["products"], denver["products"], "Denver Yard has its own price list (+3 %)");

    // A location of another company, or one the member may not buy for, is NotFound.
    let munich = app.id_of("SELECT id FROM locations WHERE name = $1", "Zentrale München").await;
    assert_eq!(app.call("session/switch_location", &[("location_id", &munich.to_string())]).await.status(), 404);
    app.logout().await;
    app.login_as("requester@acme.example").await;
    let chicago_id = app.id_of("SELECT id FROM locations WHERE name = $1", "Chicago HQ").await;
    assert_eq!(app.call("session/switch_location", &[("location_id", &chicago_id.to_string())]).await.status(), 404);
}

#[tokio::test]
async fn a_location_with_its_own_catalog_sees_only_that_catalog() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let codes = |dto: &serde_json::Value| -> Vec<String> {
        dto["categories"].as_array().unwrap().iter().map(|o| o["code"].as_str().unwrap().to_string()).collect()
    };
    let chicago = catalog(&app, &[]).await;
    assert!(codes(&chicago).contains(&"cleaning".to_string()), "{:?}", codes(&chicago));
    let cleaning = catalog(&app, &[("category", "cleaning")]).await;
    let cleaning_slug = cleaning["products"][0]["slug"].as_str().unwrap().to_string();

    let denver_id = app.id_of("SELECT id FROM locations WHERE name = $1", "Denver Yard").await;
    assert_eq!(app.call("session/switch_location", &[("location_id", &denver_id.to_string())]).await.status(), 200);
    let denver = catalog(&app, &[]).await;
    let denver_codes = codes(&denver);
    assert!(denver_codes.contains(&"fasteners".to_string()), "{denver_codes:?}");
    assert!(
        !denver_codes.contains(&"cleaning".to_string()) && !denver_codes.contains(&"electrical".to_string()),
        "{denver_codes:?}"
    );
    for p in denver["products"].as_array().unwrap() {
        let category = p["category"].as_str().unwrap();
        assert!(["Fasteners / ", "Pipe fittings / ", "Safety"].iter().any(|c| category.starts_with(c)), "{category}");
    }
    assert_eq!(catalog(&app, &[("category", "cleaning")]).await["products"], serde_json::json!([]));
    assert_eq!(app.call("catalog/product", &[("slug", &cleaning_slug)]).await.status(), 404);

    let chicago_id = app.id_of("SELECT id FROM locations WHERE name = $1", "Chicago HQ").await;
    assert_eq!(app.call("session/switch_location", &[("location_id", &chicago_id.to_string())]).await.status(), 200);
    assert_eq!(app.call("catalog/product", &[("slug", &cleaning_slug)]).await.status(), 200);
}

#[tokio::test]
async fn odd_url_input_is_an_empty_result_or_not_found_never_a_500() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    for form in [
        vec![("page", "-5")],
        vec![("page", "99999999999999999999")],
        vec![("page", "abc")],
        vec![("page", "1000000")],
        vec![("category", "no-such-category")],
        vec![("material", "unobtainium")],
        vec![("colour", "'; DROP TABLE products; --")],
        vec![("sort", "price_desc")],
    ] {
        let response = app.call("catalog/list", &form).await;
        assert_eq!(response.status(), 200, "{form:?}");
    }
    assert_eq!(catalog(&app, &[("page", "1000000")]).await["products"], serde_json::json!([]));
    assert_eq!(catalog(&app, &[("category", "no-such-category")]).await["products"], serde_json::json!([]));
    for slug in ["", "UPPER", "../../etc/passwd", "a%00b", "x".repeat(5000).as_str(), "ống-nước"] {
        let response = app.call("catalog/product", &[("slug", slug)]).await;
        assert_eq!(response.status(), 404, "{slug:.20}");
    }
    for path in
        ["/products/%FF%FE", "/products/..%2F..%2Fetc", "/catalog?page=-1&category=%00", "/catalog?material=%E2%80%AE"]
    {
        let status = app.get_page(path).await.status().as_u16();
        assert!(status == 200 || status == 404, "{path}: {status}");
    }
}

#[tokio::test]
async fn filters_narrow_the_list_to_matching_products() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let all = catalog(&app, &[]).await;
    let fasteners = catalog(&app, &[("category", "fasteners")]).await;
    let names = |dto: &serde_json::Value| {
        dto["products"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["category"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(!names(&fasteners).is_empty());
    // A top-level category takes in its sub-categories; rows name both levels.
    assert!(names(&fasteners).iter().all(|c| c.starts_with("Fasteners / ")), "{:?}", names(&fasteners));
    assert!(names(&fasteners).iter().collect::<std::collections::HashSet<_>>().len() > 1, "{:?}", names(&fasteners));
    assert_ne!(all["products"], fasteners["products"]);
    let options = fasteners["categories"].as_array().unwrap();
    let nut = options.iter().position(|o| o["code"] == "hex-nut").expect("the hex nut sub-category is an option");
    assert_eq!(options[nut]["nested"], true);
    let parent = options.iter().position(|o| o["code"] == "fasteners").unwrap();
    assert!(parent < nut && options[parent]["nested"] != true, "the parent comes first, not nested");
    let nuts = catalog(&app, &[("category", "hex-nut")]).await;
    assert!(!names(&nuts).is_empty());
    assert!(names(&nuts).iter().all(|c| c == "Fasteners / Hex nut"), "{:?}", names(&nuts));
    let brass = catalog(&app, &[("material", "brass")]).await;
    assert!(!brass["products"].as_array().unwrap().is_empty());
    let asc = catalog(&app, &[("sort", "name_asc")]).await;
    let desc = catalog(&app, &[("sort", "name_desc")]).await;
    assert_ne!(asc["products"][0]["slug"], desc["products"][0]["slug"]);
}

#[tokio::test]
async fn catalog_server_functions_need_a_session() {
    let app = spawn_app().await;
    assert_eq!(app.call("catalog/list", &[]).await.status(), 401);
    assert_eq!(app.call("catalog/product", &[("slug", "x")]).await.status(), 401);
    assert_eq!(app.call("session/switch_location", &[("location_id", "1")]).await.status(), 401);
}

#[tokio::test]
async fn volume_tiers_reach_the_variant_grid_in_order() {
    let app = spawn_app().await;
    app.login_as("kenji@kanto.example").await;
    let list = catalog(&app, &[]).await;
    let slug = list["products"][0]["slug"].as_str().unwrap().to_string();
    let product: serde_json::Value = app.call("catalog/product", &[("slug", &slug)]).await.json().await.unwrap();
    let priced = product["variants"].as_array().unwrap().iter().find(|v| v["quote_only"] == false).unwrap();
    let breaks: Vec<i64> =
        priced["tiers"].as_array().unwrap().iter().map(|t| t["min_quantity"].as_i64().unwrap()).collect();
    assert_eq!(breaks, vec![1, 10], "the JPY list has a single break at 10");
    let prices: Vec<&str> =
        priced["tiers"].as_array().unwrap().iter().map(|t| t["unit_price"].as_str().unwrap()).collect();
    assert!(prices.iter().all(|p| p.starts_with('￥')), "{prices:?}");
}

#[tokio::test]
async fn a_location_taken_away_after_it_was_chosen_no_longer_prices_the_catalog() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let chicago = catalog(&app, &[]).await;
    let denver_id = app.id_of("SELECT id FROM locations WHERE name = $1", "Denver Yard").await;
    assert_eq!(app.call("session/switch_location", &[("location_id", &denver_id.to_string())]).await.status(), 200);
    assert_ne!(catalog(&app, &[]).await["products"], chicago["products"]);

    // An admin removes Denver Yard from the buyer; the session still names it.
    sqlx::query(
        "DELETE FROM member_locations WHERE location_id = $1 AND member_id IN \
         (SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE u.email = 'buyer@acme.example')",
    )
    .bind(denver_id)
    .execute(&app.pool)
    .await
    .unwrap();
    // The session moves to the location the buyer may still buy for.
    let shell: serde_json::Value = app.call("session/shell", &[]).await.json().await.unwrap();
    assert_eq!(shell["location_name"], "Chicago HQ", "{shell}");
    assert_eq!(catalog(&app, &[]).await["products"], chicago["products"], "Chicago's prices, not Denver's");
}
