//! The one plural syntax of locales/*.yml, read by build.rs (which expands a message into one
//! table entry per CLDR category) and by the translation tests. A plural message is one string in
//! ICU MessageFormat's shape, with our `%{name}` placeholders inside the forms:
//!
//! `added: "{count, plural, one {%{count} line added.} other {%{count} lines added.}}"`
//!
//! So every locale has the same keys, whatever categories its language needs (ar six, ja one);
//! which categories a locale must give is checked against icu_plurals by the tests.

/// The CLDR categories, in their canonical order.
pub const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

const HEAD: &str = "{count, plural,";

/// The (category, form) pairs of a plural message; `Ok(None)` for a plain text; `Err` for a
/// message that starts like a plural one but is not well formed.
pub fn parse(text: &str) -> Result<Option<Vec<(String, String)>>, String> {
    let Some(body) = text.trim().strip_prefix(HEAD) else { return Ok(None) };
    let body = body.strip_suffix('}').ok_or("a plural message ends with '}'")?;
    let mut forms: Vec<(String, String)> = vec![];
    let mut rest = body.trim_start();
    while !rest.is_empty() {
        let open = rest.find('{').ok_or_else(|| format!("no '{{' after {rest:?}"))?;
        let category = rest[..open].trim();
        if !CATEGORIES.contains(&category) {
            return Err(format!("{category:?} is not a CLDR plural category"));
        }
        if forms.iter().any(|(c, _)| c == category) {
            return Err(format!("{category} given twice"));
        }
        // The form runs to its matching '}' (placeholders like %{count} nest inside it).
        let mut depth = 0usize;
        let mut close = None;
        for (i, ch) in rest[open..].char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(open + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let close = close.ok_or_else(|| format!("the {category} form is not closed"))?;
        forms.push((category.to_string(), rest[open + 1..close].to_string()));
        rest = rest[close + 1..].trim_start();
    }
    if !forms.iter().any(|(c, _)| c == "other") {
        return Err("a plural message needs an 'other' form".into());
    }
    Ok(Some(forms))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn plural_messages_split_into_their_forms_and_plain_texts_stay_plain() {
        let forms = parse("{count, plural, one {%{count} line added.} other {%{count} lines added, %{sku}.}}")
            .unwrap()
            .unwrap();
        assert_eq!(
            forms,
            vec![
                ("one".to_string(), "%{count} line added.".to_string()),
                ("other".to_string(), "%{count} lines added, %{sku}.".to_string())
            ]
        );
        assert_eq!(parse("Lines: %{count}").unwrap(), None);
        assert!(parse("{count, plural, one {x}}").is_err(), "no other");
        assert!(parse("{count, plural, plenty {x} other {y}}").is_err(), "not a category");
        assert!(parse("{count, plural, other {x}").is_err(), "not closed");
        assert!(parse("{count, plural, other {x} other {y}}").is_err(), "twice");
    }
}
