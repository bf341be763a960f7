//! Synonyms, as the merchant's staff teach them at /staff/search: per language, one-way ("ss" also
//! finds "stainless steel") or equivalent ("bolt, screw": each finds the others). Applied when a
//! query is built, never indexed: a new synonym works on the next search, on every app server,
//! once the change log tells it (topic `synonym`), without re-indexing 100,000 products.
//!
//! A query becomes slots: one per word, or one per phrase a rule names ("stainless steel"). A
//! slot matches when its words match, or all the words of one of its alternatives.

use crate::i18n::Locale;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    OneWay,
    Equivalent,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::OneWay => "one_way",
            Kind::Equivalent => "equivalent",
        }
    }

    pub fn parse(raw: &str) -> Option<Kind> {
        match raw {
            "one_way" => Some(Kind::OneWay),
            "equivalent" => Some(Kind::Equivalent),
            _ => None,
        }
    }
}

/// One synonym as staff wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Synonym {
    pub id: i64,
    pub language: Locale,
    pub kind: Kind,
    /// One-way: what buyers type. Equivalent: empty.
    pub term: String,
    /// One-way: what it also finds. Equivalent: the set.
    pub synonyms: Vec<String>,
}

/// One rule: a phrase of the query (folded words) also matches each of `to` (words as written).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub from: Vec<String>,
    pub to: Vec<Vec<String>>,
}

/// A run of query words and what else it may match. `alternatives[0]` is the words as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    pub alternatives: Vec<Vec<String>>,
}

/// Every language's rules, built once per change of the synonyms.
#[derive(Default, Debug)]
pub struct Synonyms {
    rules: HashMap<Locale, Vec<Rule>>,
    count: usize,
}

/// The entries of a comma-separated list, trimmed, empty ones dropped.
pub fn split_list(raw: &str) -> Vec<String> {
    raw.split([',', '、', '،', '，'])
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}

impl Synonyms {
    /// The rules of `synonyms`; `fold(language, word)` is how the index compares words (case,
    /// accents, the language's own folding), so "SS", "ss" and "Ss" are one term.
    pub fn new(synonyms: &[Synonym], fold: impl Fn(Locale, &str) -> String) -> Synonyms {
        let mut rules: HashMap<Locale, Vec<Rule>> = HashMap::new();
        let words = |language: Locale, phrase: &str| -> Vec<String> {
            phrase.split_whitespace().map(|w| fold(language, w)).filter(|w| !w.is_empty()).collect()
        };
        let written = |phrase: &str| -> Vec<String> { phrase.split_whitespace().map(str::to_string).collect() };
        for s in synonyms {
            let language_rules = rules.entry(s.language).or_default();
            match s.kind {
                Kind::OneWay => {
                    let from = words(s.language, &s.term);
                    if !from.is_empty() {
                        language_rules.push(Rule { from, to: s.synonyms.iter().map(|t| written(t)).collect() });
                    }
                }
                Kind::Equivalent => {
                    for (i, member) in s.synonyms.iter().enumerate() {
                        let from = words(s.language, member);
                        if from.is_empty() {
                            continue;
                        }
                        let to =
                            s.synonyms.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, t)| written(t)).collect();
                        language_rules.push(Rule { from, to });
                    }
                }
            }
        }
        // Longest phrase first: "stainless steel" wins over "steel".
        for list in rules.values_mut() {
            list.sort_by(|a, b| b.from.len().cmp(&a.from.len()));
        }
        Synonyms { rules, count: synonyms.len() }
    }

    pub fn rules(&self, language: Locale) -> &[Rule] {
        self.rules.get(&language).map(Vec::as_slice).unwrap_or(&[])
    }

    /// How many synonyms staff wrote (all languages).
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// The slots of `words` under `rules`: left to right, the longest rule starting at each word takes
/// its phrase; the same phrase named by several rules gets all their alternatives.
pub fn expand(words: &[&str], rules: &[Rule], fold: impl Fn(&str) -> String) -> Vec<Slot> {
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    let mut slots = vec![];
    let mut i = 0;
    while i < words.len() {
        let matching: Vec<&Rule> = rules
            .iter()
            .filter(|r| r.from.len() <= words.len() - i && r.from.iter().zip(&folded[i..]).all(|(a, b)| a == b))
            .collect();
        let Some(longest) = matching.first().map(|r| r.from.len()) else {
            slots.push(Slot { alternatives: vec![vec![words[i].to_string()]] });
            i += 1;
            continue;
        };
        let mut alternatives = vec![words[i..i + longest].iter().map(|w| w.to_string()).collect::<Vec<_>>()];
        for rule in matching.iter().filter(|r| r.from.len() == longest) {
            for to in &rule.to {
                let to_folded: Vec<String> = to.iter().map(|w| fold(w)).collect();
                let known = alternatives.iter().any(|a| a.iter().map(|w| fold(w)).collect::<Vec<_>>() == to_folded);
                if !to.is_empty() && !known {
                    alternatives.push(to.clone());
                }
            }
        }
        slots.push(Slot { alternatives });
        i += longest;
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(_: Locale, w: &str) -> String {
        w.to_lowercase()
    }

    fn set(list: &[(Locale, Kind, &str, &str)]) -> Synonyms {
        let synonyms: Vec<Synonym> = list
            .iter()
            .enumerate()
            .map(|(i, (language, kind, term, synonyms))| Synonym {
                id: i as i64,
                language: *language,
                kind: *kind,
                term: term.to_string(),
                synonyms: split_list(synonyms),
            })
            .collect();
        Synonyms::new(&synonyms, fold)
    }

    fn slots(s: &Synonyms, language: Locale, query: &str) -> Vec<Vec<String>> {
        let words: Vec<&str> = query.split_whitespace().collect();
        expand(&words, s.rules(language), |w| w.to_lowercase())
            .into_iter()
            .map(|slot| slot.alternatives.into_iter().map(|a| a.join(" ")).collect())
            .collect()
    }

    #[test]
    fn one_way_applies_in_its_direction_only() {
        let s = set(&[(Locale::En, Kind::OneWay, "SS", "stainless steel")]);
        assert_eq!(slots(&s, Locale::En, "ss bolt"), vec![vec!["ss", "stainless steel"], vec!["bolt"]]);
        assert_eq!(slots(&s, Locale::En, "SS bolt")[0], vec!["SS", "stainless steel"], "case does not matter");
        assert_eq!(slots(&s, Locale::En, "stainless steel"), vec![vec!["stainless"], vec!["steel"]]);
    }

    #[test]
    fn equivalents_find_each_other() {
        let s = set(&[(Locale::En, Kind::Equivalent, "", "bolt, screw, stainless steel fastener")]);
        assert_eq!(slots(&s, Locale::En, "bolt"), vec![vec!["bolt", "screw", "stainless steel fastener"]]);
        assert_eq!(
            slots(&s, Locale::En, "hex screw"),
            vec![vec!["hex"], vec!["screw", "bolt", "stainless steel fastener"]]
        );
        assert_eq!(
            slots(&s, Locale::En, "Stainless Steel Fastener m8"),
            vec![vec!["Stainless Steel Fastener", "bolt", "screw"], vec!["m8"]],
            "a phrase is one slot"
        );
    }

    #[test]
    fn rules_are_per_language() {
        let s = set(&[(Locale::De, Kind::OneWay, "Schraube", "Bolzen")]);
        assert_eq!(slots(&s, Locale::En, "schraube"), vec![vec!["schraube"]]);
        assert_eq!(slots(&s, Locale::De, "schraube"), vec![vec!["schraube", "Bolzen"]]);
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn the_longest_phrase_wins_and_rules_on_one_phrase_combine() {
        let s = set(&[
            (Locale::En, Kind::OneWay, "steel", "inox"),
            (Locale::En, Kind::OneWay, "stainless steel", "ss"),
            (Locale::En, Kind::OneWay, "stainless steel", "a2, ss"),
        ]);
        assert_eq!(
            slots(&s, Locale::En, "stainless steel bolt"),
            vec![vec!["stainless steel", "ss", "a2"], vec!["bolt"]]
        );
        assert_eq!(slots(&s, Locale::En, "steel"), vec![vec!["steel", "inox"]]);
    }

    #[test]
    fn no_rules_leave_every_word_its_own_slot() {
        let s = Synonyms::default();
        assert_eq!(slots(&s, Locale::En, "hex bolt m8"), vec![vec!["hex"], vec!["bolt"], vec!["m8"]]);
        assert!(slots(&s, Locale::En, "").is_empty());
        assert!(s.is_empty());
    }

    #[test]
    fn lists_split_on_the_commas_of_every_script() {
        assert_eq!(split_list(" bolt ,screw,, hex  nut "), vec!["bolt", "screw", "hex nut"]);
        assert_eq!(split_list("ボルト、ねじ"), vec!["ボルト", "ねじ"]);
        assert_eq!(split_list("برغي، مسمار"), vec!["برغي", "مسمار"]);
        assert_eq!(split_list("螺栓，螺丝"), vec!["螺栓", "螺丝"]);
    }
}
