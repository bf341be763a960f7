//! The read model in memory is never staler than the database: a change written by any means
//! (plain SQL here, as an import or an admin would) shows on the very next request, on every app
//! server sharing the database.

use crate::helpers::*;

async fn product(app: &TestApp, slug: &str) -> reqwest::Response {
    app.call("catalog/product", &[("slug", slug)]).await
}

async fn product_json(app: &TestApp, slug: &str) -> serde_json::Value {
    let response = product(app, slug).await;
    assert_eq!(response.status(), 200, "product {slug} on {}", app.address);
    response.json().await.unwrap()
}

/// The first product on kenji's first catalog page (JPY fixed list, no percentage in between),
/// and its first priceable variant's SKU.
async fn kenjis_product(app: &TestApp) -> (String, String) {
    let list: serde_json::Value = app.call("catalog/list", &[]).await.json().await.unwrap();
    for p in list["products"].as_array().unwrap() {
        let slug = p["slug"].as_str().unwrap().to_string();
        let detail = product_json(app, &slug).await;
        if let Some(v) = detail["variants"].as_array().unwrap().iter().find(|v| v["quote_only"] == false) {
            return (slug, v["sku"].as_str().unwrap().to_string());
        }
    }
    panic!("no priceable product on the first page");
}

fn variant<'a>(detail: &'a serde_json::Value, sku: &str) -> &'a serde_json::Value {
    detail["variants"].as_array().unwrap().iter().find(|v| v["sku"] == sku).unwrap()
}

#[tokio::test]
async fn stock_price_and_catalog_changes_show_on_the_next_request_on_every_server() {
    let a = spawn_app().await;
    let b = a.second_server().await;
    a.login_as("kenji@kanto.example").await;
    let (slug, sku) = kenjis_product(&a).await;
    // Both servers have the product in memory now.
    for server in [&a, &b] {
        product_json(server, &slug).await;
    }

    // Stock runs out in every warehouse, with more due on a known date.
    let variant_id = a.id_of("SELECT id FROM variants WHERE sku = $1", &sku).await;
    sqlx::query("UPDATE stock SET quantity = 0, backorder_date = 1893456000 WHERE variant_id = $1")
        .bind(variant_id)
        .execute(&a.pool)
        .await
        .unwrap();
    for server in [&a, &b] {
        let detail = product_json(server, &slug).await;
        let stock = &variant(&detail, &sku)["stock"];
        assert_eq!(stock["level"], "Out", "{} {stock}", server.address);
        assert!(stock["backorder_date"].as_str().unwrap().contains("2030"), "{stock}");
    }

    // A new single-unit price on the JPY list.
    sqlx::query(
        "UPDATE prices SET amount_minor = 98765 WHERE variant_id = $1 AND min_quantity = 1 \
         AND price_list_id = (SELECT id FROM price_lists WHERE code = 'JPY-JAPAN')",
    )
    .bind(variant_id)
    .execute(&a.pool)
    .await
    .unwrap();
    for server in [&b, &a] {
        let detail = product_json(server, &slug).await;
        assert_eq!(variant(&detail, &sku)["tiers"][0]["unit_price"], "￥98,765", "{}", server.address);
    }

    // The product leaves kenji's catalogs: gone by slug and from the list, on both servers.
    let product_id = a.id_of("SELECT product_id FROM variants WHERE sku = $1", &sku).await;
    sqlx::query("DELETE FROM catalog_products WHERE product_id = $1").bind(product_id).execute(&a.pool).await.unwrap();
    for server in [&a, &b] {
        assert_eq!(product(server, &slug).await.status(), 404, "{}", server.address);
        let list: serde_json::Value = server.call("catalog/list", &[]).await.json().await.unwrap();
        assert!(list["products"].as_array().unwrap().iter().all(|p| p["slug"] != slug.as_str()));
    }
}

#[tokio::test]
async fn a_membership_removed_in_the_database_ends_access_on_the_next_request() {
    // Fiona has no orders or requests pointing at her membership, so the row can go.
    let a = spawn_app().await;
    let b = a.second_server().await;
    a.login_as("finance@acme.example").await;
    for server in [&a, &b] {
        assert_eq!(server.call("catalog/list", &[]).await.status(), 200);
    }
    sqlx::query(
        "DELETE FROM member_locations WHERE member_id IN \
         (SELECT m.id FROM members m JOIN users u ON u.id = m.user_id WHERE u.email = 'finance@acme.example')",
    )
    .execute(&a.pool)
    .await
    .unwrap();
    sqlx::query("DELETE FROM members WHERE user_id = (SELECT id FROM users WHERE email = 'finance@acme.example')")
        .execute(&a.pool)
        .await
        .unwrap();
    for server in [&b, &a] {
        assert_eq!(server.call("catalog/list", &[]).await.status(), 403, "{}", server.address);
    }
}

#[tokio::test]
async fn a_server_behind_a_pruned_change_log_reloads_everything() {
    let app = spawn_app().await;
    app.login_as("kenji@kanto.example").await;
    let (slug, sku) = kenjis_product(&app).await;
    let variant_id = app.id_of("SELECT id FROM variants WHERE sku = $1", &sku).await;
    sqlx::query("UPDATE stock SET quantity = 3 WHERE variant_id = $1")
        .bind(variant_id)
        .execute(&app.pool)
        .await
        .unwrap();
    // Another server pruned the log past what this one has applied.
    sqlx::query("UPDATE change_head SET pruned_through = seq WHERE id = 1").execute(&app.pool).await.unwrap();
    sqlx::query("DELETE FROM changes").execute(&app.pool).await.unwrap();
    let detail = product_json(&app, &slug).await;
    assert_eq!(variant(&detail, &sku)["stock"]["level"], "Low");
}

#[tokio::test]
async fn a_new_product_in_the_catalog_is_listed_in_name_order_at_once() {
    let app = spawn_app().await;
    app.login_as("kenji@kanto.example").await;
    let first: serde_json::Value = app.call("catalog/list", &[]).await.json().await.unwrap();
    let first_name = first["products"][0]["name"].as_str().unwrap().to_string();

    // Copy the first product under a name that sorts before every other, with one variant.
    let source =
        app.id_of("SELECT id FROM products WHERE slug = $1", first["products"][0]["slug"].as_str().unwrap()).await;
    let mut tx = app.pool.begin().await.unwrap();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO products (slug, category_id) SELECT 'aaa-new-product', category_id FROM products WHERE id = $1 RETURNING id",
    )
    .bind(source)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO product_texts (product_id, locale, name, description, is_fallback) \
         SELECT $1, locale, '!' || name, description, is_fallback FROM product_texts WHERE product_id = $2",
    )
    .bind(id)
    .bind(source)
    .execute(&mut *tx)
    .await
    .unwrap();
    sqlx::query("INSERT INTO catalog_products (catalog_id, product_id) SELECT catalog_id, $1 FROM catalog_products WHERE product_id = $2")
        .bind(id)
        .bind(source)
        .execute(&mut *tx)
        .await
        .unwrap();
    let (variant,): (i64,) = sqlx::query_as(
        "INSERT INTO variants (product_id, sku, unit, pack_size, weight_grams, quote_only, position) \
         VALUES ($1, 'NEW-SKU-1', 'each', 1, 10, 0, 0) RETURNING id",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO prices (price_list_id, variant_id, min_quantity, amount_minor) \
         SELECT id, $1, 1, 4321 FROM price_lists WHERE code = 'JPY-JAPAN'",
    )
    .bind(variant)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let list: serde_json::Value = app.call("catalog/list", &[]).await.json().await.unwrap();
    assert_eq!(list["products"][0]["slug"], "aaa-new-product");
    assert_eq!(list["products"][0]["name"], format!("!{first_name}"));
    assert_eq!(list["products"][0]["price_from"], "￥4,321");
    assert_eq!(list["products"][1]["name"], first_name);
}
