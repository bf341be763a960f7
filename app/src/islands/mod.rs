//! The islands: the only code the browser runs. Pages and their markup render on the server;
//! each island is a Leptos `#[island]` placed beside the markup it brings to life, which it finds
//! by id or data attribute and enhances: listeners, `fetch`, `aria-*` updates.
//!
//! Rules for an island (`architecture.rs` checks the imports; the WASM build fails anyway, since
//! everything else compiles for the server only):
//! - It takes **no props**. Whatever words it shows arrive translated in the server markup
//!   (`data-*` attributes or hidden elements). Props would be JSON that `#[island]` decodes with
//!   serde_json, a third of the bundle; and the browser carries no translation tables.
//! - It talks to the server with [`fetch::get_json`] or plain form posts, never through
//!   server_fn's client: no DTO decoders ship. A server function that feeds an island answers HTML
//!   rendered by the component the page uses (e.g. `api::search::suggest_html`).
//! - Without JavaScript the markup it enhances still works as a plain form.
//! - It attaches once per page however many times it is placed ([`once`]).

pub mod csv_upload;
#[cfg(feature = "hydrate")]
pub mod fetch;
#[cfg(feature = "hydrate")]
pub mod latest;
pub mod quantity_field;
pub mod quick_order;
pub mod search_box;
pub mod select_apply;
pub mod submit_once;

/// True the first time `key` asks on this page: an island placed several times (one per
/// switcher, say) attaches its document-wide listener once.
pub fn once(key: &'static str) -> bool {
    use std::cell::RefCell;
    thread_local! {
        static DONE: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    }
    DONE.with(|done| {
        let mut done = done.borrow_mut();
        if done.contains(&key) {
            false
        } else {
            done.push(key);
            true
        }
    })
}

/// Reads a `data-*` attribute of an element (empty when absent).
#[cfg(feature = "hydrate")]
pub fn data(el: &web_sys::Element, name: &str) -> String {
    el.get_attribute(&format!("data-{name}")).unwrap_or_default()
}

/// The element an event happened on.
#[cfg(feature = "hydrate")]
pub fn target(ev: &web_sys::Event) -> Option<web_sys::Element> {
    use leptos::wasm_bindgen::JsCast;
    ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok())
}

/// Adds a listener for the page's lifetime.
#[cfg(feature = "hydrate")]
pub fn listen<E: leptos::wasm_bindgen::convert::FromWasmAbi + 'static>(
    on: &web_sys::EventTarget,
    event: &str,
    handler: impl FnMut(E) + 'static,
) {
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    let closure = Closure::<dyn FnMut(E)>::new(handler);
    let _ = on.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    closure.forget();
}
