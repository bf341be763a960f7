//! /search?q=…: every result, paged, with facets and their counts; server-rendered, so it works
//! without JavaScript (the header's box submits here on Enter).

use crate::api::catalog::FilterOption;
use crate::api::search::{search, FacetDto, SearchDto};
use crate::components::error_view::ErrorView;
use crate::components::filters::{filter_select, pager};
use crate::components::highlighted::highlighted;
use crate::components::stock_badge::stock_badge;
use crate::i18n::{tr, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SearchPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let results = Resource::new(
        move || {
            query.with(|q| {
                (q.get("q"), q.get("category"), q.get("material"), q.get("colour"), q.get("stock"), q.get("page"))
            })
        },
        |(q, category, material, colour, stock, page)| search(q, category, material, colour, stock, page),
    );
    let (pending, set_pending) = signal(false);
    view! {
        <Title text=tr!(locale, "search.title") />
        <section class="page" aria-busy=move || pending.get().then_some("true")>
            <Transition fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> } set_pending>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(dto) => view! { <SearchView dto locale /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Facets as filter options, each label with its count ("Brass (12)").
fn options(facets: &[FacetDto]) -> Vec<FilterOption> {
    facets
        .iter()
        .map(|f| FilterOption { code: f.code.clone(), label: format!("{} ({})", f.label, f.count), nested: f.nested })
        .collect()
}

#[component]
fn SearchView(dto: SearchDto, locale: Locale) -> impl IntoView {
    let add = ServerAction::<crate::api::cart::AddCartLines>::new();
    let added = crate::components::outcome::posted::<crate::api::cart::AddCartLines>();
    let query = use_query_map();
    let (category, material, colour, stock) =
        query.with_untracked(|q| (q.get("category"), q.get("material"), q.get("colour"), q.get("stock")));
    let text = dto.query.clone();
    let current = [
        ("q", Some(text.clone())),
        ("category", category.clone()),
        ("material", material.clone()),
        ("colour", colour.clone()),
        ("stock", stock.clone()),
    ];
    let page_link = |page: i64| crate::url::page_link("/search", &current, page);
    let prev = (dto.page > 1).then(|| page_link(dto.page - 1));
    let next = dto.has_next.then(|| page_link(dto.page + 1));
    let heading =
        if text.is_empty() { tr!(locale, "search.title") } else { tr!(locale, "search.results_for", query = text) };
    let summary = if text.is_empty() {
        tr!(locale, "search.empty_query")
    } else if dto.total == 0 {
        tr!(locale, "search.no_results")
    } else {
        tr!(locale, "search.count", count = dto.total)
    };
    let in_stock_label = tr!(locale, "search.in_stock_only", count = dto.in_stock);
    view! {
        <h1>{heading}</h1>
        <form method="GET" action="/search" class="filters" role="search">
            <div class="field grow">
                <label for="s-q">{tr!(locale, "search.label")}</label>
                <input id="s-q" type="search" name="q" value=text.clone() maxlength="200" />
            </div>
            {filter_select("category", tr!(locale, "catalog.category"), tr!(locale, "catalog.all_categories"), &options(&dto.categories), &category)}
            {filter_select("material", tr!(locale, "attributes.material"), tr!(locale, "catalog.any"), &options(&dto.materials), &material)}
            {filter_select("colour", tr!(locale, "attributes.colour"), tr!(locale, "catalog.any"), &options(&dto.colours), &colour)}
            <div class="field check">
                <input id="s-stock" type="checkbox" name="stock" value="in" checked=stock.as_deref() == Some("in") />
                <label for="s-stock">{in_stock_label}</label>
            </div>
            <button type="submit">{tr!(locale, "search.submit")}</button>
        </form>
        <p class="muted" role="status">{summary}</p>
        {dto.did_you_mean.clone().map(|suggestion| {
            let href = format!("/search?q={}", crate::url::encode_component(&suggestion));
            view! {
                <p class="did-you-mean" data-testid="did-you-mean">
                    {tr!(locale, "search.did_you_mean")}" "
                    <a href=href dir="auto"><strong>{suggestion}</strong></a>
                </p>
            }
        })}
        {(!dto.hits.is_empty()).then(|| view! {
            <ActionForm action=add>
            <div class="table-scroll"><table class="data-table search-table">
                <caption class="visually-hidden">{tr!(locale, "search.title")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr!(locale, "catalog.product")}</th>
                        <th scope="col">{tr!(locale, "product.sku")}</th>
                        <th scope="col" class="num">{tr!(locale, "product.unit_price")}</th>
                        <th scope="col">{tr!(locale, "product.stock")}</th>
                        <th scope="col">{tr!(locale, "product.quantity")}</th>
                    </tr>
                </thead>
                <tbody>
                    {dto.hits.into_iter().enumerate().map(|(i, h)| {
                        let price = if h.quote_only {
                            tr!(locale, "product.request_quote")
                        } else {
                            h.price.clone().unwrap_or_else(|| tr!(locale, "product.no_price"))
                        };
                        let qty_label = tr!(locale, "product.quantity_for", sku = h.sku);
                        view! {
                            <tr>
                                <td>
                                    <a href=format!("/products/{}", h.slug)>{highlighted(&h.name)}</a>
                                    <div class="muted small">{h.category.clone()}</div>
                                </td>
                                <td class="sku">{h.sku.clone()}</td>
                                <td class="num price">{price}</td>
                                <td>{stock_badge(h.stock.clone(), locale)}</td>
                                <td>
                                    // Rows with a quantity typed go to the cart; the minimum shows as a hint.
                                    {(!h.quote_only && h.price.is_some()).then(|| view! {
                                        <input type="hidden" name=format!("lines[{i}][sku]") value=h.sku.clone() />
                                        <input class="qty" type="text" inputmode="numeric" aria-label=qty_label
                                            name=format!("lines[{i}][quantity]") placeholder=h.min_quantity.to_string() />
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table></div>
            <div class="form-actions">
                <button type="submit" class="primary">{tr!(locale, "cart.add")}</button>
                <crate::components::add_report::AddReport result=added.clone() locale />
            </div>
            </ActionForm>
        })}
        {pager(locale, dto.page, prev, next)}
    }
}
