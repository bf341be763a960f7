//! Search quality on the demo catalog (2,200 products): every query of `relevance.yml` must have
//! a matching product in its top three. Prints the hit rate per kind and language and every miss;
//! fails below 90 %. Ranking only: visibility is the same for every query (all catalogs).

use app::backend::{demo::catalog as generator, demo::seed, platform::db, read_model};
use app::i18n::Locale;
use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
struct Case {
    q: String,
    lang: String,
    kind: String,
    expect: String,
}

#[tokio::test]
async fn at_least_nine_in_ten_queries_find_their_product_in_the_top_three() {
    let cases: Vec<Case> = serde_yaml::from_str(include_str!("relevance.yml")).expect("relevance.yml parses");
    assert!(cases.len() >= 60, "the set has {} queries", cases.len());
    let languages: std::collections::BTreeSet<&str> = cases.iter().map(|c| c.lang.as_str()).collect();
    assert!(languages.len() >= 6, "{languages:?}");

    let path = std::env::temp_dir().join(format!("portal-relevance-{}.db", std::process::id()));
    let (pool, kind) = db::connect(&format!("sqlite://{}?mode=rwc", path.display()), 4).await.unwrap();
    db::migrate(&pool, kind).await.unwrap();
    seed::ensure_builtin_roles(&pool).await.unwrap();
    seed::load_demo(&pool).await.unwrap();
    generator::generate(&pool, 2_200).await.unwrap();
    let read = read_model::ReadModel::load(&pool, kind).await.unwrap();
    let catalog = read.catalog(&pool, 0).await.unwrap();
    let index = read.search();
    let catalogs: Vec<(i64,)> = sqlx::query_as("SELECT id FROM catalogs").fetch_all(&pool).await.unwrap();
    let catalogs: Vec<i64> = catalogs.into_iter().map(|(id,)| id).collect();

    let mut by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut by_lang: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut misses = vec![];
    for case in &cases {
        let locale = Locale::parse(&case.lang).unwrap_or_else(|| panic!("unknown lang {}", case.lang));
        let expect =
            regex::Regex::new(&format!("^(?:{})$", case.expect)).unwrap_or_else(|e| panic!("{}: {e}", case.expect));
        let top: Vec<String> = index
            .search(&case.q, &catalogs, locale)
            .unwrap()
            .into_iter()
            .take(3)
            .filter_map(|(id, _)| catalog.product_by_id(id).map(|p| p.slug.clone()))
            .collect();
        let hit = top.iter().any(|s| expect.is_match(s));
        for (map, key) in [(&mut by_kind, &case.kind), (&mut by_lang, &case.lang)] {
            let entry = map.entry(key.clone()).or_default();
            entry.0 += usize::from(hit);
            entry.1 += 1;
        }
        if !hit {
            misses
                .push(format!("  {} [{} {}] expected /{}/, got {:?}", case.q, case.lang, case.kind, case.expect, top));
        }
    }
    let hits: usize = by_kind.values().map(|(h, _)| h).sum();
    let rate = hits as f64 / cases.len() as f64;
    println!(
        "search relevance: {hits}/{} queries have a right product in the top three ({:.1} %)",
        cases.len(),
        rate * 100.0
    );
    for (name, map) in [("kind", &by_kind), ("language", &by_lang)] {
        let line: Vec<String> = map.iter().map(|(k, (h, n))| format!("{k} {h}/{n}")).collect();
        println!("  by {name}: {}", line.join(", "));
    }
    if !misses.is_empty() {
        println!("misses:\n{}", misses.join("\n"));
    }
    drop(pool);
    let _ = std::fs::remove_file(&path);
    assert!(rate >= 0.9, "hit rate {:.1} % is below 90 %", rate * 100.0);
}
