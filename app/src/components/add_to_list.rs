//! "Add to a shopping list" on a product page.

use crate::api::lists::get_lists;
use crate::components::problems::row_problem_message;
use crate::i18n::{tr, Locale};
use leptos::prelude::*;

/// On a product page: one of its SKUs, a quantity and one of the member's own lists.
#[component]
pub fn AddToList(skus: Vec<String>, locale: Locale) -> impl IntoView {
    let lists = Resource::new(|| (), |_| get_lists());
    let add = ServerAction::<crate::api::lists::AddToList>::new();
    let added = crate::components::outcome::posted::<crate::api::lists::AddToList>();
    view! {
        <section class="add-to-list" aria-labelledby="add-to-list-title">
            <h2 id="add-to-list-title">{tr!(locale, "lists.add_title")}</h2>
            <Transition fallback=|| ()>
                {move || {
                    let skus = skus.clone();
                    Suspend::new(async move {
                        let own: Vec<_> = lists.await.unwrap_or_default().into_iter().filter(|l| l.mine).collect();
                        if own.is_empty() {
                            return view! { <p><a href="/lists">{tr!(locale, "lists.new")}</a></p> }.into_any();
                        }
                        view! {
                            <ActionForm action=add attr:class="filters">
                                <div class="field">
                                    <label for="atl-list">{tr!(locale, "lists.title")}</label>
                                    <select id="atl-list" name="list">
                                        {own.into_iter().map(|l| view! { <option value=l.id.to_string()>{l.name}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="atl-sku">{tr!(locale, "product.sku")}</label>
                                    <select id="atl-sku" name="sku">
                                        {skus.into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="atl-qty">{tr!(locale, "product.quantity")}</label>
                                    <input id="atl-qty" class="qty" name="quantity" type="text" inputmode="numeric" />
                                </div>
                                <button type="submit">{tr!(locale, "lists.add")}</button>
                            </ActionForm>
                        }.into_any()
                    })
                }}
            </Transition>
            <div role="status" aria-live="polite">
                {added.map(|r| match r {
                    Ok(None) => view! { <p>{tr!(locale, "lists.added")}</p> }.into_any(),
                    Ok(Some(p)) => view! { <p class="field-error">{row_problem_message(locale, p)}</p> }.into_any(),
                    Err(e) => view! { <p class="field-error">{e.message(locale)}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}
