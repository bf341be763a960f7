//! How text becomes search terms, before tantivy's own lower-casing and ASCII folding (which
//! takes Vietnamese "ống nước" to "ong nuoc" and French accents off). Everything here runs on both
//! the indexed text and the buyer's query, so the two always meet:
//!
//! - Chinese and Japanese have no spaces: runs of Han, kana and Hangul become overlapping
//!   characters and pairs ("不锈钢" → 不 不锈 锈 锈钢 钢); a query uses only the pairs (or the one
//!   character), so 不锈钢螺丝 must appear in that order.
//! - Arabic: diacritics and tatweel go, alef and hamza forms become plain alef/waw/yeh, taa
//!   marbuta becomes heh and alef maqsura yeh, so words typed with or without hamza meet.
//! - German: ä/ae, ö/oe, ü/ue become a, o, u and ß becomes ss, so "Schlüssel", "Schluessel" and
//!   "Schlussel" are one word.
//! - SKUs: compared without case and separators ("m8x20", "M8-20" and "M8 20" all find M8X20).

use crate::i18n::Locale;

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // hiragana, katakana
        | 0x3400..=0x4DBF   // Han extension A
        | 0x4E00..=0x9FFF   // Han
        | 0xF900..=0xFAFF   // Han compatibility
        | 0xAC00..=0xD7AF   // Hangul
        | 0x31F0..=0x31FF   // katakana extensions
        | 0xFF66..=0xFF9F) // half-width katakana
}

/// Index side: every CJK run as characters and pairs, separated by spaces; other text kept.
pub fn cjk_for_index(text: &str) -> String {
    cjk_grams(text, true)
}

/// Query side: pairs only (or the single character of a one-character run).
pub fn cjk_for_query(text: &str) -> String {
    cjk_grams(text, false)
}

fn cjk_grams(text: &str, with_unigrams: bool) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    let mut run: Vec<char> = vec![];
    let flush = |run: &mut Vec<char>, out: &mut String| {
        if run.is_empty() {
            return;
        }
        out.push(' ');
        if run.len() == 1 {
            out.push(run[0]);
        } else {
            for (i, c) in run.iter().enumerate() {
                if with_unigrams {
                    out.push(*c);
                    out.push(' ');
                }
                if let Some(next) = run.get(i + 1) {
                    out.push(*c);
                    out.push(*next);
                    out.push(' ');
                }
            }
        }
        out.push(' ');
        run.clear();
    };
    for c in text.chars() {
        if is_cjk(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

pub fn arabic(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            // Harakat, tanwin, shadda, sukun, superscript alef, tatweel: how a word is voiced,
            // not which word it is.
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => None,
            'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
            'ؤ' => Some('و'),
            'ئ' | 'ى' => Some('ي'),
            'ة' => Some('ه'),
            'ء' => None,
            c => Some(c),
        })
        .collect()
}

pub fn german(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut chars = lower.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            'ä' => out.push('a'),
            'ö' => out.push('o'),
            'ü' => out.push('u'),
            'ß' => out.push_str("ss"),
            'a' | 'o' | 'u' if chars.peek() == Some(&'e') => {
                chars.next();
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// The locale-specific step for a text field of `locale` (before tantivy's tokenizer).
pub fn prepare(locale: Locale, text: &str, query: bool) -> String {
    match locale {
        Locale::ZhCn | Locale::ZhTw | Locale::Ja => {
            if query {
                cjk_for_query(text)
            } else {
                cjk_for_index(text)
            }
        }
        Locale::Ar => arabic(text),
        Locale::De => german(text),
        _ => text.to_string(),
    }
}

/// A SKU or query without case and separators: "HB-S-M8X20-101" → "hbsm8x20101".
pub fn compact(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(|c| c.to_lowercase()).collect()
}

/// A SKU's parts: split at separators and at an "x" between digits (a dimension):
/// "HB-S-M8X20-101" → hb s m8 20 101.
pub fn sku_parts(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().flat_map(|c| c.to_lowercase()).collect();
    let mut parts = vec![];
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let dimension =
            c == 'x' && i > 0 && chars[i - 1].is_ascii_digit() && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_alphanumeric() && !dimension {
            current.push(c);
        } else if !current.is_empty() {
            parts.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        parts.push(current);
    }
    parts
}

/// Whether a query word is shaped like a model code or SKU: letters and digits together
/// ("HB-110", "hb110", "M8X20", "E9-G-11"), at least three characters without separators.
pub fn is_code(word: &str) -> bool {
    let c = compact(word);
    c.chars().count() >= 3 && c.chars().any(|x| x.is_ascii_digit()) && c.chars().any(|x| x.is_alphabetic())
}

/// The codes in a product name, compacted: "… hex bolt HB-110" → ["hb110"].
pub fn codes_in(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')' || c == '·')
        .filter(|w| is_code(w))
        .map(compact)
        .collect()
}

/// The codes a query names: each code-shaped word, and a short letter word followed by a number
/// of three digits or more ("HB 110" → hb110), compacted.
pub fn query_codes(words: &[&str]) -> Vec<String> {
    let mut codes: Vec<String> = words.iter().filter(|w| is_code(w)).map(|w| compact(w)).collect();
    for pair in words.windows(2) {
        let (a, b) = (compact(pair[0]), compact(pair[1]));
        let letters = (1..=3).contains(&a.chars().count()) && a.chars().all(|c| c.is_ascii_alphabetic());
        if letters && b.chars().count() >= 3 && b.chars().all(|c| c.is_ascii_digit()) {
            codes.push(format!("{a}{b}"));
        }
    }
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// Every prefix of at least two characters of a compact SKU, so a typed prefix is one term lookup.
pub fn prefixes(compact: &str) -> Vec<String> {
    let chars: Vec<char> = compact.chars().collect();
    (2..=chars.len()).map(|n| chars[..n].iter().collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_japanese_become_pairs() {
        assert_eq!(cjk_for_index("不锈钢").split_whitespace().collect::<Vec<_>>(), ["不", "不锈", "锈", "锈钢", "钢"]);
        assert_eq!(
            cjk_for_query("不锈钢螺丝").split_whitespace().collect::<Vec<_>>(),
            ["不锈", "锈钢", "钢螺", "螺丝"]
        );
        assert_eq!(cjk_for_query("钢").split_whitespace().collect::<Vec<_>>(), ["钢"]);
        assert_eq!(
            cjk_for_query("ステンレス HN-101").split_whitespace().collect::<Vec<_>>(),
            ["ステ", "テン", "ンレ", "レス", "HN-101"]
        );
    }

    #[test]
    fn arabic_spellings_meet() {
        assert_eq!(arabic("أنبوب"), arabic("انبوب"));
        assert_eq!(arabic("إضاءة"), arabic("اضاءه"));
        assert_eq!(arabic("مُسْمَار"), "مسمار");
        assert_eq!(arabic("مستشفى"), arabic("مستشفي"));
    }

    #[test]
    fn german_umlauts_meet_their_spellings() {
        assert_eq!(german("Schlüssel"), german("Schluessel"));
        assert_eq!(german("Schlüssel"), "schlussel");
        assert_eq!(german("Größe"), german("Groesse"));
        assert_eq!(german("Mutter"), "mutter");
    }

    #[test]
    fn code_shaped_words_are_codes_wherever_they_stand() {
        assert!(is_code("HB-110") && is_code("hb110") && is_code("M8X20") && is_code("E9-G-11-4IN-140"));
        assert!(!is_code("110") && !is_code("bolt") && !is_code("A4") && !is_code("ステンレス"));
        assert_eq!(codes_in("Professional stainless steel hex bolt HB-110"), ["hb110"]);
        assert_eq!(codes_in("ステンレス六角ボルト（プロ仕様） HB-110"), ["hb110"]);
        assert_eq!(query_codes(&["stainless", "HB-110", "bolt"]), ["hb110"]);
        assert_eq!(query_codes(&["hb", "110", "bolt"]), ["hb110"]);
        assert_eq!(query_codes(&["hex", "bolt", "10"]), Vec::<String>::new(), "a word and a number is no code");
    }

    #[test]
    fn skus_compare_without_separators_or_case() {
        assert_eq!(compact("HB-S-M8X20-101"), "hbsm8x20101");
        assert_eq!(sku_parts("HB-S-M8X20-101"), ["hb", "s", "m8", "20", "101"]);
        assert_eq!(sku_parts("m8x20"), ["m8", "20"]);
        assert_eq!(sku_parts("M8-20"), ["m8", "20"]);
        assert_eq!(sku_parts("M8 20"), ["m8", "20"]);
        assert_eq!(sku_parts("box"), ["box"], "an x between letters stays");
        assert_eq!(prefixes("abc"), ["ab", "abc"]);
        assert!(prefixes("a").is_empty());
    }
}
