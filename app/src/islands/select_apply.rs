//! Selects that apply on choosing (location, company, language): the server renders each in a
//! plain form with an Apply button and `data-auto-apply` (`components::select_apply`); once this
//! island runs, a change submits the form and CSS hides the buttons (`[data-hydrated]`).

use leptos::prelude::*;

#[island]
pub fn AutoApply() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if crate::islands::once("auto-apply") {
        use leptos::wasm_bindgen::JsCast;
        crate::islands::listen(&document(), "change", |ev: web_sys::Event| {
            let form = crate::islands::target(&ev)
                .filter(|el| el.has_attribute("data-auto-apply"))
                .and_then(|el| el.closest("form").ok().flatten())
                .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
            if let Some(form) = form {
                let _ = form.request_submit();
            }
        });
    }
    view! { <span hidden></span> }
}
