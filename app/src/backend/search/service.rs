//! Search as a member sees it: their catalogs only, their prices and fresh stock on every hit,
//! facets with counts over everything that matched, then the selected facets applied.

use super::{highlight, MAX_QUERY_CHARS};
use crate::backend::catalog::rows::{FacetRow, FACET_ATTRIBUTES};
use crate::backend::catalog::store::Snapshot;
use crate::backend::catalog::{self, stock_level, Stock};
use crate::backend::platform::guard::Actor;
use crate::backend::platform::state::AppState;
use crate::domain::money::Currency;
use crate::domain::pricing::ResolvedPrice;
use crate::error::AppError;
use crate::i18n::Locale;

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
        .matches_with(&text, &catalogs, locale, synonyms.rules(locale))
        .map_err(|e| AppError::internal(format!("search: {e}")))?;
    if matched.is_empty() && query.correct {
        results.did_you_mean = index.did_you_mean(&text, &catalogs, locale, synonyms.rules(locale));
    }
    let page = page_of(&snapshot, &matched, &catalogs, &query, locale, &mut results);
    let typed = super::analysis::compact(&text);
    results.hits = page
        .into_iter()
        .filter_map(|s| snapshot.product_at(s))
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

/// A match of the index in the snapshot: where the product is, and how well it matched.
#[derive(Clone, Copy)]
struct Match {
    slot: u32,
    id: i64,
    score: f32,
}

/// The index's matches (product id, score, in any order) as /search shows them: only products
/// the snapshot shows `catalogs`, facets counted into `results` with the total, and the slots of
/// the requested page, best first (score, then product id). Only the page is ranked in full.
pub fn page_of(
    snapshot: &Snapshot,
    matched: &[(i64, f32)],
    catalogs: &[i64],
    query: &SearchQuery,
    locale: Locale,
    results: &mut Results,
) -> Vec<u32> {
    // The index and the snapshot are updated together, but check visibility again anyway: a
    // product reaches a response (or a count) only through the snapshot's visibility rule.
    let visible = snapshot.facet_keys().visible_sets(catalogs);
    let matches: Vec<Match> = matched
        .iter()
        .filter_map(|&(id, score)| snapshot.slot_of(id).map(|slot| Match { slot, id, score }))
        .filter(|m| snapshot.row(m.slot).visible(&visible))
        .collect();
    let mut selected = narrow(snapshot, matches, query, locale, results);
    results.total = selected.len();
    let offset = ((query.page.max(1) - 1) as usize).saturating_mul(query.page_size);
    let end = offset.saturating_add(query.page_size);
    results.has_next = selected.len() > end;
    if offset >= selected.len() {
        return vec![];
    }
    let best_first = |a: &Match, b: &Match| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id));
    if end < selected.len() {
        selected.select_nth_unstable_by(end, best_first);
        selected.truncate(end);
    }
    selected.sort_unstable_by(best_first);
    selected[offset..].iter().map(|m| m.slot).collect()
}

/// Counts the facets of `matches` into `results` and returns those that pass every selected
/// facet, in the same order. Each facet counts the products that pass every other selection, so
/// picking an option gives exactly the count it showed. It reads only the snapshot's facet rows
/// (one small block per match), never the products: a broad query counts tens of thousands of
/// matches on every search.
fn narrow(
    snapshot: &Snapshot,
    matches: Vec<Match>,
    query: &SearchQuery,
    locale: Locale,
    results: &mut Results,
) -> Vec<Match> {
    let categories = &snapshot.meta.categories;
    // The selected facets (an unknown value matches nothing, like in the catalog): a category
    // with its sub-categories, as positions.
    let category_positions: Option<Vec<u32>> =
        query.category.as_ref().map(|slug| match categories.iter().find(|c| &c.slug == slug) {
            Some(c) => (0..categories.len() as u32)
                .filter(|&i| {
                    let x = &categories[i as usize];
                    x.id == c.id || x.parent_id == Some(c.id)
                })
                .collect(),
            None => vec![],
        });
    let keys = snapshot.facet_keys();
    // Per attribute, in `FACET_ATTRIBUTES` order: none selected, or the selected value's number
    // (None: no product has it).
    let chosen: [Option<&str>; FACET_ATTRIBUTES.len()] = [query.material.as_deref(), query.colour.as_deref()];
    let selected_values: Vec<Option<Option<u32>>> =
        chosen.iter().enumerate().map(|(at, value)| value.map(|v| keys.value_id(at, v))).collect();
    let passes_value = |row: &FacetRow, at: usize| match selected_values[at] {
        None => true,
        Some(Some(id)) => keys.value_sets.get(row.values).contains(&id),
        Some(None) => false,
    };
    // Per match: does it pass the category, material, colour and stock selections?
    let flags: Vec<[bool; 4]> = matches
        .iter()
        .map(|m| {
            let row = snapshot.row(m.slot);
            [
                category_positions.as_ref().is_none_or(|p| p.contains(&row.category)),
                passes_value(row, 0),
                passes_value(row, 1),
                !query.in_stock || row.available,
            ]
        })
        .collect();
    let passes_others = |f: &[bool; 4], own: usize| f.iter().enumerate().all(|(i, x)| i == own || *x);
    // Counted into arrays: categories by position; values by value set first (products share a
    // few hundred sets), then each counted set adds to its values.
    let mut category_counts = vec![0usize; categories.len()];
    let mut set_counts = vec![[0usize; 2]; keys.value_sets.len()];
    for (m, f) in matches.iter().zip(&flags) {
        let row = snapshot.row(m.slot);
        if passes_others(f, 0) {
            if let Some(count) = category_counts.get_mut(row.category as usize) {
                *count += 1;
            }
        }
        if let Some(counts) = set_counts.get_mut(row.values as usize) {
            counts[0] += usize::from(passes_others(f, 1));
            counts[1] += usize::from(passes_others(f, 2));
        }
        if passes_others(f, 3) && row.available {
            results.in_stock += 1;
        }
    }
    let mut value_counts = vec![0usize; keys.value_count()];
    for (set, counts) in set_counts.iter().enumerate() {
        if counts[0] + counts[1] > 0 {
            for &v in keys.value_sets.get(set as u32) {
                value_counts[v as usize] += counts[keys.value(v).0];
            }
        }
    }
    // A parent counts its children's products (a product is in one category).
    let own_counts = category_counts.clone();
    for (i, &count) in own_counts.iter().enumerate() {
        if count > 0 {
            if let Some(parent) = categories[i].parent_id.and_then(|p| categories.iter().position(|c| c.id == p)) {
                category_counts[parent] += count;
            }
        }
    }
    // Parents first, each followed by its children (as in the catalog's filter).
    let facet = |i: usize| {
        let c = &categories[i];
        Facet {
            code: c.slug.clone(),
            label: c.name(locale).to_string(),
            count: category_counts[i],
            nested: c.parent_id.is_some(),
        }
    };
    let mut order: Vec<usize> = (0..categories.len())
        .filter(|&i| categories[i].parent_id.is_none())
        .flat_map(|parent| {
            std::iter::once(parent)
                .chain((0..categories.len()).filter(move |&i| categories[i].parent_id == Some(categories[parent].id)))
        })
        .collect();
    // Deeper categories (the portal makes two levels, the database allows more) go last.
    order.extend((0..categories.len()).filter(|i| !order.contains(i)).collect::<Vec<_>>());
    results.categories = order.into_iter().filter(|&i| category_counts[i] > 0).map(facet).collect();
    let attribute_facets = |at: usize| {
        let attribute = FACET_ATTRIBUTES[at];
        let mut facets: Vec<Facet> = value_counts
            .iter()
            .enumerate()
            .filter(|&(v, &count)| count > 0 && keys.value(v as u32).0 == at)
            .map(|(v, &count)| {
                let code = keys.value(v as u32).1;
                Facet {
                    label: snapshot.meta.label(attribute, code, locale),
                    code: code.to_string(),
                    count,
                    nested: false,
                }
            })
            .collect();
        facets.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
        facets
    };
    results.materials = attribute_facets(0);
    results.colours = attribute_facets(1);

    matches.into_iter().zip(flags).filter(|(_, f)| f.iter().all(|x| *x)).map(|(m, _)| m).collect()
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
