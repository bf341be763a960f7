//! /login: the only page without a session. An `ActionForm` that is also a plain HTML form, so
//! it signs in with or without JavaScript; after a failure the typed email stays in the field.

use crate::api::auth::{login_error_from_query, Login};
use crate::components::language_switcher::language_switcher;
use crate::i18n::{tr, use_locale};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let locale = use_locale();
    let login = ServerAction::<Login>::new();
    let query = use_query_map();
    let (next, email, url_error, reset_done) = query.with_untracked(|q| {
        (
            q.get("next").unwrap_or_default(),
            q.get("email").unwrap_or_default(),
            login_error_from_query(q.get("error"), q.get("minutes")),
            q.get("reset").is_some(),
        )
    });
    // The form posts and the server redirects: to the next page when signed in, back here with
    // the reason (in the URL) when not.
    let error = login.value().get_untracked().and_then(Result::err).or(url_error);
    let pending = login.pending();
    view! {
        <Title text=tr!(locale, "auth.login.title") />
        <main id="main" class="login-page">
            <div class="login-card">
                <p class="brand">{tr!(locale, "auth.login.merchant_tagline")}</p>
                <h1>{tr!(locale, "auth.login.title")}</h1>
                {reset_done.then(|| view! { <p class="notice" role="status">{tr!(locale, "auth.login.reset_done")}</p> })}
                <ActionForm action=login attr:class="stack" attr:novalidate="novalidate">
                    {error.clone().map(|e| view! { <p class="form-error" role="alert" id="login-error">{e.message(locale)}</p> })}
                    <label for="email">{tr!(locale, "auth.login.email")}</label>
                    <input id="email" name="email" type="email" autocomplete="username" required value=email />
                    <label for="password">{tr!(locale, "auth.login.password")}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required />
                    <input type="hidden" name="next" value=next />
                    <button type="submit" class="primary" disabled=move || pending.get()>
                        {tr!(locale, "auth.login.submit")}
                    </button>
                </ActionForm>
                <p class="login-links">
                    <a href="/forgot-password">{tr!(locale, "auth.login.forgot")}</a>
                    <a href="/join">{tr!(locale, "auth.login.join")}</a>
                </p>
            </div>
            {language_switcher(locale)}
        </main>
    }
}
