//! The catalog as a member sees it: only products of the catalogs assigned to their company or
//! location, priced by the lists assigned to them. Quote-only variants are never priced here, so
//! their price cannot reach any response.

pub mod generator;
pub mod repo;

use super::guard::Actor;
use super::state::AppState;
use crate::domain::money::Currency;
use crate::domain::pricing::{self, PriceList, ResolvedPrice};
use crate::error::AppError;
use crate::i18n::Locale;
use std::collections::HashMap;

/// Below this many units in all warehouses together, stock shows as low.
pub const LOW_STOCK: i64 = 20;
pub const PAGE_SIZE: i64 = 48;
/// Deeper pages than this are refused as empty: nobody pages 2,000 × 48 products by hand.
pub const MAX_PAGE: i64 = 2_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stock {
    InStock,
    Low,
    Out { backorder: Option<i64> },
}

pub fn stock_level(quantity: i64, backorder: Option<i64>) -> Stock {
    match quantity {
        q if q <= 0 => Stock::Out { backorder },
        q if q < LOW_STOCK => Stock::Low,
        _ => Stock::InStock,
    }
}

/// The member's prices: the company currency and its applicable lists, in order.
pub struct Pricing {
    pub currency: Currency,
    lists: Vec<PriceList>,
    currencies: Vec<(i64, Currency)>,
}

pub async fn pricing(state: &AppState, actor: &Actor, now: i64) -> Result<Pricing, AppError> {
    let company = super::team::repo::company(&state.pool, actor.company_id()).await?.ok_or(AppError::NotFound)?;
    let currency = Currency::parse(&company.currency).map_err(|_| AppError::internal(format!("company currency {}", company.currency)))?;
    let (assigned, currencies) = repo::assigned_price_lists(&state.pool, actor.company_id(), actor.location_id).await?;
    Ok(Pricing { currency, lists: pricing::applicable_lists(&assigned, currency, now), currencies })
}

impl Pricing {
    /// The ids whose rows resolution may need: the applicable lists and their bases.
    fn list_ids(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self.lists.iter().map(|l| l.id).collect();
        for l in &self.lists {
            if let pricing::ListKind::Percent { base, .. } = l.kind {
                ids.push(base);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Resolves every priceable variant in `variants` (quote-only ones must not be passed).
    pub async fn resolve(&self, state: &AppState, variants: &[i64]) -> Result<HashMap<i64, ResolvedPrice>, AppError> {
        let rows = repo::price_rows(&state.pool, state.db, &self.list_ids(), variants, &self.currencies).await?;
        Ok(variants.iter().filter_map(|v| pricing::resolve(&self.lists, &rows, *v).map(|p| (*v, p))).collect())
    }
}

pub struct CatalogQuery {
    pub category: Option<String>,
    pub material: Option<String>,
    pub colour: Option<String>,
    pub descending: bool,
    pub page: i64,
}

pub struct ListedVariant {
    pub sku: String,
    pub quote_only: bool,
    pub price: Option<ResolvedPrice>,
    pub stock: Stock,
}

pub struct ListedProduct {
    pub slug: String,
    pub name: String,
    pub category: String,
    pub variants: Vec<ListedVariant>,
}

pub struct CatalogListing {
    pub currency: Currency,
    pub products: Vec<ListedProduct>,
    pub page: i64,
    pub has_next: bool,
    pub categories: Vec<(String, String)>,
    pub materials: Vec<(String, String)>,
    pub colours: Vec<(String, String)>,
}

/// The filter options of a set of catalogs in one language: only values that occur on visible
/// products, so options never reveal another company's range.
#[derive(Clone, Debug)]
pub struct Facets {
    pub categories: Vec<(i64, String, String)>,
    pub materials: Vec<(String, String)>,
    pub colours: Vec<(String, String)>,
}

/// Facets change only when the catalog does; they are cached for 30 s per (catalogs, locale).
async fn facets(state: &AppState, catalogs: &[i64], locale: Locale) -> Result<std::sync::Arc<Facets>, AppError> {
    let key = (catalogs.to_vec(), locale);
    if let Some(hit) = state.facets.get(&key) {
        return Ok(hit);
    }
    let facets = std::sync::Arc::new(Facets {
        categories: repo::visible_categories(&state.pool, catalogs, locale).await?,
        materials: repo::visible_attribute_values(&state.pool, catalogs, "material", locale).await?,
        colours: repo::visible_attribute_values(&state.pool, catalogs, "colour", locale).await?,
    });
    state.facets.insert(key, facets.clone());
    Ok(facets)
}

pub async fn list(state: &AppState, actor: &Actor, locale: Locale, query: CatalogQuery, now: i64) -> Result<CatalogListing, AppError> {
    let catalogs = repo::visible_catalogs(&state.pool, actor.company_id(), actor.location_id).await?;
    let pricing = pricing(state, actor, now).await?;
    let facets = facets(state, &catalogs, locale).await?;
    let (categories, materials, colours) = (facets.categories.clone(), facets.materials.clone(), facets.colours.clone());

    // An unknown category or attribute value is an empty result, not an error (and not a hint
    // that it exists in someone else's catalog).
    let category_id = match &query.category {
        Some(slug) => match categories.iter().find(|(_, s, _)| s == slug) {
            Some((id, _, _)) => Some(*id),
            None => return Ok(empty_listing(pricing.currency, categories, materials, colours, query.page)),
        },
        None => None,
    };
    let known = |value: &Option<String>, options: &[(String, String)]| value.as_ref().is_none_or(|v| options.iter().any(|(c, _)| c == v));
    if !known(&query.material, &materials) || !known(&query.colour, &colours) || query.page > MAX_PAGE {
        return Ok(empty_listing(pricing.currency, categories, materials, colours, query.page));
    }

    let filter = repo::ListFilter {
        category: category_id,
        material: query.material.clone(),
        colour: query.colour.clone(),
        descending: query.descending,
        offset: (query.page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE + 1,
    };
    let mut rows = repo::list_products(&state.pool, &catalogs, locale, &filter).await?;
    let has_next = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);

    let product_ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let variants = repo::variants_of(&state.pool, &product_ids).await?;
    let priceable: Vec<i64> = variants.iter().filter(|v| !v.quote_only).map(|v| v.id).collect();
    let prices = pricing.resolve(state, &priceable).await?;
    let category_names: HashMap<i64, String> = categories.iter().map(|(id, _, name)| (*id, name.clone())).collect();

    let mut by_product: HashMap<i64, Vec<ListedVariant>> = HashMap::new();
    for v in variants {
        by_product.entry(v.product_id).or_default().push(ListedVariant {
            price: if v.quote_only { None } else { prices.get(&v.id).cloned() },
            stock: stock_level(v.stock, v.backorder),
            sku: v.sku,
            quote_only: v.quote_only,
        });
    }
    let products = rows
        .into_iter()
        .map(|r| ListedProduct {
            category: category_names.get(&r.category_id).cloned().unwrap_or_default(),
            variants: by_product.remove(&r.id).unwrap_or_default(),
            slug: r.slug,
            name: r.name,
        })
        .collect();
    Ok(CatalogListing {
        currency: pricing.currency,
        products,
        page: query.page,
        has_next,
        categories: categories.into_iter().map(|(_, slug, name)| (slug, name)).collect(),
        materials,
        colours,
    })
}

fn empty_listing(
    currency: Currency,
    categories: Vec<(i64, String, String)>,
    materials: Vec<(String, String)>,
    colours: Vec<(String, String)>,
    page: i64,
) -> CatalogListing {
    CatalogListing {
        currency,
        products: vec![],
        page,
        has_next: false,
        categories: categories.into_iter().map(|(_, slug, name)| (slug, name)).collect(),
        materials,
        colours,
    }
}

pub struct DetailVariant {
    pub sku: String,
    pub unit: String,
    pub pack_size: i64,
    pub quote_only: bool,
    pub price: Option<ResolvedPrice>,
    pub stock: Stock,
    /// (attribute code, value label)
    pub attributes: Vec<(String, String)>,
}

pub struct ProductDetail {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub currency: Currency,
    pub variants: Vec<DetailVariant>,
}

/// A product by slug. Outside the member's catalogs it is `NotFound`, like a slug that never
/// existed.
pub async fn product(state: &AppState, actor: &Actor, locale: Locale, slug: &str, now: i64) -> Result<ProductDetail, AppError> {
    let catalogs = repo::visible_catalogs(&state.pool, actor.company_id(), actor.location_id).await?;
    let product = repo::product_by_slug(&state.pool, &catalogs, slug, locale).await?.ok_or(AppError::NotFound)?;
    let pricing = pricing(state, actor, now).await?;
    let variants = repo::variants_of(&state.pool, &[product.id]).await?;
    let ids: Vec<i64> = variants.iter().map(|v| v.id).collect();
    let priceable: Vec<i64> = variants.iter().filter(|v| !v.quote_only).map(|v| v.id).collect();
    let prices = pricing.resolve(state, &priceable).await?;
    let mut attributes: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for (variant, attribute, label) in repo::attributes_of(&state.pool, &ids, locale).await? {
        attributes.entry(variant).or_default().push((attribute, label));
    }
    let category = facets(state, &catalogs, locale)
        .await?
        .categories
        .iter()
        .find(|(id, _, _)| *id == product.category_id)
        .map(|(_, _, name)| name.clone())
        .unwrap_or_default();
    Ok(ProductDetail {
        slug: product.slug,
        name: product.name,
        description: product.description,
        category,
        currency: pricing.currency,
        variants: variants
            .into_iter()
            .map(|v| {
                let mut attrs = attributes.remove(&v.id).unwrap_or_default();
                // Size, material, colour: the same column order on every row.
                attrs.sort_by_key(|(a, _)| match a.as_str() {
                    "size" => 0,
                    "material" => 1,
                    "colour" => 2,
                    _ => 3,
                });
                DetailVariant {
                    price: if v.quote_only { None } else { prices.get(&v.id).cloned() },
                    stock: stock_level(v.stock, v.backorder),
                    attributes: attrs,
                    sku: v.sku,
                    unit: v.unit,
                    pack_size: v.pack_size,
                    quote_only: v.quote_only,
                }
            })
            .collect(),
    })
}
