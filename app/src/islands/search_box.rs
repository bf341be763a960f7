//! The header search box, live: as the buyer types, the first results (HTML from
//! `api::search::suggest_html`, rendered by the search page's components) fill the listbox;
//! arrows move the highlight (`aria-selected`, `aria-activedescendant`), Enter opens the
//! highlighted product (or, with none, submits the form to /search), Escape closes. The markup is
//! `components::search_box`.

use leptos::prelude::*;

/// Keys typed faster than this apart are one search, not one per key; a key after a pause
/// searches at once (leading edge), so a buyer who types a word and stops waits for nothing.
#[cfg(feature = "hydrate")]
const DEBOUNCE_MS: u64 = 40;

#[island]
pub fn SearchBoxLive() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if crate::islands::once("search-box") {
        live::attach();
    }
    view! { <span hidden></span> }
}

#[cfg(feature = "hydrate")]
mod live {
    use super::DEBOUNCE_MS;
    use crate::islands::fetch::{get_json, nth_string};
    use crate::islands::listen;
    use leptos::prelude::*;
    use std::cell::Cell;
    use std::rc::Rc;
    use web_sys::{Element, HtmlInputElement};

    struct Combobox {
        input: HtmlInputElement,
        popup: Element,
        list: Element,
        footer: Element,
        active: Cell<Option<usize>>,
    }

    impl Combobox {
        fn options(&self) -> Vec<Element> {
            let children = self.list.children();
            (0..children.length()).filter_map(|i| children.item(i)).collect()
        }

        fn set_open(&self, open: bool) {
            let _ = if open { self.popup.remove_attribute("hidden") } else { self.popup.set_attribute("hidden", "") };
            let _ = self.input.set_attribute("aria-expanded", if open { "true" } else { "false" });
            if !open {
                self.set_active(None);
            }
        }

        fn is_open(&self) -> bool {
            !self.popup.has_attribute("hidden")
        }

        fn set_active(&self, active: Option<usize>) {
            self.active.set(active);
            for (i, el) in self.options().into_iter().enumerate() {
                let _ = el.set_attribute("aria-selected", if active == Some(i) { "true" } else { "false" });
            }
            let _ = match active {
                Some(i) => self.input.set_attribute("aria-activedescendant", &format!("header-search-{i}")),
                None => self.input.remove_attribute("aria-activedescendant"),
            };
        }
    }

    pub fn attach() {
        use leptos::wasm_bindgen::JsCast;
        let doc = document();
        let find = |id: &str| doc.get_element_by_id(id);
        let (Some(input), Some(popup), Some(list), Some(footer)) = (
            find("header-search").and_then(|e| e.dyn_into::<HtmlInputElement>().ok()),
            find("header-search-popup"),
            find("header-search-results"),
            find("header-search-footer"),
        ) else {
            return;
        };
        let state = Rc::new(Combobox { input, popup, list, footer, active: Cell::new(None) });
        let latest = crate::islands::latest::Latest::default();

        let s = state.clone();
        let last_key = Rc::new(Cell::new(f64::NEG_INFINITY));
        listen(&state.input, "input", move |_: web_sys::Event| {
            let text = s.input.value();
            let ticket = latest.next();
            let now = js_sys::Date::now();
            let delay = if now - last_key.get() >= DEBOUNCE_MS as f64 { 0 } else { DEBOUNCE_MS };
            last_key.set(now);
            if text.trim().is_empty() {
                s.set_open(false);
                return;
            }
            let url = format!("/api/search/suggest_html?q={}", crate::url::encode_component(&text));
            let s = s.clone();
            latest.debounce(
                ticket,
                std::time::Duration::from_millis(delay),
                move || get_json(url),
                move |answer| {
                    let options = nth_string(&answer, 0);
                    // A highlighted result stays highlighted only if the same options are still there.
                    let kept = s.active.get().filter(|_| s.list.inner_html() == options);
                    s.list.set_inner_html(&options);
                    s.footer.set_inner_html(&nth_string(&answer, 1));
                    s.set_open(true);
                    s.set_active(kept);
                },
            );
        });

        let s = state.clone();
        listen(&state.input, "keydown", move |ev: web_sys::KeyboardEvent| {
            let count = s.options().len();
            match ev.key().as_str() {
                "ArrowDown" if count > 0 => {
                    ev.prevent_default();
                    s.set_open(true);
                    s.set_active(Some(s.active.get().map(|i| (i + 1) % count).unwrap_or(0)));
                }
                "ArrowUp" if count > 0 => {
                    ev.prevent_default();
                    s.set_active(Some(s.active.get().map(|i| (i + count - 1) % count).unwrap_or(count - 1)));
                }
                "Escape" => s.set_open(false),
                "Enter" => {
                    let href = s.active.get().filter(|_| s.is_open()).and_then(|i| {
                        s.options()
                            .get(i)
                            .and_then(|li| li.query_selector("a").ok().flatten())
                            .and_then(|a| a.get_attribute("href"))
                    });
                    if let Some(href) = href {
                        ev.prevent_default();
                        s.set_open(false);
                        let _ = window().location().assign(&href);
                    }
                }
                _ => {}
            }
        });

        let s = state.clone();
        listen(&state.input, "focus", move |_: web_sys::Event| {
            if s.list.child_element_count() > 0 {
                s.set_open(true);
            }
        });
        let s = state.clone();
        listen(&state.input, "blur", move |_: web_sys::Event| {
            // Later than a click on an option, which must still land.
            let s = s.clone();
            set_timeout(move || s.set_open(false), std::time::Duration::from_millis(200));
        });
    }
}
