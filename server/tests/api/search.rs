//! Search: inside the buyer's catalog only, SKUs in any spelling, typos, every script, facets
//! that count what matched, fresh after a change, and never a 500 on odd input.

use crate::helpers::*;

async fn search(app: &TestApp, form: &[(&str, &str)]) -> serde_json::Value {
    let response = app.call("search/query", form).await;
    assert_eq!(response.status(), 200, "{form:?}");
    response.json().await.unwrap()
}

fn slugs(dto: &serde_json::Value) -> Vec<String> {
    dto["hits"].as_array().unwrap().iter().map(|h| h["slug"].as_str().unwrap().to_string()).collect()
}

/// (slug, first SKU) of a product only in the catalog with `code`.
async fn exclusive(app: &TestApp, code: &str) -> (String, String) {
    let sql = format!(
        "SELECT p.slug, (SELECT v.sku FROM variants v WHERE v.product_id = p.id ORDER BY v.position, v.id LIMIT 1) \
         FROM products p JOIN catalog_products cp ON cp.product_id = p.id JOIN catalogs c ON c.id = cp.catalog_id \
         WHERE c.code = '{code}' AND NOT EXISTS (SELECT 1 FROM catalog_products o WHERE o.product_id = p.id AND o.catalog_id <> c.id) \
         ORDER BY p.id LIMIT 1"
    );
    sqlx::query_as(&sql).fetch_one(&app.pool).await.unwrap()
}

#[tokio::test]
async fn a_product_outside_the_catalog_is_never_found_nor_counted() {
    let app = spawn_app().await;
    let (slug, sku) = exclusive(&app, "EUROPE").await;
    app.login_as("buyer@acme.example").await;
    let dto = search(&app, &[("q", &sku)]).await;
    assert!(!slugs(&dto).contains(&slug), "Acme found Müller's product {slug}");
    let name_word = slug.split('-').next().unwrap().to_string();
    let broad = search(&app, &[("q", &name_word)]).await;
    assert!(!slugs(&broad).contains(&slug));
    app.logout().await;
    app.login_as("anna@mueller.example").await;
    let dto = search(&app, &[("q", &sku)]).await;
    assert_eq!(slugs(&dto).first(), Some(&slug), "Müller finds its own product by SKU first");
}

#[tokio::test]
async fn skus_are_found_in_any_spelling() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (slug, sku): (String, String) = sqlx::query_as(
        "SELECT p.slug, v.sku FROM variants v JOIN products p ON p.id = v.product_id \
         JOIN catalog_products cp ON cp.product_id = p.id JOIN catalogs c ON c.id = cp.catalog_id AND c.code = 'CORE' \
         WHERE v.sku LIKE 'HB-%' ORDER BY v.id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let lower_compact: String = sku.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
    let spaced = sku.replace('-', " ");
    let prefix: String = sku.chars().take(sku.len() - 2).collect();
    for q in [sku.clone(), sku.to_lowercase(), lower_compact, spaced, prefix] {
        let dto = search(&app, &[("q", &q)]).await;
        assert!(slugs(&dto).iter().take(3).any(|s| *s == slug), "{q} → {:?}", slugs(&dto));
    }
    // The size written three ways finds hex bolts of that size.
    for q in ["m8x20", "M8-20", "M8 20"] {
        let dto = search(&app, &[("q", q)]).await;
        assert!(dto["total"].as_u64().unwrap() > 0, "{q}");
        assert!(slugs(&dto).iter().all(|s| s.starts_with("hex-bolt-")), "{q} → {:?}", slugs(&dto));
    }
}

#[tokio::test]
async fn typos_and_unaccented_or_other_scripts_find_products() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let exact = search(&app, &[("q", "stainless")]).await;
    let typo = search(&app, &[("q", "stainles")]).await;
    let missing_letter = search(&app, &[("q", "stainlss")]).await;
    assert!(exact["total"].as_u64().unwrap() > 0);
    assert!(typo["total"].as_u64().unwrap() > 0 && missing_letter["total"].as_u64().unwrap() > 0);
    let highlighted: Vec<String> = exact["hits"][0]["name"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["hit"] == true)
        .map(|p| p["text"].as_str().unwrap().to_lowercase())
        .collect();
    assert_eq!(highlighted, ["stainless"], "{}", exact["hits"][0]);
    // The same product in other languages and scripts (the member's language does not limit it).
    for q in ["不锈钢", "不鏽鋼", "ステンレス", "thep khong gi", "Edelstahl"] {
        let dto = search(&app, &[("q", q)]).await;
        assert!(dto["total"].as_u64().unwrap() > 0, "{q} found nothing");
    }
}

#[tokio::test]
async fn facets_count_what_matched_and_filter_it() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let all = search(&app, &[("q", "brass")]).await;
    let total = all["total"].as_u64().unwrap();
    assert!(total > 0);
    let first = &all["categories"][0];
    assert_eq!(first["nested"], false);
    let count = first["count"].as_u64().unwrap();
    let narrowed = search(&app, &[("q", "brass"), ("category", first["code"].as_str().unwrap())]).await;
    assert_eq!(narrowed["total"].as_u64().unwrap(), count);
    let in_stock = search(&app, &[("q", "brass"), ("stock", "in")]).await;
    assert_eq!(in_stock["total"], all["in_stock"]);
    // Within a selected category, each other facet counts what picking it would show.
    let category = first["code"].as_str().unwrap();
    let material = &narrowed["materials"][0];
    let both =
        search(&app, &[("q", "brass"), ("category", category), ("material", material["code"].as_str().unwrap())]).await;
    assert_eq!(both["total"], material["count"]);
    let stocked = search(&app, &[("q", "brass"), ("category", category), ("stock", "in")]).await;
    assert_eq!(stocked["total"], narrowed["in_stock"]);
    let none = search(&app, &[("q", "brass"), ("category", "no-such-category")]).await;
    assert_eq!(none["total"], 0);
}

#[tokio::test]
async fn a_renamed_product_is_found_by_its_new_name_at_once() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    assert_eq!(search(&app, &[("q", "Zyxwvut")]).await["total"], 0);
    let (slug, _) = exclusive(&app, "CORE").await;
    sqlx::query("UPDATE product_texts SET name = 'Zyxwvut ' || name WHERE locale = 'en' AND product_id = (SELECT id FROM products WHERE slug = $1)")
        .bind(&slug)
        .execute(&app.pool)
        .await
        .unwrap();
    let dto = search(&app, &[("q", "zyxwvut")]).await;
    assert_eq!(slugs(&dto), [slug]);
}

#[tokio::test]
async fn odd_queries_get_results_or_nothing_never_an_error() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let long = "bolt ".repeat(2_000);
    for q in [
        "",
        "   ",
        "\"hex bolt\"",
        "name:bolt",
        "(bolt",
        "bolt]",
        "*",
        "bo?t",
        "~2",
        "+-&&||!^",
        "\u{0}\u{1b}[2J",
        long.as_str(),
        "AND OR NOT",
    ] {
        let dto = search(&app, &[("q", q)]).await;
        assert!(dto["query"].as_str().unwrap().chars().count() <= 200, "{q}");
    }
    assert_eq!(search(&app, &[("q", "")]).await["total"], 0);
    for path in [
        "/search?q=%FF%FE",
        "/search?q=%00",
        "/search?q=a&page=-1",
        "/search?q=bolt&page=99999999999999999999",
        "/search?q=%22%3A%28",
    ] {
        let status = app.get_page(path).await.status();
        assert!(status == 200 || status == 400, "{path} → {status}");
    }
}

#[tokio::test]
async fn search_needs_a_session() {
    let app = spawn_app().await;
    assert_eq!(app.call("search/query", &[("q", "bolt")]).await.status(), 401);
    assert_eq!(app.call("search/suggest", &[("q", "bolt")]).await.status(), 401);
}
