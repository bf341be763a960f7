//! Compiles locales/*.yml into one flat table per locale ("key␟value␞key␟value…") in
//! `$OUT_DIR/locales.rs`, which `i18n::Embedded` reads when a locale is first used.
//!
//! Why not rust-i18n's own loader: it generates one insert statement per key and locale (220 KB
//! of uncompressed WebAssembly at 2,300 keys × 9 locales, 9 KB after brotli) and runs all of them
//! when the first string is translated; as data, a browser parses only the locale it shows.
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn flatten(prefix: &str, value: &serde_yaml::Value, out: &mut BTreeMap<String, String>) {
    match value {
        serde_yaml::Value::Mapping(map) => {
            for (k, v) in map {
                let key = k.as_str().map(String::from).unwrap_or_else(|| format!("{k:?}"));
                let path = if prefix.is_empty() { key } else { format!("{prefix}.{key}") };
                flatten(&path, v, out);
            }
        }
        serde_yaml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            let text = serde_yaml::to_string(other).unwrap_or_default();
            out.insert(prefix.to_string(), text.trim_end().to_string());
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=../locales");
    // sqlx::migrate! (backend/db.rs) embeds the migration files but does not notice a new one on
    // stable Rust; rerunning this script when the folder changes rebuilds the crate.
    println!("cargo:rerun-if-changed=../migrations");
    let mut files: Vec<_> = std::fs::read_dir("../locales")
        .expect("locales/ next to app/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    files.sort();
    let mut code = String::from("/// (locale tag, \"key\\u{1f}value\\u{1e}…\") for every shipped locale.\npub static LOCALES: &[(&str, &str)] = &[\n");
    let count = files.len();
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let tag = path.file_stem().and_then(|s| s.to_str()).expect("locale file name").to_string();
        let text = std::fs::read_to_string(&path).expect("readable locale file");
        let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut flat = BTreeMap::new();
        flatten("", &doc, &mut flat);
        let table: Vec<String> = flat.into_iter().map(|(k, v)| format!("{k}\u{1f}{v}")).collect();
        writeln!(code, "    ({tag:?}, {:?}),", table.join("\u{1e}")).unwrap();
    }
    code.push_str("];\n");
    writeln!(code, "/// How many locales `LOCALES` holds.\npub const COUNT: usize = {count};").unwrap();
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("locales.rs");
    std::fs::write(out, code).expect("write locales.rs");
}
