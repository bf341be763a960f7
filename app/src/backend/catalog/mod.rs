//! The catalog as a member sees it: only products of the catalogs assigned to their company or
//! location, priced by the lists assigned to them. Quote-only variants are never priced here, so
//! their price cannot reach any response. Reads come from the in-memory snapshot (`store`), as of
//! the request's change-log head.

pub mod offer;
pub mod repo;
pub mod rows;
pub mod store;

use super::platform::guard::Actor;
use super::platform::state::AppState;
use crate::domain::money::Currency;
use crate::domain::pricing::{self, PriceList, ResolvedPrice};
use crate::error::AppError;
use crate::i18n::Locale;
use std::collections::HashMap;
use std::sync::Arc;
use store::{Facets, Snapshot, Variant};

/// Below this many units in all warehouses together, stock shows as low.
pub const LOW_STOCK: i64 = 20;
pub const PAGE_SIZE: i64 = 48;
/// Deeper pages than this are refused as empty: nobody pages 2,000 × 48 products by hand.
pub const MAX_PAGE: i64 = 2_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

/// The member's prices: the company currency and its applicable lists, in order, over one
/// catalog snapshot.
pub struct Pricing {
    pub currency: Currency,
    lists: Vec<PriceList>,
    catalog: Arc<Snapshot>,
}

/// The catalog snapshot for this request and the member's pricing in it.
pub async fn pricing(state: &AppState, actor: &Actor, now: i64) -> Result<Pricing, AppError> {
    let catalog = state.read.catalog(&state.pool, actor.seen).await?;
    let directory = state.read.user(&state.pool, actor.user_id, actor.seen).await?;
    let membership = directory.membership(actor.company_id()).ok_or(AppError::Forbidden)?;
    let currency = Currency::parse(&membership.currency)
        .map_err(|_| AppError::internal(format!("company currency {}", membership.currency)))?;
    let lists = catalog.price_lists(actor.company_id(), actor.location_id, currency, now);
    Ok(Pricing { currency, lists, catalog })
}

impl Pricing {
    pub fn catalog(&self) -> &Arc<Snapshot> {
        &self.catalog
    }

    /// The price of one variant for this member; `None` for a quote-only variant (its price is
    /// never resolved, so it cannot reach a response) and for one no list prices.
    pub fn price(&self, variant: &Variant) -> Option<ResolvedPrice> {
        if variant.quote_only {
            return None;
        }
        pricing::resolve_variant(&self.lists, |id| self.catalog.list_currency(id), variant)
    }

    /// Prices of variants by id, only those in `catalogs` (a cart line, a pasted SKU).
    pub fn resolve(&self, catalogs: &[i64], variants: &[i64]) -> HashMap<i64, ResolvedPrice> {
        variants
            .iter()
            .filter_map(|&id| {
                let product = self.catalog.product_by_variant(catalogs, id)?;
                let variant = product.variants.iter().find(|v| v.id == id)?;
                Some((id, self.price(variant)?))
            })
            .collect()
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

/// A filter option: (code, label, is a sub-category).
pub type CategoryOption = (String, String, bool);

pub struct CatalogListing {
    pub currency: Currency,
    pub products: Vec<ListedProduct>,
    pub page: i64,
    pub has_next: bool,
    pub categories: Vec<CategoryOption>,
    pub materials: Vec<(String, String)>,
    pub colours: Vec<(String, String)>,
}

/// Categories as options, each top-level one followed by its children.
fn category_options(facets: &Facets) -> Vec<CategoryOption> {
    let mut options = vec![];
    for (id, slug, name, parent) in &facets.categories {
        if parent.is_none() || !facets.categories.iter().any(|(p, ..)| Some(*p) == *parent) {
            options.push((slug.clone(), name.clone(), false));
            for (_, child_slug, child_name, _) in facets.categories.iter().filter(|(.., p)| *p == Some(*id)) {
                options.push((child_slug.clone(), child_name.clone(), true));
            }
        }
    }
    options
}

pub async fn list(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    query: CatalogQuery,
    now: i64,
) -> Result<CatalogListing, AppError> {
    let pricing = pricing(state, actor, now).await?;
    let catalog = pricing.catalog().clone();
    let catalogs = catalog.visible_catalogs(actor.company_id(), actor.location_id);
    let facets = catalog.facets(&catalogs, locale);
    let mut listing = CatalogListing {
        currency: pricing.currency,
        products: vec![],
        page: query.page,
        has_next: false,
        categories: category_options(&facets),
        materials: facets.materials.clone(),
        colours: facets.colours.clone(),
    };

    // An unknown category or attribute value is an empty result, not an error (and not a hint
    // that it exists in someone else's catalog).
    let categories = match &query.category {
        Some(slug) => match facets.categories.iter().find(|(_, s, _, _)| s == slug) {
            Some((id, ..)) => Some(
                facets.categories.iter().filter(|(c, .., p)| c == id || p == &Some(*id)).map(|(c, ..)| *c).collect(),
            ),
            None => return Ok(listing),
        },
        None => None,
    };
    let known = |value: &Option<String>, options: &[(String, String)]| {
        value.as_ref().is_none_or(|v| options.iter().any(|(c, _)| c == v))
    };
    if !known(&query.material, &listing.materials) || !known(&query.colour, &listing.colours) || query.page > MAX_PAGE {
        return Ok(listing);
    }

    let filter = store::ListFilter {
        categories,
        material: query.material,
        colour: query.colour,
        descending: query.descending,
        offset: ((query.page - 1) * PAGE_SIZE) as usize,
        limit: PAGE_SIZE as usize,
    };
    let (products, has_next) = catalog.list(&catalogs, locale, &filter);
    listing.has_next = has_next;
    listing.products = products
        .iter()
        .map(|p| ListedProduct {
            slug: p.slug.clone(),
            name: p.name(locale).to_string(),
            category: catalog.meta.category_path(p.category_id, locale),
            variants: p
                .variants
                .iter()
                .map(|v| ListedVariant {
                    sku: v.sku.clone(),
                    quote_only: v.quote_only,
                    price: pricing.price(v),
                    stock: stock_level(v.stock, v.backorder),
                })
                .collect(),
        })
        .collect();
    Ok(listing)
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
pub async fn product(
    state: &AppState,
    actor: &Actor,
    locale: Locale,
    slug: &str,
    now: i64,
) -> Result<ProductDetail, AppError> {
    let pricing = pricing(state, actor, now).await?;
    let catalog = pricing.catalog().clone();
    let catalogs = catalog.visible_catalogs(actor.company_id(), actor.location_id);
    let product = catalog.product_by_slug(&catalogs, slug).ok_or(AppError::NotFound)?;
    let description = repo::description(&state.pool, product.id, locale).await?;
    Ok(ProductDetail {
        slug: product.slug.clone(),
        name: product.name(locale).to_string(),
        description,
        category: catalog.meta.category_path(product.category_id, locale),
        currency: pricing.currency,
        variants: product
            .variants
            .iter()
            .map(|v| {
                let mut attributes: Vec<(String, String)> = v
                    .attributes
                    .iter()
                    .map(|(a, value)| (a.to_string(), catalog.meta.label(a, value, locale)))
                    .collect();
                // Size, material, colour: the same column order on every row.
                attributes.sort_by_key(|(a, _)| match a.as_str() {
                    "size" => 0,
                    "material" => 1,
                    "colour" => 2,
                    _ => 3,
                });
                DetailVariant {
                    price: pricing.price(v),
                    stock: stock_level(v.stock, v.backorder),
                    attributes,
                    sku: v.sku.clone(),
                    unit: v.unit.clone(),
                    pack_size: v.pack_size,
                    quote_only: v.quote_only,
                }
            })
            .collect(),
    })
}
