//! "Save as a shopping list": the form the lists, cart and order pages share.

use crate::api::lists::CreateList;
use crate::components::problems::row_problem_message;
use crate::i18n::{tr, Locale};
use leptos::prelude::*;

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
    let answer = crate::components::outcome::posted::<CreateList>();
    let id = format!("list-name-{source}");
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let input_id = id.clone();
    let heading = if source.is_empty() { "lists.new" } else { "lists.save_as" };
    view! {
        <section class="save-as-list" aria-labelledby=labelled_by>
            <h2 id=title_id>{tr!(locale, heading)}</h2>
            <ActionForm action attr:class="filters">
                <input type="hidden" name="source" value=source />
                <input type="hidden" name="number" value=number />
                <div class="field">
                    <label for=id>{tr!(locale, "lists.name")}</label>
                    <input id=input_id name="name" type="text" maxlength="80" required />
                </div>
                <label class="check"><input type="checkbox" name="shared" value="on" />" "{tr!(locale, "lists.share")}</label>
                <button type="submit">{tr!(locale, "lists.create")}</button>
            </ActionForm>
            <div role="status" aria-live="polite">
                {answer.map(|r| match r {
                    Ok(created) => view! {
                        <p>
                            {tr!(locale, "lists.created")}" "<a href=format!("/lists/{}", created.id)>{tr!(locale, "lists.open")}</a>
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
