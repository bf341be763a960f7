//! Quick order's CSV upload, live: the file goes up with a progress bar (`XMLHttpRequest`, whose
//! upload reports progress) to `api::csv::upload_csv_html`, and the report comes back as HTML
//! rendered by the server (rows ready, rows to fix, a download of those, a button adding the
//! ready ones). Markup and messages: `components::csv_upload`.

use leptos::prelude::*;

#[island]
pub fn CsvUploadLive() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    if crate::islands::once("csv-upload") {
        live::attach();
    }
    view! { <span hidden></span> }
}

#[cfg(feature = "hydrate")]
mod live {
    use crate::islands::{data, listen};
    use leptos::prelude::*;
    use leptos::wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{HtmlFormElement, HtmlInputElement};

    pub fn attach() {
        let doc = document();
        let Some(form) = doc.get_element_by_id("csv-form").and_then(|f| f.dyn_into::<HtmlFormElement>().ok()) else {
            return;
        };
        let target = form.clone();
        listen(&target, "submit", move |ev: web_sys::Event| {
            let doc = document();
            let (Some(progress), Some(bar), Some(error), Some(report)) = (
                doc.get_element_by_id("csv-progress"),
                doc.get_element_by_id("csv-progress-bar"),
                doc.get_element_by_id("csv-error"),
                doc.get_element_by_id("csv-report"),
            ) else {
                return;
            };
            let file = form
                .query_selector("input[type=file]")
                .ok()
                .flatten()
                .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
                .and_then(|i| i.files())
                .and_then(|f| f.get(0));
            let Some(file) = file else { return };
            ev.prevent_default();
            report.set_inner_html("");
            if file.size() > data(&form, "max-bytes").parse::<f64>().unwrap_or(f64::MAX) {
                error.set_text_content(Some(&data(&form, "too-large")));
                return;
            }
            error.set_text_content(None);
            let (Ok(body), Ok(xhr)) = (web_sys::FormData::new_with_form(&form), web_sys::XmlHttpRequest::new()) else {
                return;
            };
            let _ = progress.remove_attribute("hidden");
            let _ = bar.set_attribute("max", &file.size().to_string());
            let _ = bar.set_attribute("value", "0");
            let _ = xhr.open("POST", "/api/cart/upload_csv_html");
            if let Ok(upload) = xhr.upload() {
                let bar = bar.clone();
                listen(&upload, "progress", move |e: web_sys::ProgressEvent| {
                    if e.length_computable() {
                        let _ = bar.set_attribute("max", &e.total().to_string());
                        let _ = bar.set_attribute("value", &e.loaded().to_string());
                    }
                });
            }
            let failed = data(&form, "failed");
            let answered = xhr.clone();
            let done = Closure::<dyn FnMut()>::new(move || {
                let _ = progress.set_attribute("hidden", "");
                let html = answered
                    .response_text()
                    .ok()
                    .flatten()
                    .filter(|_| answered.status().is_ok_and(|s| (200..300).contains(&s)))
                    .and_then(|text| js_sys::JSON::parse(&text).ok())
                    .and_then(|v| v.as_string());
                match html {
                    Some(html) => report.set_inner_html(&html),
                    None => error.set_text_content(Some(&failed)),
                }
            });
            xhr.set_onloadend(Some(done.as_ref().unchecked_ref()));
            done.forget();
            let _ = xhr.send_with_opt_form_data(Some(&body));
        });
    }
}
