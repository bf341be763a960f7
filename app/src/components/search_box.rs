//! The header's search box: a plain GET form to /search (works without JavaScript) that, once
//! hydrated, shows the first results as the buyer types: a combobox with a listbox, arrows to
//! move, Enter to open the highlighted product (or all results), Escape to close.

use crate::api::search::{suggest, SearchDto};
use crate::components::highlighted::highlighted;
use crate::components::stock_badge::stock_badge;
use crate::i18n::{tr, use_locale};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Typing faster than this apart is one search, not one per key.
const DEBOUNCE_MS: u64 = 40;

#[component]
pub fn SearchBox() -> impl IntoView {
    let locale = use_locale();
    let results = RwSignal::new(None::<SearchDto>);
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let typed = RwSignal::new(String::new());
    // A response only shows if no later keystroke came before it.
    let latest = crate::components::latest::Latest::default();
    let navigate = use_navigate();

    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        typed.set(text.clone());
        let ticket = latest.next();
        if text.trim().is_empty() {
            results.set(None);
            open.set(false);
            return;
        }
        latest.debounce(
            ticket,
            std::time::Duration::from_millis(DEBOUNCE_MS),
            move || suggest(text),
            move |dto| {
                // A highlighted result stays highlighted if the new answer has it at the same
                // place (an answer can land just after an arrow key); otherwise none is.
                let kept = active.get_untracked().filter(|&i| {
                    let slug = |r: &SearchDto| r.hits.get(i).map(|h| h.slug.clone());
                    results.with_untracked(|old| old.as_ref().and_then(slug)) == slug(&dto)
                });
                active.set(kept);
                results.set(Some(dto));
                open.set(true);
            },
        );
    };

    let count = move || results.with(|r| r.as_ref().map(|r| r.hits.len()).unwrap_or(0));
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" if count() > 0 => {
            ev.prevent_default();
            open.set(true);
            active.update(|a| *a = Some(a.map(|i| (i + 1) % count()).unwrap_or(0)));
        }
        "ArrowUp" if count() > 0 => {
            ev.prevent_default();
            active.update(|a| *a = Some(a.map(|i| (i + count() - 1) % count()).unwrap_or(count() - 1)));
        }
        "Escape" => {
            open.set(false);
            active.set(None);
        }
        "Enter" => {
            // With a highlighted result, open it; otherwise the form submits to /search.
            if let Some(slug) = active
                .get()
                .and_then(|i| results.with(|r| r.as_ref().and_then(|r| r.hits.get(i).map(|h| h.slug.clone()))))
            {
                ev.prevent_default();
                open.set(false);
                navigate(&format!("/products/{slug}"), Default::default());
            }
        }
        _ => {}
    };

    view! {
        <form class="search-box" method="GET" action="/search" role="search" on:submit=move |_| open.set(false)>
            <label for="header-search" class="visually-hidden">{tr!(locale, "search.label")}</label>
            <input
                id="header-search"
                type="search"
                name="q"
                maxlength="200"
                autocomplete="off"
                placeholder=tr!(locale, "search.placeholder")
                role="combobox"
                aria-autocomplete="list"
                aria-controls="header-search-results"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-activedescendant=move || active.get().map(|i| format!("header-search-{i}"))
                on:input=on_input
                on:keydown=on_keydown
                on:focus=move |_| if results.with(|r| r.is_some()) { open.set(true) }
            />
            <button type="submit">{tr!(locale, "search.submit")}</button>
            <div class="search-results" hidden=move || !open.get()>
                <ul id="header-search-results" role="listbox" aria-label=tr!(locale, "search.suggestions")>
                    {move || results.get().map(|dto| {
                        dto.hits.into_iter().enumerate().map(|(i, h)| {
                            let price = if h.quote_only { tr!(locale, "product.request_quote") } else { h.price.clone().unwrap_or_default() };
                            view! {
                                <li
                                    id=format!("header-search-{i}")
                                    role="option"
                                    aria-selected=move || if active.get() == Some(i) { "true" } else { "false" }
                                    on:mousedown=|ev| ev.prevent_default()
                                >
                                    <a href=format!("/products/{}", h.slug) tabindex="-1" on:click=move |_| open.set(false)>
                                        <span class="hit-name">{highlighted(&h.name)}</span>
                                        <span class="hit-meta"><span class="sku">{h.sku.clone()}</span>" "<span class="price">{price}</span>" "{stock_badge(h.stock.clone(), locale)}</span>
                                    </a>
                                </li>
                            }
                        }).collect_view()
                    })}
                </ul>
                {move || results.get().map(|dto| {
                    let href = format!("/search?q={}", crate::url::encode_component(&typed.get_untracked()));
                    let text = if dto.total == 0 {
                        tr!(locale, "search.no_results")
                    } else {
                        tr!(locale, "search.see_all", count = dto.total)
                    };
                    view! { <a class="see-all" href=href on:click=move |_| open.set(false)>{text}</a> }
                })}
            </div>
        </form>
    }
}
