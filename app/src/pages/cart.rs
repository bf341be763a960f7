//! /cart: the member's cart at the location they buy for, priced now. Each line says what to
//! fix when it cannot be ordered (quantity rule, quote-only, gone from the catalog), shows stock
//! and the next volume break; quantities change and lines go away with plain forms, so the page
//! works without JavaScript too.

use crate::api::cart::{get_cart, CartDto, CartLineDto, ClearCart, RemoveCartLine, SetCartQuantity, SetQuantityDto};
use crate::components::error_view::ErrorView;
use crate::components::problems::row_problem_message;
use crate::components::save_as_list::SaveAsList;
use crate::components::stock_badge::stock_badge;
use crate::i18n::{tr, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CartPage() -> impl IntoView {
    let locale = use_locale();
    let set = ServerAction::<SetCartQuantity>::new();
    let remove = ServerAction::<RemoveCartLine>::new();
    let clear = ServerAction::<ClearCart>::new();
    let cart = Resource::new(
        move || (set.version().get(), remove.version().get(), clear.version().get()),
        |_| async move {
            let cart = get_cart().await?;
            let shell = crate::api::session::get_shell().await?;
            Ok::<_, crate::error::AppError>((cart, shell.can(crate::domain::permission::Permission::QuotesRequest)))
        },
    );
    view! {
        <Title text=tr!(locale, "nav.cart") />
        <section class="page cart">
            <h1>{tr!(locale, "nav.cart")}</h1>
            <Transition fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match cart.await {
                        Ok((dto, can_quote)) => view! { <CartView dto can_quote locale set remove clear /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CartView(
    dto: CartDto,
    /// The member may ask for a quote on these lines.
    can_quote: bool,
    locale: Locale,
    set: ServerAction<SetCartQuantity>,
    remove: ServerAction<RemoveCartLine>,
    clear: ServerAction<ClearCart>,
) -> impl IntoView {
    if dto.lines.is_empty() {
        return view! {
            <p>{tr!(locale, "pages.cart.empty")}</p>
            <p><a href="/quick-order">{tr!(locale, "nav.quick_order")}</a>" · "<a href="/buy-again">{tr!(locale, "buy_again.title")}</a></p>
        }
        .into_any();
    }
    let last: Option<SetQuantityDto> = crate::components::outcome::posted::<SetCartQuantity>().and_then(Result::ok);
    let gone = last.as_ref().is_some_and(|l| l.gone);
    let count = dto.lines.len();
    let quote_lines: Vec<crate::components::quotes::WantedLine> = dto
        .lines
        .iter()
        .map(|l| crate::components::quotes::WantedLine {
            sku: l.sku.clone(),
            label: l.name.clone(),
            quantity: l.quantity.to_string(),
        })
        .collect();
    view! {
        {gone.then(|| view! { <p class="notice" role="alert">{tr!(locale, "cart.line_gone")}</p> })}
        <div class="table-scroll"><table class="data-table cart-lines">
            <caption class="visually-hidden">{tr!(locale, "nav.cart")}</caption>
            <thead>
                <tr>
                    <th scope="col">{tr!(locale, "cart.product")}</th>
                    <th scope="col" class="num">{tr!(locale, "product.unit_price")}</th>
                    <th scope="col">{tr!(locale, "product.quantity")}</th>
                    <th scope="col" class="num">{tr!(locale, "cart.line_total")}</th>
                    <th scope="col"><span class="visually-hidden">{tr!(locale, "cart.remove")}</span></th>
                </tr>
            </thead>
            <tbody>
                {dto.lines.into_iter().map(|line| {
                    let refused = last.as_ref().filter(|l| l.refused.is_some() && l.sku.eq_ignore_ascii_case(&line.sku)).cloned();
                    line_row(line, locale, set, remove, refused)
                }).collect_view()}
            </tbody>
            <tfoot>
                <tr>
                    <th scope="row" colspan="3">{tr!(locale, "cart.total_lines", count = count)}</th>
                    <td class="num total" data-testid="cart-total">{dto.total.clone()}</td>
                    <td></td>
                </tr>
            </tfoot>
        </table></div>
        <div class="form-actions">
            {if dto.orderable {
                view! { <a class="button primary" href="/checkout">{tr!(locale, "cart.checkout")}</a> }.into_any()
            } else {
                view! { <p class="field-error">{tr!(locale, "checkout.fix_lines")}</p> }.into_any()
            }}
            <ActionForm action=clear attr:class="inline">
                <button type="submit">{tr!(locale, "cart.clear")}</button>
            </ActionForm>
        </div>
        <SaveAsList source="cart" number=String::new() locale />
        {can_quote.then(|| crate::components::quotes::request_quote_form(locale, quote_lines, true, false))}
    }
    .into_any()
}

fn line_row(
    line: CartLineDto,
    locale: Locale,
    set: ServerAction<SetCartQuantity>,
    remove: ServerAction<RemoveCartLine>,
    refused: Option<SetQuantityDto>,
) -> impl IntoView {
    let qty_id = format!("cart-qty-{}", line.sku);
    let msg_id = format!("cart-msg-{}", line.sku);
    let describe = msg_id.clone();
    let typed = refused.as_ref().map(|r| r.typed.clone()).unwrap_or_else(|| line.quantity.to_string());
    let problem = refused.and_then(|r| r.refused).or(line.problem).map(|p| row_problem_message(locale, p));
    let short = line.short_of.map(|n| tr!(locale, "cart.short", available = n));
    let next_tier = line.next_tier.clone().map(|(q, price)| tr!(locale, "cart.next_tier", quantity = q, price = price));
    let label = tr!(locale, "product.quantity_for", sku = line.sku);
    let remove_label = tr!(locale, "cart.remove_sku", sku = line.sku);
    let sku = line.sku.clone();
    let remove_sku = line.sku.clone();
    let has_problem = problem.is_some();
    view! {
        <tr class:has-problem=has_problem>
            <td>
                {if line.slug.is_empty() {
                    view! { <span>{crate::components::code_text::with_codes(&line.name)}</span> }.into_any()
                } else {
                    view! { <a href=format!("/products/{}", line.slug)>{crate::components::code_text::with_codes(&line.name)}</a> }.into_any()
                }}
                <div class="sku muted">{line.sku.clone()}</div>
                <div>{stock_badge(line.stock.clone(), locale)}</div>
                {short.map(|s| view! { <div class="muted small">{s}</div> })}
            </td>
            <td class="num">
                {line.unit_price.clone().unwrap_or_default()}
                {next_tier.map(|t| view! { <div class="muted small">{t}</div> })}
            </td>
            <td>
                <ActionForm action=set attr:class="qty-form">
                    <input type="hidden" name="sku" value=sku />
                    <label class="visually-hidden" for=qty_id.clone()>{label}</label>
                    <input
                        id=qty_id
                        class="qty"
                        type="text"
                        inputmode="numeric"
                        name="quantity"
                        value=typed
                        aria-invalid=has_problem.then_some("true")
                        aria-describedby=describe
                    />
                    <button type="submit">{tr!(locale, "cart.update")}</button>
                </ActionForm>
                <div id=msg_id class="field-error" role="status">{problem}</div>
            </td>
            <td class="num">{line.line_total.clone().unwrap_or_default()}</td>
            <td>
                <ActionForm action=remove>
                    <input type="hidden" name="sku" value=remove_sku />
                    <button type="submit" class="link" aria-label=remove_label>{tr!(locale, "cart.remove")}</button>
                </ActionForm>
            </td>
        </tr>
    }
}
