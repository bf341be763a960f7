//! The layering rules of STYLE.md §3, checked on the sources: pages and components never reach
//! into `backend`; a component never imports a page and a page never imports another page (what
//! two pages share lives in `components`); `domain` imports nothing from the rest of the app and
//! no server-only crate. Each failure lists every offending file:line.

use crate::source_scan::{module_of, paths, rust_files, NamedPath};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

struct SourceFile {
    /// Relative to the crate, for messages: `src/pages/cart.rs`.
    shown: String,
    module: Vec<String>,
    paths: Vec<NamedPath>,
}

fn sources_under(folder: &str) -> Vec<SourceFile> {
    let src = PathBuf::from(ROOT).join("src");
    let files = rust_files(&src.join(folder));
    assert!(!files.is_empty(), "no sources under src/{folder}: is the test looking in the right place?");
    files
        .into_iter()
        .map(|file| {
            let relative = file.strip_prefix(&src).unwrap().to_path_buf();
            let module = module_of(&relative);
            let text = std::fs::read_to_string(&file).unwrap();
            SourceFile { shown: format!("src/{}", relative.display()), paths: paths(&text, &module), module }
        })
        .collect()
}

fn report(rule: &str, offences: Vec<String>) {
    assert!(offences.is_empty(), "{rule}:\n  {}", offences.join("\n  "));
}

/// The crates only the server build has: every optional dependency that the `ssr` feature turns
/// on (read from app/Cargo.toml, so a new server-only crate is covered without editing this).
fn server_only_crates() -> Vec<String> {
    let manifest = std::fs::read_to_string(Path::new(ROOT).join("Cargo.toml")).unwrap();
    let start = manifest.find("\nssr = [").expect("an `ssr` feature in app/Cargo.toml");
    let list = &manifest[start..start + manifest[start..].find(']').unwrap()];
    let crates: Vec<String> =
        list.split('"').filter_map(|item| item.strip_prefix("dep:")).map(|name| name.replace('-', "_")).collect();
    assert!(crates.iter().any(|c| c == "sqlx"), "could not read the ssr feature: {crates:?}");
    crates
}

#[test]
fn pages_and_components_never_name_backend() {
    let mut offences = vec![];
    for file in sources_under("pages").into_iter().chain(sources_under("components")) {
        for p in &file.paths {
            let names_backend = if p.in_crate {
                p.segments.first().is_some_and(|s| s == "backend")
            } else {
                // `backend::…` through anything else (an alias, a re-export) still names it.
                p.segments.iter().any(|s| s == "backend")
            };
            if names_backend {
                offences.push(format!("{}:{}: {}", file.shown, p.line, p.segments.join("::")));
            }
        }
    }
    report("pages and components go through `api`, never `backend`", offences);
}

/// The browser build compiles only `islands`, `domain` and `url` (lib.rs gates the rest behind
/// `ssr`): an island that reached for a page, a component, a server function's client, the
/// translations or serde_json would put them on every buyer's phone (or fail the WASM build).
#[test]
fn islands_use_only_domain_url_and_each_other() {
    let allowed = ["islands", "domain", "url"];
    let banned_crates = ["serde_json", "rust_i18n", "leptos_router", "leptos_meta"];
    let mut offences = vec![];
    for file in sources_under("islands") {
        for p in &file.paths {
            let first = p.segments.first().map(String::as_str).unwrap_or("");
            let bad = if p.in_crate { !allowed.contains(&first) } else { banned_crates.contains(&first) };
            if bad {
                offences.push(format!("{}:{}: {}", file.shown, p.line, p.segments.join("::")));
            }
        }
    }
    report("islands take their words as props and reach only domain, url and other islands", offences);
}

#[test]
fn components_never_import_pages() {
    let mut offences = vec![];
    for file in sources_under("components") {
        for p in file.paths.iter().filter(|p| p.in_crate && p.segments.first().is_some_and(|s| s == "pages")) {
            offences.push(format!("{}:{}: {}", file.shown, p.line, p.segments.join("::")));
        }
    }
    report("a component never depends on a page (move what both need into components/)", offences);
}

#[test]
fn pages_never_import_other_pages() {
    let mut offences = vec![];
    for file in sources_under("pages") {
        let own = file.module.get(1).cloned();
        for p in &file.paths {
            if !p.in_crate || p.segments.first().map(String::as_str) != Some("pages") {
                continue;
            }
            // `crate::pages` itself (the list of routes) is not another page.
            if let Some(page) = p.segments.get(1) {
                if Some(page) != own.as_ref() {
                    offences.push(format!("{}:{}: {}", file.shown, p.line, p.segments.join("::")));
                }
            }
        }
    }
    report("what two pages share is a component: no page imports another page", offences);
}

#[test]
fn domain_imports_nothing_server_only_nor_from_the_app() {
    let server_only = server_only_crates();
    let mut offences = vec![];
    for file in sources_under("domain") {
        for p in &file.paths {
            let first = p.segments.first().map(String::as_str).unwrap_or("");
            let offence = if p.in_crate {
                (first != "domain").then(|| "the rest of the app")
            } else {
                server_only.iter().any(|c| c == first).then(|| "a server-only crate")
            };
            if let Some(what) = offence {
                offences.push(format!("{}:{}: {} ({what})", file.shown, p.line, p.segments.join("::")));
            }
        }
    }
    report("domain is pure and compiles to WASM: it imports only std, serde and itself", offences);
}

/// The rules above would pass on an empty scan; this shows they see what they must.
#[test]
fn the_rules_catch_what_they_describe() {
    let page = "use crate::{api, backend::guard::authorize};\n// crate::backend in a comment\nlet s = \"crate::pages::x\";\nfn f() { crate::pages::lists::SaveAsList(); }";
    let found = paths(page, &["pages".into(), "cart".into()]);
    let lines: Vec<(usize, String)> =
        found.iter().filter(|p| p.in_crate).map(|p| (p.line, p.segments.join("::"))).collect();
    assert!(lines.contains(&(1, "backend::guard::authorize".into())), "{lines:?}");
    assert!(lines.contains(&(4, "pages::lists::SaveAsList".into())), "{lines:?}");
    assert!(!lines.iter().any(|(l, _)| *l == 2 || *l == 3), "comments and strings are not code: {lines:?}");
    let domain = "use sqlx::Row;\nfn f() -> tokio::task::JoinHandle<()> { todo!() }";
    let external: Vec<_> =
        paths(domain, &["domain".into(), "money".into()]).into_iter().filter(|p| !p.in_crate).collect();
    let server_only = server_only_crates();
    assert_eq!(
        external.iter().filter(|p| server_only.contains(&p.segments[0])).map(|p| p.line).collect::<Vec<_>>(),
        vec![1, 2]
    );
}
