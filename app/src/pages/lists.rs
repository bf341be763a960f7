//! /lists (the member's lists and those shared with the company; make a new one) and
//! /lists/{id} (its lines at today's prices, the whole list to the cart in one action, share,
//! delete). Also the "save as list" form the cart and order pages use.

use crate::api::lists::{get_list, get_lists, CreateList, DeleteList, ListDto, ListToCart, RemoveListLine, ShareList};
use crate::components::add_report::AddReport;
use crate::components::error_view::ErrorView;
use crate::components::problems::row_problem_message;
use crate::error::AppError;
use crate::i18n::{tr, use_locale, Locale};
use crate::pages::not_found::NotFoundPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn ListsPage() -> impl IntoView {
    let locale = use_locale();
    let create = ServerAction::<CreateList>::new();
    let lists = Resource::new(move || create.version().get(), |_| get_lists());
    view! {
        <Title text=tr(locale, "lists.title") />
        <section class="page lists">
            <h1>{tr(locale, "lists.title")}</h1>
            <Transition fallback=move || view! { <p>{tr(locale, "common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match lists.await {
                        Ok(all) if all.is_empty() => view! { <p>{tr(locale, "lists.empty")}</p> }.into_any(),
                        Ok(all) => view! {
                            <ul class="list-index">
                                {all.into_iter().map(|l| {
                                    let meta = rust_i18n::t!("lists.meta", locale = locale.tag(), lines = l.lines, owner = l.owner.clone()).into_owned();
                                    view! {
                                        <li>
                                            <a href=format!("/lists/{}", l.id)>{l.name}</a>
                                            " "<span class="muted small">{meta}</span>
                                            {l.shared.then(|| view! { " "<span class="status">{tr(locale, "lists.shared")}</span> })}
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

/// A name, a "share with my company" box and a button: makes a list from `source` ("cart",
/// "order" with `number`, or "" for an empty one).
#[component]
pub fn SaveAsList(
    source: &'static str,
    number: String,
    locale: Locale,
    #[prop(optional)] action: Option<ServerAction<CreateList>>,
) -> impl IntoView {
    let action = action.unwrap_or_else(ServerAction::<CreateList>::new);
    let id = format!("list-name-{source}");
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let input_id = id.clone();
    let heading = if source.is_empty() { "lists.new" } else { "lists.save_as" };
    view! {
        <section class="save-as-list" aria-labelledby=labelled_by>
            <h2 id=title_id>{tr(locale, heading)}</h2>
            <ActionForm action attr:class="filters">
                <input type="hidden" name="source" value=source />
                <input type="hidden" name="number" value=number />
                <div class="field">
                    <label for=id>{tr(locale, "lists.name")}</label>
                    <input id=input_id name="name" type="text" maxlength="80" required />
                </div>
                <label class="check"><input type="checkbox" name="shared" value="on" />" "{tr(locale, "lists.share")}</label>
                <button type="submit">{tr(locale, "lists.create")}</button>
            </ActionForm>
            <div role="status" aria-live="polite">
                {move || action.value().get().map(|r| match r {
                    Ok(created) => view! {
                        <p>
                            {tr(locale, "lists.created")}" "<a href=format!("/lists/{}", created.id)>{tr(locale, "lists.open")}</a>
                        </p>
                        {(!created.skipped.is_empty()).then(|| view! {
                            <ul class="problems">
                                {created.skipped.into_iter().map(|(sku, p)| view! { <li><span class="sku">{sku}</span>" — "{row_problem_message(locale, p)}</li> }).collect_view()}
                            </ul>
                        })}
                    }.into_any(),
                    Err(e) => view! { <p class="field-error">{e.field_message("name", locale).unwrap_or_else(|| e.message(locale))}</p> }.into_any(),
                })}
            </div>
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
        <Transition fallback=move || view! { <p>{tr(locale, "common.loading")}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(dto) => view! { <ListView dto locale remove share /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundPage /> }.into_any(),
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
    let delete = ServerAction::<DeleteList>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/lists", Default::default());
        }
    });
    let id = dto.summary.id;
    let mine = dto.summary.mine;
    let no_lines = dto.lines.is_empty();
    view! {
        <Title text=dto.summary.name.clone() />
        <article class="page list">
            <p class="muted"><a href="/lists">{tr(locale, "lists.title")}</a></p>
            <h1>{dto.summary.name.clone()}</h1>
            <p class="muted">{rust_i18n::t!("lists.meta", locale = locale.tag(), lines = dto.lines.len(), owner = dto.summary.owner.clone()).into_owned()}</p>
            <div class="form-actions">
                <ActionForm action=to_cart>
                    <input type="hidden" name="list" value=id.0 />
                    <button type="submit" class="primary" disabled=no_lines>{tr(locale, "lists.to_cart")}</button>
                </ActionForm>
                {mine.then(|| view! {
                    <ActionForm action=share>
                        <input type="hidden" name="list" value=id.0 />
                        {(!dto.summary.shared).then(|| view! { <input type="hidden" name="shared" value="on" /> })}
                        <button type="submit">{tr(locale, if dto.summary.shared { "lists.unshare" } else { "lists.share" })}</button>
                    </ActionForm>
                    <ActionForm action=delete>
                        <input type="hidden" name="list" value=id.0 />
                        <button type="submit">{tr(locale, "lists.delete")}</button>
                    </ActionForm>
                })}
            </div>
            <AddReport result=to_cart.value() locale />
            {if no_lines {
                view! { <p>{tr(locale, "lists.no_lines")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll"><table class="data-table list-lines">
                        <caption class="visually-hidden">{dto.summary.name.clone()}</caption>
                        <thead><tr>
                            <th scope="col">{tr(locale, "product.sku")}</th>
                            <th scope="col">{tr(locale, "cart.product")}</th>
                            <th scope="col" class="num">{tr(locale, "product.quantity")}</th>
                            <th scope="col" class="num">{tr(locale, "product.unit_price")}</th>
                            {mine.then(|| view! { <th scope="col"><span class="visually-hidden">{tr(locale, "cart.remove")}</span></th> })}
                        </tr></thead>
                        <tbody>
                            {dto.lines.into_iter().map(|l| {
                                let remove_label = rust_i18n::t!("cart.remove_sku", locale = locale.tag(), sku = l.sku.clone()).into_owned();
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
                                                    <button type="submit" class="link" aria-label=remove_label>{tr(locale, "cart.remove")}</button>
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

/// On a product page: one of its SKUs, a quantity and one of the member's own lists.
#[component]
pub fn AddToList(skus: Vec<String>, locale: Locale) -> impl IntoView {
    let lists = Resource::new(|| (), |_| get_lists());
    let add = ServerAction::<crate::api::lists::AddToList>::new();
    view! {
        <section class="add-to-list" aria-labelledby="add-to-list-title">
            <h2 id="add-to-list-title">{tr(locale, "lists.add_title")}</h2>
            <Transition fallback=|| ()>
                {move || {
                    let skus = skus.clone();
                    Suspend::new(async move {
                        let own: Vec<_> = lists.await.unwrap_or_default().into_iter().filter(|l| l.mine).collect();
                        if own.is_empty() {
                            return view! { <p><a href="/lists">{tr(locale, "lists.new")}</a></p> }.into_any();
                        }
                        view! {
                            <ActionForm action=add attr:class="filters">
                                <div class="field">
                                    <label for="atl-list">{tr(locale, "lists.title")}</label>
                                    <select id="atl-list" name="list">
                                        {own.into_iter().map(|l| view! { <option value=l.id.to_string()>{l.name}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="atl-sku">{tr(locale, "product.sku")}</label>
                                    <select id="atl-sku" name="sku">
                                        {skus.into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="atl-qty">{tr(locale, "product.quantity")}</label>
                                    <input id="atl-qty" class="qty" name="quantity" type="text" inputmode="numeric" />
                                </div>
                                <button type="submit">{tr(locale, "lists.add")}</button>
                            </ActionForm>
                        }.into_any()
                    })
                }}
            </Transition>
            <div role="status" aria-live="polite">
                {move || add.value().get().map(|r| match r {
                    Ok(None) => view! { <p>{tr(locale, "lists.added")}</p> }.into_any(),
                    Ok(Some(p)) => view! { <p class="field-error">{row_problem_message(locale, p)}</p> }.into_any(),
                    Err(e) => view! { <p class="field-error">{e.message(locale)}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}
