//! Text with model codes kept whole: in a right-to-left language a code such as "CT-104" or
//! "M12/3" inside a product name is a left-to-right island; the bidi algorithm left alone can
//! split it around its neutral characters ("104-CT"). Each code goes in `<bdi dir="ltr">`.

use leptos::prelude::*;

/// A code: a word of ASCII letters and digits with at least one digit, joined by `-`, `/`, `.`
/// or `_` inside it (so "CT-104", "M12", "3/8", "DN50"; not "Bosch" or a plain "-").
fn is_code(word: &str) -> bool {
    let trimmed = word.trim_matches(|c: char| matches!(c, '-' | '/' | '.' | '_'));
    !trimmed.is_empty()
        && trimmed.len() == word.len()
        && word.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '.' | '_'))
        && word.chars().any(|c| c.is_ascii_digit())
}

/// The text cut into (run, is_code) pieces, in order; concatenated they are the text again.
pub fn split_codes(text: &str) -> Vec<(&str, bool)> {
    let mut out: Vec<(&str, bool)> = vec![];
    let mut start = 0;
    for (i, word) in text.split_inclusive(char::is_whitespace).scan(0usize, |pos, w| {
        let at = *pos;
        *pos += w.len();
        Some((at, w))
    }) {
        // Trailing punctuation ("DN50,") is not part of the code.
        let bare = word.trim_end_matches(char::is_whitespace).trim_end_matches([',', ';', ':', '!', '?', ')']);
        if is_code(bare) {
            if start < i {
                out.push((&text[start..i], false));
            }
            out.push((&text[i..i + bare.len()], true));
            start = i + bare.len();
        }
    }
    if start < text.len() {
        out.push((&text[start..], false));
    }
    out
}

/// The text with each code isolated.
pub fn with_codes(text: &str) -> impl IntoView {
    split_codes(text)
        .into_iter()
        .map(|(piece, code)| {
            if code {
                view! { <bdi class="code" dir="ltr">{piece.to_string()}</bdi> }.into_any()
            } else {
                piece.to_string().into_any()
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_cut_out_whole_and_the_rest_is_kept() {
        assert_eq!(split_codes("مثقاب CT-104 لاسلكي"), vec![("مثقاب ", false), ("CT-104", true), (" لاسلكي", false)]);
        assert_eq!(split_codes("M12/3"), vec![("M12/3", true)]);
        assert_eq!(split_codes("Bosch drill - blue"), vec![("Bosch drill - blue", false)]);
        assert_eq!(split_codes("Valve DN50, brass"), vec![("Valve ", false), ("DN50", true), (", brass", false)]);
        let text = "a 3/8 b CT-1 ";
        assert_eq!(split_codes(text).iter().map(|(p, _)| *p).collect::<String>(), text);
    }
}
