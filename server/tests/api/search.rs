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
async fn facets_follow_stock_attribute_and_category_changes_at_once() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let (slug, _) = exclusive(&app, "CORE").await;
    sqlx::query("UPDATE product_texts SET name = 'Qwertzuiop ' || name WHERE product_id = (SELECT id FROM products WHERE slug = $1)")
        .bind(&slug)
        .execute(&app.pool)
        .await
        .unwrap();
    let q = [("q", "qwertzuiop")];
    assert_eq!(search(&app, &q).await["total"], 1);
    // Out of stock everywhere: no longer counted as in stock, nor found with "in stock".
    sqlx::query("UPDATE stock SET quantity = 0 WHERE variant_id IN (SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id WHERE p.slug = $1)")
        .bind(&slug)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(search(&app, &q).await["in_stock"], 0);
    assert_eq!(search(&app, &[("q", "qwertzuiop"), ("stock", "in")]).await["total"], 0);
    // A material no product had before: a facet of its own, and a filter that finds it.
    sqlx::query("DELETE FROM variant_attributes WHERE attribute = 'material' AND variant_id IN (SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id WHERE p.slug = $1)")
        .bind(&slug)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO variant_attributes (variant_id, attribute, value) SELECT v.id, 'material', 'unobtainium' FROM variants v JOIN products p ON p.id = v.product_id WHERE p.slug = $1")
        .bind(&slug)
        .execute(&app.pool)
        .await
        .unwrap();
    let dto = search(&app, &q).await;
    let materials: Vec<(&str, u64)> = dto["materials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["code"].as_str().unwrap(), m["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(materials, [("unobtainium", 1)]);
    assert_eq!(search(&app, &[("q", "qwertzuiop"), ("material", "unobtainium")]).await["total"], 1);
    // A new category, added before the product moves into it (the small tables change too).
    sqlx::query("INSERT INTO categories (parent_id, slug, position) VALUES (NULL, 'zz-new-shelf', 99)")
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE products SET category_id = (SELECT id FROM categories WHERE slug = 'zz-new-shelf') WHERE slug = $1",
    )
    .bind(&slug)
    .execute(&app.pool)
    .await
    .unwrap();
    let dto = search(&app, &q).await;
    assert_eq!(dto["categories"][0]["code"], "zz-new-shelf", "{dto}");
    assert_eq!(dto["categories"][0]["count"], 1);
    assert_eq!(search(&app, &[("q", "qwertzuiop"), ("category", "zz-new-shelf")]).await["total"], 1);
}

#[tokio::test]
async fn pages_follow_one_ranking_without_gaps_or_repeats() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    // Only the shown page is ranked in full (`service::page_of`): paging must still walk one order.
    let first = search(&app, &[("q", "economy")]).await;
    let total = first["total"].as_u64().unwrap() as usize;
    let mut seen = slugs(&first);
    assert!(first["has_next"] == true, "needs more than one page: {total}");
    let mut page = 2;
    loop {
        let dto = search(&app, &[("q", "economy"), ("page", &page.to_string())]).await;
        assert_eq!(dto["total"].as_u64().unwrap() as usize, total);
        seen.extend(slugs(&dto));
        if dto["has_next"] != true {
            break;
        }
        page += 1;
    }
    assert_eq!(seen.len(), total);
    let distinct: std::collections::HashSet<&String> = seen.iter().collect();
    assert_eq!(distinct.len(), total, "a product shown twice across pages");
    let past = search(&app, &[("q", "economy"), ("page", &(page + 1).to_string())]).await;
    assert!(slugs(&past).is_empty());
    assert_eq!(past["has_next"], false);
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

async fn desk(staff: &TestApp) -> serde_json::Value {
    let response = staff.call("staff/search", &[("days", "7")]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn add_synonym(staff: &TestApp, form: &[(&str, &str)]) -> reqwest::StatusCode {
    staff.call("staff/add_synonym", form).await.status()
}

/// Synonyms staff add at /staff/search: one-way in its language only, equivalent both ways, gone
/// when removed; bad ones are refused with the field that is wrong.
#[tokio::test]
async fn synonyms_teach_the_search_a_languages_words() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let staff = app.fresh_browser();
    staff.login_as("staff@northwind.example").await;
    let total = |dto: &serde_json::Value| dto["total"].as_u64().unwrap();
    let bolts = search(&app, &[("q", "hex bolt")]).await;
    assert!(total(&bolts) > 0);
    assert_eq!(total(&search(&app, &[("q", "zorbex")]).await), 0);

    // One-way, in English: "zorbex" finds hex bolts; "hex bolt" finds no more than before.
    assert_eq!(
        add_synonym(&staff, &[("language", "en"), ("kind", "one_way"), ("term", "Zorbex"), ("synonyms", "hex bolt")])
            .await,
        200
    );
    let found = search(&app, &[("q", "zorbex")]).await;
    assert_eq!(total(&found), total(&bolts), "the synonym finds what its words find");
    assert_eq!(slugs(&found), slugs(&bolts));
    assert_eq!(total(&search(&app, &[("q", "hex bolt")]).await), total(&bolts));
    // With other words: "zorbex stainless" is "hex bolt stainless".
    let narrower = search(&app, &[("q", "zorbex stainless")]).await;
    assert_eq!(total(&narrower), total(&search(&app, &[("q", "hex bolt stainless")]).await));
    assert!(total(&narrower) < total(&bolts));

    // The demo's own: "SS" is stainless steel in English; "Schraube" finds German compounds.
    let ss = search(&app, &[("q", "SS bolt")]).await;
    assert_eq!(total(&ss), total(&search(&app, &[("q", "stainless steel bolt")]).await));
    assert!(total(&ss) > 0);

    // Another language's buyer is not affected.
    let anna = app.fresh_browser();
    anna.login_as("anna@mueller.example").await;
    assert_eq!(total(&search(&anna, &[("q", "zorbex")]).await), 0, "an English synonym in a German search");

    // Equivalent, in German: each word finds the other.
    assert_eq!(
        add_synonym(
            &staff,
            &[("language", "de"), ("kind", "equivalent"), ("synonyms", "Zapfenbolzen, Sechskantschraube")]
        )
        .await,
        200
    );
    assert!(total(&search(&anna, &[("q", "Schraube")]).await) > 0, "the demo's German synonym");
    let screws = search(&anna, &[("q", "Sechskantschraube")]).await;
    assert!(total(&screws) > 0);
    assert_eq!(total(&search(&anna, &[("q", "zapfenbolzen")]).await), total(&screws));

    // Refused, with the field: no term for one-way, one word for a set, an unknown language.
    for (form, field) in [
        (vec![("language", "en"), ("kind", "one_way"), ("term", ""), ("synonyms", "bolt")], "term"),
        (vec![("language", "en"), ("kind", "equivalent"), ("synonyms", "bolt")], "synonyms"),
        (vec![("language", "xx"), ("kind", "one_way"), ("term", "a"), ("synonyms", "b")], "language"),
    ] {
        let response = staff.call("staff/add_synonym", &form).await;
        assert_eq!(response.status(), 422, "{form:?}");
        let body = response.text().await.unwrap();
        assert!(body.contains(field), "{form:?}: {body}");
    }

    // The desk lists both; removing the English one stops it at once.
    let listed = desk(&staff).await;
    let synonyms = listed["synonyms"].as_array().unwrap();
    assert!(synonyms.iter().any(|s| s["language"] == "de" && s["synonyms"][0] == "Zapfenbolzen"));
    let english = synonyms.iter().find(|s| s["term"] == "Zorbex").unwrap();
    assert_eq!((english["term"].as_str(), english["synonyms"][0].as_str()), (Some("Zorbex"), Some("hex bolt")));
    let id = english["id"].as_i64().unwrap().to_string();
    assert_eq!(staff.call("staff/remove_synonym", &[("id", &id)]).await.status(), 200);
    assert_eq!(total(&search(&app, &[("q", "zorbex")]).await), 0);
    assert_eq!(staff.call("staff/remove_synonym", &[("id", &id)]).await.status(), 404);
    // Buyers cannot touch them.
    assert_eq!(
        app.call("staff/add_synonym", &[("language", "en"), ("kind", "one_way"), ("term", "a"), ("synonyms", "b")])
            .await
            .status(),
        403
    );
}

/// A synonym added through one app server applies to the next search on another, without a
/// restart (the change log carries it).
#[tokio::test]
async fn a_synonym_applies_on_every_app_server_at_once() {
    let app = spawn_app().await;
    let staff = app.fresh_browser();
    staff.login_as("staff@northwind.example").await;
    let other = app.second_server().await;
    other.login_as("buyer@acme.example").await;
    assert_eq!(search(&other, &[("q", "quexil")]).await["total"], 0);
    let started = std::time::Instant::now();
    assert_eq!(
        add_synonym(&staff, &[("language", "en"), ("kind", "one_way"), ("term", "quexil"), ("synonyms", "hex nut")])
            .await,
        200
    );
    let found = search(&other, &[("q", "quexil")]).await;
    println!("synonym added on one server to a search on another: {:?}", started.elapsed());
    assert_eq!(found["total"], search(&other, &[("q", "hex nut")]).await["total"]);
    assert!(found["total"].as_u64().unwrap() > 0);
}

/// /search counts what found nothing and what was searched again from its results, per day and
/// language, text and counts only; staff see it; the buyer sees "Did you mean" from the
/// catalog's own words.
#[tokio::test]
async fn searches_that_miss_are_counted_for_staff_and_get_a_suggestion() {
    let app = spawn_app().await;
    app.login_as("buyer@acme.example").await;
    let staff = app.fresh_browser();
    staff.login_as("staff@northwind.example").await;
    assert!(desk(&staff).await["misses"].as_array().unwrap().is_empty());

    // Twice nothing, once refined from its results page; as-you-type searches do not count.
    for _ in 0..2 {
        let html = app.get_page("/search?q=Glorbnax+widget").await.text().await.unwrap();
        assert!(html.contains("No products in your catalog match this search."));
    }
    assert_eq!(app.call("search/suggest", &[("q", "Glorbnax widget")]).await.status(), 200);
    let from = app.url("/search?q=hex+bolt");
    // As the results page's own form sends it: its selects left empty.
    let response = app.get_page_with("/search?q=hex+bolt+m8&category=&material=&colour=", &[("referer", &from)]).await;
    assert_eq!(response.status(), 200);
    // A new page of the same search, or a filter, is not a refinement.
    app.get_page_with("/search?q=hex+bolt+m8&page=2", &[("referer", &app.url("/search?q=hex+bolt+m8"))]).await;
    // A referer from another site is not this portal's results page.
    app.get_page_with("/search?q=hex+nut", &[("referer", "http://elsewhere.example/search?q=nut")]).await;

    let misses = desk(&staff).await["misses"].as_array().unwrap().clone();
    let row = |q: &str| misses.iter().find(|m| m["query"] == q).cloned();
    let glorbnax = row("glorbnax widget").expect("the zero-result query is listed");
    assert_eq!(
        (glorbnax["zero_results"].as_i64(), glorbnax["refined"].as_i64(), glorbnax["language"].as_str()),
        (Some(2), Some(0), Some("en"))
    );
    let refined = row("hex bolt").expect("the refined query is listed");
    assert_eq!((refined["zero_results"].as_i64(), refined["refined"].as_i64()), (Some(0), Some(1)));
    assert_eq!(misses.len(), 2, "{misses:?}");
    // Nothing about who searched is stored.
    let columns: Vec<(String,)> = if std::env::var("TEST_DB").as_deref() == Ok("postgres") {
        sqlx::query_as("SELECT column_name::text FROM information_schema.columns WHERE table_name = 'search_misses'")
            .fetch_all(&app.pool)
            .await
            .unwrap()
    } else {
        sqlx::query_as("SELECT name FROM pragma_table_info('search_misses')").fetch_all(&app.pool).await.unwrap()
    };
    let mut columns: Vec<String> = columns.into_iter().map(|c| c.0).collect();
    columns.sort();
    assert_eq!(columns, ["day", "language", "query", "refined", "zero_results"]);
    // Buyers cannot read it.
    assert_eq!(app.call("staff/search", &[]).await.status(), 403);

    // "Did you mean": a word misspelt beyond the typo tolerance, a word the catalog lacks.
    let dto = search(&app, &[("q", "hexx bollt")]).await;
    assert_eq!((dto["total"].as_u64(), dto["did_you_mean"].as_str()), (Some(0), Some("hex bolt")), "{dto}");
    let dto = search(&app, &[("q", "stainlezzz boltzz")]).await;
    assert_eq!(dto["total"], 0);
    let suggestion = dto["did_you_mean"].as_str().expect("a suggestion").to_string();
    assert!(suggestion.contains("stainless") && suggestion.contains("bolt"), "{suggestion}");
    assert!(search(&app, &[("q", &suggestion)]).await["total"].as_u64().unwrap() > 0);
    let html = app.get_page("/search?q=stainlezzz+boltzz").await.text().await.unwrap();
    assert!(html.contains("data-testid=\"did-you-mean\""), "shown on the page");
    // A query of nothing the catalog knows gets no suggestion.
    assert_eq!(search(&app, &[("q", "qqqqqq")]).await["did_you_mean"], serde_json::Value::Null);

    // Kept 180 days: a server starting up forgets older ones.
    sqlx::query("INSERT INTO search_misses (day, language, query, zero_results, refined) VALUES ('2020-01-01', 'en', 'old', 1, 0)")
        .execute(&app.pool)
        .await
        .unwrap();
    let _restarted = app.second_server().await;
    assert_eq!(app.count("SELECT COUNT(*) FROM search_misses WHERE day = '2020-01-01'").await, 0);
    assert!(app.count("SELECT COUNT(*) FROM search_misses").await >= 2);
}

/// Words adjacent and in the order typed beat the same words apart or reversed, even in a
/// longer name.
#[tokio::test]
async fn words_in_order_beat_words_apart() {
    let app = spawn_app().await;
    let slugs_in_core: Vec<(String,)> = sqlx::query_as(
        "SELECT p.slug FROM products p JOIN catalog_products cp ON cp.product_id = p.id JOIN catalogs c ON c.id = cp.catalog_id \
         WHERE c.code = 'CORE' ORDER BY p.id LIMIT 2",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let rename = |slug: &str, name: &str| {
        let (slug, name, pool) = (slug.to_string(), name.to_string(), app.pool.clone());
        async move {
            sqlx::query(
                "UPDATE product_texts SET name = $1 WHERE locale = 'en' AND product_id = (SELECT id FROM products WHERE slug = $2)",
            )
            .bind(name)
            .bind(slug)
            .execute(&pool)
            .await
            .unwrap();
        }
    };
    // The shorter name would win on word counts alone.
    rename(&slugs_in_core[0].0, "Gasket flarn").await;
    rename(&slugs_in_core[1].0, "Flarn gasket kit with quibble seals").await;
    app.login_as("buyer@acme.example").await;
    let found = slugs(&search(&app, &[("q", "flarn gasket")]).await);
    assert_eq!(found, vec![slugs_in_core[1].0.clone(), slugs_in_core[0].0.clone()]);
    let reversed = slugs(&search(&app, &[("q", "gasket flarn")]).await);
    assert_eq!(reversed.first(), Some(&slugs_in_core[0].0));
}
