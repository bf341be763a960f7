//! The browser bundle's files and the few lines of JavaScript that load it.
//!
//! `scripts/build.sh` names each file after its content (`portal.<hash>.js`, `.wasm`, `.css`) and
//! lists them in `pkg/assets.txt`; the server reads that list once, links the hashed names, and
//! serves `/pkg` with immutable caching, so a returning buyer downloads nothing until a release
//! changes a file. Without the list (tests that never built the bundle) the plain names are used.
//!
//! The WASM holds only the islands (`crate::islands`). A page without an island loads no script at
//! all; otherwise the bundle loads when the browser is idle, after the page is already usable.

use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bundle {
    pub js: String,
    pub wasm: String,
    pub css: String,
}

impl Bundle {
    /// Reads `assets.txt` (`js portal.1a2b.js` per line); plain names for anything missing.
    pub fn parse(listing: &str) -> Bundle {
        let mut bundle = Bundle { js: "portal.js".into(), wasm: "portal_bg.wasm".into(), css: "portal.css".into() };
        for line in listing.lines() {
            let mut parts = line.split_whitespace();
            let (Some(kind), Some(file)) = (parts.next(), parts.next()) else { continue };
            // Only names made of safe characters reach the page.
            if !file.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
                continue;
            }
            match kind {
                "js" => bundle.js = file.into(),
                "wasm" => bundle.wasm = file.into(),
                "css" => bundle.css = file.into(),
                _ => {}
            }
        }
        bundle
    }
}

/// What every page's head links: the stylesheet's URL and the loader with the bundle's URLs
/// filled in. Made once per process from the site the server was started with.
struct Head {
    stylesheet: String,
    loader: String,
}

fn head(options: &LeptosOptions) -> &'static Head {
    static HEAD: std::sync::OnceLock<Head> = std::sync::OnceLock::new();
    HEAD.get_or_init(|| {
        let pkg = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
        let bundle = Bundle::parse(&std::fs::read_to_string(pkg.join("assets.txt")).unwrap_or_default());
        let url = format!("/{}", options.site_pkg_dir);
        Head {
            stylesheet: format!("{url}/{}", bundle.css),
            loader: LOADER
                .replace("__JS__", &format!("{url}/{}", bundle.js))
                .replace("__WASM__", &format!("{url}/{}", bundle.wasm)),
        }
    })
}

/// Loads the bundle if the page has an island: once idle, fetch the JS glue and the WASM, then
/// hydrate each `<leptos-island>` through the function the bundle exports for it.
/// `data-hydrated` on `<html>` tells tests (and CSS) that the islands are live.
const LOADER: &str = r#"(()=>{if(!document.querySelector("leptos-island"))return;const go=()=>import("__JS__").then(async m=>{await m.default({module_or_path:"__WASM__"});m.hydrate();for(const el of document.querySelectorAll("leptos-island")){const f=m[el.dataset.component];f?f(el):console.warn("no island",el.dataset.component)}document.documentElement.dataset.hydrated="true"});"requestIdleCallback"in window?requestIdleCallback(go,{timeout:500}):setTimeout(go,0)})()"#;

/// The stylesheet and the island loader, for the document's `<head>`.
#[component]
pub fn BundleHead(options: LeptosOptions) -> impl IntoView {
    // Islands mode: nothing outside an island serializes data for the browser.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let head = head(&options);
    // The response's Content-Security-Policy allows inline script only with its nonce
    // (`backend::platform::headers::provide_nonce` hands it to the render).
    let nonce = leptos::nonce::use_nonce();
    view! {
        <link rel="stylesheet" href=head.stylesheet.as_str() />
        <script type="module" nonce=nonce inner_html=head.loader.as_str()></script>
    }
}

#[cfg(test)]
mod tests {
    use super::Bundle;

    #[test]
    fn hashed_names_come_from_the_listing_and_unsafe_ones_are_ignored() {
        let b = Bundle::parse("js portal.ab12.js\nwasm portal_bg.cd34.wasm\ncss portal.\"><script>.css\n");
        assert_eq!(b.js, "portal.ab12.js");
        assert_eq!(b.wasm, "portal_bg.cd34.wasm");
        assert_eq!(b.css, "portal.css");
        assert_eq!(Bundle::parse("").js, "portal.js");
    }
}
