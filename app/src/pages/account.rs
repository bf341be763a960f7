//! /account (name, language, password, sessions), /forgot-password and
//! /reset-password/{token}. The last two are public: the mailed link is the proof.

use crate::api::account::{get_account, AccountDto, ChangePassword, SignOutElsewhere, UpdateAccount};
use crate::api::auth::{reset_link, ForgotPassword, ResetPassword};
use crate::components::error_view::ErrorView;
use crate::components::public_card::{link_gone, public_card};
use crate::components::team_bits::{notice, outcome_of};
use crate::i18n::{tr, use_locale, Locale};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn AccountPage() -> impl IntoView {
    let locale = use_locale();
    let account = Resource::new(|| (), |_| get_account());
    view! {
        <Title text=tr!(locale, "account.title") />
        <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(dto) => view! { <AccountView dto locale /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountView(dto: AccountDto, locale: Locale) -> impl IntoView {
    let update = ServerAction::<UpdateAccount>::new();
    let password = ServerAction::<ChangePassword>::new();
    let elsewhere = ServerAction::<SignOutElsewhere>::new();
    let answers = [
        (outcome_of::<UpdateAccount>(), "account.saved"),
        (outcome_of::<ChangePassword>(), "account.password_changed"),
        (outcome_of::<SignOutElsewhere>(), "account.signed_out_elsewhere"),
    ];
    let shown = answers.into_iter().find(|(o, _)| o.is_some()).map(|(o, key)| notice(locale, o, tr!(locale, key)));
    let others = dto.sessions.iter().filter(|s| !s.current).count();
    let email = dto.email.clone();
    view! {
        <section class="page account">
            <h1>{tr!(locale, "account.title")}</h1>
            {shown}
            <section class="team-section" aria-labelledby="profile-title">
                <h2 id="profile-title">{tr!(locale, "account.profile")}</h2>
                <ActionForm action=update attr:class="stack narrow">
                    <label>{tr!(locale, "team.email")}</label>
                    <p data-testid="account-email">{dto.email.clone()}</p>
                    <label for="account-name">{tr!(locale, "team.name")}</label>
                    <input id="account-name" name="name" type="text" required maxlength="100" value=dto.name.clone() autocomplete="name" />
                    <label for="account-locale">{tr!(locale, "shell.language")}</label>
                    <select id="account-locale" name="locale">
                        {Locale::ALL.into_iter().map(|l| view! {
                            <option value=l.tag() lang=l.tag() selected=l.tag() == dto.locale>{l.native_name()}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="primary">{tr!(locale, "team.save")}</button>
                </ActionForm>
            </section>
            <section class="team-section" aria-labelledby="password-title">
                <h2 id="password-title">{tr!(locale, "account.password")}</h2>
                <ActionForm action=password attr:class="stack narrow" attr:novalidate="novalidate">
                    <input type="hidden" name="username" value=email autocomplete="username" />
                    <label for="current-password">{tr!(locale, "account.current_password")}</label>
                    <input id="current-password" name="current" type="password" required autocomplete="current-password" />
                    <label for="new-password">{tr!(locale, "account.new_password")}</label>
                    <input id="new-password" name="new" type="password" required minlength="10" autocomplete="new-password" aria-describedby="new-password-help" />
                    <p id="new-password-help" class="muted small">{tr!(locale, "account.password_rule")}</p>
                    <button type="submit" class="primary">{tr!(locale, "account.change_password")}</button>
                </ActionForm>
            </section>
            <section class="team-section" aria-labelledby="sessions-title">
                <h2 id="sessions-title">{tr!(locale, "account.sessions")}</h2>
                <ul class="member-list">
                    {dto.sessions.into_iter().map(|s| view! {
                        <li class="member" data-testid="session">
                            <div class="member-head">
                                <strong>{tr!(locale, "account.started", date = s.started)}</strong>
                                {s.current.then(|| view! { <span class="status">{tr!(locale, "account.this_device")}</span> })}
                            </div>
                            <p class="muted small">{s.company.unwrap_or_default()}" · "{tr!(locale, "account.expires", date = s.expires)}</p>
                        </li>
                    }).collect_view()}
                </ul>
                <ActionForm action=elsewhere>
                    <button type="submit" disabled=others == 0>{tr!(locale, "account.sign_out_elsewhere")}</button>
                </ActionForm>
            </section>
        </section>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let locale = use_locale();
    let forgot = ServerAction::<ForgotPassword>::new();
    let answer = outcome_of::<ForgotPassword>();
    let body = match answer {
        Some(Ok(())) => view! {
            <p role="status" class="notice" data-testid="forgot-sent">{tr!(locale, "account.forgot_sent")}</p>
            <p><a href="/login">{tr!(locale, "account.back_to_login")}</a></p>
        }
        .into_any(),
        other => view! {
            {other.and_then(Result::err).map(|e| view! { <p class="form-error" role="alert">{e.message(locale)}</p> })}
            <p class="muted">{tr!(locale, "account.forgot_help")}</p>
            <ActionForm action=forgot attr:class="stack" attr:novalidate="novalidate">
                <label for="forgot-email">{tr!(locale, "auth.login.email")}</label>
                <input id="forgot-email" name="email" type="email" required autocomplete="username" maxlength="254" />
                <button type="submit" class="primary">{tr!(locale, "account.send_link")}</button>
            </ActionForm>
            <p><a href="/login">{tr!(locale, "account.back_to_login")}</a></p>
        }
        .into_any(),
    };
    public_card(locale, tr!(locale, "account.forgot_title"), body)
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
    let valid = Resource::new(move || token.clone(), reset_link);
    let reset = ServerAction::<ResetPassword>::new();
    let error = outcome_of::<ResetPassword>().and_then(Result::err);
    view! {
        <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || {
                let error = error.clone();
                Suspend::new(async move {
                    let token = params.with_untracked(|p| p.get("token").unwrap_or_default());
                    let body = match valid.await {
                        Ok(true) => view! {
                            {error.map(|e| view! { <p class="form-error" role="alert">{e.message(locale)}</p> })}
                            <ActionForm action=reset attr:class="stack" attr:novalidate="novalidate">
                                <input type="hidden" name="token" value=token />
                                <label for="reset-password">{tr!(locale, "account.new_password")}</label>
                                <input id="reset-password" name="password" type="password" required minlength="10" autocomplete="new-password" aria-describedby="reset-help" />
                                <p id="reset-help" class="muted small">{tr!(locale, "account.password_rule")}</p>
                                <button type="submit" class="primary">{tr!(locale, "account.set_password")}</button>
                            </ActionForm>
                        }.into_any(),
                        _ => link_gone(locale, "link.invalid").into_any(),
                    };
                    public_card(locale, tr!(locale, "account.reset_title"), body)
                })
            }}
        </Suspense>
    }
}
