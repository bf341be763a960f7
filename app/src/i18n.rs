//! The nine shipped locales, how a request's locale is chosen, and the one way to translate:
//! `tr!` (messages compiled in by build.rs, `%{name}` placeholders, plural forms chosen by the
//! CLDR rules of icu_plurals). There is no process-wide current locale: every call passes one,
//! since a server renders many requests in many languages at once.

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

/// The one way to translate, on the server and in the browser:
///
/// - `tr!(locale, "cart.empty")`
/// - `tr!(locale, "cart.remove_sku", sku = line.sku)`: fills `%{sku}` (any `Display` value)
/// - `tr!(locale, "cart.added", count = report.added)`: fills `%{count}` and, when the key is a
///   plural message (`"{count, plural, one {…} other {…}}"` in the YAML), picks the form for that number by the
///   locale's CLDR plural rules: "1 line added", "5 lines added", and in Arabic one of six forms.
///
/// `count` is the only argument that selects a form; it takes an integer. Keys are literals at
/// call sites so the completeness tests can check them, and the arguments each string needs.
macro_rules! tr {
    ($locale:expr, $key:expr $(,)?) => {
        $crate::i18n::translate($locale, $key, ::core::option::Option::None, &[])
    };
    ($locale:expr, $key:expr, $($args:tt)+) => {
        $crate::i18n::tr!(@args ($locale, $key) [] [] $($args)+)
    };
    // Sorts `count = n` from the other arguments, whatever their order.
    (@args $call:tt [] [$($done:tt)*] count = $count:expr $(, $($rest:tt)*)?) => {
        $crate::i18n::tr!(@args $call [$count] [$($done)*] $($($rest)*)?)
    };
    (@args $call:tt [$($count:expr)?] [$($done:tt)*] $name:ident = $value:expr $(, $($rest:tt)*)?) => {
        $crate::i18n::tr!(@args $call [$($count)?] [$($done)* ($name, $value)] $($($rest)*)?)
    };
    (@args ($locale:expr, $key:expr) [] [$(($name:ident, $value:expr))*]) => {
        $crate::i18n::translate(
            $locale,
            $key,
            ::core::option::Option::None,
            &[$((::core::stringify!($name), &$value as &dyn ::core::fmt::Display)),*],
        )
    };
    (@args ($locale:expr, $key:expr) [$count:expr] [$(($name:ident, $value:expr))*]) => {
        {
            let count = $count;
            $crate::i18n::translate(
                $locale,
                $key,
                ::core::option::Option::Some($crate::i18n::plural_operands(count)),
                &[
                    ("count", &count as &dyn ::core::fmt::Display),
                    $((::core::stringify!($name), &$value as &dyn ::core::fmt::Display)),*
                ],
            )
        }
    };
}
pub(crate) use tr;

/// What `tr!` expands to; call `tr!`, which the tests can check, rather than this.
#[doc(hidden)]
pub fn translate(
    locale: Locale,
    key: &str,
    count: Option<icu_plurals::PluralOperands>,
    args: &[(&str, &dyn std::fmt::Display)],
) -> String {
    let text = match count {
        Some(n) => {
            let category = category_name(plural_rules(locale).category_for(n));
            lookup(locale, &format!("{key}.{category}"))
                .or_else(|| lookup(locale, &format!("{key}.other")))
                .or_else(|| lookup(locale, key))
        }
        None => lookup(locale, key),
    };
    match text {
        Some(text) => interpolate(&text, args),
        // As rust-i18n did: a visible "de.some.key" rather than an empty string.
        None => format!("{}.{key}", locale.tag()),
    }
}

/// `tr!`'s `count` as plural operands (every integer type converts).
#[doc(hidden)]
pub fn plural_operands(n: impl Into<icu_plurals::PluralOperands>) -> icu_plurals::PluralOperands {
    n.into()
}

/// The message for `key` in `locale`, else in English (the tests make that fallback unused),
/// through rust-i18n (`lib.rs` registers `Embedded` as its backend with `en` as the fallback).
fn lookup(locale: Locale, key: &str) -> Option<std::borrow::Cow<'static, str>> {
    crate::_rust_i18n_try_translate(locale.tag(), key)
}

/// rust-i18n's backend over the compiled tables.
pub struct Embedded;

impl rust_i18n::Backend for Embedded {
    fn available_locales(&self) -> Vec<&str> {
        tables::LOCALES.iter().map(|(tag, _)| *tag).collect()
    }

    fn translate(&self, locale: &str, key: &str) -> Option<&str> {
        let locale = Locale::ALL.into_iter().find(|l| l.tag() == locale)?;
        table(locale).get(key).copied()
    }
}

/// Replaces each `%{name}` with its argument; a placeholder without one stays as written.
fn interpolate(text: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = rest.find("%{") {
        let Some(len) = rest[start..].find('}') else { break };
        let name = &rest[start + 2..start + len];
        out.push_str(&rest[..start]);
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => {
                let _ = write!(out, "{value}");
            }
            None => out.push_str(&rest[start..=start + len]),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}

fn category_name(category: icu_plurals::PluralCategory) -> &'static str {
    use icu_plurals::PluralCategory::*;
    match category {
        Zero => "zero",
        One => "one",
        Two => "two",
        Few => "few",
        Many => "many",
        Other => "other",
    }
}

/// The translations and plural rules, compiled from locales/*.yml and icu_plurals by build.rs.
mod tables {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

fn table_index(locale: Locale) -> usize {
    tables::LOCALES.iter().position(|(tag, _)| *tag == locale.tag()).expect("every Locale has a locales/<tag>.yml")
}

/// A locale's table is split into a map the first time that locale is asked for, so a browser
/// only ever parses the language it shows.
fn table(locale: Locale) -> &'static std::collections::HashMap<&'static str, &'static str> {
    static PARSED: [std::sync::OnceLock<std::collections::HashMap<&'static str, &'static str>>; tables::COUNT] =
        [const { std::sync::OnceLock::new() }; tables::COUNT];
    let index = table_index(locale);
    PARSED[index].get_or_init(|| {
        tables::LOCALES[index].1.split('\u{1e}').filter_map(|entry| entry.split_once('\u{1f}')).collect()
    })
}

/// The CLDR cardinal plural rules of `locale` (which numbers are "one", "few"…), from the data
/// build.rs copied out of icu_plurals: the same on the server and in the browser.
pub fn plural_rules(locale: Locale) -> icu_plurals::PluralRules {
    use icu_plurals::provider::rules::runtime::ast::Rule;
    use icu_plurals::provider::{PluralRulesData, PluralsCardinalV1};
    use icu_provider::prelude::*;

    /// Answers every request with one locale's rules (the caller already chose the locale).
    struct Rules(&'static PluralRulesData<'static>);
    impl DataProvider<PluralsCardinalV1> for Rules {
        fn load(&self, _: DataRequest) -> Result<DataResponse<PluralsCardinalV1>, DataError> {
            Ok(DataResponse { metadata: Default::default(), payload: DataPayload::from_static_ref(self.0) })
        }
    }

    static DATA: [std::sync::OnceLock<PluralRulesData<'static>>; tables::COUNT] =
        [const { std::sync::OnceLock::new() }; tables::COUNT];
    let index = table_index(locale);
    let data = DATA[index].get_or_init(|| {
        let rule = |bytes: Option<&'static [u8]>| {
            bytes.map(|b| Rule(zerovec::VarZeroVec::parse_bytes(b).expect("build.rs copied these from icu_plurals")))
        };
        let [zero, one, two, few, many] = tables::PLURAL_RULES[index];
        PluralRulesData { zero: rule(zero), one: rule(one), two: rule(two), few: rule(few), many: rule(many) }
    });
    icu_plurals::PluralRules::try_new_cardinal_unstable(&Rules(data), Default::default())
        .expect("the provider always answers")
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

/// Every shipped locale has every message, with the plural forms its language needs; every call
/// in the code names a message that exists and passes the arguments that message uses.
#[cfg(test)]
mod completeness {
    use super::{plural_rules, Locale};
    use crate::source_scan::{macro_calls, rust_files, tokens, Tok};
    use std::collections::{BTreeMap, BTreeSet};

    const ROOT: &str = env!("CARGO_MANIFEST_DIR");

    #[derive(Debug, PartialEq)]
    enum Message {
        Text(String),
        /// CLDR category → form.
        Plural(BTreeMap<String, String>),
    }

    impl Message {
        /// Each form (one for a plain text), labelled `key` or `key.category`.
        fn forms<'a>(&'a self, key: &'a str) -> Vec<(String, &'a str)> {
            match self {
                Message::Text(s) => vec![(key.to_string(), s.as_str())],
                Message::Plural(forms) => forms.iter().map(|(c, s)| (format!("{key}.{c}"), s.as_str())).collect(),
            }
        }
    }

    fn flatten(prefix: &str, value: &serde_yaml::Value, out: &mut BTreeMap<String, Message>) {
        match value {
            serde_yaml::Value::Mapping(map) => {
                for (k, v) in map {
                    let k = k.as_str().unwrap();
                    if prefix.is_empty() && k == "_version" {
                        continue;
                    }
                    let key = if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") };
                    flatten(&key, v, out);
                }
            }
            serde_yaml::Value::String(s) => {
                let message = match crate::plural_message::parse(s) {
                    Ok(None) => Message::Text(s.clone()),
                    Ok(Some(forms)) => Message::Plural(forms.into_iter().collect()),
                    Err(e) => panic!("{prefix}: {e}"),
                };
                out.insert(prefix.to_string(), message);
            }
            other => panic!("{prefix}: translations must be strings, found {other:?}"),
        }
    }

    fn load(locale: Locale) -> BTreeMap<String, Message> {
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

    /// The placeholders a message uses in English (all forms together).
    fn arguments_of(message: &Message) -> BTreeSet<String> {
        message.forms("").iter().flat_map(|(_, s)| placeholders(s)).collect()
    }

    /// The CLDR categories `locale` distinguishes for whole numbers, from icu_plurals.
    fn categories(locale: Locale) -> BTreeSet<String> {
        plural_rules(locale).categories().map(|c| super::category_name(c).to_string()).collect()
    }

    /// Categories that hold a single whole number in `locale` (ar zero = 0, one = 1, two = 2;
    /// en one = 1; not fr one = 0 and 1): only their forms may leave `%{count}` out ("one line").
    fn single_number_categories(locale: Locale) -> BTreeSet<String> {
        let rules = plural_rules(locale);
        let mut members: BTreeMap<&str, usize> = BTreeMap::new();
        for n in 0..=10_000u32 {
            *members.entry(super::category_name(rules.category_for(n))).or_default() += 1;
        }
        members.into_iter().filter(|(_, n)| *n == 1).map(|(c, _)| c.to_string()).collect()
    }

    #[test]
    fn every_locale_has_every_key_with_the_same_placeholders() {
        let en = load(Locale::En);
        assert!(en.len() > 20);
        assert!(
            en.values().any(|m| matches!(m, Message::Plural(_))),
            "no plural messages found: is the loader broken?"
        );
        let mut problems = vec![];
        for locale in Locale::ALL {
            let tag = locale.tag();
            let other = load(locale);
            let needed = categories(locale);
            let may_omit_count = single_number_categories(locale);
            for key in en.keys().filter(|k| !other.contains_key(*k)) {
                problems.push(format!("{tag} lacks {key}"));
            }
            for key in other.keys().filter(|k| !en.contains_key(*k)) {
                problems.push(format!("{tag} has {key}, which English lacks"));
            }
            for (key, message) in &other {
                let Some(english) = en.get(key) else { continue };
                let wanted = arguments_of(english);
                for (label, form) in message.forms(key) {
                    if form.trim().is_empty() {
                        problems.push(format!("{tag} {label} is empty"));
                    }
                    let mut has = placeholders(&form);
                    let category = label.rsplit('.').next().unwrap();
                    if matches!(message, Message::Plural(_)) && may_omit_count.contains(category) {
                        has.insert("count".to_string());
                    }
                    if has != wanted {
                        problems.push(format!("{tag} {label}: placeholders {has:?}, English has {wanted:?}"));
                    }
                }
                match (english, message) {
                    (Message::Plural(_), Message::Plural(forms)) => {
                        let has: BTreeSet<String> = forms.keys().cloned().collect();
                        if has != needed {
                            problems.push(format!("{tag} {key}: forms {has:?}, but CLDR says {tag} needs {needed:?}"));
                        }
                    }
                    (Message::Text(_), Message::Text(_)) => {}
                    _ => problems.push(format!("{tag} {key}: plural in one language and not in the other")),
                }
            }
        }
        assert!(problems.is_empty(), "\n  {}", problems.join("\n  "));
    }

    #[test]
    fn plural_messages_use_count() {
        for (key, message) in load(Locale::En) {
            if let Message::Plural(forms) = &message {
                assert!(forms.contains_key("other"), "{key}: no `other` form");
                assert!(arguments_of(&message).contains("count"), "{key}: a plural message is chosen by %{{count}}");
            }
        }
    }

    #[test]
    fn translations_are_not_english_copies() {
        let flat = |locale| -> BTreeMap<String, String> {
            load(locale).iter().flat_map(|(k, m)| m.forms(k).into_iter().map(|(l, s)| (l, s.to_string()))).collect()
        };
        let en = flat(Locale::En);
        for locale in Locale::ALL.into_iter().filter(|l| *l != Locale::En) {
            let other = flat(locale);
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

    /// String literals that look like translation keys (`namespace.rest`, lowercase) whose
    /// namespace is a top-level key of en.yml: keys passed through variables are caught too.
    fn keys_used_in(source: &str, namespaces: &BTreeSet<String>) -> Vec<(usize, String)> {
        tokens(source)
            .into_iter()
            .filter_map(|t| match t.tok {
                Tok::Str(s) => Some((t.line, s)),
                _ => None,
            })
            .filter(|(_, s)| {
                // File names (`download="catalog.csv"`) are not keys.
                !s.ends_with(".csv")
                    && s.contains('.')
                    && !s.ends_with('.')
                    && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
                    && namespaces.contains(s.split('.').next().unwrap_or(""))
            })
            .collect()
    }

    fn sources() -> Vec<(String, String)> {
        rust_files(std::path::Path::new(&format!("{ROOT}/src")))
            .into_iter()
            // Domain code holds no user-visible text, and its permission codes (`team.manage`)
            // look like keys.
            .filter(|f| !f.starts_with(format!("{ROOT}/src/domain")))
            .map(|f| {
                let shown = f.strip_prefix(ROOT).unwrap().display().to_string();
                (shown, std::fs::read_to_string(&f).unwrap())
            })
            .collect()
    }

    #[test]
    fn every_key_the_code_uses_exists() {
        let en = load(Locale::En);
        let namespaces: BTreeSet<String> = en.keys().map(|k| k.split('.').next().unwrap().to_string()).collect();
        let mut used = 0;
        let mut missing = vec![];
        for (file, source) in sources() {
            for (line, key) in keys_used_in(&source, &namespaces) {
                used += 1;
                if !en.contains_key(&key) {
                    missing.push(format!("{file}:{line}: {key:?}"));
                }
            }
        }
        assert!(used > 30, "the key scanner found only {used} keys: is it broken?");
        assert!(missing.is_empty(), "keys no locale has:\n  {}", missing.join("\n  "));
    }

    /// `tr!(locale, "key", …)` passes exactly the placeholders the message has, and `count` for a
    /// plural message (else its form could not be chosen).
    #[test]
    fn every_tr_call_passes_what_its_message_needs() {
        let en = load(Locale::En);
        let mut checked = 0;
        let mut problems = vec![];
        for (file, source) in sources() {
            for call in macro_calls(&source, "tr") {
                // The macro's own recursive arms (`tr!(@args …)`).
                if matches!(call.args.first().and_then(|a| a.first()), Some(Tok::Punct('@' | '$'))) {
                    continue;
                }
                let at = format!("{file}:{}", call.line);
                let [Tok::Str(key)] = call.args.get(1).map(Vec::as_slice).unwrap_or_default() else {
                    continue; // a key chosen at run time: `every_key_the_code_uses_exists` covers its literals
                };
                let Some(message) = en.get(key) else {
                    problems.push(format!("{at}: {key:?} is in no locale"));
                    continue;
                };
                checked += 1;
                let passed: BTreeSet<String> = call.args[2..]
                    .iter()
                    .filter_map(|arg| match (arg.first(), arg.get(1)) {
                        (Some(Tok::Ident(name)), Some(Tok::Punct('='))) => Some(name.clone()),
                        _ => None,
                    })
                    .collect();
                let wanted = arguments_of(message);
                if passed != wanted {
                    problems.push(format!("{at}: {key} takes {wanted:?}, the call passes {passed:?}"));
                }
            }
        }
        assert!(checked > 200, "only {checked} tr! calls checked: is the scanner broken?");
        assert!(problems.is_empty(), "\n  {}", problems.join("\n  "));
    }

    /// One way to translate: nothing outside i18n.rs looks messages up by another route (lib.rs
    /// only registers the backend with rust-i18n).
    #[test]
    fn code_translates_only_with_tr() {
        let mut problems = vec![];
        for (file, source) in sources().into_iter().filter(|(f, _)| f != "src/i18n.rs") {
            let toks = tokens(&source);
            for (i, t) in toks.iter().enumerate() {
                let next = toks.get(i + 1).map(|t| &t.tok);
                let offence = match (&t.tok, next) {
                    (Tok::Ident(name), _) if name == "rust_i18n" && file != "src/lib.rs" => "rust_i18n",
                    (Tok::Ident(name), Some(Tok::Punct('!'))) if name == "t" => "t!",
                    (Tok::Ident(name), Some(Tok::Punct('('))) if name == "translate" => "a lookup past tr!",
                    _ => continue,
                };
                problems.push(format!("{file}:{}: {offence}", t.line));
            }
        }
        assert!(problems.is_empty(), "translate with tr!:\n  {}", problems.join("\n  "));
    }

    #[test]
    fn plural_rules_are_icu_compiled_data_and_cover_each_language() {
        for locale in Locale::ALL {
            let tag: icu_locale_core::Locale = locale.tag().parse().unwrap();
            let icu = icu_plurals::PluralRules::try_new_cardinal((&tag).into()).unwrap();
            let ours = plural_rules(locale);
            assert!(icu.categories().eq(ours.categories()), "{}", locale.tag());
            for n in (0..=2_000u64).chain([10_000, 100_000, 1_000_000, 2_000_000, 1_000_001]) {
                assert_eq!(ours.category_for(n), icu.category_for(n), "{} {n}", locale.tag());
            }
        }
        let count = |l| categories(l).len();
        assert_eq!(count(Locale::Ar), 6);
        assert_eq!((count(Locale::Ja), count(Locale::ZhCn), count(Locale::ZhTw)), (1, 1, 1));
        // CLDR 49 gave Vietnamese "one" (0 and 1) beside "other" (CLDR-14273); older data had
        // "other" only.
        assert_eq!(count(Locale::Vi), 2);
        assert_eq!((count(Locale::En), count(Locale::De)), (2, 2));
        assert_eq!((count(Locale::Fr), count(Locale::Es)), (3, 3));
    }
}

#[cfg(test)]
mod translating {
    use super::Locale;

    #[test]
    fn counts_choose_the_plural_form() {
        assert_eq!(tr!(Locale::En, "cart.added", count = 1), "1 line added to your cart.");
        assert_eq!(tr!(Locale::En, "cart.added", count = 28usize), "28 lines added to your cart.");
        // Arabic: 0, 1, 2, 3–10, 11–99 and 100–102 each take their own form.
        let arabic: std::collections::BTreeSet<String> =
            [0, 1, 2, 3, 11, 100].into_iter().map(|n| tr!(Locale::Ar, "cart.added", count = n)).collect();
        assert_eq!(arabic.len(), 6, "{arabic:?}");
        assert!(tr!(Locale::Ar, "checkout.terms_net", count = 30).contains("30"));
        // Japanese has one form for every number.
        assert_eq!(
            tr!(Locale::Ja, "cart.added", count = 1).replace('1', "N"),
            tr!(Locale::Ja, "cart.added", count = 5).replace('5', "N")
        );
        // French counts 0 as singular.
        assert_eq!(
            tr!(Locale::Fr, "cart.total_lines", count = 0),
            tr!(Locale::Fr, "cart.total_lines", count = 1).replace('1', "0")
        );
    }

    #[test]
    fn arguments_fill_placeholders_in_any_order() {
        let owner = String::from("Ana");
        assert_eq!(
            tr!(Locale::En, "lists.meta", owner = owner, count = 3),
            tr!(Locale::En, "lists.meta", count = 3, owner = "Ana")
        );
        assert!(tr!(Locale::En, "lists.meta", count = 1, owner = owner).contains("Ana"));
        assert_eq!(tr!(Locale::En, "cart.remove_sku", sku = "AB-1"), "Remove AB-1 from the cart");
    }

    #[test]
    fn a_missing_message_shows_its_key_and_a_missing_argument_its_placeholder() {
        let key = "nowhere.at_all";
        assert_eq!(tr!(Locale::De, key), "de.nowhere.at_all");
        assert_eq!(super::interpolate("a %{x} b %{y}", &[("x", &1)]), "a 1 b %{y}");
        assert_eq!(super::interpolate("100%{ odd", &[]), "100%{ odd");
    }
}
