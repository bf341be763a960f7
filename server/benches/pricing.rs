//! Price resolution for a 200-line cart on the 100,000-SKU catalog (SQLite), as the catalog and
//! the cart do it: the member's lists and catalogs from the read model, then every line's
//! visibility check and price. Prints p50/p95 over many random carts, and how long loading the
//! read model took.   cargo bench -p server --bench pricing [-- PRODUCTS]

use app::backend::catalog;
use app::backend::demo::catalog as generator;
use app::backend::{
    demo::seed,
    platform::clock,
    platform::db,
    platform::guard::Actor,
    platform::state::AppState,
    read_model::{self, log},
};
use app::domain::ids::{CompanyId, LocationId, MemberId, UserId};
use app::domain::permission::PermissionSet;
use std::time::Instant;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let products: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(33_334);
    let path = std::env::temp_dir().join(format!("portal-bench-{}.db", std::process::id()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let (pool, kind) = db::connect(&url, 8).await.unwrap();
    db::migrate(&pool, kind).await.unwrap();
    seed::ensure_builtin_roles(&pool).await.unwrap();
    seed::load_demo(&pool).await.unwrap();
    let started = Instant::now();
    generator::generate(&pool, products).await.unwrap();
    let (skus,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM variants").fetch_one(&pool).await.unwrap();
    println!("generated {products} products / {skus} SKUs in {:.1} s", started.elapsed().as_secs_f64());

    let (member, user, company, location): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT m.id, u.id, m.company_id, ml.location_id FROM members m JOIN users u ON u.id = m.user_id \
         JOIN member_locations ml ON ml.member_id = m.id WHERE u.email = 'buyer@acme.example' ORDER BY ml.location_id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let actor = Actor {
        user_id: UserId(user),
        member_id: MemberId(member),
        company_id: CompanyId(company),
        location_id: Some(LocationId(location)),
        permissions: PermissionSet::default(),
        session_hash: String::new(),
        seen: log::head(&pool).await.unwrap(),
    };
    let started = Instant::now();
    let read = read_model::ReadModel::load(&pool, kind).await.unwrap();
    println!("read model loaded in {:.2} s", started.elapsed().as_secs_f64());
    let state = AppState::new(
        pool.clone(),
        kind,
        read,
        Default::default(),
        leptos::prelude::LeptosOptions::builder().output_name("portal").build(),
    );
    let ids: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM variants WHERE quote_only = 0").fetch_all(&pool).await.unwrap();
    let ids: Vec<i64> = ids.into_iter().map(|(id,)| id).collect();

    let mut seed_state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        seed_state ^= seed_state << 13;
        seed_state ^= seed_state >> 7;
        seed_state ^= seed_state << 17;
        seed_state
    };
    let mut timings = vec![];
    let mut resolved_lines = 0;
    for round in 0..320 {
        let cart: Vec<i64> = (0..200).map(|_| ids[(next() % ids.len() as u64) as usize]).collect();
        let t = Instant::now();
        let pricing = catalog::pricing(&state, &actor, clock::now()).await.unwrap();
        let catalogs = pricing.catalog().visible_catalogs(actor.company_id, actor.location_id);
        let prices = pricing.resolve(&catalogs, &cart);
        let elapsed = t.elapsed().as_secs_f64() * 1000.0;
        if round >= 20 {
            timings.push(elapsed); // the first rounds warm the caches
        }
        resolved_lines += prices.len();
    }
    timings.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "price resolution, 200-line cart (member lists + visibility + resolve, read model in memory): p50 {:.3} ms, p95 {:.3} ms, max {:.3} ms over {} carts ({} lines priced)",
        percentile(&timings, 0.5),
        percentile(&timings, 0.95),
        timings.last().unwrap(),
        timings.len(),
        resolved_lines
    );
    drop(pool);
    let _ = std::fs::remove_file(&path);
}
