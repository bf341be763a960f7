//! Search on the 100,000-SKU catalog (SQLite): full index build time, index memory, and query
//! latency p50/p95 per kind of query (single words in several languages, SKUs, typos, CJK), as
//! the server runs them (`SearchIndex::search`, all matches collected and ranked), and p95 of what
//! /search does: the matches collected, mapped to the snapshot's rows, facets counted and the
//! first page ranked (`service::page_of`).
//!   cargo bench -p server --bench search [-- PRODUCTS]
//! `BENCH_DB=<file>` keeps the generated database there and reuses it on the next run (the
//! generation is most of the run); `BENCH_ONLY=<label start>` runs only those kinds;
//! `BENCH_SLOWEST=1` names each kind's slowest queries.

use app::backend::{demo::catalog as generator, demo::seed, platform::db, read_model, search::service};
use app::domain::money::Currency;
use app::i18n::Locale;
use std::time::Instant;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let products: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(33_334);
    let kept = std::env::var("BENCH_DB").ok().map(std::path::PathBuf::from);
    let path = kept
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("portal-search-bench-{}.db", std::process::id())));
    let reuse = path.exists() && kept.is_some();
    let (pool, kind) = db::connect(&format!("sqlite://{}?mode=rwc", path.display()), 8).await.unwrap();
    db::migrate(&pool, kind).await.unwrap();
    if !reuse {
        seed::ensure_builtin_roles(&pool).await.unwrap();
        seed::load_demo(&pool).await.unwrap();
        generator::generate(&pool, products).await.unwrap();
    }
    let only = std::env::var("BENCH_ONLY").ok();
    let read = read_model::ReadModel::load(&pool, kind).await.unwrap();
    let catalog = read.catalog(&pool, 0).await.unwrap();
    println!("catalog: {} products, {} SKUs", catalog.product_count(), catalog.variant_count());

    // A full rebuild as after a 'full' change: descriptions from the database, then indexing.
    let mut builds = vec![];
    for _ in 0..if only.is_some() { 1 } else { 3 } {
        let started = Instant::now();
        let index = read_model::build_search(&pool, kind, catalog.clone()).await.unwrap();
        builds.push(started.elapsed().as_secs_f64());
        println!("index memory: {:.1} MB", index.memory_bytes() as f64 / 1_048_576.0);
    }
    builds.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "full rebuild (descriptions read + index): best {:.2} s, worst {:.2} s",
        builds[0],
        builds[builds.len() - 1]
    );

    let index = read.search();
    let (core,): (i64,) = sqlx::query_as("SELECT id FROM catalogs WHERE code = 'CORE'").fetch_one(&pool).await.unwrap();
    let catalogs = [core];
    let skus: Vec<(String,)> =
        sqlx::query_as("SELECT sku FROM variants ORDER BY id LIMIT 400 OFFSET 5000").fetch_all(&pool).await.unwrap();
    let names = |locale: &'static str| {
        let pool = pool.clone();
        async move {
            let rows: Vec<(String,)> = sqlx::query_as(
                "SELECT name FROM product_texts WHERE locale = $1 ORDER BY product_id LIMIT 40 OFFSET 7000",
            )
            .bind(locale)
            .fetch_all(&pool)
            .await
            .unwrap();
            rows.into_iter().map(|(n,)| n).collect::<Vec<String>>()
        }
    };
    let vi_names = names("vi").await;
    // The code moved into the middle of the words: "Professional HB-110 stainless steel hex bolt".
    let code_middle: Vec<String> = names("en")
        .await
        .iter()
        .map(|n| {
            let mut words: Vec<&str> = n.split_whitespace().collect();
            let code = words.pop().unwrap_or_default();
            words.insert(1.min(words.len()), code);
            words.join(" ")
        })
        .collect();
    let kinds: Vec<(&str, Locale, Vec<String>)> = vec![
        ("whole name + code (vi)", Locale::Vi, vi_names),
        ("code in the middle (en)", Locale::En, code_middle),
        (
            "short prefix (de/fr/es/vi)",
            Locale::De,
            ["Sch", "Ven", "gan", "vál", "ống", "Mes", "câb", "tuy"].map(String::from).to_vec(),
        ),
        (
            "single word (en)",
            Locale::En,
            ["bolt", "valve", "gloves", "cable", "brass", "coupling", "stainless", "hose"].map(String::from).to_vec(),
        ),
        (
            "single word (de/fr/es/vi)",
            Locale::De,
            ["Schraube", "Ventil", "Handschuhe", "gants", "válvula", "ong", "kabel", "Messing"]
                .map(String::from)
                .to_vec(),
        ),
        (
            "two words",
            Locale::En,
            ["hex bolt", "ball valve", "brass coupling", "safety gloves", "copper cable", "stainless nut"]
                .map(String::from)
                .to_vec(),
        ),
        ("SKU exact", Locale::En, skus.iter().take(50).map(|(s,)| s.clone()).collect()),
        (
            "SKU lower, no separators",
            Locale::En,
            skus.iter().skip(50).take(50).map(|(s,)| s.replace('-', "").to_lowercase()).collect(),
        ),
        ("SKU prefix", Locale::En, skus.iter().skip(100).take(50).map(|(s,)| s.chars().take(6).collect()).collect()),
        (
            "typo (fuzzy)",
            Locale::En,
            ["stainles", "galvanised", "coupplng", "hexagnal", "vlave", "glovse", "sttainless", "copperr"]
                .map(String::from)
                .to_vec(),
        ),
        (
            "CJK",
            Locale::Ja,
            ["ステンレス", "六角ボルト", "不锈钢", "螺栓", "不鏽鋼", "手袋", "ケーブル", "銅"]
                .map(String::from)
                .to_vec(),
        ),
        ("Arabic", Locale::Ar, ["صمام", "مسمار", "نحاس", "قفازات"].map(String::from).to_vec()),
    ];
    // No facet selected: every match is counted into every facet.
    let everything = service::SearchQuery::typed(String::new(), 24);
    for (label, locale, queries) in kinds {
        if only.as_deref().is_some_and(|o| !label.starts_with(o)) {
            continue;
        }
        let mut timings = vec![];
        // What /search does, as a whole (see below).
        let mut with_facets = vec![];
        let mut matched = 0usize;
        // Each query's slowest time, to name the slow ones.
        let mut worst: Vec<(f64, &str)> = queries.iter().map(|q| (0.0, q.as_str())).collect();
        for round in 0..40 {
            for (k, q) in queries.iter().enumerate() {
                let started = Instant::now();
                let hits = index.search(q, &catalogs, locale).unwrap();
                let elapsed = started.elapsed().as_secs_f64() * 1000.0;
                // What /search does: the matches unranked, mapped to the snapshot's rows, facets
                // counted, and only the first page ranked.
                let started = Instant::now();
                let all = index.matches_with(q, &catalogs, locale, &[]).unwrap();
                let mut results = service::Results::new(q.clone(), Currency::Usd, 1);
                let page = service::page_of(&catalog, &all, &catalogs, &everything, locale, &mut results);
                std::hint::black_box(page);
                let elapsed_facets = started.elapsed().as_secs_f64() * 1000.0;
                if round > 0 {
                    timings.push(elapsed);
                    with_facets.push(elapsed_facets);
                    worst[k].0 = worst[k].0.max(elapsed);
                } else {
                    matched += hits.len();
                }
            }
        }
        worst.sort_by(|a, b| b.0.total_cmp(&a.0));
        timings.sort_by(|a, b| a.partial_cmp(b).unwrap());
        with_facets.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "{label:<28} p50 {:.2} ms  p95 {:.2} ms  max {:.2} ms  /search p95 {:.2} ms  ({} queries, {:.0} matches each on average)",
            percentile(&timings, 0.5),
            percentile(&timings, 0.95),
            timings.last().unwrap(),
            percentile(&with_facets, 0.95),
            queries.len(),
            matched as f64 / queries.len() as f64
        );
        if std::env::var("BENCH_SLOWEST").is_ok() {
            for (ms, q) in worst.iter().take(3) {
                println!("    slowest: {ms:.2} ms  {q}");
            }
        }
    }
    drop(pool);
    if kept.is_none() {
        let _ = std::fs::remove_file(&path);
    }
}
