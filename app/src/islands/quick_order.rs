//! Quick order's live check: the rows are server HTML inside a plain GET form (`#quick-rows`);
//! when a row is edited (`change`, on leaving the field) this island asks the server for that
//! row's verdict (`api::cart::check_row_html`, HTML from the page's own component) and updates
//! the row, its `aria-invalid` and the counts line (`#quick-counts`, whose `data-template` holds
//! "… %{good} … %{bad} …" in the page's language). While a SKU is typed, the shared datalist
//! (`#sku-suggestions`) gets the matching SKUs (`api::search::suggest_html`).

use leptos::prelude::*;

#[island]
pub fn QuickOrderLive() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if crate::islands::once("quick-order") {
        live::attach();
    }
    view! { <span hidden></span> }
}

#[cfg(feature = "hydrate")]
mod live {
    use crate::islands::fetch::{get_json, nth_string};
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use web_sys::{Element, HtmlInputElement};

    fn input(row: &Element, selector: &str) -> Option<HtmlInputElement> {
        row.query_selector(selector).ok().flatten()?.dyn_into().ok()
    }

    /// Recounts the verdicts on the page into the status line.
    fn recount() {
        let doc = document();
        let count = |sel: &str| doc.query_selector_all(sel).map(|l| l.length()).unwrap_or(0);
        let (good, bad) = (count("#quick-rows td .ok"), count("#quick-rows td .field-error"));
        if let Some(status) = doc.get_element_by_id("quick-counts") {
            let text = if good + bad == 0 {
                String::new()
            } else {
                crate::islands::data(&status, "template")
                    .replace("%{good}", &good.to_string())
                    .replace("%{bad}", &bad.to_string())
            };
            status.set_text_content(Some(&text));
        }
    }

    pub fn attach() {
        let Some(table) = document().get_element_by_id("quick-rows") else { return };
        let latest = crate::islands::latest::Latest::default();
        crate::islands::listen(&table, "input", move |ev: web_sys::Event| {
            let Some(input) = crate::islands::target(&ev)
                .filter(|t| t.class_list().contains("sku-input"))
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let text = input.value();
            let ticket = latest.next();
            if text.trim().chars().count() < 2 {
                return;
            }
            let url = format!("/api/search/suggest_html?q={}", crate::url::encode_component(&text));
            latest.debounce(
                ticket,
                std::time::Duration::from_millis(60),
                move || get_json(url),
                |answer| {
                    if let Some(list) = document().get_element_by_id("sku-suggestions") {
                        list.set_inner_html(&nth_string(&answer, 2));
                    }
                },
            );
        });
        crate::islands::listen(&table, "change", move |ev: web_sys::Event| {
            let Some(row) = crate::islands::target(&ev).and_then(|t| t.closest("tr").ok().flatten()) else { return };
            let (Some(sku), Some(qty)) = (input(&row, ".sku-input"), input(&row, ".qty")) else { return };
            let Some(cell) = row.query_selector("td[id^=qo-result-]").ok().flatten() else { return };
            let (sku_text, qty_text) = (sku.value(), qty.value());
            if sku_text.trim().is_empty() && qty_text.trim().is_empty() {
                cell.set_inner_html("");
                let _ = row.class_list().remove_1("has-problem");
                recount();
                return;
            }
            let url = format!(
                "/api/cart/check_row_html?sku={}&quantity={}",
                crate::url::encode_component(&sku_text),
                crate::url::encode_component(&qty_text)
            );
            leptos::task::spawn_local(async move {
                let Ok(answer) = get_json(url).await else { return };
                // An edit made while the answer was on its way keeps no stale verdict.
                if sku.value() != sku_text || qty.value() != qty_text {
                    return;
                }
                let ok = js_sys::Reflect::get(&answer, &0.into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
                cell.set_inner_html(&nth_string(&answer, 1));
                for field in [&sku, &qty] {
                    if ok {
                        let _ = field.remove_attribute("aria-invalid");
                    } else {
                        let _ = field.set_attribute("aria-invalid", "true");
                    }
                }
                let _ = row.class_list().toggle_with_force("has-problem", !ok);
                recount();
            });
        });
    }
}
