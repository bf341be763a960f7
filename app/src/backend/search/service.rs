//! Search as a member sees it: their catalogs only, their prices and fresh stock on every hit,
//! facets with counts over everything that matched, then the selected facets applied.

use super::{highlight, MAX_QUERY_CHARS};
use crate::backend::catalog::store::{Product, Snapshot};
use crate::backend::catalog::{self, stock_level, Stock};
use crate::backend::platform::guard::Actor;
use crate::backend::platform::state::AppState;
use crate::domain::money::Currency;
use crate::domain::pricing::ResolvedPrice;
use crate::error::AppError;
use crate::i18n::Locale;
use std::collections::HashMap;
use std::sync::Arc;

pub struct SearchQuery {
    pub text: String,
    pub category: Option<String>,
    pub material: Option<String>,
    pub colour: Option<String>,
    pub in_stock: bool,
    pub page: i64,
    pub page_size: usize,
    /// Offer "Did you mean …" when nothing matches (the /search page, not as-you-type).
    pub correct: bool,
}

impl SearchQuery {
    /// What the header's box asks as the buyer types: the first `size` results, no filters.
    pub fn typed(text: String, size: usize) -> SearchQuery {
        SearchQuery {
            // Bound what is copied before `find` cleans and cuts it to length.
            text: text.chars().take(2_000).collect(),
            category: None,
            material: None,
            colour: None,
            in_stock: false,
            page: 1,
            page_size: size,
            correct: false,
        }
    }
}

pub struct Hit {
    pub slug: String,
    /// The name in the viewer's language, split into (text, matched) parts.
    pub name: Vec<(String, bool)>,
    pub category: String,
    /// The SKU the query matched, else the product's first.
    pub sku: String,
    pub variant_count: usize,
    pub quote_only: bool,
    pub price: Option<ResolvedPrice>,
    pub stock: Stock,
}

pub struct Facet {
    pub code: String,
    pub label: String,
    pub count: usize,
    pub nested: bool,
}

pub struct Results {
    /// The query as searched (cleaned and cut to length).
    pub text: String,
    pub currency: Currency,
    pub total: usize,
    pub page: i64,
    pub has_next: bool,
    pub hits: Vec<Hit>,
    pub categories: Vec<Facet>,
    pub materials: Vec<Facet>,
    pub colours: Vec<Facet>,
    pub in_stock: usize,
    /// A query built from the catalog's own words that finds something, when this one did not.
    pub did_you_mean: Option<String>,
}

impl Results {
    /// No results yet, for `text` in `currency`.
    pub fn new(text: String, currency: Currency, page: i64) -> Results {
        Results {
            text,
            currency,
            total: 0,
            page,
            has_next: false,
            hits: vec![],
            categories: vec![],
            materials: vec![],
            colours: vec![],
            in_stock: 0,
            did_you_mean: None,
        }
    }
}

/// What is left of a query once control characters are gone, runs of space are one, and it is cut
/// to `MAX_QUERY_CHARS` characters.
pub fn clean(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect()
}

pub async fn find(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    query: SearchQuery,
    now: i64,
) -> Result<Results, AppError> {
    let pricing = catalog::pricing(state, actor, now).await?;
    let snapshot = pricing.catalog().clone();
    let catalogs = snapshot.visible_catalogs(actor.company_id(), actor.location_id);
    let text = clean(&query.text);
    let mut results = Results::new(text.clone(), pricing.currency, query.page);
    if text.is_empty() {
        return Ok(results);
    }
    let index = state.read.search();
    let synonyms = state.read.synonyms();
    let matched = index
        .search_with(&text, &catalogs, locale, synonyms.rules(locale))
        .map_err(|e| AppError::internal(format!("search: {e}")))?;
    if matched.is_empty() && query.correct {
        results.did_you_mean = index.did_you_mean(&text, &catalogs, locale, synonyms.rules(locale));
    }
    // The index and the snapshot are updated together, but check visibility again anyway: a
    // product reaches a response only through the snapshot's visibility rule.
    let products: Vec<_> =
        matched.iter().filter_map(|(id, _)| snapshot.product_by_id(*id)).filter(|p| p.visible_in(&catalogs)).collect();

    let selected = narrow(&snapshot, products, &query, locale, &mut results);
    results.total = selected.len();
    let offset = ((query.page.max(1) - 1) as usize).saturating_mul(query.page_size);
    results.has_next = selected.len() > offset.saturating_add(query.page_size);
    let typed = super::analysis::compact(&text);
    results.hits = selected
        .iter()
        .skip(offset)
        .take(query.page_size)
        .map(|p| {
            let variant = p
                .variants
                .iter()
                .find(|v| typed.len() >= 2 && super::analysis::compact(&v.sku).starts_with(&typed))
                .or_else(|| p.variants.iter().find(|v| !v.quote_only))
                .or_else(|| p.variants.first());
            Hit {
                slug: p.slug.clone(),
                name: highlight(locale, p.name(locale), &text),
                category: snapshot.meta.category_path(p.category_id, locale),
                sku: variant.map(|v| v.sku.clone()).unwrap_or_default(),
                variant_count: p.variants.len(),
                quote_only: variant.is_some_and(|v| v.quote_only),
                price: variant.and_then(|v| pricing.price(v)),
                stock: variant.map(|v| stock_level(v.stock, v.backorder)).unwrap_or(Stock::Out { backorder: None }),
            }
        })
        .collect();
    Ok(results)
}

/// Counts the facets of `products` (the matches, best first) into `results` and returns those that
/// pass every selected facet, in order. Each facet counts the products that pass every other
/// selection, so picking an option gives exactly the count it showed.
pub fn narrow(
    snapshot: &Snapshot,
    products: Vec<Arc<Product>>,
    query: &SearchQuery,
    locale: Locale,
    results: &mut Results,
) -> Vec<Arc<Product>> {
    // The selected facets (an unknown value matches nothing, like in the catalog).
    let category_ids: Option<Vec<i64>> =
        query.category.as_ref().map(|slug| match snapshot.meta.categories.iter().find(|c| &c.slug == slug) {
            Some(c) => snapshot
                .meta
                .categories
                .iter()
                .filter(|x| x.id == c.id || x.parent_id == Some(c.id))
                .map(|x| x.id)
                .collect(),
            None => vec![],
        });
    let available = |p: &Product| p.variants.iter().any(|v| v.stock > 0);
    // Per product: does it pass the category, material, colour and stock selections?
    let flags: Vec<[bool; 4]> = products
        .iter()
        .map(|p| {
            [
                category_ids.as_ref().is_none_or(|ids| ids.contains(&p.category_id)),
                query.material.as_deref().is_none_or(|m| p.variants.iter().any(|v| v.attribute("material") == Some(m))),
                query.colour.as_deref().is_none_or(|c| p.variants.iter().any(|v| v.attribute("colour") == Some(c))),
                !query.in_stock || available(p),
            ]
        })
        .collect();
    // Each facet counts the products that pass every other selection, so picking an option
    // gives exactly the count it showed.
    let passes_others = |f: &[bool; 4], own: usize| f.iter().enumerate().all(|(i, x)| i == own || *x);
    // Counted by borrowed values, each product's distinct values once (no allocation per
    // product: thousands of matches are counted on every search).
    let mut own_counts: HashMap<i64, usize> = HashMap::new();
    let mut material_counts: HashMap<&str, usize> = HashMap::new();
    let mut colour_counts: HashMap<&str, usize> = HashMap::new();
    let mut values: Vec<&str> = Vec::with_capacity(8);
    for (p, f) in products.iter().zip(&flags) {
        if passes_others(f, 0) {
            *own_counts.entry(p.category_id).or_default() += 1;
        }
        for (own, attribute, counts) in [(1, "material", &mut material_counts), (2, "colour", &mut colour_counts)] {
            if passes_others(f, own) {
                values.clear();
                for v in p.variants.iter().filter_map(|v| v.attribute(attribute)) {
                    if !values.contains(&v) {
                        values.push(v);
                    }
                }
                for v in &values {
                    *counts.entry(v).or_default() += 1;
                }
            }
        }
        if passes_others(f, 3) && available(p) {
            results.in_stock += 1;
        }
    }
    // A parent counts its children's products (a product is in one category).
    let mut category_counts = own_counts.clone();
    for (&category, &count) in &own_counts {
        if let Some(parent) = snapshot.meta.category(category).and_then(|c| c.parent_id) {
            *category_counts.entry(parent).or_default() += count;
        }
    }
    results.categories = snapshot
        .meta
        .categories
        .iter()
        .filter_map(|c| {
            category_counts.get(&c.id).map(|&count| Facet {
                code: c.slug.clone(),
                label: c.name(locale).to_string(),
                count,
                nested: c.parent_id.is_some(),
            })
        })
        .collect();
    // Parents first, each followed by its children (as in the catalog's filter).
    let order: Vec<i64> = snapshot
        .meta
        .categories
        .iter()
        .filter(|c| c.parent_id.is_none())
        .flat_map(|parent| {
            std::iter::once(parent.id)
                .chain(snapshot.meta.categories.iter().filter(|c| c.parent_id == Some(parent.id)).map(|c| c.id))
        })
        .collect();
    let position = |slug: &str| {
        let id = snapshot.meta.categories.iter().find(|c| c.slug == slug).map(|c| c.id);
        order.iter().position(|o| Some(*o) == id).unwrap_or(usize::MAX)
    };
    results.categories.sort_by_key(|f| position(&f.code));
    let attribute_facets = |counts: HashMap<&str, usize>, attribute: &str| {
        let mut facets: Vec<Facet> = counts
            .into_iter()
            .map(|(code, count)| Facet {
                label: snapshot.meta.label(attribute, code, locale),
                code: code.to_string(),
                count,
                nested: false,
            })
            .collect();
        facets.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
        facets
    };
    results.materials = attribute_facets(material_counts, "material");
    results.colours = attribute_facets(colour_counts, "colour");

    products.into_iter().zip(flags).filter(|(_, f)| f.iter().all(|x| *x)).map(|(p, _)| p).collect()
}

/// Counts a search made on /search for the merchant's insight: `query` when it found nothing, and
/// `previous` (the query whose results the buyer searched again from) as refined. Only texts and
/// counts per day and language are kept, never who searched. A failure here is logged, never
/// shown: the buyer's search has worked.
pub async fn note_search(state: &AppState, locale: Locale, query: &str, zero: bool, previous: Option<&str>, now: i64) {
    let day = crate::domain::order::iso_date(now.div_euclid(86_400));
    let normal = |q: &str| clean(q).to_lowercase();
    let query = normal(query);
    let mut notes = vec![];
    if zero && !query.is_empty() {
        notes.push((query.clone(), true, false));
    }
    if let Some(previous) = previous.map(normal).filter(|p| !p.is_empty() && *p != query) {
        notes.push((previous, false, true));
    }
    for (text, zero, refined) in notes {
        if let Err(e) = super::repo::count_miss(&state.pool, &day, locale, &text, zero, refined).await {
            tracing::warn!("counting a search miss: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn queries_are_cleaned_and_cut() {
        assert_eq!(super::clean("  hex\u{0}\u{7} bolt\n\t "), "hex bolt");
        assert_eq!(super::clean(&"a".repeat(10_000)).len(), super::MAX_QUERY_CHARS);
        assert_eq!(super::clean("\u{1b}[31m"), "[31m");
        assert_eq!(super::clean(""), "");
    }
}
