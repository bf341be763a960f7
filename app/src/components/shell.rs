//! The signed-in frame around every page. Phone first: one row with the brand, the search box,
//! the cart with its line count and a menu (a `<details>`, so it opens without JavaScript) that
//! holds company, location, currency, language and the account; from 40rem up the menu's
//! contents sit in the header itself (CSS). Then the main navigation.

use crate::api::session::{get_shell, ShellDto};
use crate::components::error_view::ErrorView;
use crate::components::language_switcher::language_switcher;
use crate::components::search_box::search_box;
use crate::components::select_apply::{select_apply, Choice, SelectApplySpec};
use crate::domain::permission::Permission;
use crate::i18n::{tr, use_locale};
use leptos::prelude::*;
use leptos_router::components::Outlet;

/// Layout route for every page behind sign-in. The shell resource is blocking so the header is
/// in the first HTML chunk.
#[component]
pub fn ShellLayout() -> impl IntoView {
    let locale = use_locale();
    let shell = Resource::new_blocking(|| (), |_| get_shell());
    view! {
        <a class="skip-link" href="#main">{tr!(locale, "shell.skip_to_content")}</a>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match shell.await {
                    Ok(dto) => view! { <Header shell=dto /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
        <main id="main" tabindex="-1">
            <Outlet />
        </main>
    }
}

#[component]
fn Header(shell: ShellDto) -> impl IntoView {
    let locale = use_locale();
    let company_label = shell
        .company
        .as_ref()
        .map(|c| c.name.clone())
        .unwrap_or_else(|| tr!(locale, if shell.is_staff { "shell.staff" } else { "shell.no_company" }));
    let current_location = shell.location_id;
    let current_company = shell.company.as_ref().map(|c| c.id);
    // A switcher only when there is something to switch to.
    let switcher =
        |action, id, name, label: String, list: &[crate::api::session::Choice], current: Option<i64>, test_id| {
            (list.len() > 1).then(|| SelectApplySpec {
                action,
                id,
                name,
                label,
                apply: tr!(locale, "shell.apply"),
                choices: list
                    .iter()
                    .map(|c| Choice {
                        value: c.id.to_string(),
                        label: c.name.clone(),
                        selected: Some(c.id) == current,
                        lang: None,
                    })
                    .collect(),
                test_id,
            })
        };
    let location_switcher = switcher(
        "/api/session/switch_location",
        "location-select",
        "location_id",
        tr!(locale, "shell.location"),
        &shell.locations,
        current_location,
        Some("location-select"),
    );
    let company_switcher = switcher(
        "/api/session/switch_company",
        "company-select",
        "company_id",
        tr!(locale, "shell.switch_company"),
        &shell.companies,
        current_company,
        None,
    );
    let location_name = location_switcher.is_none().then(|| shell.location_name.clone()).flatten();
    let pathname = leptos_router::hooks::use_location().pathname.get_untracked();
    let nav_items: Vec<(&'static str, &'static str, Option<Permission>)> = vec![
        ("/catalog", "nav.catalog", None),
        ("/quick-order", "nav.quick_order", None),
        ("/cart", "nav.cart", None),
        ("/orders", "nav.orders", None),
        ("/approvals", "nav.approvals", Some(Permission::OrdersApprove)),
        ("/lists", "nav.lists", Some(Permission::CartManage)),
        ("/quotes", "nav.quotes", Some(Permission::QuotesRequest)),
        ("/team", "nav.team", Some(Permission::TeamManage)),
        ("/invoices", "nav.invoices", Some(Permission::InvoicesView)),
    ];
    let cart_label = tr!(locale, "shell.cart_lines", count = shell.cart_lines);
    view! {
        <header class="site-header">
            <div class="bar">
                <a class="brand" href="/catalog" dir="auto">{shell.merchant_name.clone()}</a>
                {search_box(locale)}
                {shell.can(Permission::CartManage).then(|| view! {
                    <a class="cart-link" href="/cart" aria-label=cart_label data-testid="cart-link">
                        <span aria-hidden="true">{tr!(locale, "nav.cart")}</span>
                        <span class="badge" aria-hidden="true">{shell.cart_lines}</span>
                    </a>
                })}
                <details class="menu">
                    <summary><span class="menu-label">{tr!(locale, "shell.menu")}</span></summary>
                    <div class="menu-panel">
                        <dl class="context">
                            <div>
                                <dt>{tr!(locale, "shell.company")}</dt>
                                <dd data-testid="company-name">{company_label}</dd>
                            </div>
                            {location_name.map(|name| view! {
                                <div>
                                    <dt>{tr!(locale, "shell.location")}</dt>
                                    <dd data-testid="location-name">{name}</dd>
                                </div>
                            })}
                            {shell.currency.clone().map(|code| view! {
                                <div>
                                    <dt>{tr!(locale, "shell.currency")}</dt>
                                    <dd data-testid="currency">{code}</dd>
                                </div>
                            })}
                        </dl>
                        {location_switcher.map(select_apply)}
                        {company_switcher.map(select_apply)}
                        {language_switcher(locale)}
                        <form method="post" action="/api/auth/logout" class="logout">
                            <a class="user-name" href="/account" data-testid="account-link" aria-label=tr!(locale, "shell.account")>{shell.user_name.clone()}</a>
                            <button type="submit">{tr!(locale, "shell.logout")}</button>
                        </form>
                    </div>
                </details>
            </div>
            <nav aria-label=tr!(locale, "nav.label")>
                <ul>
                    {nav_items
                        .into_iter()
                        .filter(|(_, _, needs)| needs.map(|p| shell.can(p)).unwrap_or(true))
                        .map(|(href, key, _)| {
                            let current = (pathname == href || pathname.starts_with(&format!("{href}/"))).then_some("page");
                            view! { <li><a href=href aria-current=current>{tr!(locale, key)}</a></li> }
                        })
                        .collect_view()}
                </ul>
            </nav>
        </header>
    }
}
