//! Compiles locales/*.yml into one flat table per locale ("key␟value␞key␟value…") in
//! `$OUT_DIR/locales.rs`, which `i18n` reads when a locale is first used. A plural message is one
//! string, `"{count, plural, one {…} other {…}}"` (src/plural_message.rs), expanded here into one
//! entry per category (`cart.added.one`); beside the tables go each locale's CLDR cardinal plural rules, copied out of
//! icu_plurals' compiled data, so the WASM carries the rules of nine locales and no more.
//!
//! Why not rust-i18n's own loader: it generates one insert statement per key and locale (220 KB
//! of uncompressed WebAssembly at 2,300 keys × 9 locales, 9 KB after brotli) and runs all of them
//! when the first string is translated; as data, a browser parses only the locale it shows.
use icu_plurals::provider::{Baked, PluralsCardinalV1};
use icu_provider::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;

#[path = "src/plural_message.rs"]
mod plural_message;

/// The zero, one, two, few and many rules of `tag` as icu_plurals stores them (a `VarZeroVec` of
/// relations; "other" is what none of them matches), each with its UTS 35 text for the reader.
fn plural_rules(tag: &str) -> [Option<(Vec<u8>, String)>; 5] {
    let locale: icu_locale_core::Locale = tag.parse().unwrap_or_else(|e| panic!("locales/{tag}.yml: {e:?}"));
    let data_locale = DataLocale::from(&locale);
    let mut request = DataRequest::default();
    request.id = DataIdentifierBorrowed::for_locale(&data_locale);
    let response: DataResponse<PluralsCardinalV1> =
        Baked.load(request).unwrap_or_else(|e| panic!("no CLDR plural rules for {tag}: {e}"));
    let rules = response.payload.get();
    [&rules.zero, &rules.one, &rules.two, &rules.few, &rules.many]
        .map(|rule| rule.as_ref().map(|r| (r.0.as_bytes().to_vec(), r.to_string())))
}

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
    let mut plurals = String::from(
        "/// Per locale, in the order of `LOCALES`: the CLDR cardinal rules for zero, one, two, few and\n\
         /// many, as icu_plurals' `Rule` bytes (from its compiled data, by build.rs).\n\
         pub static PLURAL_RULES: &[[Option<&[u8]>; 5]] = &[\n",
    );
    let count = files.len();
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let tag = path.file_stem().and_then(|s| s.to_str()).expect("locale file name").to_string();
        let text = std::fs::read_to_string(&path).expect("readable locale file");
        let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut flat = BTreeMap::new();
        flatten("", &doc, &mut flat);
        let flat: BTreeMap<String, String> = flat
            .into_iter()
            .flat_map(|(key, text)| match plural_message::parse(&text) {
                Ok(None) => vec![(key, text)],
                Ok(Some(forms)) => {
                    forms.into_iter().map(|(category, form)| (format!("{key}.{category}"), form)).collect()
                }
                Err(e) => panic!("{}: {key}: {e}", path.display()),
            })
            .collect();
        let table: Vec<String> = flat.into_iter().map(|(k, v)| format!("{k}\u{1f}{v}")).collect();
        writeln!(code, "    ({tag:?}, {:?}),", table.join("\u{1e}")).unwrap();
        writeln!(plurals, "    // {tag}").unwrap();
        plurals.push_str("    [\n");
        for (category, rule) in ["zero", "one", "two", "few", "many"].iter().zip(plural_rules(&tag)) {
            match rule {
                Some((bytes, text)) => {
                    writeln!(plurals, "        // {category}: {text}\n        Some(&{bytes:?}),").unwrap()
                }
                None => writeln!(plurals, "        None, // {category}").unwrap(),
            }
        }
        plurals.push_str("    ],\n");
    }
    code.push_str("];\n");
    code.push_str(&plurals);
    code.push_str("];\n");
    writeln!(code, "/// How many locales `LOCALES` holds.\npub const COUNT: usize = {count};").unwrap();
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("locales.rs");
    std::fs::write(out, code).expect("write locales.rs");
}
