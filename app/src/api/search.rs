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
    /// "Did you mean …": a query of the catalog's own words that finds something (only on
    /// /search, when this one found nothing).
    pub did_you_mean: Option<String>,
}

/// Runs `query` for the member behind this request (its text is cut to length in the service).
#[cfg(feature = "ssr")]
async fn run(query: crate::backend::search::service::SearchQuery) -> Result<SearchDto, AppError> {
    use crate::backend::search::service;
    use crate::backend::{platform::clock, platform::guard::authorize};
    use crate::domain::permission::Permission;
    use crate::i18n::request_locale;

    let (state, actor) = authorize(Permission::CatalogView).await?;
    let locale = request_locale();
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
        did_you_mean: results.did_you_mean,
    })
}

/// The first results for the header's box, as the buyer types.
#[server(endpoint = "search/suggest")]
pub async fn suggest(q: String) -> Result<SearchDto, AppError> {
    use crate::backend::search::service::SearchQuery;
    run(SearchQuery::typed(q, SUGGESTIONS)).await
}

/// Suggestions as HTML for the islands: `[options, footer, skus]`: the header box's listbox
/// options and "see all" link, and `<option>`s of SKUs for quick order's datalist, rendered by
/// `components::suggestions`.
#[server(endpoint = "search/suggest_html", input = leptos::server_fn::codec::GetUrl)]
pub async fn suggest_html(q: String) -> Result<(String, String, String), AppError> {
    use crate::backend::search::service::SearchQuery;
    let dto = run(SearchQuery::typed(q.clone(), SUGGESTIONS)).await?;
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
    use crate::api::catalog::parse_filter;
    use crate::backend::search::service::SearchQuery;
    // The page's own form sends its empty selects ("category=&material=…"): those are no filter.
    let (category, material, colour) = (parse_filter(category), parse_filter(material), parse_filter(colour));
    let in_stock = stock.as_deref() == Some("in");
    let filtered = category.is_some() || material.is_some() || colour.is_some() || in_stock;
    let page = crate::api::catalog::parse_page(page.as_deref()).min(10_000);
    let dto = run(SearchQuery {
        category,
        material,
        colour,
        in_stock,
        page,
        correct: true,
        ..SearchQuery::typed(q.unwrap_or_default(), PAGE_SIZE)
    })
    .await?;
    // A fresh search (first page, no filters) counts for the merchant's insight.
    if page == 1 && !filtered {
        let state = crate::backend::platform::state::app_state()?;
        let parts = use_context::<axum::http::request::Parts>();
        let previous = parts.as_ref().and_then(|p| searched_from(&p.headers, &dto.query));
        let zero = dto.total == 0;
        let locale = crate::i18n::request_locale();
        let now = crate::backend::platform::clock::now();
        crate::backend::search::service::note_search(&state, locale, &dto.query, zero, previous.as_deref(), now).await;
    }
    Ok(dto)
}

/// The query whose results page this search was made from (the Referer is this portal's /search
/// with another `q`): the buyer refined it at once instead of opening a result.
#[cfg(feature = "ssr")]
fn searched_from(headers: &axum::http::HeaderMap, query: &str) -> Option<String> {
    use axum::http::{header, Uri};
    let referer: Uri = headers.get(header::REFERER)?.to_str().ok()?.parse().ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    if referer.authority().map(|a| a.as_str()) != Some(host) || referer.path() != "/search" {
        return None;
    }
    let params = axum::extract::Query::<std::collections::HashMap<String, String>>::try_from_uri(&referer).ok()?;
    let previous = params.0.get("q")?.trim().to_string();
    (!previous.is_empty() && previous.to_lowercase() != query.to_lowercase()).then_some(previous)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SynonymDto {
    pub id: i64,
    /// Language tag (`de`) and its name in that language.
    pub language: String,
    pub language_name: String,
    /// `one_way` or `equivalent`.
    pub kind: String,
    pub term: String,
    pub synonyms: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MissDto {
    pub language: String,
    pub language_name: String,
    pub query: String,
    pub zero_results: i64,
    pub refined: i64,
    /// The last day it happened, formatted for the reader.
    pub last_day: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchDeskDto {
    pub synonyms: Vec<SynonymDto>,
    pub misses: Vec<MissDto>,
    /// The period the misses cover, in days.
    pub days: i64,
}

/// The days /staff/search can look back.
pub const DESK_PERIODS: [i64; 3] = [7, 30, 90];

/// The merchant's search desk: synonyms, and what buyers searched for and did not find in the
/// last `days` days (7, 30 or 90; anything else is 30).
#[server(endpoint = "staff/search")]
pub async fn search_desk(#[server(default)] days: i64) -> Result<SearchDeskDto, AppError> {
    use crate::backend::platform::{clock, guard::authorize_staff};
    use crate::backend::search::desk;
    use crate::i18n::Locale;
    let (state, staff) = authorize_staff().await?;
    let locale = crate::i18n::request_locale();
    let days = if DESK_PERIODS.contains(&days) { days } else { 30 };
    let data = desk::desk(&state, &staff, days, clock::now()).await?;
    let name = |tag: &str| Locale::parse(tag).map(|l| l.native_name().to_string()).unwrap_or_else(|| tag.to_string());
    Ok(SearchDeskDto {
        synonyms: data
            .synonyms
            .into_iter()
            .map(|s| SynonymDto {
                id: s.id,
                language: s.language.tag().to_string(),
                language_name: s.language.native_name().to_string(),
                kind: s.kind.code().to_string(),
                term: s.term,
                synonyms: s.synonyms,
            })
            .collect(),
        misses: data
            .misses
            .into_iter()
            .map(|m| MissDto {
                language_name: name(&m.language),
                last_day: crate::domain::order::parse_iso_date(&m.last_day)
                    .map(|d| crate::format::day(d, locale))
                    .unwrap_or(m.last_day),
                language: m.language,
                query: m.query,
                zero_results: m.zero_results,
                refined: m.refined,
            })
            .collect(),
        days,
    })
}

/// Adds a synonym in `language`: `kind` `one_way` (`term` also finds each of `synonyms`) or
/// `equivalent` (each of `synonyms` finds the others); `synonyms` is comma-separated. Answers
/// true; every app server applies it from its next search.
#[server(endpoint = "staff/add_synonym")]
pub async fn add_synonym(
    language: String,
    kind: String,
    #[server(default)] term: String,
    synonyms: String,
) -> Result<bool, AppError> {
    use crate::backend::platform::{clock, guard::authorize_staff};
    use crate::backend::search::desk::{self, SynonymForm};
    let (state, staff) = authorize_staff().await?;
    let form = SynonymForm { language, kind, term, synonyms };
    desk::add_synonym(&state, &staff, &form, clock::now()).await?;
    Ok(true)
}

/// Removes a synonym. Answers true.
#[server(endpoint = "staff/remove_synonym")]
pub async fn remove_synonym(id: i64) -> Result<bool, AppError> {
    use crate::backend::platform::guard::authorize_staff;
    let (state, staff) = authorize_staff().await?;
    crate::backend::search::desk::remove_synonym(&state, &staff, id).await?;
    Ok(true)
}
