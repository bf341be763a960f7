//! Security headers on every response. A page may run only the scripts the server wrote into it
//! (the island loader, with this response's nonce) and the bundle from this origin; nothing may
//! frame it; browsers must not guess content types; other sites learn nothing from the Referer.
//! Wired outermost in `server/src/startup.rs`, so errors, files and the bundle get them too.

use super::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// This response's nonce for inline scripts, in the request's extensions for the page render
/// (`bundle::BundleHead` reads it).
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

impl CspNonce {
    /// 128 random bits, hex (a valid CSP nonce: base64 characters only).
    pub fn new() -> CspNonce {
        let bytes: [u8; 16] = rand::random();
        CspNonce(hex::encode(bytes))
    }
}

impl Default for CspNonce {
    fn default() -> Self {
        CspNonce::new()
    }
}

/// Gives the page render this response's nonce, in place of the random one leptos_axum makes
/// for each render (which the header would not know): the island loader and leptos's own inline
/// scripts carry it. Run as the additional context of every render (pages and the 404 fallback).
pub fn provide_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(nonce) =
        use_context::<axum::http::request::Parts>().and_then(|p| p.extensions.get::<CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// The policy of an HTML page: scripts from this origin or carrying the nonce (and WebAssembly
/// compiled from them), styles, images, fonts and fetches from this origin only (`data:` images
/// for the empty favicon), no plugins, no foreign `<base>`, forms posting only here, no framing.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Browser features the portal never uses, turned off for it and anything it might embed.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), \
     geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=(), \
     xr-spatial-tracking=()";

pub async fn security_headers(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let nonce = CspNonce::new();
    req.extensions_mut().insert(nonce.clone());
    let mut response = next.run(req).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // A file (PDF, CSV) or an API answer runs no script; it only must not be framed. A stricter
    // policy there would stop the browser's own PDF viewer.
    let policy = if html { page_policy(&nonce.0) } else { "frame-ancestors 'none'".to_string() };
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(header::CONTENT_SECURITY_POLICY, &policy);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "same-origin");
    set(HeaderName::from_static("permissions-policy"), PERMISSIONS_POLICY);
    set(HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    if state.auth.secure_cookies {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_response_gets_its_own_nonce_in_a_strict_policy() {
        let (a, b) = (CspNonce::new(), CspNonce::new());
        assert_ne!(a.0, b.0);
        assert_eq!(a.0.len(), 32);
        let policy = page_policy(&a.0);
        assert!(policy.contains(&format!("'nonce-{}'", a.0)));
        for directive in ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"] {
            assert!(policy.contains(directive), "{directive}");
        }
        assert!(!policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"));
        assert!(HeaderValue::from_str(&policy).is_ok() && HeaderValue::from_str(PERMISSIONS_POLICY).is_ok());
    }
}
