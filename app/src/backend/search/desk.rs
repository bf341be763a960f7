//! The merchant's search desk (/staff/search): the synonyms staff teach the search, and the
//! searches buyers made that found nothing or that they refined at once.

use super::repo::{self, MissRow};
use super::synonyms::{split_list, Kind, Synonym};
use crate::backend::platform::guard::Staff;
use crate::backend::platform::state::AppState;
use crate::error::{AppError, FieldError};
use crate::i18n::Locale;

/// Longest term or synonym, in characters; most entries in a set.
const MAX_CHARS: usize = 60;
const MAX_ENTRIES: usize = 20;

/// A synonym as typed in the form.
pub struct SynonymForm {
    pub language: String,
    pub kind: String,
    pub term: String,
    pub synonyms: String,
}

/// The synonym `form` describes, or every field that is wrong.
pub fn parse(form: &SynonymForm) -> Result<Synonym, AppError> {
    let mut errors = vec![];
    let mut fail = |field: &str, key: &str| errors.push(FieldError { field: field.into(), key: key.into() });
    let language = Locale::parse(form.language.trim());
    if language.is_none() {
        fail("language", "search_desk.error.language");
    }
    let kind = Kind::parse(form.kind.trim());
    if kind.is_none() {
        fail("kind", "search_desk.error.kind");
    }
    let term = form.term.split_whitespace().collect::<Vec<_>>().join(" ");
    let synonyms = split_list(&form.synonyms);
    match kind {
        Some(Kind::OneWay) if term.is_empty() => fail("term", "search_desk.error.term_missing"),
        _ if term.chars().count() > MAX_CHARS => fail("term", "search_desk.error.too_long"),
        _ => {}
    }
    let needed = if kind == Some(Kind::Equivalent) { 2 } else { 1 };
    if synonyms.len() < needed {
        fail(
            "synonyms",
            if needed == 2 { "search_desk.error.two_needed" } else { "search_desk.error.synonyms_missing" },
        );
    } else if synonyms.len() > MAX_ENTRIES {
        fail("synonyms", "search_desk.error.too_many");
    } else if synonyms.iter().any(|s| s.chars().count() > MAX_CHARS) {
        fail("synonyms", "search_desk.error.too_long");
    } else if kind == Some(Kind::OneWay) && synonyms.iter().all(|s| s.to_lowercase() == term.to_lowercase()) {
        fail("synonyms", "search_desk.error.same_as_term");
    }
    match (language, kind) {
        (Some(language), Some(kind)) if errors.is_empty() => Ok(Synonym {
            id: 0,
            language,
            kind,
            // An equivalent set has no term: every entry is one.
            term: if kind == Kind::OneWay { term } else { String::new() },
            synonyms,
        }),
        _ => Err(AppError::Invalid(errors)),
    }
}

pub struct Desk {
    pub synonyms: Vec<Synonym>,
    pub misses: Vec<MissRow>,
}

/// The synonyms, and the searches that missed in the last `days` days (most frequent first).
pub async fn desk(state: &AppState, _staff: &Staff, days: i64, now: i64) -> Result<Desk, AppError> {
    let from = crate::domain::order::iso_date(now.div_euclid(86_400) - (days - 1));
    Ok(Desk { synonyms: repo::synonyms(&state.pool).await?, misses: repo::misses(&state.pool, &from, 200).await? })
}

/// Adds a synonym: every app server applies it from its next search (the change log carries it).
pub async fn add_synonym(state: &AppState, staff: &Staff, form: &SynonymForm, now: i64) -> Result<(), AppError> {
    let synonym = parse(form)?;
    repo::add_synonym(&state.pool, &synonym, staff.user_id.0, now).await?;
    Ok(())
}

pub async fn remove_synonym(state: &AppState, _staff: &Staff, id: i64) -> Result<(), AppError> {
    if repo::remove_synonym(&state.pool, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(language: &str, kind: &str, term: &str, synonyms: &str) -> SynonymForm {
        SynonymForm { language: language.into(), kind: kind.into(), term: term.into(), synonyms: synonyms.into() }
    }

    fn fields(result: Result<Synonym, AppError>) -> Vec<String> {
        match result {
            Err(AppError::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
            other => panic!("expected field errors, got {other:?}"),
        }
    }

    #[test]
    fn a_one_way_synonym_needs_its_term_and_something_else() {
        let s = parse(&form("en", "one_way", "  SS ", "stainless steel,  a2 ")).unwrap();
        assert_eq!((s.language, s.kind, s.term.as_str()), (Locale::En, Kind::OneWay, "SS"));
        assert_eq!(s.synonyms, vec!["stainless steel", "a2"]);
        assert_eq!(fields(parse(&form("en", "one_way", "", "stainless steel"))), vec!["term"]);
        assert_eq!(fields(parse(&form("en", "one_way", "ss", " , "))), vec!["synonyms"]);
        assert_eq!(fields(parse(&form("en", "one_way", "ss", "SS"))), vec!["synonyms"]);
    }

    #[test]
    fn an_equivalent_set_needs_two_entries_and_keeps_no_term() {
        let s = parse(&form("de", "equivalent", "ignored", "Schraube, Bolzen")).unwrap();
        assert_eq!((s.kind, s.term.as_str(), s.synonyms.len()), (Kind::Equivalent, "", 2));
        assert_eq!(fields(parse(&form("de", "equivalent", "", "Schraube"))), vec!["synonyms"]);
    }

    #[test]
    fn unknown_languages_kinds_and_long_entries_are_refused() {
        assert_eq!(fields(parse(&form("xx", "one_way", "a", "b"))), vec!["language"]);
        assert_eq!(fields(parse(&form("en", "both", "a", "b"))), vec!["kind"]);
        assert_eq!(fields(parse(&form("en", "one_way", &"a".repeat(61), "b"))), vec!["term"]);
        assert_eq!(fields(parse(&form("en", "equivalent", "", &"b, ".repeat(21)))), vec!["synonyms"]);
    }
}
