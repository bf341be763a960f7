//! Search: the header's results as you type, and the /search page.

use crate::api::catalog::StockDto;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Results per page on /search; the header shows the first few.
pub const PAGE_SIZE: usize = 24;
pub const SUGGESTIONS: usize = 8;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamePart {
    pub text: String,
    /// Part of the name the query matched (shown highlighted).
    pub hit: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHitDto {
    pub slug: String,
    pub name: Vec<NamePart>,
    pub category: String,
    pub sku: String,
    pub variant_count: usize,
    /// Single-unit price at the quantity rule's minimum, formatted; `None` when quote-only or
    /// unpriced.
    pub price: Option<String>,
    pub quote_only: bool,
    pub stock: StockDto,
    /// The quantity rule, so an "add to cart" control can offer a valid quantity.
    pub min_quantity: i64,
    pub increment: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacetDto {
    pub code: String,
    pub label: String,
    pub count: usize,
    pub nested: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchDto {
    /// The query as searched (cleaned, at most 200 characters).
    pub query: String,
    pub currency: String,
    pub total: usize,
    pub page: i64,
    pub has_next: bool,
    pub hits: Vec<SearchHitDto>,
    pub categories: Vec<FacetDto>,
    pub materials: Vec<FacetDto>,
    pub colours: Vec<FacetDto>,
    pub in_stock: usize,
}

#[cfg(feature = "ssr")]
async fn run(
    q: Option<String>,
    category: Option<String>,
    material: Option<String>,
    colour: Option<String>,
    in_stock: bool,
    page: i64,
    page_size: usize,
) -> Result<SearchDto, AppError> {
    use crate::backend::search::service::{self, SearchQuery};
    use crate::backend::{platform::clock, platform::guard::authorize};
    use crate::domain::permission::Permission;
    use crate::i18n::request_locale;

    let (state, actor) = authorize(Permission::CatalogView).await?;
    let locale = request_locale();
    let query = SearchQuery {
        // The cut to length happens in the service; bound what is copied before that.
        text: q.unwrap_or_default().chars().take(2_000).collect(),
        category: crate::api::catalog::parse_filter(category),
        material: crate::api::catalog::parse_filter(material),
        colour: crate::api::catalog::parse_filter(colour),
        in_stock,
        page,
        page_size,
    };
    let results = service::find(&state, &actor, locale, query, clock::now()).await?;
    let facet = |f: service::Facet| FacetDto { code: f.code, label: f.label, count: f.count, nested: f.nested };
    Ok(SearchDto {
        query: results.text,
        currency: results.currency.code().to_string(),
        total: results.total,
        page: results.page,
        has_next: results.has_next,
        hits: results
            .hits
            .into_iter()
            .map(|h| SearchHitDto {
                price: h.price.as_ref().and_then(|p| p.unit_price(p.rule.min)).map(|m| crate::format::money(m, locale)),
                min_quantity: h.price.as_ref().map(|p| p.rule.min).unwrap_or(1),
                increment: h.price.as_ref().map(|p| p.rule.increment).unwrap_or(1),
                stock: crate::api::catalog::stock_dto(h.stock, locale),
                name: h.name.into_iter().map(|(text, hit)| NamePart { text, hit }).collect(),
                slug: h.slug,
                category: h.category,
                sku: h.sku,
                variant_count: h.variant_count,
                quote_only: h.quote_only,
            })
            .collect(),
        categories: results.categories.into_iter().map(facet).collect(),
        materials: results.materials.into_iter().map(facet).collect(),
        colours: results.colours.into_iter().map(facet).collect(),
        in_stock: results.in_stock,
    })
}

/// The first results for the header's box, as the buyer types.
#[server(endpoint = "search/suggest")]
pub async fn suggest(q: String) -> Result<SearchDto, AppError> {
    run(Some(q), None, None, None, false, 1, SUGGESTIONS).await
}

/// Suggestions as HTML for the islands: `[options, footer, skus]`: the header box's listbox
/// options and "see all" link, and `<option>`s of SKUs for quick order's datalist, rendered by
/// `components::suggestions`.
#[server(endpoint = "search/suggest_html", input = leptos::server_fn::codec::GetUrl)]
pub async fn suggest_html(q: String) -> Result<(String, String, String), AppError> {
    let dto = run(Some(q.clone()), None, None, None, false, 1, SUGGESTIONS).await?;
    let locale = crate::i18n::request_locale();
    Ok(crate::components::suggestions::suggestions_html(&dto, &q, locale))
}

/// One page of results with facets. Arguments are the page's URL parameters, raw.
#[server(endpoint = "search/query")]
pub async fn search(
    q: Option<String>,
    category: Option<String>,
    material: Option<String>,
    colour: Option<String>,
    stock: Option<String>,
    page: Option<String>,
) -> Result<SearchDto, AppError> {
    run(
        q,
        category,
        material,
        colour,
        stock.as_deref() == Some("in"),
        crate::api::catalog::parse_page(page.as_deref()).min(10_000),
        PAGE_SIZE,
    )
    .await
}
