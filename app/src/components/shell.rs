//! The signed-in frame around every page: header (merchant, company, location, currency,
//! language, company switcher, sign out) and the main navigation.

use crate::api::session::{get_shell, ShellDto};
use crate::components::error_view::ErrorView;
use crate::components::language_switcher::LanguageSwitcher;
use crate::domain::permission::Permission;
use crate::i18n::{tr, use_locale};
use leptos::prelude::*;
use leptos_router::components::Outlet;

/// Layout route for every page behind sign-in. The shell resource is blocking so the header is
/// in the first HTML chunk (no flash) and its data rides in the hydration payload.
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
    let show_switcher = shell.companies.len() > 1;
    let show_location_switcher = shell.locations.len() > 1;
    let current_location = shell.location_id;
    let current_company = shell.company.as_ref().map(|c| c.id);
    let pathname = leptos_router::hooks::use_location().pathname;
    let nav_items: Vec<(&'static str, &'static str, Option<Permission>)> = vec![
        ("/catalog", "nav.catalog", None),
        ("/quick-order", "nav.quick_order", None),
        ("/cart", "nav.cart", None),
        ("/orders", "nav.orders", None),
        ("/lists", "nav.lists", Some(Permission::CartManage)),
        ("/quotes", "nav.quotes", None),
        ("/team", "nav.team", Some(Permission::TeamManage)),
        ("/invoices", "nav.invoices", Some(Permission::InvoicesView)),
    ];
    view! {
        <header class="site-header">
            <div class="brand-row">
                <a class="brand" href="/catalog">{shell.merchant_name.clone()}</a>
                <dl class="context">
                    <div>
                        <dt>{tr!(locale, "shell.company")}</dt>
                        <dd data-testid="company-name">{company_label}</dd>
                    </div>
                    {(!show_location_switcher).then(|| shell.location_name.clone()).flatten().map(|name| view! {
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
                <div class="header-actions">
                    {show_location_switcher.then(|| view! {
                        <form class="switcher" method="post" action="/api/session/switch_location">
                            <label for="location-select">{tr!(locale, "shell.location")}</label>
                            <select id="location-select" name="location_id" data-testid="location-select">
                                {shell.locations.iter().map(|l| view! {
                                    <option value=l.id.to_string() selected=Some(l.id) == current_location>{l.name.clone()}</option>
                                }).collect_view()}
                            </select>
                            <button type="submit">{tr!(locale, "shell.apply")}</button>
                        </form>
                    })}
                    {show_switcher.then(|| view! {
                        <form class="switcher" method="post" action="/api/session/switch_company">
                            <label for="company-select">{tr!(locale, "shell.switch_company")}</label>
                            <select id="company-select" name="company_id">
                                {shell.companies.iter().map(|c| view! {
                                    <option value=c.id.to_string() selected=Some(c.id) == current_company>{c.name.clone()}</option>
                                }).collect_view()}
                            </select>
                            <button type="submit">{tr!(locale, "shell.apply")}</button>
                        </form>
                    })}
                    <LanguageSwitcher />
                    <form method="post" action="/api/auth/logout" class="logout">
                        <span class="user-name">{shell.user_name.clone()}</span>
                        <button type="submit">{tr!(locale, "shell.logout")}</button>
                    </form>
                </div>
            </div>
            <crate::components::search_box::SearchBox />
            <nav aria-label=tr!(locale, "nav.label")>
                <ul>
                    {nav_items
                        .into_iter()
                        .filter(|(_, _, needs)| needs.map(|p| shell.can(p)).unwrap_or(true))
                        .map(|(href, key, _)| {
                            // A plain link (the router still navigates client-side): `<A>` costs a
                            // reactive owner and a path normalisation per link on every page render.
                            let current = move || {
                                let path = pathname.get();
                                (path == href || path.starts_with(&format!("{href}/"))).then_some("page")
                            };
                            view! { <li><a href=href aria-current=current>{tr!(locale, key)}</a></li> }
                        })
                        .collect_view()}
                </ul>
            </nav>
        </header>
    }
}
