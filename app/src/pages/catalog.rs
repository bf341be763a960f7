//! /catalog: the member's catalog as a dense table (48 products a page), with category and
//! attribute filters and sorting in the URL, so every view is a link and works without JavaScript.

use crate::api::catalog::{get_catalog, CatalogDto};
use crate::components::error_view::ErrorView;
use crate::components::filters::{filter_select, pager};
use crate::components::stock_badge::stock_badge;
use crate::i18n::{tr, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CatalogPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let catalog = Resource::new(
        move || query.with(|q| (q.get("category"), q.get("material"), q.get("colour"), q.get("sort"), q.get("page"))),
        |(category, material, colour, sort, page)| get_catalog(category, material, colour, sort, page),
    );
    // While new rows load, the old ones stay (a Transition) but are marked busy, so a buyer who
    // changed a filter sees that the table is about to change.
    let (pending, set_pending) = signal(false);
    view! {
        <Title text=tr!(locale, "nav.catalog") />
        <section class="page" aria-busy=move || pending.get().then_some("true")>
            <h1>{tr!(locale, "nav.catalog")}</h1>
            <p class="loading-hint" role="status">{move || pending.get().then(|| tr!(locale, "common.loading"))}</p>
            <Transition fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> } set_pending>
                {move || Suspend::new(async move {
                    match catalog.await {
                        Ok(dto) => view! { <CatalogView dto locale /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CatalogView(dto: CatalogDto, locale: Locale) -> impl IntoView {
    let query = use_query_map();
    let (category, material, colour, sort) =
        query.with_untracked(|q| (q.get("category"), q.get("material"), q.get("colour"), q.get("sort")));
    let current = [
        ("category", category.clone()),
        ("material", material.clone()),
        ("colour", colour.clone()),
        ("sort", sort.clone()),
    ];
    let page_link = |page: i64| crate::url::page_link("/catalog", &current, page);
    let prev = (dto.page > 1).then(|| page_link(dto.page - 1));
    let next = dto.has_next.then(|| page_link(dto.page + 1));
    let empty = dto.products.is_empty();
    view! {
        <form method="get" action="/catalog" class="filters">
            {filter_select("category", tr!(locale, "catalog.category"), tr!(locale, "catalog.all_categories"), &dto.categories, &category)}
            {filter_select("material", tr!(locale, "attributes.material"), tr!(locale, "catalog.any"), &dto.materials, &material)}
            {filter_select("colour", tr!(locale, "attributes.colour"), tr!(locale, "catalog.any"), &dto.colours, &colour)}
            <div class="field">
                <label for="f-sort">{tr!(locale, "catalog.sort")}</label>
                <select id="f-sort" name="sort">
                    <option value="name_asc" selected=sort.as_deref() != Some("name_desc")>{tr!(locale, "catalog.sort_name_asc")}</option>
                    <option value="name_desc" selected=sort.as_deref() == Some("name_desc")>{tr!(locale, "catalog.sort_name_desc")}</option>
                </select>
            </div>
            <button type="submit">{tr!(locale, "catalog.apply_filters")}</button>
        </form>
        <p class="muted">{tr!(locale, "catalog.prices_in", currency = dto.currency)}</p>
        {if empty {
            view! { <div class="empty-state"><p>{tr!(locale, "catalog.no_results")}</p></div> }.into_any()
        } else {
            view! {
                <div class="table-scroll"><table class="data-table catalog-table">
                    <caption class="visually-hidden">{tr!(locale, "nav.catalog")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{tr!(locale, "catalog.product")}</th>
                            <th scope="col">{tr!(locale, "product.sku")}</th>
                            <th scope="col" class="num">{tr!(locale, "catalog.price_from")}</th>
                            <th scope="col">{tr!(locale, "product.stock")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {dto.products.into_iter().map(|p| {
                            let price = if p.quote_only {
                                tr!(locale, "product.request_quote")
                            } else {
                                p.price_from.clone().unwrap_or_else(|| tr!(locale, "product.no_price"))
                            };
                            let more = (p.sku_count > 1).then(|| tr!(locale, "catalog.more_skus", count = p.sku_count - 1));
                            view! {
                                <tr>
                                    <td>
                                        <a href=format!("/products/{}", p.slug)>{crate::components::code_text::with_codes(&p.name)}</a>
                                        <div class="muted small">{p.category.clone()}</div>
                                    </td>
                                    <td class="sku">{p.first_sku.clone()}<div class="muted small">{more}</div></td>
                                    <td class="num price">{price}</td>
                                    <td>{stock_badge(p.stock.clone(), locale)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table></div>
            }.into_any()
        }}
        {pager(locale, dto.page, prev, next)}
    }
}
