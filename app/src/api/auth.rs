//! Sign-in, sign-out and the language preference.

use crate::error::AppError;
use leptos::prelude::*;

/// Signs in with email and password. Public by nature (there is no session yet); rate limited
/// per IP and per account. On success sets the session cookie and answers the page to go to
/// (`next` if it is a same-site path). Works as a plain HTML form post: the browser is redirected
/// there, or on failure back to /login with the email it typed and the reason.
#[server(endpoint = "auth/login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<String, AppError> {
    use crate::backend::{auth, platform::http, platform::session, platform::state::app_state};
    use crate::domain::return_to::safe_return_path;
    use axum::http::{header, request::Parts};

    let state = app_state()?;
    let parts = use_context::<Parts>().ok_or_else(|| AppError::internal("request parts missing"))?;
    let ip = http::client_ip(&parts, state.auth.trust_forwarded_for);
    let next = safe_return_path(next.as_deref().unwrap_or("")).to_string();
    let response = expect_context::<leptos_axum::ResponseOptions>();

    match auth::login(&state, &email, &password, &ip).await {
        Ok(signed_in) => {
            // A session the browser already had (another account, or a token planted in it) ends:
            // sign-in always hands out a new one.
            if let Some(previous) = parts.extensions.get::<session::CurrentSession>() {
                session::delete(&state.pool, &previous.id_hash).await?;
            }
            set_session_cookie(&state, &signed_in.token)?;
            if let Some(locale) = signed_in.locale {
                let cookie = session::locale_cookie(locale, state.auth.secure_cookies);
                response.append_header(
                    header::SET_COOKIE,
                    header::HeaderValue::from_str(&cookie).map_err(AppError::internal)?,
                );
            }
            if http::accepts_html(&parts.headers) {
                leptos_axum::redirect(&next);
            }
            Ok(next)
        }
        Err(err) => {
            if http::accepts_html(&parts.headers) {
                leptos_axum::redirect(&login_retry_url(&next, &email, &err));
            }
            Err(err)
        }
    }
}

/// Hands a new session to the browser (sign-in, an accepted invitation, a join).
#[cfg(feature = "ssr")]
pub(crate) fn set_session_cookie(
    state: &crate::backend::platform::state::AppState,
    token: &str,
) -> Result<(), AppError> {
    use crate::backend::platform::session;
    use axum::http::header;
    let cookie = session::set_cookie(token, state.auth.secure_cookies, state.auth.session_ttl_secs);
    expect_context::<leptos_axum::ResponseOptions>()
        .append_header(header::SET_COOKIE, header::HeaderValue::from_str(&cookie).map_err(AppError::internal)?);
    Ok(())
}

/// The caller's IP for rate limits.
#[cfg(feature = "ssr")]
pub(crate) fn client_ip() -> Result<String, AppError> {
    use crate::backend::platform::{http, state::app_state};
    let state = app_state()?;
    let parts =
        use_context::<axum::http::request::Parts>().ok_or_else(|| AppError::internal("request parts missing"))?;
    Ok(http::client_ip(&parts, state.auth.trust_forwarded_for))
}

/// Asks for a password reset link. The answer is the same whether or not the address has an
/// account; limited per address and per IP.
#[server(endpoint = "auth/forgot")]
pub async fn forgot_password(email: String) -> Result<bool, AppError> {
    use crate::backend::{account, platform::state::app_state};
    let state = app_state()?;
    account::forgot_password(&state, &email, &client_ip()?, crate::i18n::request_locale()).await?;
    Ok(true)
}

/// Whether a reset link still works (the page shows the form or "no longer valid").
#[server(endpoint = "auth/reset_link")]
pub async fn reset_link(token: String) -> Result<bool, AppError> {
    use crate::backend::{account, platform::state::app_state};
    account::reset_link_valid(&app_state()?, &token).await
}

/// Sets a new password through a mailed link; every session of the account ends, and the
/// browser goes to /login to sign in with it.
#[server(endpoint = "auth/reset")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use crate::backend::{account, platform::state::app_state};
    account::reset_password(&app_state()?, &token, &password).await?;
    if crate::api::form_post() {
        leptos_axum::redirect("/login?reset=1");
    }
    Ok(())
}

/// /login with what the buyer typed and why it failed, for the no-JavaScript path. Everything is
/// percent-encoded (no CR/LF can reach the Location header) and the email is capped.
#[cfg(feature = "ssr")]
fn login_retry_url(next: &str, email: &str, err: &AppError) -> String {
    use crate::url::encode_component;
    let email: String = email.chars().filter(|c| !c.is_control()).take(254).collect();
    let reason = match err {
        AppError::RateLimited { retry_after_minutes } => format!("rate_limited&minutes={retry_after_minutes}"),
        AppError::Invalid(_) => "invalid".to_string(),
        _ => "unavailable".to_string(),
    };
    format!("/login?next={}&email={}&error={reason}", encode_component(next), encode_component(&email))
}

/// The error a no-JavaScript login redirect carries in its query (see `login_retry_url`).
pub fn login_error_from_query(error: Option<String>, minutes: Option<String>) -> Option<AppError> {
    match error.as_deref()? {
        "invalid" => Some(AppError::invalid("", "auth.login.invalid")),
        "rate_limited" => Some(AppError::RateLimited {
            retry_after_minutes: minutes.and_then(|m| m.parse().ok()).unwrap_or(15).min(1440),
        }),
        _ => Some(AppError::invalid("", "auth.login.unavailable")),
    }
}

/// Ends the session server-side (the row is deleted), clears the cookie and goes to /login.
/// Needs no permission: anyone may end their own session, and without one there is nothing to end.
#[server(endpoint = "auth/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::backend::{auth, platform::guard, platform::session, platform::state::app_state};
    use axum::http::header;

    let state = app_state()?;
    if let Ok(current) = guard::signed_in() {
        auth::logout(&state, &current).await?;
    }
    let response = expect_context::<leptos_axum::ResponseOptions>();
    let cookie = session::clear_cookie(state.auth.secure_cookies);
    response.append_header(header::SET_COOKIE, header::HeaderValue::from_str(&cookie).map_err(AppError::internal)?);
    leptos_axum::redirect("/login");
    Ok(())
}

/// Saves the viewer's language: in a cookie always (the login page has no session), and on the
/// user when signed in, so it follows them to other devices. Public for the login page's sake.
#[server(endpoint = "prefs/set_locale")]
pub async fn set_locale(locale: String) -> Result<(), AppError> {
    use crate::backend::{auth, platform::guard, platform::session, platform::state::app_state};
    use crate::i18n::Locale;
    use axum::http::header;

    let Some(locale) = Locale::parse(&locale) else {
        return Err(AppError::invalid("locale", "prefs.locale.unknown"));
    };
    let state = app_state()?;
    if let Ok(current) = guard::signed_in() {
        auth::save_locale(&state, current.user_id, locale).await?;
    }
    let response = expect_context::<leptos_axum::ResponseOptions>();
    let cookie = session::locale_cookie(locale, state.auth.secure_cookies);
    response.append_header(header::SET_COOKIE, header::HeaderValue::from_str(&cookie).map_err(AppError::internal)?);
    Ok(())
}
