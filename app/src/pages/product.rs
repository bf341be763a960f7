//! /products/{slug}: a product with every variant in one grid (SKU, attributes, stock, unit
//! price at the member's tier, quantity respecting the quantity rule), ready for adding many
//! variants to the cart at once when ordering arrives.

use crate::api::cart::AddCartLines;
use crate::api::catalog::{get_product, ProductDto, VariantDto};
use crate::components::add_report::AddReport;
use crate::components::add_to_list::AddToList;
use crate::components::error_view::ErrorView;
use crate::components::not_found::NotFound;
use crate::components::outcome::posted;
use crate::components::quantity_field::{quantity_field, QuantitySpec};
use crate::components::stock_badge::stock_badge;
use crate::error::AppError;
use crate::i18n::{tr, use_locale, Locale};
use crate::islands::quantity_field::QuantityCheck;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProductPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let product = Resource::new(move || params.with(|p| p.get("slug").unwrap_or_default()), get_product);
    view! {
        <Transition fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || Suspend::new(async move {
                match product.await {
                    Ok(dto) => view! { <ProductView dto locale /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProductView(dto: ProductDto, locale: Locale) -> impl IntoView {
    let has_colour = dto.variants.iter().any(|v| v.attributes.iter().any(|(a, _)| a == "colour"));
    let add = ServerAction::<AddCartLines>::new();
    let added = posted::<AddCartLines>();
    let can_order = dto.variants.iter().any(|v| !v.quote_only);
    let orderable: Vec<String> = dto.variants.iter().filter(|v| !v.quote_only).map(|v| v.sku.clone()).collect();
    // Any variant can be asked for a quote (a volume price); a quote-only one only that way.
    let can_quote = dto.can_request_quote;
    let wanted: Vec<crate::components::quotes::WantedLine> = dto
        .variants
        .iter()
        .map(|v| crate::components::quotes::WantedLine {
            sku: v.sku.clone(),
            label: v.attributes.iter().map(|(_, l)| l.clone()).collect::<Vec<_>>().join(", "),
            quantity: String::new(),
        })
        .collect();
    view! {
        <Title text=dto.name.clone() />
        <article class="page product">
            <p class="muted"><a href="/catalog">{tr!(locale, "nav.catalog")}</a>" › "{dto.category.clone()}</p>
            <h1>{crate::components::code_text::with_codes(&dto.name)}</h1>
            <p>{dto.description.clone()}</p>
            <ActionForm action=add attr:class="variant-form">
            <div class="table-scroll"><table class="data-table variant-grid">
                <caption>{tr!(locale, "product.variants")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{tr!(locale, "product.sku")}</th>
                        <th scope="col">{tr!(locale, "attributes.size")}</th>
                        <th scope="col">{tr!(locale, "attributes.material")}</th>
                        {has_colour.then(|| view! { <th scope="col">{tr!(locale, "attributes.colour")}</th> })}
                        <th scope="col">{tr!(locale, "product.stock")}</th>
                        <th scope="col">{tr!(locale, "product.pack")}</th>
                        <th scope="col" class="num">{tr!(locale, "product.unit_price")}</th>
                        <th scope="col">{tr!(locale, "product.quantity")}</th>
                    </tr>
                </thead>
                <tbody>
                    {dto.variants.into_iter().enumerate().map(|(index, v)| view! { <VariantRow v locale has_colour index /> }).collect_view()}
                </tbody>
            </table></div>
            {can_order.then(|| view! {
                <div class="form-actions">
                    <button type="submit" class="primary">{tr!(locale, "cart.add")}</button>
                    <AddReport result=added locale />
                </div>
            })}
                <QuantityCheck />
            </ActionForm>
            {can_order.then(|| view! { <AddToList skus=orderable locale /> })}
            {can_quote.then(|| crate::components::quotes::request_quote_form(locale, wanted, false, !can_order))}
        </article>
    }
}

fn attribute(v: &VariantDto, code: &str) -> String {
    v.attributes.iter().find(|(a, _)| a == code).map(|(_, label)| label.clone()).unwrap_or_default()
}

fn unit_label(locale: Locale, unit: &str) -> String {
    match unit {
        "each" => tr!(locale, "units.each"),
        "box" => tr!(locale, "units.box"),
        "metre" => tr!(locale, "units.metre"),
        "kg" => tr!(locale, "units.kg"),
        "pack" => tr!(locale, "units.pack"),
        "roll" => tr!(locale, "units.roll"),
        other => other.to_string(),
    }
}

#[component]
fn VariantRow(v: VariantDto, locale: Locale, has_colour: bool, index: usize) -> impl IntoView {
    let rule = v.rule;
    let first_price = v.tiers.first().map(|t| t.unit_price.clone());
    let more_tiers: Vec<String> = v
        .tiers
        .iter()
        .skip(1)
        .map(|t| tr!(locale, "product.tier", quantity = t.min_quantity, price = t.unit_price))
        .collect();
    let pack = format!("{} × {}", v.pack_size, unit_label(locale, &v.unit));
    let label = tr!(locale, "product.quantity_for", sku = v.sku);
    view! {
        <tr>
            <td class="sku">{v.sku.clone()}</td>
            <td>{attribute(&v, "size")}</td>
            <td>{attribute(&v, "material")}</td>
            {has_colour.then(|| view! { <td>{attribute(&v, "colour")}</td> })}
            <td>{stock_badge(v.stock.clone(), locale)}</td>
            <td>{pack}</td>
            <td class="num price">
                {if v.quote_only {
                    view! { <span class="quote-only">{tr!(locale, "product.request_quote")}</span> }.into_any()
                } else {
                    view! {
                        <span>{first_price.unwrap_or_else(|| tr!(locale, "product.no_price"))}</span>
                        {more_tiers.into_iter().map(|t| view! { <div class="muted small">{t}</div> }).collect_view()}
                    }.into_any()
                }}
            </td>
            <td>
                <input type="hidden" name=format!("lines[{index}][sku]") value=v.sku.clone() />
                {quantity_field(
                    QuantitySpec { id: format!("qty-{}", v.sku), name: format!("lines[{index}][quantity]"), label, disabled: v.quote_only },
                    rule,
                    locale,
                )}
            </td>
        </tr>
    }
}
