//! The nine shipped locales, how a request's locale is chosen, and the one way to translate.
//!
//! rust-i18n keeps one global locale per process, which would leak between concurrent requests on
//! the server; so nothing here calls `set_locale`. Every lookup passes the locale explicitly.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    En,
    ZhCn,
    ZhTw,
    Vi,
    Es,
    De,
    Fr,
    Ja,
    Ar,
}

/// Which way text runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Ltr,
    Rtl,
}

impl Dir {
    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Ltr => "ltr",
            Dir::Rtl => "rtl",
        }
    }
}

impl Locale {
    pub const ALL: [Locale; 9] = [
        Locale::En,
        Locale::ZhCn,
        Locale::ZhTw,
        Locale::Vi,
        Locale::Es,
        Locale::De,
        Locale::Fr,
        Locale::Ja,
        Locale::Ar,
    ];

    /// The BCP 47 tag, which is also the name of the file under `locales/`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
            Locale::ZhTw => "zh-TW",
            Locale::Vi => "vi",
            Locale::Es => "es",
            Locale::De => "de",
            Locale::Fr => "fr",
            Locale::Ja => "ja",
            Locale::Ar => "ar",
        }
    }

    /// The language's own name for itself, shown in the switcher (never translated).
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::ZhCn => "简体中文",
            Locale::ZhTw => "繁體中文",
            Locale::Vi => "Tiếng Việt",
            Locale::Es => "Español",
            Locale::De => "Deutsch",
            Locale::Fr => "Français",
            Locale::Ja => "日本語",
            Locale::Ar => "العربية",
        }
    }

    pub fn dir(self) -> Dir {
        match self {
            Locale::Ar => Dir::Rtl,
            _ => Dir::Ltr,
        }
    }

    /// Parses a tag leniently (`zh-cn`, `zh_Hant_TW`, `de-AT`, `ar-SA`) to the closest shipped
    /// locale; `None` when the language is not shipped.
    pub fn parse(raw: &str) -> Option<Locale> {
        let tag = raw.trim().replace('_', "-").to_ascii_lowercase();
        let mut parts = tag.split('-');
        let lang = parts.next()?;
        let rest: Vec<&str> = parts.collect();
        match lang {
            "en" => Some(Locale::En),
            "vi" => Some(Locale::Vi),
            "es" => Some(Locale::Es),
            "de" => Some(Locale::De),
            "fr" => Some(Locale::Fr),
            "ja" => Some(Locale::Ja),
            "ar" => Some(Locale::Ar),
            "zh" => {
                // Traditional script, or a region that writes it, gets zh-TW; everything else
                // (zh, zh-CN, zh-Hans, zh-SG) gets simplified.
                let traditional = rest.iter().any(|p| matches!(*p, "hant" | "tw" | "hk" | "mo"));
                Some(if traditional { Locale::ZhTw } else { Locale::ZhCn })
            }
            _ => None,
        }
    }

    /// Picks the best shipped locale from an `Accept-Language` header, honouring q-values;
    /// `None` when nothing in it is shipped (the caller then falls back to English).
    pub fn negotiate(accept_language: &str) -> Option<Locale> {
        let mut best: Option<(u16, usize, Locale)> = None;
        for (index, item) in accept_language.split(',').take(32).enumerate() {
            let mut fields = item.split(';');
            let tag = fields.next().unwrap_or("").trim();
            let quality = fields.find_map(|f| f.trim().strip_prefix("q=").map(parse_quality)).unwrap_or(1000);
            if quality == 0 {
                continue;
            }
            if let Some(locale) = Locale::parse(tag) {
                // Higher q wins; among equals, the earlier entry wins.
                let better = match best {
                    None => true,
                    Some((q, i, _)) => quality > q || (quality == q && index < i),
                };
                if better {
                    best = Some((quality, index, locale));
                }
            }
        }
        best.map(|(_, _, locale)| locale)
    }
}

/// q-values in thousandths, so no floats; malformed values count as 0 (ignored).
fn parse_quality(raw: &str) -> u16 {
    let raw = raw.trim();
    let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
    let whole: u16 = match whole {
        "0" => 0,
        "1" => 1000,
        _ => return 0,
    };
    let mut thousandths = 0u16;
    for (i, ch) in frac.chars().take(3).enumerate() {
        let Some(d) = ch.to_digit(10) else { return 0 };
        thousandths += d as u16 * 10u16.pow(2 - i as u32);
    }
    (whole + thousandths).min(1000)
}

/// Translates `key` in `locale`. Keys are literals at call sites (`t!` is also fine); the
/// locale-completeness test checks every key used in the code exists in every locale.
pub fn tr(locale: Locale, key: &str) -> String {
    rust_i18n::t!(key, locale = locale.tag()).into_owned()
}

/// The translations, compiled from locales/*.yml by build.rs as one flat text table per locale.
mod tables {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

/// rust-i18n's backend over those tables: a locale's table is split into a map the first time
/// that locale is asked for, so a browser only ever parses the language it shows.
pub struct Embedded;

static PARSED: [std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>>; tables::COUNT] =
    [const { std::sync::OnceLock::new() }; tables::COUNT];

impl rust_i18n::Backend for Embedded {
    fn available_locales(&self) -> Vec<&str> {
        tables::LOCALES.iter().map(|(tag, _)| *tag).collect()
    }

    fn translate(&self, locale: &str, key: &str) -> Option<&str> {
        let index = tables::LOCALES.iter().position(|(tag, _)| *tag == locale)?;
        let map = PARSED[index].get_or_init(|| {
            tables::LOCALES[index].1.split('\u{1e}').filter_map(|entry| entry.split_once('\u{1f}')).collect()
        });
        map.get(key).copied()
    }
}

#[cfg(feature = "ssr")]
pub use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {
    use super::Locale;

    /// The locale the middleware chose for this request (saved choice > cookie >
    /// Accept-Language > en), kept in the request's extensions for the page render.
    #[derive(Clone, Copy, Debug)]
    pub struct RequestLocale(pub Locale);

    /// The request's locale inside a page render or server function.
    pub fn request_locale() -> Locale {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<RequestLocale>().copied())
            .map(|l| l.0)
            .unwrap_or_default()
    }
}

/// The locale of the page being rendered, on the server (from the request) and in the browser
/// (from `<html lang>`, which the server wrote), so both sides render the same text.
pub fn current_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        request_locale()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"))
                .and_then(|tag| Locale::parse(&tag))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Locale::En
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags_leniently_and_refuses_unshipped_languages() {
        assert_eq!(Locale::parse("zh-cn"), Some(Locale::ZhCn));
        assert_eq!(Locale::parse("zh_Hant_TW"), Some(Locale::ZhTw));
        assert_eq!(Locale::parse("zh-HK"), Some(Locale::ZhTw));
        assert_eq!(Locale::parse("zh"), Some(Locale::ZhCn));
        assert_eq!(Locale::parse("de-AT"), Some(Locale::De));
        assert_eq!(Locale::parse("ar-SA"), Some(Locale::Ar));
        assert_eq!(Locale::parse("pt-BR"), None);
        assert_eq!(Locale::parse(""), None);
        assert_eq!(Locale::parse("\u{0}\u{ffff}"), None);
        for l in Locale::ALL {
            assert_eq!(Locale::parse(l.tag()), Some(l));
        }
    }

    #[test]
    fn negotiates_by_quality_then_order() {
        assert_eq!(Locale::negotiate("pt-BR,pt;q=0.9,de;q=0.8,ja;q=0.7"), Some(Locale::De));
        assert_eq!(Locale::negotiate("fr;q=0.5, ja"), Some(Locale::Ja));
        assert_eq!(Locale::negotiate("es, vi"), Some(Locale::Es));
        assert_eq!(Locale::negotiate("ar;q=0, en;q=0.1"), Some(Locale::En));
        assert_eq!(Locale::negotiate("pt, ru"), None);
        assert_eq!(Locale::negotiate(""), None);
        assert_eq!(Locale::negotiate("de;q=bogus, fr;q=0.2"), Some(Locale::Fr));
        assert_eq!(Locale::negotiate(&"x,".repeat(10_000)), None);
    }

    #[test]
    fn only_arabic_is_right_to_left() {
        for l in Locale::ALL {
            assert_eq!(l.dir() == Dir::Rtl, l == Locale::Ar);
        }
    }
}

/// The page's locale from context (provided once by `App`).
pub fn use_locale() -> Locale {
    leptos::prelude::use_context::<Locale>().unwrap_or_default()
}

/// Every shipped locale has every key, and every key the code uses exists.
#[cfg(test)]
mod completeness {
    use super::Locale;
    use std::collections::{BTreeMap, BTreeSet};

    const ROOT: &str = env!("CARGO_MANIFEST_DIR");

    fn flatten(prefix: &str, value: &serde_yaml::Value, out: &mut BTreeMap<String, String>) {
        match value {
            serde_yaml::Value::Mapping(map) => {
                for (k, v) in map {
                    let k = k.as_str().expect("string keys");
                    if prefix.is_empty() && k == "_version" {
                        continue;
                    }
                    let key = if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") };
                    flatten(&key, v, out);
                }
            }
            serde_yaml::Value::String(s) => {
                out.insert(prefix.to_string(), s.clone());
            }
            other => panic!("{prefix}: translations must be strings, found {other:?}"),
        }
    }

    fn load(locale: Locale) -> BTreeMap<String, String> {
        let path = format!("{ROOT}/../locales/{}.yml", locale.tag());
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{path} is missing"));
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut out = BTreeMap::new();
        flatten("", &yaml, &mut out);
        out
    }

    fn placeholders(s: &str) -> BTreeSet<String> {
        s.split("%{").skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string())).collect()
    }

    #[test]
    fn every_locale_has_every_key_with_the_same_placeholders() {
        let en = load(Locale::En);
        assert!(en.len() > 20);
        for locale in Locale::ALL {
            let other = load(locale);
            let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", locale.tag());
            assert!(extra.is_empty(), "{} has keys English lacks: {extra:?}", locale.tag());
            for (key, value) in &other {
                assert!(!value.trim().is_empty(), "{} {key} is empty", locale.tag());
                assert_eq!(placeholders(value), placeholders(&en[key]), "{} {key} placeholders", locale.tag());
            }
        }
    }

    #[test]
    fn translations_are_not_english_copies() {
        let en = load(Locale::En);
        for locale in Locale::ALL.into_iter().filter(|l| *l != Locale::En) {
            let other = load(locale);
            let same: Vec<_> = en.iter().filter(|(k, v)| other.get(*k) == Some(v)).map(|(k, _)| k).collect();
            // A few words are the same in some languages (de "Team", "Admin"); a whole copied file is not.
            assert!(
                same.len() * 100 <= en.len() * 15,
                "{}: {} values identical to English: {same:?}",
                locale.tag(),
                same.len()
            );
        }
    }

    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// String literals that look like translation keys (`namespace.rest`, lowercase) whose
    /// namespace is a top-level key of en.yml.
    fn keys_used_in(source: &str, namespaces: &BTreeSet<String>) -> Vec<String> {
        source
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                s.contains('.')
                    && !s.ends_with('.')
                    && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
                    && namespaces.contains(s.split('.').next().unwrap_or(""))
            })
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn every_key_the_code_uses_exists() {
        let en = load(Locale::En);
        let namespaces: BTreeSet<String> = en.keys().map(|k| k.split('.').next().unwrap().to_string()).collect();
        let mut files = vec![];
        rust_files(std::path::Path::new(&format!("{ROOT}/src")), &mut files);
        let mut used = 0;
        // Domain code holds no user-visible text, and its permission codes (`team.manage`) look
        // like keys.
        for file in files.into_iter().filter(|f| !f.starts_with(format!("{ROOT}/src/domain"))) {
            let source = std::fs::read_to_string(&file).unwrap();
            for key in keys_used_in(&source, &namespaces) {
                used += 1;
                assert!(en.contains_key(&key), "{} uses {key:?}, which no locale has", file.display());
            }
        }
        assert!(used > 30, "the key scanner found only {used} keys: is it broken?");
    }
}
