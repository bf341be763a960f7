//! A form that must not be sent twice by a double click (placing an order): once submitted, its
//! button is disabled and says what is happening (`data-busy` on the form, in the page's
//! language). The server places exactly once anyway (the idempotency key); this is for the buyer.

use leptos::prelude::*;

#[island]
pub fn SubmitOnce() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if crate::islands::once("submit-once") {
        crate::islands::listen(&document(), "submit", |ev: web_sys::Event| {
            let Some(form) = crate::islands::target(&ev).filter(|f| f.has_attribute("data-busy")) else { return };
            if let Ok(Some(button)) = form.query_selector("button[type=submit]") {
                let busy = crate::islands::data(&form, "busy");
                // After this turn, so the submission itself is not cancelled.
                set_timeout(
                    move || {
                        let _ = button.set_attribute("disabled", "");
                        button.set_text_content(Some(&busy));
                    },
                    std::time::Duration::ZERO,
                );
            }
        });
    }
    view! { <span hidden></span> }
}
