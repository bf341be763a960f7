//! The browser entry: wasm-bindgen calls `hydrate`, which attaches the app to the server HTML.
// Deep view types (a table of components inside an async block) exceed the default query depth
// when rustc computes their layout for wasm32.
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // A marker for tests and for CSS that wants to know the page is interactive.
    if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = html.set_attribute("data-hydrated", "true");
    }
}
