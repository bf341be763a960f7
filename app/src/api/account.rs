//! The signed-in person's own account: name, language, password, sessions. Needs a session but
//! no company permission (`guard::signed_in`): staff and members of any role have an account.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionDto {
    pub started: String,
    pub expires: String,
    pub current: bool,
    pub company: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountDto {
    pub name: String,
    pub email: String,
    pub locale: String,
    pub sessions: Vec<SessionDto>,
}

#[server(endpoint = "account/get")]
pub async fn get_account() -> Result<AccountDto, AppError> {
    use crate::backend::{account, platform::guard, platform::state::app_state};
    let state = app_state()?;
    let current = guard::signed_in()?;
    let locale = crate::i18n::request_locale();
    let sessions = account::sessions(&state, &current)
        .await?
        .into_iter()
        .map(|s| SessionDto {
            started: crate::format::date_time(s.created_at, locale),
            expires: crate::format::date(s.expires_at, locale),
            current: s.current,
            company: s.company,
        })
        .collect();
    Ok(AccountDto {
        name: current.display_name,
        email: current.email,
        locale: current.locale.unwrap_or(locale).tag().to_string(),
        sessions,
    })
}

#[server(endpoint = "account/update")]
pub async fn update_account(name: String, locale: String) -> Result<String, AppError> {
    use crate::backend::{account, platform::guard, platform::session, platform::state::app_state};
    use axum::http::header;
    let state = app_state()?;
    let current = guard::signed_in()?;
    account::update_profile(&state, &current, &name, &locale).await?;
    if let Some(locale) = crate::i18n::Locale::parse(&locale) {
        let cookie = session::locale_cookie(locale, state.auth.secure_cookies);
        expect_context::<leptos_axum::ResponseOptions>()
            .append_header(header::SET_COOKIE, header::HeaderValue::from_str(&cookie).map_err(AppError::internal)?);
    }
    // The saved name: a form post's page confirms with it.
    Ok(name.trim().to_string())
}

/// Changes the password: the current one is required; every other session ends.
#[server(endpoint = "account/change_password")]
pub async fn change_password(current: String, new: String) -> Result<bool, AppError> {
    use crate::backend::{account, platform::guard, platform::state::app_state};
    let state = app_state()?;
    let session = guard::signed_in()?;
    account::change_password(&state, &session, &current, &new, &crate::api::auth::client_ip()?).await?;
    Ok(true)
}

/// Ends every other session of this account; answers how many ended.
#[server(endpoint = "account/sign_out_elsewhere")]
pub async fn sign_out_elsewhere() -> Result<u64, AppError> {
    use crate::backend::{account, platform::guard, platform::state::app_state};
    let state = app_state()?;
    let session = guard::signed_in()?;
    account::sign_out_elsewhere(&state, &session).await
}
