//! SQL for the catalog. Every query that returns products takes the caller's visible catalog ids
//! (from `visible_catalogs`), so a product outside them does not exist for the caller.

use crate::domain::ids::{CompanyId, LocationId};
use crate::domain::money::Currency;
use crate::domain::pricing::{ListKind, PriceList, PriceRows, QuantityRule, Tier};
use crate::i18n::Locale;
use sqlx::AnyPool;

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

/// The catalogs a member buying for `location` sees: the location's own when it has any, else
/// the company's.
pub async fn visible_catalogs(pool: &AnyPool, company: CompanyId, location: Option<LocationId>) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT catalog_id, location_id FROM catalog_assignments \
         WHERE company_id = $1 AND (location_id IS NULL OR location_id = $2) ORDER BY catalog_id",
    )
    .bind(company.0)
    .bind(location.map(|l| l.0).unwrap_or(-1))
    .fetch_all(pool)
    .await?;
    let own_location = rows.iter().any(|(_, l)| l.is_some());
    Ok(rows.into_iter().filter(|(_, l)| l.is_some() == own_location).map(|(id, _)| id).collect())
}

type ListRow = (i64, String, Option<i64>, Option<i64>, Option<i64>, Option<i64>, i64, Option<i64>, Option<String>);

/// The price lists assigned to the company or to `location`, plus the currency of every list
/// (bases of percentage lists included), in one query.
pub async fn assigned_price_lists(
    pool: &AnyPool,
    company: CompanyId,
    location: Option<LocationId>,
) -> Result<(Vec<PriceList>, Vec<(i64, Currency)>), sqlx::Error> {
    let rows: Vec<ListRow> = sqlx::query_as(
        "SELECT pl.id, pl.currency, pl.base_list_id, pl.adjustment_bp, pl.valid_from, pl.valid_to, a.priority, a.location_id, b.currency \
         FROM price_list_assignments a JOIN price_lists pl ON pl.id = a.price_list_id \
         LEFT JOIN price_lists b ON b.id = pl.base_list_id \
         WHERE a.company_id = $1 AND (a.location_id IS NULL OR a.location_id = $2)",
    )
    .bind(company.0)
    .bind(location.map(|l| l.0).unwrap_or(-1))
    .fetch_all(pool)
    .await?;
    let mut lists = vec![];
    let mut currencies = vec![];
    for (id, currency, base, bp, from, to, priority, location_id, base_currency) in rows {
        let Ok(currency) = Currency::parse(&currency) else { continue };
        let kind = match (base, bp) {
            (Some(base), Some(adjustment_bp)) => {
                if let Some(c) = base_currency.as_deref().and_then(|c| Currency::parse(c).ok()) {
                    currencies.push((base, c));
                }
                ListKind::Percent { base, adjustment_bp }
            }
            _ => ListKind::Fixed,
        };
        lists.push(PriceList { id, currency, kind, valid_from: from, valid_to: to, priority, location_specific: location_id.is_some() });
        currencies.push((id, currency));
    }
    Ok((lists, currencies))
}

/// Tiers and quantity rules of `variants` in `lists`, in one round trip: the tiers of each
/// (list, variant) packed into one text column ("1:500,10:475"), then the rule rows. sqlx's
/// SQLite driver costs about 10 µs per row returned, so fewer rows is the cheapest speed-up.
pub async fn price_rows(
    pool: &AnyPool,
    db: crate::backend::db::DbKind,
    lists: &[i64],
    variants: &[i64],
    currencies: &[(i64, Currency)],
) -> Result<PriceRows, sqlx::Error> {
    let mut rows = PriceRows::default();
    rows.list_currency.extend(currencies.iter().copied());
    if lists.is_empty() || variants.is_empty() {
        return Ok(rows);
    }
    // The one spot where the two dialects differ: the name of the string aggregate.
    let aggregate = match db {
        crate::backend::db::DbKind::Sqlite => "group_concat",
        crate::backend::db::DbKind::Postgres => "string_agg",
    };
    let in_lists = placeholders(1, lists.len());
    let in_variants = placeholders(lists.len() + 1, variants.len());
    let sql = format!(
        "SELECT CAST(0 AS BIGINT), price_list_id, variant_id, \
                {aggregate}(CAST(min_quantity AS TEXT) || ':' || CAST(amount_minor AS TEXT), ','), \
                CAST(0 AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT) \
         FROM prices WHERE price_list_id IN ({in_lists}) AND variant_id IN ({in_variants}) \
         GROUP BY price_list_id, variant_id \
         UNION ALL \
         SELECT CAST(1 AS BIGINT), price_list_id, variant_id, '', min_quantity, COALESCE(max_quantity, CAST(-1 AS BIGINT)), increment \
         FROM quantity_rules WHERE price_list_id IN ({in_lists}) AND variant_id IN ({in_variants})"
    );
    let mut q = sqlx::query_as::<_, (i64, i64, i64, String, i64, i64, i64)>(&sql);
    for id in lists.iter().chain(variants) {
        q = q.bind(*id);
    }
    for (kind, list, variant, tiers, min, max, increment) in q.fetch_all(pool).await? {
        if kind == 0 {
            for tier in tiers.split(',') {
                let parsed = tier.split_once(':').and_then(|(q, a)| Some((q.parse().ok()?, a.parse().ok()?)));
                if let Some((min_quantity, unit_minor)) = parsed {
                    rows.add_tier(list, variant, Tier { min_quantity, unit_minor });
                }
            }
        } else {
            rows.rules.insert((list, variant), QuantityRule::new(min, (max >= 0).then_some(max), increment));
        }
    }
    Ok(rows)
}

/// Listing filters, already parsed and bounded by the service.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    pub category: Option<i64>,
    pub material: Option<String>,
    pub colour: Option<String>,
    pub descending: bool,
    pub offset: i64,
    pub limit: i64,
}

pub struct ProductListRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub category_id: i64,
}

/// One page of visible products, by name in `locale`. Fetches `limit` rows (the service asks for
/// one more than it shows, to know whether a next page exists without counting everything).
pub async fn list_products(pool: &AnyPool, catalogs: &[i64], locale: Locale, filter: &ListFilter) -> Result<Vec<ProductListRow>, sqlx::Error> {
    if catalogs.is_empty() {
        return Ok(vec![]);
    }
    let mut sql = String::from(
        "SELECT p.id, p.slug, t.name, p.category_id FROM product_texts t JOIN products p ON p.id = t.product_id \
         WHERE t.locale = $1",
    );
    let mut next = 2;
    sql.push_str(&format!(
        " AND EXISTS (SELECT 1 FROM catalog_products cp WHERE cp.product_id = p.id AND cp.catalog_id IN ({}))",
        placeholders(next, catalogs.len())
    ));
    next += catalogs.len();
    if filter.category.is_some() {
        sql.push_str(&format!(" AND p.category_id = ${next}"));
        next += 1;
    }
    for (attribute, value) in [("material", &filter.material), ("colour", &filter.colour)] {
        if value.is_some() {
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM variants v JOIN variant_attributes va ON va.variant_id = v.id \
                 WHERE v.product_id = p.id AND va.attribute = '{attribute}' AND va.value = ${next})"
            ));
            next += 1;
        }
    }
    let direction = if filter.descending { "DESC" } else { "ASC" };
    sql.push_str(&format!(" ORDER BY t.name {direction}, p.id {direction} LIMIT ${next} OFFSET ${}", next + 1));

    let mut q = sqlx::query_as::<_, (i64, String, String, i64)>(&sql).bind(locale.tag());
    for c in catalogs {
        q = q.bind(*c);
    }
    if let Some(category) = filter.category {
        q = q.bind(category);
    }
    for value in [&filter.material, &filter.colour].into_iter().flatten() {
        q = q.bind(value.clone());
    }
    q = q.bind(filter.limit).bind(filter.offset);
    Ok(q.fetch_all(pool)
        .await?
        .into_iter()
        .map(|(id, slug, name, category_id)| ProductListRow { id, slug, name, category_id })
        .collect())
}

pub struct VariantRow {
    pub id: i64,
    pub product_id: i64,
    pub sku: String,
    pub unit: String,
    pub pack_size: i64,
    pub quote_only: bool,
    /// Units in all warehouses together, read fresh on every call.
    pub stock: i64,
    /// The earliest date more arrives at a warehouse that has none.
    pub backorder: Option<i64>,
}

/// The variants of `products` with their stock, in one query.
pub async fn variants_of(pool: &AnyPool, products: &[i64]) -> Result<Vec<VariantRow>, sqlx::Error> {
    if products.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT v.id, v.product_id, v.sku, v.unit, v.pack_size, v.quote_only, \
         (SELECT CAST(COALESCE(SUM(s.quantity), 0) AS BIGINT) FROM stock s WHERE s.variant_id = v.id), \
         (SELECT MIN(s.backorder_date) FROM stock s WHERE s.variant_id = v.id) \
         FROM variants v WHERE v.product_id IN ({}) ORDER BY v.product_id, v.position, v.id",
        placeholders(1, products.len())
    );
    let mut q = sqlx::query_as::<_, (i64, i64, String, String, i64, i64, i64, Option<i64>)>(&sql);
    for p in products {
        q = q.bind(*p);
    }
    Ok(q.fetch_all(pool)
        .await?
        .into_iter()
        .map(|(id, product_id, sku, unit, pack_size, quote_only, stock, backorder)| VariantRow {
            id,
            product_id,
            sku,
            unit,
            pack_size,
            quote_only: quote_only != 0,
            stock,
            backorder,
        })
        .collect())
}

/// Attribute values of `variants`, with the label in `locale` where the value is a code.
pub async fn attributes_of(pool: &AnyPool, variants: &[i64], locale: Locale) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    if variants.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT va.variant_id, va.attribute, COALESCE(n.label, va.value) FROM variant_attributes va \
         LEFT JOIN attribute_value_names n ON n.attribute = va.attribute AND n.value = va.value AND n.locale = $1 \
         WHERE va.variant_id IN ({})",
        placeholders(2, variants.len())
    );
    let mut q = sqlx::query_as::<_, (i64, String, String)>(&sql).bind(locale.tag());
    for v in variants {
        q = q.bind(*v);
    }
    Ok(q.fetch_all(pool).await?.into_iter().map(|(v, a, label)| (v, a, label_case(label))).collect())
}

pub struct ProductRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub category_id: i64,
}

/// A product by slug, only if it is in one of `catalogs`.
pub async fn product_by_slug(pool: &AnyPool, catalogs: &[i64], slug: &str, locale: Locale) -> Result<Option<ProductRow>, sqlx::Error> {
    if catalogs.is_empty() {
        return Ok(None);
    }
    let sql = format!(
        "SELECT p.id, p.slug, t.name, t.description, p.category_id FROM products p \
         JOIN product_texts t ON t.product_id = p.id AND t.locale = $2 \
         WHERE p.slug = $1 AND EXISTS (SELECT 1 FROM catalog_products cp WHERE cp.product_id = p.id AND cp.catalog_id IN ({}))",
        placeholders(3, catalogs.len())
    );
    let mut q = sqlx::query_as::<_, (i64, String, String, String, i64)>(&sql).bind(slug).bind(locale.tag());
    for c in catalogs {
        q = q.bind(*c);
    }
    Ok(q.fetch_optional(pool).await?.map(|(id, slug, name, description, category_id)| ProductRow { id, slug, name, description, category_id }))
}

/// Categories (id, slug, name in `locale`) that hold at least one product of `catalogs`.
pub async fn visible_categories(pool: &AnyPool, catalogs: &[i64], locale: Locale) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    if catalogs.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT c.id, c.slug, n.name FROM categories c JOIN category_names n ON n.category_id = c.id AND n.locale = $1 \
         WHERE EXISTS (SELECT 1 FROM products p JOIN catalog_products cp ON cp.product_id = p.id \
                       WHERE p.category_id = c.id AND cp.catalog_id IN ({})) \
         ORDER BY c.position",
        placeholders(2, catalogs.len())
    );
    let mut q = sqlx::query_as::<_, (i64, String, String)>(&sql).bind(locale.tag());
    for c in catalogs {
        q = q.bind(*c);
    }
    q.fetch_all(pool).await
}

/// Values of `attribute` (code, label in `locale`) that occur on visible products.
pub async fn visible_attribute_values(
    pool: &AnyPool,
    catalogs: &[i64],
    attribute: &str,
    locale: Locale,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    if catalogs.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT n.value, n.label FROM attribute_value_names n WHERE n.attribute = $1 AND n.locale = $2 \
         AND EXISTS (SELECT 1 FROM variant_attributes va JOIN variants v ON v.id = va.variant_id \
                     JOIN catalog_products cp ON cp.product_id = v.product_id \
                     WHERE va.attribute = n.attribute AND va.value = n.value AND cp.catalog_id IN ({})) \
         ORDER BY n.label",
        placeholders(3, catalogs.len())
    );
    let mut q = sqlx::query_as::<_, (String, String)>(&sql).bind(attribute).bind(locale.tag());
    for c in catalogs {
        q = q.bind(*c);
    }
    Ok(q.fetch_all(pool).await?.into_iter().map(|(code, label)| (code, label_case(label))).collect())
}

pub async fn category_by_slug(pool: &AnyPool, slug: &str) -> Result<Option<i64>, sqlx::Error> {
    Ok(sqlx::query_as::<_, (i64,)>("SELECT id FROM categories WHERE slug = $1").bind(slug).fetch_optional(pool).await?.map(|(id,)| id))
}
