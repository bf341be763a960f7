//! The pages behind mailed links: /invitations/{token} (accept an invitation), /join (ask to
//! join by one's address's verified domain), /join/{token} (finish joining) and
//! /verify-domain/{token} (an admin confirms their domain). Public: the link is the proof. Each
//! shows a button or a form that posts: opening a link never uses it up (mail scanners open
//! links too).

use crate::api::invitations::{
    view_domain_link, view_invitation, view_join, AcceptInvitation, CompleteJoin, ConfirmDomain, StartJoin,
};
use crate::components::public_card::{link_gone, public_card};
use crate::components::team_bits::{outcome_of, role_label};
use crate::error::AppError;
use crate::i18n::{tr, use_locale, Locale};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn token_param() -> String {
    use_params_map().with_untracked(|p| p.get("token").unwrap_or_default())
}

fn error_line(locale: Locale, error: Option<AppError>) -> impl IntoView {
    error.map(|e| view! { <p class="form-error" role="alert">{e.message(locale)}</p> })
}

/// Name (new accounts only) and password fields.
fn account_fields(locale: Locale, email: String, has_account: bool) -> impl IntoView {
    view! {
        <label for="accept-email">{tr!(locale, "auth.login.email")}</label>
        <input id="accept-email" type="email" value=email readonly autocomplete="username" dir="ltr" />
        {(!has_account).then(|| view! {
            <label for="accept-name">{tr!(locale, "team.name")}</label>
            <input id="accept-name" name="name" type="text" required maxlength="100" autocomplete="name" />
        })}
        <label for="accept-password">{tr!(locale, if has_account { "auth.login.password" } else { "account.new_password" })}</label>
        <input id="accept-password" name="password" type="password" required
            autocomplete=if has_account { "current-password" } else { "new-password" } aria-describedby="accept-help" />
        <p id="accept-help" class="muted small">{tr!(locale, if has_account { "invitation.existing_help" } else { "account.password_rule" })}</p>
    }
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    let locale = use_locale();
    let invitation = Resource::new(token_param, view_invitation);
    let accept = ServerAction::<AcceptInvitation>::new();
    let error = outcome_of::<AcceptInvitation>().and_then(Result::err);
    view! {
        <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || {
                let error = error.clone();
                Suspend::new(async move {
                    let body = match invitation.await {
                        Ok(i) => {
                            let role = role_label(locale, &i.role_code, &i.role_name);
                            view! {
                                <p data-testid="invitation-summary">{tr!(locale, "invitation.summary", inviter = i.inviter.clone(), company = i.company.clone(), role = role)}</p>
                                {error_line(locale, error)}
                                <ActionForm action=accept attr:class="stack" attr:novalidate="novalidate">
                                    <input type="hidden" name="token" value=token_param() />
                                    {account_fields(locale, i.email.clone(), i.has_account)}
                                    <button type="submit" class="primary">{tr!(locale, "invitation.accept")}</button>
                                </ActionForm>
                            }.into_any()
                        }
                        Err(_) => link_gone(locale, "invitation.invalid").into_any(),
                    };
                    public_card(locale, tr!(locale, "invitation.title"), body)
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let locale = use_locale();
    let start = ServerAction::<StartJoin>::new();
    let waiting = use_query_map().with_untracked(|q| q.get("waiting").is_some());
    let body = match (waiting, outcome_of::<StartJoin>()) {
        (true, _) => {
            view! { <p role="status" class="notice" data-testid="join-waiting">{tr!(locale, "join.waiting")}</p> }
                .into_any()
        }
        (false, Some(Ok(()))) => {
            view! { <p role="status" class="notice" data-testid="join-sent">{tr!(locale, "join.sent")}</p> }.into_any()
        }
        (false, other) => view! {
            {error_line(locale, other.and_then(Result::err))}
            <p class="muted">{tr!(locale, "join.help")}</p>
            <ActionForm action=start attr:class="stack" attr:novalidate="novalidate">
                <label for="join-email">{tr!(locale, "auth.login.email")}</label>
                <input id="join-email" name="email" type="email" required autocomplete="email" maxlength="254" />
                <button type="submit" class="primary">{tr!(locale, "account.send_link")}</button>
            </ActionForm>
        }
        .into_any(),
    };
    public_card(locale, tr!(locale, "join.title"), body)
}

#[component]
pub fn JoinLinkPage() -> impl IntoView {
    let locale = use_locale();
    let link = Resource::new(token_param, view_join);
    let complete = ServerAction::<CompleteJoin>::new();
    let error = outcome_of::<CompleteJoin>().and_then(Result::err);
    view! {
        <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || {
                let error = error.clone();
                Suspend::new(async move {
                    let body = match link.await {
                        Ok(j) => view! {
                            <p>{tr!(locale, if j.joins_at_once { "join.at_once" } else { "join.ask" }, company = j.company.clone())}</p>
                            {error_line(locale, error)}
                            <ActionForm action=complete attr:class="stack" attr:novalidate="novalidate">
                                <input type="hidden" name="token" value=token_param() />
                                {account_fields(locale, j.email.clone(), j.has_account)}
                                <button type="submit" class="primary">{tr!(locale, "join.submit")}</button>
                            </ActionForm>
                        }.into_any(),
                        Err(_) => link_gone(locale, "link.invalid").into_any(),
                    };
                    public_card(locale, tr!(locale, "join.title"), body)
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn VerifyDomainPage() -> impl IntoView {
    let locale = use_locale();
    let confirmed = outcome_of_domain();
    let domain = Resource::new(token_param, view_domain_link);
    let confirm = ServerAction::<ConfirmDomain>::new();
    view! {
        <Suspense fallback=move || view! { <p>{tr!(locale, "common.loading")}</p> }>
            {move || {
                let confirmed = confirmed.clone();
                Suspend::new(async move {
                    let body = match (confirmed, domain.await) {
                        (Some(Ok(d)), _) => view! {
                            <p role="status" class="notice" data-testid="domain-verified">{tr!(locale, "team.domain.done", domain = d)}</p>
                            <p><a href="/team">{tr!(locale, "nav.team")}</a></p>
                        }.into_any(),
                        (Some(Err(e)), _) => view! { {error_line(locale, Some(e))} }.into_any(),
                        (None, Ok(d)) => view! {
                            <p>{tr!(locale, "team.domain.confirm_help", domain = d)}</p>
                            <ActionForm action=confirm>
                                <input type="hidden" name="token" value=token_param() />
                                <button type="submit" class="primary">{tr!(locale, "team.domain.confirm")}</button>
                            </ActionForm>
                        }.into_any(),
                        (None, Err(_)) => link_gone(locale, "link.invalid").into_any(),
                    };
                    public_card(locale, tr!(locale, "team.domain.title"), body)
                })
            }}
        </Suspense>
    }
}

fn outcome_of_domain() -> Option<Result<String, AppError>> {
    crate::components::outcome::posted::<ConfirmDomain>()
}
