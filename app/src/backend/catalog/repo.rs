//! SQL that loads the catalog read model (`store`): everything at start-up, or the products a
//! change names. sqlx's SQLite driver costs microseconds per row returned, so the many small rows
//! of a product (texts in nine languages, attributes, price tiers, rules, stock per warehouse) are
//! packed into one text column each and unpacked in `store`. Visibility is not decided here but in
//! `store`, from the catalog ids of each product.

use crate::backend::platform::db::DbKind;
use crate::i18n::Locale;
use sqlx::AnyPool;

/// Separators inside packed columns: ASCII unit and record separators, which no text contains.
pub const UNIT_SEP: char = '\u{1f}';
pub const RECORD_SEP: char = '\u{1e}';

/// A label as shown alone (a filter option, a grid cell): first letter upper-case. Vocabulary
/// terms are stored in the case they take inside a product name ("acier inoxydable").
pub fn label_case(label: String) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().collect::<String>() + chars.as_str(),
        _ => label,
    }
}

/// `$n, $n+1, …` for an IN list starting at placeholder `first`.
pub fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// The dialect's string aggregate and character function.
fn dialect(db: DbKind) -> (&'static str, &'static str) {
    match db {
        DbKind::Sqlite => ("group_concat", "char"),
        DbKind::Postgres => ("string_agg", "chr"),
    }
}

/// ` WHERE {column} IN ($1, …)` for `ids`, or nothing for all rows.
fn only(column: &str, ids: Option<&[i64]>) -> String {
    match ids {
        Some(ids) => format!(" WHERE {column} IN ({})", placeholders(1, ids.len().max(1))),
        None => String::new(),
    }
}

fn bind_ids<'q, O>(
    mut q: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    ids: Option<&[i64]>,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    if let Some(ids) = ids {
        if ids.is_empty() {
            return q.bind(-1i64);
        }
        for id in ids {
            q = q.bind(*id);
        }
    }
    q
}

/// id, slug, category, texts ("locale␟name␞…"), catalogs ("1,2").
pub type ProductRow = (i64, String, i64, Option<String>, Option<String>);

pub async fn products(pool: &AnyPool, db: DbKind, ids: Option<&[i64]>) -> Result<Vec<ProductRow>, sqlx::Error> {
    let (agg, chr) = dialect(db);
    let sql = format!(
        "SELECT p.id, p.slug, p.category_id, \
           (SELECT {agg}(t.locale || {chr}(31) || t.name, {chr}(30)) FROM product_texts t WHERE t.product_id = p.id), \
           (SELECT {agg}(CAST(cp.catalog_id AS TEXT), ',') FROM catalog_products cp WHERE cp.product_id = p.id) \
         FROM products p{}",
        only("p.id", ids)
    );
    bind_ids(sqlx::query_as(&sql), ids).fetch_all(pool).await
}

/// id, product, sku, unit, pack size, weight, quote-only, attributes ("attr␟value␞…"),
/// tiers ("list:min:amount,…"), rules ("list:min:max:increment,…", max empty when open),
/// stock in all warehouses, earliest backorder date.
pub type VariantRow =
    (i64, i64, String, String, i64, i64, i64, Option<String>, Option<String>, Option<String>, i64, Option<i64>);

/// The variants of `products` (all when `None`), in display order.
pub async fn variants(pool: &AnyPool, db: DbKind, products: Option<&[i64]>) -> Result<Vec<VariantRow>, sqlx::Error> {
    let (agg, chr) = dialect(db);
    let sql = format!(
        "SELECT v.id, v.product_id, v.sku, v.unit, v.pack_size, v.weight_grams, v.quote_only, \
           (SELECT {agg}(va.attribute || {chr}(31) || va.value, {chr}(30)) FROM variant_attributes va WHERE va.variant_id = v.id), \
           (SELECT {agg}(CAST(pr.price_list_id AS TEXT) || ':' || CAST(pr.min_quantity AS TEXT) || ':' || CAST(pr.amount_minor AS TEXT), ',') \
              FROM prices pr WHERE pr.variant_id = v.id), \
           (SELECT {agg}(CAST(q.price_list_id AS TEXT) || ':' || CAST(q.min_quantity AS TEXT) || ':' || \
                         COALESCE(CAST(q.max_quantity AS TEXT), '') || ':' || CAST(q.increment AS TEXT), ',') \
              FROM quantity_rules q WHERE q.variant_id = v.id), \
           (SELECT CAST(COALESCE(SUM(s.quantity), 0) AS BIGINT) FROM stock s WHERE s.variant_id = v.id), \
           (SELECT MIN(s.backorder_date) FROM stock s WHERE s.variant_id = v.id) \
         FROM variants v{} ORDER BY v.product_id, v.position, v.id",
        only("v.product_id", products)
    );
    bind_ids(sqlx::query_as(&sql), products).fetch_all(pool).await
}

/// (variant, product) for variant ids, to find what a price or attribute change belongs to.
pub async fn products_of_variants(pool: &AnyPool, variants: &[i64]) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let sql = format!("SELECT v.id, v.product_id FROM variants v{}", only("v.id", Some(variants)));
    bind_ids(sqlx::query_as(&sql), Some(variants)).fetch_all(pool).await
}

/// (variant, units in all warehouses, earliest backorder date): stock read fresh after a change.
pub async fn stock(pool: &AnyPool, variants: &[i64]) -> Result<Vec<(i64, i64, Option<i64>)>, sqlx::Error> {
    let sql = format!(
        "SELECT v.id, (SELECT CAST(COALESCE(SUM(s.quantity), 0) AS BIGINT) FROM stock s WHERE s.variant_id = v.id), \
           (SELECT MIN(s.backorder_date) FROM stock s WHERE s.variant_id = v.id) FROM variants v{}",
        only("v.id", Some(variants))
    );
    bind_ids(sqlx::query_as(&sql), Some(variants)).fetch_all(pool).await
}

/// id, parent, slug, position, names ("locale␟name␞…").
pub type CategoryRow = (i64, Option<i64>, String, i64, Option<String>);

pub async fn categories(pool: &AnyPool, db: DbKind) -> Result<Vec<CategoryRow>, sqlx::Error> {
    let (agg, chr) = dialect(db);
    let sql = format!(
        "SELECT c.id, c.parent_id, c.slug, c.position, \
           (SELECT {agg}(n.locale || {chr}(31) || n.name, {chr}(30)) FROM category_names n WHERE n.category_id = c.id) \
         FROM categories c ORDER BY c.position, c.id"
    );
    sqlx::query_as(&sql).fetch_all(pool).await
}

/// (attribute, value code, locale, label).
pub async fn attribute_labels(pool: &AnyPool) -> Result<Vec<(String, String, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT attribute, value, locale, label FROM attribute_value_names").fetch_all(pool).await
}

/// id, currency, base list, adjustment (basis points), valid from, valid to.
pub type PriceListRow = (i64, String, Option<i64>, Option<i64>, Option<i64>, Option<i64>);

pub async fn price_lists(pool: &AnyPool) -> Result<Vec<PriceListRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, currency, base_list_id, adjustment_bp, valid_from, valid_to FROM price_lists")
        .fetch_all(pool)
        .await
}

/// (catalog, company, location or company-wide).
pub async fn catalog_assignments(pool: &AnyPool) -> Result<Vec<(i64, i64, Option<i64>)>, sqlx::Error> {
    sqlx::query_as("SELECT catalog_id, company_id, location_id FROM catalog_assignments ORDER BY catalog_id")
        .fetch_all(pool)
        .await
}

/// (price list, company, location or company-wide, priority).
pub async fn price_list_assignments(pool: &AnyPool) -> Result<Vec<(i64, i64, Option<i64>, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT price_list_id, company_id, location_id, priority FROM price_list_assignments")
        .fetch_all(pool)
        .await
}

/// A product's description in `locale` (kept out of memory: only its page shows it).
pub async fn description(pool: &AnyPool, product: i64, locale: Locale) -> Result<String, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT description FROM product_texts WHERE product_id = $1 AND locale = $2")
            .bind(product)
            .bind(locale.tag())
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(d,)| d).unwrap_or_default())
}

/// Descriptions of `products` (all when `None`) as (product, "locale␟text␞…"): only the search
/// index reads them in bulk.
pub async fn descriptions(
    pool: &AnyPool,
    db: DbKind,
    products: Option<&[i64]>,
) -> Result<Vec<(i64, Option<String>)>, sqlx::Error> {
    let (agg, chr) = dialect(db);
    let sql = format!(
        "SELECT p.id, (SELECT {agg}(t.locale || {chr}(31) || t.description, {chr}(30)) FROM product_texts t WHERE t.product_id = p.id) \
         FROM products p{}",
        only("p.id", products)
    );
    bind_ids(sqlx::query_as(&sql), products).fetch_all(pool).await
}
