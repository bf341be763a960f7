//! The islands' one way to the server: `fetch` a GET server function and let the browser parse
//! its JSON answer (no JSON decoder in the WASM).

use leptos::wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// GETs `url` (same origin, with the session cookie) and returns the parsed JSON body; `Err` for
/// a network failure or an answer that is not 2xx.
pub async fn get_json(url: String) -> Result<JsValue, ()> {
    let window = web_sys::window().ok_or(())?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(&url)).await.map_err(|_| ())?.dyn_into().map_err(|_| ())?;
    if !response.ok() {
        return Err(());
    }
    JsFuture::from(response.json().map_err(|_| ())?).await.map_err(|_| ())
}

/// The `i`th string of a JSON array answer.
pub fn nth_string(value: &JsValue, i: u32) -> String {
    js_sys::Reflect::get(value, &JsValue::from(i)).ok().and_then(|v| v.as_string()).unwrap_or_default()
}
