//! /lists (the member's lists and those shared with the company; make a new one) and
//! /lists/{id} (its lines at today's prices, the whole list to the cart in one action, share,
//! delete).

use crate::api::lists::{get_list, get_lists, CreateList, DeleteList, ListDto, ListToCart, RemoveListLine, ShareList};
use crate::components::add_report::AddReport;
use crate::components::error_view::ErrorView;
use crate::components::not_found::NotFound;
use crate::components::problems::row_problem_message;
use crate::components::save_as_list::SaveAsList;
use crate::error::AppError;
use crate::i18n::{tr, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ListsPage() -> impl IntoView {
    let locale = use_locale();
    let create = ServerAction::<CreateList>::new();
    let lists = Resource::new(move || create.version().get(), |_| get_lists());
    view! {
        <Title text=tr!(locale, "lists.title") />
        <section class="page lists">
            <h1>{tr!(locale, "lists.title")}</h1>
            <Transition fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match lists.await {
                        Ok(all) if all.is_empty() => view! { <p>{tr!(locale, "lists.empty")}</p> }.into_any(),
                        Ok(all) => view! {
                            <ul class="list-index">
                                {all.into_iter().map(|l| {
                                    let meta = tr!(locale, "lists.meta", count = l.lines, owner = l.owner);
                                    view! {
                                        <li>
                                            <a href=format!("/lists/{}", l.id)>{l.name}</a>
                                            " "<span class="muted small">{meta}</span>
                                            {l.shared.then(|| view! { " "<span class="status">{tr!(locale, "lists.shared")}</span> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
            <SaveAsList source="" number=String::new() locale action=create />
        </section>
    }
}

#[component]
pub fn ListPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let remove = ServerAction::<RemoveListLine>::new();
    let share = ServerAction::<ShareList>::new();
    let list = Resource::new(
        move || {
            (
                params.with(|p| p.get("id").and_then(|id| id.parse::<i64>().ok().map(crate::domain::ids::ListId))),
                remove.version().get(),
                share.version().get(),
            )
        },
        |(id, _, _)| async move {
            match id {
                Some(id) => get_list(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Transition fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(dto) => view! { <ListView dto locale remove share /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ListView(
    dto: ListDto,
    locale: Locale,
    remove: ServerAction<RemoveListLine>,
    share: ServerAction<ShareList>,
) -> impl IntoView {
    let to_cart = ServerAction::<ListToCart>::new();
    let added = crate::components::outcome::posted::<ListToCart>();
    let delete = ServerAction::<DeleteList>::new();
    let id = dto.summary.id;
    let mine = dto.summary.mine;
    let no_lines = dto.lines.is_empty();
    view! {
        <Title text=dto.summary.name.clone() />
        <article class="page list">
            <p class="muted"><a href="/lists">{tr!(locale, "lists.title")}</a></p>
            <h1>{dto.summary.name.clone()}</h1>
            <p class="muted">{tr!(locale, "lists.meta", count = dto.lines.len(), owner = dto.summary.owner)}</p>
            <div class="form-actions">
                <ActionForm action=to_cart>
                    <input type="hidden" name="list" value=id.0 />
                    <button type="submit" class="primary" disabled=no_lines>{tr!(locale, "lists.to_cart")}</button>
                </ActionForm>
                {mine.then(|| view! {
                    <ActionForm action=share>
                        <input type="hidden" name="list" value=id.0 />
                        {(!dto.summary.shared).then(|| view! { <input type="hidden" name="shared" value="on" /> })}
                        <button type="submit">{tr!(locale, if dto.summary.shared { "lists.unshare" } else { "lists.share" })}</button>
                    </ActionForm>
                    <ActionForm action=delete>
                        <input type="hidden" name="list" value=id.0 />
                        <button type="submit">{tr!(locale, "lists.delete")}</button>
                    </ActionForm>
                })}
            </div>
            <AddReport result=added locale />
            {if no_lines {
                view! { <p>{tr!(locale, "lists.no_lines")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll"><table class="data-table list-lines">
                        <caption class="visually-hidden">{dto.summary.name.clone()}</caption>
                        <thead><tr>
                            <th scope="col">{tr!(locale, "product.sku")}</th>
                            <th scope="col">{tr!(locale, "cart.product")}</th>
                            <th scope="col" class="num">{tr!(locale, "product.quantity")}</th>
                            <th scope="col" class="num">{tr!(locale, "product.unit_price")}</th>
                            {mine.then(|| view! { <th scope="col"><span class="visually-hidden">{tr!(locale, "cart.remove")}</span></th> })}
                        </tr></thead>
                        <tbody>
                            {dto.lines.into_iter().map(|l| {
                                let remove_label = tr!(locale, "cart.remove_sku", sku = l.sku);
                                let sku = l.sku.clone();
                                view! {
                                    <tr class:has-problem=l.problem.is_some()>
                                        <td class="sku">{l.sku.clone()}</td>
                                        <td>{l.name}{l.problem.map(|p| view! { <div class="field-error">{row_problem_message(locale, p)}</div> })}</td>
                                        <td class="num">{l.quantity}</td>
                                        <td class="num">{l.unit_price.unwrap_or_default()}</td>
                                        {mine.then(|| view! {
                                            <td>
                                                <ActionForm action=remove>
                                                    <input type="hidden" name="list" value=id.0 />
                                                    <input type="hidden" name="sku" value=sku />
                                                    <button type="submit" class="link" aria-label=remove_label>{tr!(locale, "cart.remove")}</button>
                                                </ActionForm>
                                            </td>
                                        })}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table></div>
                }.into_any()
            }}
        </article>
    }
}
