//! The merchant's frame around the desk (`/staff/*`): its own header and navigation, ready for
//! the companies, orders and price-list screens that come later. Buyers never reach it (the
//! pages' data is Forbidden to them and the frame says so); staff never see the buyer shell.

use crate::api::session::get_shell;
use crate::components::error_view::ErrorView;
use crate::components::language_switcher::language_switcher;
use crate::error::AppError;
use crate::i18n::{tr, use_locale};
use leptos::prelude::*;
use leptos_router::components::Outlet;

#[component]
pub fn StaffLayout() -> impl IntoView {
    let locale = use_locale();
    let shell = Resource::new_blocking(|| (), |_| get_shell());
    view! {
        <a class="skip-link" href="#main">{tr!(locale, "shell.skip_to_content")}</a>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match shell.await {
                    Ok(dto) if dto.is_staff => {
                        let pathname = leptos_router::hooks::use_location().pathname.get_untracked();
                        let items = [
                            ("/staff/quotes", "staff.nav.quotes"),
                            ("/staff/invoices", "staff.nav.invoices"),
                            ("/staff/search", "staff.nav.search"),
                        ];
                        view! {
                            <header class="site-header staff-header">
                                <div class="bar">
                                    <a class="brand" href="/staff" dir="auto">{dto.merchant_name.clone()}</a>
                                    <span class="staff-tag">{tr!(locale, "staff.desk")}</span>
                                    <details class="menu">
                                        <summary><span class="menu-label">{tr!(locale, "shell.menu")}</span></summary>
                                        <div class="menu-panel">
                                            {language_switcher(locale)}
                                            <form method="post" action="/api/auth/logout" class="logout">
                                                <span class="user-name" data-testid="staff-name">{dto.user_name.clone()}</span>
                                                <button type="submit">{tr!(locale, "shell.logout")}</button>
                                            </form>
                                        </div>
                                    </details>
                                </div>
                                <nav aria-label=tr!(locale, "staff.nav.label")>
                                    <ul>
                                        {items.into_iter().map(|(href, key)| {
                                            let current = pathname.starts_with(href).then_some("page");
                                            view! { <li><a href=href aria-current=current>{tr!(locale, key)}</a></li> }
                                        }).collect_view()}
                                    </ul>
                                </nav>
                            </header>
                        }.into_any()
                    }
                    Ok(_) => view! { <ErrorView error=AppError::Forbidden /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
        <main id="main" tabindex="-1">
            <Outlet />
        </main>
    }
}
