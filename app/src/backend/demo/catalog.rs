//! The deterministic demo catalog: `products` products of industrial supplies with about three
//! variants each, names in all nine locales composed from `vocabulary.yml`, stock in two
//! warehouses, price lists (USD base, EUR as a percentage of it, JPY/VND/SAR fixed, an Acme
//! contract list, a Denver Yard location list, an expired promotion), tiers, quantity rules,
//! hidden-price items and two catalogs so Acme and Müller see different products.
//! The same code builds the 100,000-SKU catalog for benchmarks (`products = 33_334`).

use crate::backend::platform::clock::now;
use crate::error::AppError;
use crate::i18n::Locale;
use serde::Deserialize;
use sqlx::{Any, AnyPool, Transaction};
use std::collections::BTreeMap;

type Terms = BTreeMap<String, String>;

#[derive(Deserialize)]
struct Vocabulary {
    categories: BTreeMap<String, Terms>,
    units: BTreeMap<String, Terms>,
    grades: BTreeMap<String, Terms>,
    materials: BTreeMap<String, Terms>,
    colours: BTreeMap<String, Terms>,
    types: BTreeMap<String, ProductType>,
    descriptions: BTreeMap<String, Terms>,
    name_patterns: Terms,
}

#[derive(Deserialize)]
struct ProductType {
    category: String,
    unit: String,
    pack: i64,
    materials: Vec<String>,
    sizes: Vec<String>,
    #[serde(default)]
    colours: Vec<String>,
    #[serde(flatten)]
    names: Terms,
}

fn vocabulary() -> Result<Vocabulary, AppError> {
    serde_yaml::from_str(include_str!("vocabulary.yml")).map_err(AppError::internal)
}

/// splitmix64: a tiny deterministic generator, so the same size always gives the same catalog.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn term<'a>(terms: &'a Terms, locale: Locale) -> &'a str {
    terms.get(locale.tag()).or_else(|| terms.get("en")).map(String::as_str).unwrap_or("")
}

fn fill(template: &str, pairs: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in pairs {
        out = out.replace(&format!("%{{{k}}}"), v);
    }
    // Collapse doubled ASCII spaces a missing term could leave (no-break spaces, as French
    // typography needs them, stay), and capitalise a Latin first letter.
    let out = out.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => out,
    }
}

/// Chinese typography (GLOSSARY.md): one space between Han characters and Latin letters or digits.
fn space_han_and_latin(text: &str) -> String {
    let is_han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if let Some(p) = prev {
            if (is_han(p) && c.is_ascii_alphanumeric()) || (p.is_ascii_alphanumeric() && is_han(c)) {
                out.push(' ');
            }
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// Size labels become SKU-safe codes: `M8x20` → `M8X20`, `1/2"` → `1-2IN`, `2.5 mm²` → `25MM2`.
fn size_code(size: &str) -> String {
    size.chars()
        .filter_map(|c| match c {
            '"' => Some("IN".to_string()),
            '/' => Some("-".to_string()),
            '²' => Some("2".to_string()),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_uppercase().to_string()),
            _ => None,
        })
        .collect()
}

fn abbreviation(key: &str) -> String {
    key.split('_').filter_map(|w| w.chars().next()).collect::<String>().to_ascii_uppercase()
}

/// Rows waiting to be inserted, flushed in multi-row INSERTs (one round trip per few hundred).
struct Batch {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Value>>,
}

#[derive(Clone)]
enum Value {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
}

impl Batch {
    fn new(table: &'static str, columns: &'static [&'static str]) -> Batch {
        Batch { table, columns, rows: vec![] }
    }

    /// Queues a row. Nothing is written until `flush`, which the caller runs parents-first, so
    /// foreign keys always point at rows already inserted.
    fn push(&mut self, row: Vec<Value>) {
        self.rows.push(row);
    }

    async fn flush(&mut self, tx: &mut Transaction<'_, Any>) -> Result<(), sqlx::Error> {
        let width = self.columns.len();
        // At most ~3,000 parameters per statement (SQLite allows 32,766, PostgreSQL 65,535).
        let per_statement = (3_000 / width).max(1);
        while !self.rows.is_empty() {
            let take = self.rows.len().min(per_statement);
            let chunk: Vec<Vec<Value>> = self.rows.drain(..take).collect();
            self.insert(tx, chunk).await?;
        }
        Ok(())
    }

    async fn insert(&self, tx: &mut Transaction<'_, Any>, rows: Vec<Vec<Value>>) -> Result<(), sqlx::Error> {
        let width = self.columns.len();
        let mut sql = format!("INSERT INTO {} ({}) VALUES ", self.table, self.columns.join(", "));
        for (r, _) in rows.iter().enumerate() {
            if r > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..width {
                if c > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!("${}", r * width + c + 1));
            }
            sql.push(')');
        }
        let mut query = sqlx::query(&sql);
        for row in rows {
            for value in row {
                query = match value {
                    Value::Int(v) => query.bind(v),
                    Value::OptInt(v) => query.bind(v),
                    Value::Text(v) => query.bind(v),
                };
            }
        }
        query.execute(&mut **tx).await?;
        Ok(())
    }
}

async fn insert_id(tx: &mut Transaction<'_, Any>, sql: &str, texts: &[&str]) -> Result<i64, sqlx::Error> {
    let mut query = sqlx::query_as::<_, (i64,)>(sql);
    for t in texts {
        query = query.bind(*t);
    }
    Ok(query.fetch_one(&mut **tx).await?.0)
}

/// Generates the catalog when the database has none (idempotent across restarts).
pub async fn ensure_demo_catalog(pool: &AnyPool, products: usize) -> Result<(), AppError> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products").fetch_one(pool).await?;
    if count > 0 {
        return Ok(());
    }
    generate(pool, products).await
}

/// The whole demo catalog, in one transaction, step by step: categories, attribute labels,
/// warehouses, price lists, catalogs, then the products with their variants, stock, prices and
/// rules, then who sees what. The triggers are muted: one 'full' change at the end says reload all.
pub async fn generate(pool: &AnyPool, products: usize) -> Result<(), AppError> {
    let vocab = vocabulary()?;
    let mut tx = pool.begin().await?;
    crate::backend::read_model::log::mute(&mut tx).await?;
    let created = now();
    let type_categories = categories(&mut tx, &vocab).await?;
    attribute_labels(&mut tx, &vocab).await?;
    let warehouses = warehouses(&mut tx).await?;
    let lists = price_lists(&mut tx, created).await?;
    let catalogs = catalogs(&mut tx).await?;
    let place = Place { type_categories, warehouses, lists, catalogs, created };
    product_rows(&mut tx, &vocab, &place, products).await?;
    assign_demo_companies(&mut tx, &place.lists, &place.catalogs).await?;
    move_id_sequences(&mut tx).await?;
    crate::backend::read_model::log::unmute_and_reload_all(&mut tx).await?;
    tx.commit().await?;
    // Fresh statistics, so the planner (PostgreSQL especially) picks the indexes for a table that
    // just grew from nothing to 100,000 rows; without them the first minutes are full scans.
    sqlx::query("ANALYZE").execute(pool).await?;
    Ok(())
}

/// The ids the product rows point at.
struct Place {
    /// Sub-category per product type.
    type_categories: BTreeMap<String, i64>,
    warehouses: [i64; 2],
    /// By list code.
    lists: BTreeMap<&'static str, i64>,
    catalogs: Catalogs,
    created: i64,
}

struct Catalogs {
    core: i64,
    europe: i64,
    /// Denver Yard's building-site range.
    yard: i64,
}

/// Top-level categories, then one sub-category per product type ("Fasteners / Hex bolt"), listed
/// after the top level in the same order as the types. Returns the sub-category of each type.
async fn categories(tx: &mut Transaction<'_, Any>, vocab: &Vocabulary) -> Result<BTreeMap<String, i64>, AppError> {
    let mut category_ids = BTreeMap::new();
    let mut names = Batch::new("category_names", &["category_id", "locale", "name"]);
    let mut name_row = |id: i64, locale: Locale, name: String| {
        names.push(vec![Value::Int(id), Value::Text(locale.tag().into()), Value::Text(name)]);
    };
    for (position, (key, terms)) in vocab.categories.iter().enumerate() {
        let (id,): (i64,) =
            sqlx::query_as("INSERT INTO categories (parent_id, slug, position) VALUES (NULL, $1, $2) RETURNING id")
                .bind(key.replace('_', "-"))
                .bind(position as i64)
                .fetch_one(&mut **tx)
                .await?;
        category_ids.insert(key.clone(), id);
        for locale in Locale::ALL {
            name_row(id, locale, term(terms, locale).into());
        }
    }
    let mut type_categories = BTreeMap::new();
    for (position, (type_key, kind)) in vocab.types.iter().enumerate() {
        let (id,): (i64,) =
            sqlx::query_as("INSERT INTO categories (parent_id, slug, position) VALUES ($1, $2, $3) RETURNING id")
                .bind(category_ids[&kind.category])
                .bind(type_key.replace('_', "-"))
                .bind(1_000 + position as i64)
                .fetch_one(&mut **tx)
                .await?;
        type_categories.insert(type_key.clone(), id);
        for locale in Locale::ALL {
            name_row(id, locale, crate::backend::catalog::repo::label_case(term(&kind.names, locale).to_string()));
        }
    }
    names.flush(tx).await?;
    Ok(type_categories)
}

/// Translated attribute values (materials and colours; sizes are written the same everywhere).
async fn attribute_labels(tx: &mut Transaction<'_, Any>, vocab: &Vocabulary) -> Result<(), AppError> {
    let mut labels = Batch::new("attribute_value_names", &["attribute", "value", "locale", "label"]);
    for (attribute, table) in [("material", &vocab.materials), ("colour", &vocab.colours)] {
        for (code, names) in table {
            for locale in Locale::ALL {
                labels.push(vec![
                    Value::Text(attribute.into()),
                    Value::Text(code.clone()),
                    Value::Text(locale.tag().into()),
                    Value::Text(term(names, locale).into()),
                ]);
            }
        }
    }
    Ok(labels.flush(tx).await?)
}

async fn warehouses(tx: &mut Transaction<'_, Any>) -> Result<[i64; 2], AppError> {
    let sql = "INSERT INTO warehouses (code, name) VALUES ($1, $2) RETURNING id";
    Ok([insert_id(tx, sql, &["CHI", "Chicago"]).await?, insert_id(tx, sql, &["RTM", "Rotterdam"]).await?])
}

/// Fixed lists (USD base, JPY, VND, SAR, Acme's contract), then lists derived from the base:
/// EUR at 92 % of it (the percentage carries the agreed exchange rate), Denver Yard 3 % more for
/// yard delivery, and an Acme promotion that has already ended.
async fn price_lists(tx: &mut Transaction<'_, Any>, created: i64) -> Result<BTreeMap<&'static str, i64>, AppError> {
    let mut ids = BTreeMap::new();
    for (code, name, currency) in [
        ("USD-BASE", "USD base list", "USD"),
        ("JPY-JAPAN", "Japan list", "JPY"),
        ("VND-VIETNAM", "Vietnam list", "VND"),
        ("SAR-GULF", "Gulf list", "SAR"),
        ("ACME-CONTRACT", "Acme Builders contract prices", "USD"),
    ] {
        let sql = "INSERT INTO price_lists (code, name, currency) VALUES ($1, $2, $3) RETURNING id";
        ids.insert(code, insert_id(tx, sql, &[code, name, currency]).await?);
    }
    let base = ids["USD-BASE"];
    for (code, name, currency, bp, from, to) in [
        ("EUR-EUROPE", "Europe list (92 % of USD base)", "EUR", -800i64, None, None),
        ("USD-DENVER", "Denver Yard delivery (+3 %)", "USD", 300, None, None),
        (
            "USD-PROMO-2025",
            "Spring promotion 2025 (ended)",
            "USD",
            -3000,
            Some(created - 400 * 86_400),
            Some(created - 300 * 86_400),
        ),
    ] {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO price_lists (code, name, currency, base_list_id, adjustment_bp, valid_from, valid_to) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(code)
        .bind(name)
        .bind(currency)
        .bind(base)
        .bind(bp)
        .bind(from)
        .bind(to)
        .fetch_one(&mut **tx)
        .await?;
        ids.insert(code, id);
    }
    Ok(ids)
}

/// Two overlapping ranges, and Denver Yard's: a building site gets its own catalog, the core
/// range's fasteners, pipe fittings and safety gear only (a location's catalogs replace the
/// company's).
async fn catalogs(tx: &mut Transaction<'_, Any>) -> Result<Catalogs, AppError> {
    let sql = "INSERT INTO catalogs (code, name) VALUES ($1, $2) RETURNING id";
    Ok(Catalogs {
        core: insert_id(tx, sql, &["CORE", "Core range"]).await?,
        europe: insert_id(tx, sql, &["EUROPE", "European range"]).await?,
        yard: insert_id(tx, sql, &["YARD", "Building-site range"]).await?,
    })
}

/// The product tables' pending rows, flushed parents first.
struct ProductBatches {
    products: Batch,
    texts: Batch,
    variants: Batch,
    attributes: Batch,
    stock: Batch,
    prices: Batch,
    rules: Batch,
    memberships: Batch,
}

impl ProductBatches {
    fn new() -> ProductBatches {
        ProductBatches {
            products: Batch::new("products", &["id", "slug", "category_id"]),
            texts: Batch::new("product_texts", &["product_id", "locale", "name", "description", "is_fallback"]),
            variants: Batch::new(
                "variants",
                &["id", "product_id", "sku", "unit", "pack_size", "weight_grams", "quote_only", "position"],
            ),
            attributes: Batch::new("variant_attributes", &["variant_id", "attribute", "value"]),
            stock: Batch::new("stock", &["variant_id", "warehouse_id", "quantity", "backorder_date"]),
            prices: Batch::new("prices", &["price_list_id", "variant_id", "min_quantity", "amount_minor"]),
            rules: Batch::new(
                "quantity_rules",
                &["price_list_id", "variant_id", "min_quantity", "max_quantity", "increment"],
            ),
            memberships: Batch::new("catalog_products", &["catalog_id", "product_id"]),
        }
    }

    async fn flush(&mut self, tx: &mut Transaction<'_, Any>) -> Result<(), sqlx::Error> {
        for batch in [
            &mut self.products,
            &mut self.texts,
            &mut self.variants,
            &mut self.attributes,
            &mut self.stock,
            &mut self.prices,
            &mut self.rules,
            &mut self.memberships,
        ] {
            batch.flush(tx).await?;
        }
        Ok(())
    }
}

/// `count` products, written each few hundred. Ids are assigned here (not by the database) so
/// the multi-row inserts need no RETURNING.
async fn product_rows(
    tx: &mut Transaction<'_, Any>,
    vocab: &Vocabulary,
    place: &Place,
    count: usize,
) -> Result<(), AppError> {
    let (max_product,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM products").fetch_one(&mut **tx).await?;
    let (max_variant,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM variants").fetch_one(&mut **tx).await?;
    let mut ids = (max_product.unwrap_or(0), max_variant.unwrap_or(0));
    let mut rows = ProductBatches::new();
    for i in 0..count {
        if i % 250 == 0 && i > 0 {
            rows.flush(tx).await?;
        }
        product(&mut rows, vocab, place, i, &mut ids);
    }
    rows.flush(tx).await?;
    Ok(())
}

/// Product number `i`: its row, names and descriptions in every locale, catalogs and variants.
fn product(rows: &mut ProductBatches, vocab: &Vocabulary, place: &Place, i: usize, ids: &mut (i64, i64)) {
    let types: Vec<(&String, &ProductType)> = vocab.types.iter().collect();
    let grades: Vec<(&String, &Terms)> = vocab.grades.iter().collect();
    let mut rng = Rng(i as u64 * 7919 + 17);
    let (type_key, kind) = types[i % types.len()];
    // (type, n) is unique per product: n numbers the products of one type.
    let n = i / types.len();
    let material = &kind.materials[n % kind.materials.len()];
    let (grade_key, grade) = grades[(n / kind.materials.len()) % grades.len()];
    let model_number = 101 + n;
    let model = format!("{}-{model_number}", abbreviation(type_key));
    ids.0 += 1;
    let product_id = ids.0;
    let slug = format!("{}-{}-{}-{model_number}", type_key, grade_key, material).replace('_', "-");
    rows.products.push(vec![
        Value::Int(product_id),
        Value::Text(slug),
        Value::Int(place.type_categories[type_key.as_str()]),
    ]);

    for locale in Locale::ALL {
        let material_name = term(&vocab.materials[material], locale);
        let type_name = term(&kind.names, locale);
        let grade_name = term(grade, locale);
        let unit_name = term(&vocab.units[&kind.unit], locale);
        let pattern = term(&vocab.name_patterns, locale);
        let mut name = format!(
            "{} {model}",
            fill(pattern, &[("grade", grade_name), ("material", material_name), ("type", type_name)])
        );
        if matches!(locale, Locale::ZhCn | Locale::ZhTw) {
            name = space_han_and_latin(&name);
        }
        let description = fill(
            term(&vocab.descriptions[&kind.category], locale),
            &[("grade", grade_name), ("material", material_name), ("type", type_name), ("unit", unit_name)],
        );
        let fallback = !vocab.name_patterns.contains_key(locale.tag());
        rows.texts.push(vec![
            Value::Int(product_id),
            Value::Text(locale.tag().into()),
            Value::Text(name),
            Value::Text(description),
            Value::Int(fallback as i64),
        ]);
    }

    // Two overlapping catalogs: every tenth product is only in one of them.
    let catalogs = &place.catalogs;
    if i % 10 != 9 {
        rows.memberships.push(vec![Value::Int(catalogs.core), Value::Int(product_id)]);
    }
    if i % 10 != 0 {
        rows.memberships.push(vec![Value::Int(catalogs.europe), Value::Int(product_id)]);
    }
    if i % 10 != 9 && ["fasteners", "pipe_fittings", "safety"].contains(&kind.category.as_str()) {
        rows.memberships.push(vec![Value::Int(catalogs.yard), Value::Int(product_id)]);
    }

    // Up to three variants: sizes (and colours) rotating from a product-specific start.
    let colours: Vec<Option<&String>> =
        if kind.colours.is_empty() { vec![None] } else { kind.colours.iter().map(Some).collect() };
    let combos = (kind.sizes.len() * colours.len()).min(3);
    let start = rng.below(kind.sizes.len() as u64) as usize;
    let base_price = 50 + rng.below(20_000) as i64; // cents
    for v in 0..combos {
        // Walk sizes first, then colours: distinct combinations for v < sizes × colours.
        let size = &kind.sizes[(start + v) % kind.sizes.len()];
        let colour = colours[((start + v) / kind.sizes.len()) % colours.len()];
        ids.1 += 1;
        let variant_id = ids.1;
        let mut sku = format!("{}-{}-{}", abbreviation(type_key), abbreviation(material), size_code(size));
        if let Some(c) = colour {
            sku.push('-');
            sku.push_str(&c[..c.len().min(3)].to_ascii_uppercase());
        }
        sku.push_str(&format!("-{model_number}"));
        // Every 97th variant is quote-only: its price exists but never leaves the server.
        let quote_only = variant_id % 97 == 0;
        let weight = 10 + rng.below(5_000) as i64;
        rows.variants.push(vec![
            Value::Int(variant_id),
            Value::Int(product_id),
            Value::Text(sku),
            Value::Text(kind.unit.clone()),
            Value::Int(kind.pack),
            Value::Int(weight),
            Value::Int(quote_only as i64),
            Value::Int(v as i64),
        ]);
        let mut attribute = |name: &str, value: &String| {
            rows.attributes.push(vec![Value::Int(variant_id), Value::Text(name.into()), Value::Text(value.clone())]);
        };
        attribute("size", size);
        attribute("material", material);
        if let Some(c) = colour {
            attribute("colour", c);
        }
        let usd = base_price + (v as i64) * base_price / 4;
        variant_stock(rows, &mut rng, place, variant_id);
        variant_prices(rows, place, variant_id, usd, kind.unit.as_str(), type_key.as_str());
    }
}

/// Stock in both warehouses: mostly in stock, some low, some out with a backorder date.
fn variant_stock(rows: &mut ProductBatches, rng: &mut Rng, place: &Place, variant_id: i64) {
    for warehouse in place.warehouses {
        let (quantity, backorder) = match rng.below(100) {
            0..=7 => (0, Some(place.created + (7 + rng.below(50) as i64) * 86_400)),
            8..=22 => (1 + rng.below(15) as i64, None),
            _ => (20 + rng.below(2_000) as i64, None),
        };
        rows.stock.push(vec![
            Value::Int(variant_id),
            Value::Int(warehouse),
            Value::Int(quantity),
            Value::OptInt(backorder),
        ]);
    }
}

/// USD base with volume tiers; fixed lists in JPY, VND and SAR at today's rates, rounded the way
/// those markets price; Acme's contract price on one variant in twenty; the quantity rules.
fn variant_prices(rows: &mut ProductBatches, place: &Place, variant_id: i64, usd: i64, unit: &str, type_key: &str) {
    let lists = &place.lists;
    let base = lists["USD-BASE"];
    let mut price = |list: i64, min_quantity: i64, amount: i64| {
        rows.prices.push(vec![Value::Int(list), Value::Int(variant_id), Value::Int(min_quantity), Value::Int(amount)]);
    };
    for (min_q, cents) in [(1, usd), (10, usd * 95 / 100), (50, usd * 90 / 100)] {
        price(base, min_q, cents);
    }
    let jpy = (usd * 150 + 50) / 100;
    let vnd = ((usd * 25_000 / 100) + 50) / 100 * 100;
    let sar = usd * 375 / 100;
    for (code, amount) in [("JPY-JAPAN", jpy), ("VND-VIETNAM", vnd), ("SAR-GULF", sar)] {
        price(lists[code], 1, amount);
        price(lists[code], 10, amount * 95 / 100);
    }
    if variant_id % 20 == 3 {
        price(lists["ACME-CONTRACT"], 1, usd * 85 / 100);
    }
    // Cable by the 5 m from 10 m, pipe from 5 m, fasteners at most 500 boxes.
    let rule = match (unit, type_key) {
        ("metre", "cable") => Some((10, None, 5)),
        ("metre", _) => Some((5, None, 1)),
        ("box", _) => Some((1, Some(500), 1)),
        _ => None,
    };
    if let Some((min, max, increment)) = rule {
        rows.rules.push(vec![
            Value::Int(base),
            Value::Int(variant_id),
            Value::Int(min),
            Value::OptInt(max),
            Value::Int(increment),
        ]);
    }
}

/// Ids were given explicitly, which PostgreSQL's identity columns do not notice: move them past
/// the largest, or the next product added any other way would collide.
async fn move_id_sequences(tx: &mut Transaction<'_, Any>) -> Result<(), AppError> {
    if tx.backend_name() == "PostgreSQL" {
        for table in ["products", "variants"] {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Which company sees which catalog at which prices.
async fn assign_demo_companies(
    tx: &mut Transaction<'_, Any>,
    lists: &BTreeMap<&str, i64>,
    catalogs: &Catalogs,
) -> Result<(), AppError> {
    let Catalogs { core, europe, yard } = *catalogs;
    let companies: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM companies").fetch_all(&mut **tx).await?;
    for (company_id, name) in companies {
        let (catalog, assigned): (i64, Vec<(&str, i64, Option<&str>)>) = match name.as_str() {
            "Acme Builders" => (
                core,
                vec![
                    ("USD-BASE", 0, None),
                    ("ACME-CONTRACT", 20, None),
                    ("USD-DENVER", 10, Some("Denver Yard")),
                    ("USD-PROMO-2025", 100, None),
                ],
            ),
            "Müller Haustechnik GmbH" => (europe, vec![("EUR-EUROPE", 0, None)]),
            "Kanto Kogyo" => (core, vec![("JPY-JAPAN", 0, None)]),
            "Saigon Foods" => (core, vec![("VND-VIETNAM", 0, None)]),
            "Bayt Al Tijara" => (core, vec![("SAR-GULF", 0, None)]),
            _ => continue,
        };
        sqlx::query("INSERT INTO catalog_assignments (catalog_id, company_id, location_id) VALUES ($1, $2, NULL)")
            .bind(catalog)
            .bind(company_id)
            .execute(&mut **tx)
            .await?;
        if name == "Acme Builders" {
            sqlx::query(
                "INSERT INTO catalog_assignments (catalog_id, company_id, location_id) \
                 SELECT $1, $2, id FROM locations WHERE company_id = $2 AND name = 'Denver Yard'",
            )
            .bind(yard)
            .bind(company_id)
            .execute(&mut **tx)
            .await?;
        }
        for (code, priority, location) in assigned {
            let location_id: Option<i64> = match location {
                Some(loc) => {
                    sqlx::query_as::<_, (i64,)>("SELECT id FROM locations WHERE company_id = $1 AND name = $2")
                        .bind(company_id)
                        .bind(loc)
                        .fetch_optional(&mut **tx)
                        .await?
                        .map(|(id,)| id)
                }
                None => None,
            };
            sqlx::query("INSERT INTO price_list_assignments (price_list_id, company_id, location_id, priority) VALUES ($1, $2, $3, $4)")
                .bind(lists[code])
                .bind(company_id)
                .bind(location_id)
                .bind(priority)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vocabulary_has_every_term_in_every_locale() {
        let v = vocabulary().expect("vocabulary.yml parses");
        let tables = [&v.categories, &v.units, &v.grades, &v.materials, &v.colours, &v.descriptions];
        for table in tables {
            for (key, terms) in table {
                for locale in Locale::ALL {
                    assert!(terms.get(locale.tag()).is_some_and(|t| !t.is_empty()), "{key} lacks {}", locale.tag());
                }
            }
        }
        for (key, kind) in &v.types {
            for locale in Locale::ALL {
                assert!(
                    kind.names.get(locale.tag()).is_some_and(|t| !t.is_empty()),
                    "type {key} lacks {}",
                    locale.tag()
                );
            }
            for m in &kind.materials {
                assert!(v.materials.contains_key(m), "type {key}: unknown material {m}");
            }
        }
        for locale in Locale::ALL {
            let p = v.name_patterns.get(locale.tag()).expect("a name pattern per locale");
            for ph in ["%{grade}", "%{material}", "%{type}"] {
                assert!(p.contains(ph), "{} pattern lacks {ph}", locale.tag());
            }
        }
    }

    #[test]
    fn sku_codes_are_safe() {
        assert_eq!(size_code("M8x20"), "M8X20");
        assert_eq!(size_code("1/2\""), "1-2IN");
        assert_eq!(size_code("2.5 mm²"), "25MM2");
        assert_eq!(abbreviation("hex_bolt"), "HB");
        assert_eq!(space_han_and_latin("工业级PVC水管"), "工业级 PVC 水管");
        assert_eq!(fill("Unité\u{a0}: %{unit}", &[("unit", "boîte")]), "Unité\u{a0}: boîte");
    }
}
