//! The HTTP edge: axum middleware that resolves the session and locale of every request, sends
//! signed-out page visits to /login, refuses cross-site writes, and keeps private pages out of
//! caches. Wired in `server/src/startup.rs`.

use super::session::{self, CurrentSession};
use super::state::AppState;
use crate::domain::return_to::safe_return_path;
use crate::i18n::{tr, Locale, RequestLocale};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// A request id: the proxy's `X-Request-Id` when it is a plain token, else a new one. Every log
/// line the request causes carries it (a `request` span), and the response returns it, so a
/// buyer's "incident" reference, the proxy's log and the portal's log meet.
pub async fn request_id(State(state): State<AppState>, req: Request, next: Next) -> Response {
    use tracing::Instrument;
    let given = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .map(str::to_string);
    let id = given.unwrap_or_else(|| hex::encode(rand::random::<[u8; 8]>()));
    let span = tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path());
    let path = req.uri().path().to_string();
    let started = std::time::Instant::now();
    let mut response = next.run(req).instrument(span.clone()).await;
    state.metrics.record(&path, response.status().as_u16(), started.elapsed().as_secs_f64());
    span.in_scope(|| {
        tracing::info!(
            target: "access",
            status = response.status().as_u16(),
            ms = started.elapsed().as_secs_f64() * 1000.0
        )
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// True for a browser navigation or plain form post (as opposed to a `fetch` from the app).
pub fn accepts_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")).unwrap_or(false)
}

/// Paths anyone may fetch without a session: the sign-in page, the pages behind mailed links
/// (the token is the proof), server functions (each one authorizes itself), the WASM/JS/CSS
/// bundle and static files.
fn is_public(path: &str) -> bool {
    path == "/login"
        || path == "/forgot-password"
        || path == "/join"
        || ["/reset-password/", "/invitations/", "/join/", "/verify-domain/"].iter().any(|p| path.starts_with(p))
        || path.starts_with("/api/")
        || needs_no_session(path)
}

/// The bundle, static files and the operations endpoints: no session, no locale, no database.
fn needs_no_session(path: &str) -> bool {
    path.starts_with("/pkg/") || matches!(path, "/favicon.ico" | "/health" | "/ready" | "/metrics")
}

/// Resolves the session cookie and the locale, and stores both in the request extensions.
/// Static files (the bundle, the health check) need neither, so they skip the database.
pub async fn resolve_session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if needs_no_session(path) {
        return next.run(req).await;
    }
    let current = match session::read_cookie(req.headers(), session::COOKIE) {
        Some(token) => match session::lookup(&state.pool, &token).await {
            Ok(found) => found,
            Err(e) => {
                tracing::error!("session lookup failed: {e}");
                let locale = choose_locale(None, req.headers());
                return (StatusCode::SERVICE_UNAVAILABLE, tr!(locale, "error.unavailable")).into_response();
            }
        },
        None => None,
    };
    let locale = choose_locale(current.as_ref(), req.headers());
    req.extensions_mut().insert(RequestLocale(locale));
    req.extensions_mut().insert(super::guard::RequestMemo::default());
    // Privileges changed since the token was handed out (a new role): a new token for this
    // browser, and the old one is dead.
    let mut fresh_cookie = None;
    if let Some(mut current) = current {
        if current.rotate {
            match session::rotate(&state.pool, &current.id_hash, None).await {
                Ok(Some(token)) => {
                    current.id_hash = session::hash_token(&token);
                    fresh_cookie =
                        Some(session::set_cookie(&token, state.auth.secure_cookies, state.auth.session_ttl_secs));
                }
                // A parallel request rotated it first; its answer carries the new token.
                Ok(None) => {}
                Err(e) => tracing::warn!("rotating a session: {e}"),
            }
        }
        req.extensions_mut().insert(current);
    }
    let mut response = next.run(req).await;
    if let Some(value) = fresh_cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// The member's saved choice, else the cookie, else Accept-Language, else English.
pub fn choose_locale(current: Option<&CurrentSession>, headers: &HeaderMap) -> Locale {
    current
        .and_then(|s| s.locale)
        .or_else(|| session::read_cookie(headers, session::LOCALE_COOKIE).and_then(|c| Locale::parse(&c)))
        .or_else(|| headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::negotiate))
        .unwrap_or_default()
}

/// Every page except /login needs a session: a signed-out visit is sent to /login with the
/// original path to come back to. Signed-in pages are marked `no-store`, so after logout the
/// Back button cannot show a cached copy.
pub async fn require_session(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let signed_in = req.extensions().get::<CurrentSession>().is_some();
    if signed_in && path == "/login" && req.method() == Method::GET {
        return see_other(crate::domain::return_to::HOME);
    }
    if !is_public(&path) && !signed_in && req.method() == Method::GET {
        let wanted = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
        let next_path = safe_return_path(wanted);
        return see_other(&format!("/login?next={}", crate::url::encode_component(next_path)));
    }
    // Merchant staff work at the desk, never in the buyer shell: every page outside it sends
    // them there (the desk's own files, the API and the bundle excepted).
    let staff = req.extensions().get::<CurrentSession>().is_some_and(|s| s.is_staff && s.company_id.is_none());
    if staff && req.method() == Method::GET && !is_public(&path) && !desk_or_asset(&path) {
        return Response::builder()
            .status(StatusCode::FOUND)
            .header(header::LOCATION, "/staff")
            .header(header::CACHE_CONTROL, "no-store")
            .body(Body::empty())
            .unwrap_or_else(|_| StatusCode::FOUND.into_response());
    }
    let mut response = next.run(req).await;
    if !path.starts_with("/pkg/") {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn desk_or_asset(path: &str) -> bool {
    path == "/staff" || ["/staff/", "/api/", "/pkg/"].iter().any(|p| path.starts_with(p))
}

fn see_other(location: &str) -> Response {
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, location)
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::empty())
        .unwrap_or_else(|_| StatusCode::SEE_OTHER.into_response())
}

/// Server functions answer every error with 500 (leptos's default), including malformed
/// arguments that never reach our code. This gives each error its status from the one table,
/// `AppError::status()`: 401, 403, 404, 422, 429 or a real 500. Only error bodies are read.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let response = next.run(req).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(bytes) => bytes,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    if let Ok(error) = serde_json::from_slice::<crate::error::AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Answers longer than this stay out of the URL (the page then shows no report, only the result).
/// Functions answer a form post leanly (`api::form_post`), so only a very long list of refused
/// rows comes near it; browsers and hyper take URLs many times longer.
const MAX_FORM_ANSWER: usize = 48 * 1024;

/// Post/redirect/get with the answer: a server function posted by a plain form (the pages render
/// on the server only, so every form is one) answers 302 back to the page it came from, and
/// server_fn puts only an error in that URL (`__path`, `__err`). This adds a success too:
/// `__path` and `__ok` (the function's JSON answer), which `components::outcome::posted` reads
/// when the page renders again. Redirects a function chose itself (to a new order, to sign-in)
/// and empty answers are left alone (a language switch comes back to a clean URL), so a function
/// whose page confirms it answers something (the team's changes answer the new version or id).
pub async fn form_answers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if req.method() != Method::POST || !path.starts_with("/api/") || !accepts_html(req.headers()) {
        return next.run(req).await;
    }
    let referer = req.headers().get(header::REFERER).and_then(|v| v.to_str().ok()).map(str::to_string);
    let response = next.run(req).await;
    let location = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (Some(location), Some(referer)) = (location, referer) else { return response };
    // server_fn's own redirect goes back to the Referer as it was (less any earlier answer); a
    // function that redirected itself chose its URL, answer included if it wanted one.
    if response.status() != StatusCode::FOUND
        || location.contains("__err=")
        || without_answer(&location) != without_answer(&referer)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_ANSWER).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let answer = String::from_utf8_lossy(&bytes);
    if answer.is_empty() || answer == "null" {
        return Response::from_parts(parts, Body::empty());
    }
    let page = without_answer(&location);
    let joint = if page.contains('?') { '&' } else { '?' };
    if let Ok(value) = HeaderValue::from_str(&format!("{page}{joint}{}", answer_query(&path, &answer))) {
        parts.headers.insert(header::LOCATION, value);
    }
    Response::from_parts(parts, Body::empty())
}

/// The query parameters that carry server function `path`'s JSON `answer` back to a page (read
/// by `components::outcome::posted`). For a function that redirects itself with its answer.
pub fn answer_query(path: &str, answer: &str) -> String {
    format!("__path={}&__ok={}", crate::url::encode_component(path), crate::url::encode_component(answer))
}

/// A URL as a path and query, without the origin and without the `__path`/`__ok`/`__err` of an
/// earlier answer.
fn without_answer(url: &str) -> String {
    let url = url.split_once("://").map(|(_, rest)| rest.find('/').map(|i| &rest[i..]).unwrap_or("/")).unwrap_or(url);
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("__ok=") && !p.starts_with("__path=") && !p.starts_with("__err="))
        .collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// Refuses state-changing requests sent by another site. SameSite=Lax already keeps the session
/// cookie off cross-site POSTs; this also stops login CSRF and anything cookie-less. Browsers
/// always send `Origin` on cross-origin POSTs, so a missing Origin is a non-browser client.
pub async fn same_origin_writes(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let cross_site =
        headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).map(|v| v == "cross-site").unwrap_or(false);
    let origin_mismatch = match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
        (Some(origin), Some(host)) => {
            let origin = origin.to_str().unwrap_or("");
            let host = host.to_str().unwrap_or("");
            let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
            origin == "null" || origin_host != host
        }
        (Some(_), None) => true,
        (None, _) => false,
    };
    if cross_site || origin_mismatch {
        let locale = choose_locale(None, headers);
        return (StatusCode::FORBIDDEN, tr!(locale, "error.cross_site")).into_response();
    }
    next.run(req).await
}

/// The client's IP for rate limiting: the socket peer, or the first X-Forwarded-For hop when the
/// deployment says a trusted proxy sets it.
pub fn client_ip(parts: &axum::http::request::Parts, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for {
        if let Some(first) =
            parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()).and_then(|v| v.split(',').next())
        {
            let first = first.trim();
            if !first.is_empty() && first.len() <= 64 {
                return first.to_string();
            }
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_prefers_saved_then_cookie_then_header() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, "ja,en;q=0.5".parse().unwrap());
        assert_eq!(choose_locale(None, &h), Locale::Ja);
        h.insert(header::COOKIE, "portal_locale=de".parse().unwrap());
        assert_eq!(choose_locale(None, &h), Locale::De);
        h.insert(header::COOKIE, "portal_locale=xx-bogus".parse().unwrap());
        assert_eq!(choose_locale(None, &h), Locale::Ja);
        assert_eq!(choose_locale(None, &HeaderMap::new()), Locale::En);
    }
}

/// A plain handler's error (a download, an export): its status from `AppError::status` and its
/// message in the reader's language.
pub fn error_response(e: &crate::error::AppError, locale: Locale) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, e.message(locale)).into_response()
}

/// A generated or stored file: its content type (never sniffed by the browser), how to show it
/// (`inline` or `attachment`, with its name) and no caching (it is the member's, and may change).
pub fn file_response(content_type: &str, disposition: &str, file_name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("{disposition}; filename*=UTF-8''{}", crate::url::encode_component(file_name)),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}
