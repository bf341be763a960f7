//! The catalog list, product pages and the location a member buys for.

use crate::domain::pricing::QuantityRule;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StockLevel {
    InStock,
    Low,
    Out,
}

/// Stock as the view shows it; the backorder date is already formatted for the viewer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StockDto {
    pub level: StockLevel,
    // Absent fields keep the hydration data of a 48-row page small (it is serialised twice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backorder_date: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductRowDto {
    pub slug: String,
    pub name: String,
    pub category: String,
    pub first_sku: String,
    pub sku_count: usize,
    /// Lowest single-unit price among priceable variants, formatted; `None` if none has a price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_from: Option<String>,
    /// Every variant is quote-only: show "Request a quote".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub quote_only: bool,
    pub stock: StockDto,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FilterOption {
    pub code: String,
    pub label: String,
    /// A sub-category (shown indented under its parent).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nested: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogDto {
    pub currency: String,
    pub products: Vec<ProductRowDto>,
    pub page: i64,
    pub has_next: bool,
    pub categories: Vec<FilterOption>,
    pub materials: Vec<FilterOption>,
    pub colours: Vec<FilterOption>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierDto {
    pub min_quantity: i64,
    pub unit_price: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantDto {
    pub sku: String,
    /// (attribute code, value label): the view translates the code.
    pub attributes: Vec<(String, String)>,
    pub unit: String,
    pub pack_size: i64,
    pub stock: StockDto,
    pub quote_only: bool,
    /// The tiers at the member's prices; empty for quote-only variants (never sent).
    pub tiers: Vec<TierDto>,
    pub rule: QuantityRule,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductDto {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub category: String,
    pub currency: String,
    pub variants: Vec<VariantDto>,
    /// The member may ask for a quote (`quotes.request`).
    pub can_request_quote: bool,
}

/// Tolerant parsing of URL parameters: a missing, empty, negative, huge or non-numeric page is
/// page 1 or clamped, never an error.
pub fn parse_page(raw: Option<&str>) -> i64 {
    raw.and_then(|p| p.trim().parse::<i64>().ok()).filter(|p| *p >= 1).unwrap_or(1).min(1_000_000)
}

/// A filter value from the URL: trimmed, empty = none, bounded.
pub fn parse_filter(raw: Option<String>) -> Option<String> {
    raw.map(|v| v.trim().chars().take(100).collect::<String>()).filter(|v| !v.is_empty())
}

#[cfg(feature = "ssr")]
pub(crate) fn stock_dto(stock: crate::backend::catalog::Stock, locale: crate::i18n::Locale) -> StockDto {
    use crate::backend::catalog::Stock;
    match stock {
        Stock::InStock => StockDto { level: StockLevel::InStock, backorder_date: None },
        Stock::Low => StockDto { level: StockLevel::Low, backorder_date: None },
        Stock::Out { backorder } => {
            StockDto { level: StockLevel::Out, backorder_date: backorder.map(|d| crate::format::date(d, locale)) }
        }
    }
}

/// One page of the member's catalog. Arguments are the page's URL parameters, raw.
#[server(endpoint = "catalog/list")]
pub async fn get_catalog(
    category: Option<String>,
    material: Option<String>,
    colour: Option<String>,
    sort: Option<String>,
    page: Option<String>,
) -> Result<CatalogDto, AppError> {
    use crate::backend::{catalog, platform::clock, platform::guard::authorize};
    use crate::domain::permission::Permission;
    use crate::i18n::request_locale;

    let (state, actor) = authorize(Permission::CatalogView).await?;
    let locale = request_locale();
    let query = catalog::CatalogQuery {
        category: parse_filter(category),
        material: parse_filter(material),
        colour: parse_filter(colour),
        descending: sort.as_deref() == Some("name_desc"),
        page: parse_page(page.as_deref()),
    };
    let listing = catalog::list(&state, &actor, locale, query, clock::now()).await?;
    let option = |(code, label): (String, String)| FilterOption { code, label, nested: false };
    Ok(CatalogDto {
        currency: listing.currency.code().to_string(),
        page: listing.page,
        has_next: listing.has_next,
        products: listing
            .products
            .into_iter()
            .map(|p| {
                let price_from = p
                    .variants
                    .iter()
                    .filter_map(|v| v.price.as_ref().and_then(|price| price.unit_price(price.rule.min)))
                    .min_by_key(|m| m.minor())
                    .map(|m| crate::format::money(m, locale));
                // The best stock among the variants: a product is available if any size is.
                let stock = p
                    .variants
                    .iter()
                    .map(|v| v.stock)
                    .min_by_key(|s| match s {
                        catalog::Stock::InStock => 0,
                        catalog::Stock::Low => 1,
                        catalog::Stock::Out { .. } => 2,
                    })
                    .unwrap_or(catalog::Stock::Out { backorder: None });
                ProductRowDto {
                    first_sku: p.variants.first().map(|v| v.sku.clone()).unwrap_or_default(),
                    sku_count: p.variants.len(),
                    quote_only: !p.variants.is_empty() && p.variants.iter().all(|v| v.quote_only),
                    price_from,
                    stock: stock_dto(stock, locale),
                    slug: p.slug,
                    name: p.name,
                    category: p.category,
                }
            })
            .collect(),
        categories: listing
            .categories
            .into_iter()
            .map(|(code, label, nested)| FilterOption { code, label, nested })
            .collect(),
        materials: listing.materials.into_iter().map(option).collect(),
        colours: listing.colours.into_iter().map(option).collect(),
    })
}

/// A product page's data. Unknown slugs and products outside the member's catalogs are both
/// NotFound.
#[server(endpoint = "catalog/product")]
pub async fn get_product(slug: String) -> Result<ProductDto, AppError> {
    use crate::backend::{catalog, platform::clock, platform::guard::authorize};
    use crate::domain::permission::Permission;
    use crate::i18n::request_locale;

    let (state, actor) = authorize(Permission::CatalogView).await?;
    let locale = request_locale();
    // Slugs are lowercase ASCII words and hyphens; anything else cannot exist.
    if slug.is_empty()
        || slug.len() > 200
        || !slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(AppError::NotFound);
    }
    let p = catalog::product(&state, &actor, locale, &slug, clock::now()).await?;
    Ok(ProductDto {
        can_request_quote: actor.permissions.allows(Permission::QuotesRequest),
        currency: p.currency.code().to_string(),
        variants: p
            .variants
            .into_iter()
            .map(|v| VariantDto {
                tiers: v
                    .price
                    .as_ref()
                    .map(|price| {
                        price
                            .tiers
                            .iter()
                            .map(|t| TierDto {
                                min_quantity: t.min_quantity,
                                unit_price: crate::format::money(
                                    crate::domain::money::Money::from_minor(t.unit_minor, price.currency),
                                    locale,
                                ),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                rule: v.price.as_ref().map(|p| p.rule).unwrap_or_default(),
                stock: stock_dto(v.stock, locale),
                sku: v.sku,
                attributes: v.attributes,
                unit: v.unit,
                pack_size: v.pack_size,
                quote_only: v.quote_only,
            })
            .collect(),
        slug: p.slug,
        name: p.name,
        description: p.description,
        category: p.category,
    })
}

/// Switches the location the member buys for (one of theirs); catalog and prices follow it.
/// Another location, of this company or any other, answers NotFound.
#[server(endpoint = "session/switch_location")]
pub async fn switch_location(location_id: crate::domain::ids::LocationId) -> Result<(), AppError> {
    use crate::backend::{auth, platform::guard, platform::state::app_state};
    let state = app_state()?;
    let current = guard::signed_in()?;
    let actor = guard::load_actor(&state, &current).await?;
    auth::switch_location(&state, &actor, location_id).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_page_numbers_become_page_one_or_a_bounded_page() {
        assert_eq!(parse_page(None), 1);
        assert_eq!(parse_page(Some("")), 1);
        assert_eq!(parse_page(Some("-3")), 1);
        assert_eq!(parse_page(Some("0")), 1);
        assert_eq!(parse_page(Some("abc")), 1);
        assert_eq!(parse_page(Some("99999999999999999999999")), 1);
        assert_eq!(parse_page(Some("5000000")), 1_000_000);
        assert_eq!(parse_page(Some(" 7 ")), 7);
    }
}
