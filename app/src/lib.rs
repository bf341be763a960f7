//! The portal's shared crate. Islands architecture: the Leptos app (pages, components, server
//! functions, `backend`, `format`, translations) compiles for the server only; the browser build
//! (`hydrate`) compiles just `islands`, with the pure `domain` code and `url` they use, so nothing
//! else can reach a buyer's phone.

// Translations from /locales, compiled in as data by build.rs and served to rust-i18n by
// `i18n::Embedded` (rust-i18n's own loader is pointed at no files: it would generate code per
// key). Code translates only through `tr!` (i18n.rs), which looks up through rust-i18n and adds
// CLDR plural forms and placeholders.
#[cfg(feature = "ssr")]
rust_i18n::i18n!("../locales/none", fallback = "en", backend = crate::i18n::Embedded);

/// Server functions and their DTOs, one module per feature.
#[cfg(feature = "ssr")]
pub mod api;
/// Services and repositories (server only).
#[cfg(feature = "ssr")]
pub mod backend;
/// The browser bundle's hashed files and its loader (server only: it writes the page's head).
#[cfg(feature = "ssr")]
pub mod bundle;
/// Reusable view pieces (shell, switchers, empty and error states).
#[cfg(feature = "ssr")]
pub mod components;
/// Pure shared domain types: money, permissions, ids, email, return paths.
pub mod domain;
/// The one error type of every server function.
#[cfg(feature = "ssr")]
pub mod error;
/// Locale formatting of money, numbers and dates with ICU4X (server only).
#[cfg(feature = "ssr")]
pub mod format;
/// Locales, negotiation, translation.
#[cfg(feature = "ssr")]
pub mod i18n;
/// The interactive parts, the only code the browser runs (islands architecture).
pub mod islands;
/// One module per route.
#[cfg(feature = "ssr")]
pub mod pages;
/// Links built on both sides.
pub mod url;

/// The layering rules, checked on the sources (tests only).
#[cfg(test)]
mod architecture;
/// The plural syntax of locales/*.yml (also read by build.rs; tests only here).
#[cfg(test)]
mod plural_message;
/// A lexer over the crate's own sources, for the tests that read them.
#[cfg(test)]
mod source_scan;

#[cfg(feature = "ssr")]
pub use site::{shell, App};

/// The document and the routes (server only: the browser never renders a page).
#[cfg(feature = "ssr")]
mod site {
    use crate::i18n::{request_locale, tr};
    use crate::{bundle, components, pages};
    use leptos::prelude::*;
    use leptos_meta::{provide_meta_context, Html, Link, Meta, MetaTags, Title};
    use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
    use leptos_router::{path, SsrMode};

    /// The HTML document the server streams. Pages render only here (islands architecture): the
    /// browser gets HTML and, where a page has interactive parts, the islands bundle. `<html>` carries no `lang`/`dir` here: `App`'s `<Html>`
    /// sets them for the request's locale (leptos_meta splices them into the first chunk).
    pub fn shell(options: LeptosOptions) -> impl IntoView {
        view! {
            <!DOCTYPE html>
            <html>
                <head>
                    <meta charset="utf-8" />
                    <meta name="viewport" content="width=device-width, initial-scale=1" />
                    <bundle::BundleHead options />
                    <MetaTags />
                </head>
                <body>
                    <App />
                </body>
            </html>
        }
    }

    #[component]
    pub fn App() -> impl IntoView {
        provide_meta_context();
        let locale = request_locale();
        provide_context(locale);
        view! {
            <Html {..} lang=locale.tag() dir=locale.dir().as_str() />
            <Title formatter=move |page: String| format!("{page} · {}", tr!(locale, "app.name")) />
            <Meta name="color-scheme" content="light" />
            <Link rel="icon" href="data:," />
            <Router>
                <Routes fallback=|| view! { <pages::not_found::NotFoundPage /> }>
                    <Route path=path!("/login") view=pages::login::LoginPage />
                    // Public pages behind mailed links (the token is the proof) and their forms.
                    <Route path=path!("/forgot-password") view=pages::account::ForgotPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/reset-password/:token") view=pages::account::ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/invitations/:token") view=pages::invitation::InvitationPage ssr=SsrMode::Async />
                    <Route path=path!("/join") view=pages::invitation::JoinPage ssr=SsrMode::Async />
                    <Route path=path!("/join/:token") view=pages::invitation::JoinLinkPage ssr=SsrMode::Async />
                    <Route path=path!("/verify-domain/:token") view=pages::invitation::VerifyDomainPage ssr=SsrMode::Async />
                    // Async SSR: the server sends each page complete, header and data in place, so it
                    // reads and works without JavaScript (out-of-order streaming would leave the
                    // resolved parts in templates that only the WASM swaps in).
                    <ParentRoute path=path!("/staff") view=components::staff_shell::StaffLayout ssr=SsrMode::Async>
                        <Route path=path!("") view=|| view! { <Redirect path="/staff/quotes" /> } ssr=SsrMode::Async />
                        <Route path=path!("quotes") view=pages::staff::DeskPage ssr=SsrMode::Async />
                        <Route path=path!("quotes/:number") view=pages::staff::DeskQuotePage ssr=SsrMode::Async />
                        <Route path=path!("invoices") view=pages::staff::DeskInvoicesPage ssr=SsrMode::Async />
                        <Route path=path!("search") view=pages::search_desk::DeskSearchPage ssr=SsrMode::Async />
                    </ParentRoute>
                    <ParentRoute path=path!("") view=components::shell::ShellLayout ssr=SsrMode::Async>
                        <Route path=path!("") view=|| view! { <Redirect path="/catalog" /> } ssr=SsrMode::Async />
                        <Route path=path!("catalog") view=pages::catalog::CatalogPage ssr=SsrMode::Async />
                        <Route path=path!("products/:slug") view=pages::product::ProductPage ssr=SsrMode::Async />
                        <Route path=path!("search") view=pages::search::SearchPage ssr=SsrMode::Async />
                        <Route path=path!("quick-order") view=pages::quick_order::QuickOrderPage ssr=SsrMode::Async />
                        <Route path=path!("cart") view=pages::cart::CartPage ssr=SsrMode::Async />
                        <Route path=path!("checkout") view=pages::checkout::CheckoutPage ssr=SsrMode::Async />
                        <Route path=path!("orders") view=pages::orders::OrdersPage ssr=SsrMode::Async />
                        <Route path=path!("orders/:number") view=pages::orders::OrderPage ssr=SsrMode::Async />
                        <Route path=path!("buy-again") view=pages::orders::BuyAgainPage ssr=SsrMode::Async />
                        <Route path=path!("lists") view=pages::lists::ListsPage ssr=SsrMode::Async />
                        <Route path=path!("lists/:id") view=pages::lists::ListPage ssr=SsrMode::Async />
                        <Route path=path!("quotes") view=pages::quotes::QuotesPage ssr=SsrMode::Async />
                        <Route path=path!("quotes/:number") view=pages::quotes::QuotePage ssr=SsrMode::Async />
                        <Route path=path!("quotes/:number/checkout") view=pages::quotes::QuoteCheckoutPage ssr=SsrMode::Async />
                        <Route path=path!("team") view=pages::team::TeamPage ssr=SsrMode::Async />
                        <Route path=path!("team/roles") view=pages::team::RolesPage ssr=SsrMode::Async />
                        <Route path=path!("team/audit") view=pages::team::AuditPage ssr=SsrMode::Async />
                        <Route path=path!("team/approvals") view=pages::approvals::ApprovalSettingsPage ssr=SsrMode::Async />
                        <Route path=path!("approvals") view=pages::approvals::ApprovalsPage ssr=SsrMode::Async />
                        <Route path=path!("requests/:number") view=pages::approvals::RequestPage ssr=SsrMode::Async />
                        <Route path=path!("account") view=pages::account::AccountPage ssr=SsrMode::Async />
                        <Route path=path!("invoices") view=pages::invoices::InvoicesPage ssr=SsrMode::Async />
                        <Route path=path!("invoices/:number") view=pages::invoices::InvoicePage ssr=SsrMode::Async />
                    </ParentRoute>
                </Routes>
            </Router>
        }
    }
}
