//! Full-text search over the catalog with tantivy, in memory. One document per product: its SKUs
//! (whole, every prefix, and parts), and per locale its name, its category path with attribute
//! labels, and its description. The index is built from the read model at start-up and updated by
//! the same change-log catch-up that updates the read model (`backend::read_model::log`), so a change is
//! searchable on the next request, on every app server, each with its own index.
//!
//! Queries are built term by term from our own analysis (`analysis`), never by tantivy's query
//! parser, so quotes, colons or brackets in a query are just characters. The buyer's catalogs are
//! a clause of the query itself, so counts and facets only ever see visible products.

pub mod analysis;
pub mod desk;
pub mod repo;
pub mod service;
pub mod synonyms;
mod union;

use super::catalog::store::{Product, Snapshot};
use crate::i18n::Locale;
use analysis::{compact, prefixes, prepare, sku_parts};
use std::sync::Mutex;
use synonyms::{Rule, Slot};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::directory::RamDirectory;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, WhitespaceTokenizer,
};
use tantivy::{
    DocId, Index, IndexReader, IndexSettings, IndexWriter, ReloadPolicy, Score, SegmentReader, TantivyDocument, Term,
};
use union::SeekUnion;

/// Queries longer than this are cut (a pasted paragraph is not a product name).
pub const MAX_QUERY_CHARS: usize = 200;
/// Words of a query that count; the rest are ignored. Enough for a whole product name pasted
/// with its model code (a Vietnamese name runs to 11 words); code-shaped words always count.
const MAX_WORDS: usize = 16;
/// How much a code-shaped query word that is a product's model code or SKU adds: more than any
/// number of words a product family shares, so "<family name> HB-110" puts HB-110 first.
const CODE_BOOST: f32 = 60.0;
/// What the query's words adjacent and in order in a name add: it orders products that match
/// every word, never outweighs a code.
const PROXIMITY_BOOST: f32 = 4.0;

const TEXT: &str = "portal_text";
const WORDS: &str = "portal_words";

struct Fields {
    id: Field,
    catalogs: Field,
    sku_exact: Field,
    sku_prefix: Field,
    sku_parts: Field,
    /// Model codes in the names ("HB-110" → hb110) and whole SKUs, compacted.
    codes: Field,
    /// Per locale, in `Locale::ALL` order.
    name: Vec<Field>,
    meta: Vec<Field>,
    description: Vec<Field>,
}

pub struct SearchIndex {
    directory: RamDirectory,
    fields: Fields,
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
    /// The catalog's own words per locale (in `Locale::ALL` order), for "Did you mean":
    /// folded word → (as written, how many names and categories use it).
    vocabulary: std::sync::RwLock<Vec<std::collections::HashMap<String, (String, u32)>>>,
}

fn text_options(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record))
}

type SearchResult<T> = Result<T, tantivy::TantivyError>;

impl SearchIndex {
    /// An index of every product in `catalog`; `descriptions` by product id, one text per locale.
    pub fn build(
        catalog: &Snapshot,
        descriptions: &std::collections::HashMap<i64, Vec<Box<str>>>,
    ) -> SearchResult<SearchIndex> {
        let started = std::time::Instant::now();
        let mut schema = Schema::builder();
        let words = text_options(WORDS, IndexRecordOption::Basic);
        let text = text_options(TEXT, IndexRecordOption::WithFreqs);
        // Names keep positions: words adjacent and in order ("hex bolt") beat scattered ones.
        let positioned = text_options(TEXT, IndexRecordOption::WithFreqsAndPositions);
        let fields = Fields {
            id: schema.add_u64_field("id", INDEXED | FAST),
            catalogs: schema.add_u64_field("catalogs", INDEXED),
            sku_exact: schema.add_text_field("sku_exact", words.clone()),
            sku_prefix: schema.add_text_field("sku_prefix", words.clone()),
            sku_parts: schema.add_text_field("sku_parts", words.clone()),
            codes: schema.add_text_field("codes", words),
            name: Locale::ALL
                .iter()
                .map(|l| schema.add_text_field(&format!("name_{}", l.tag()), positioned.clone()))
                .collect(),
            meta: Locale::ALL
                .iter()
                .map(|l| schema.add_text_field(&format!("meta_{}", l.tag()), text.clone()))
                .collect(),
            description: Locale::ALL
                .iter()
                .map(|l| schema.add_text_field(&format!("description_{}", l.tag()), text.clone()))
                .collect(),
        };
        let directory = RamDirectory::create();
        let index = Index::create(directory.clone(), schema.build(), IndexSettings::default())?;
        index.tokenizers().register(TEXT, text_analyzer());
        index
            .tokenizers()
            .register(WORDS, TextAnalyzer::builder(WhitespaceTokenizer::default()).filter(LowerCaser).build());
        let writer: IndexWriter = index.writer_with_num_threads(2, 96_000_000)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let search = SearchIndex {
            directory,
            fields,
            writer: Mutex::new(writer),
            reader,
            vocabulary: std::sync::RwLock::new(vec![Default::default(); Locale::ALL.len()]),
        };
        {
            let mut writer = search.writer.lock().unwrap_or_else(|e| e.into_inner());
            for product in catalog.products() {
                writer.add_document(search.document(catalog, product, descriptions.get(&product.id)))?;
            }
            writer.commit()?;
            // One segment: every query then walks one term dictionary per field instead of one
            // per segment (prefixes and typos intersect an automaton with each).
            let segments = search.reader.searcher().index().searchable_segment_ids()?;
            if segments.len() > 1 {
                writer.merge(&segments).wait()?;
            }
            search.learn_words(catalog, catalog.products().map(|p| &**p));
        }
        search.reader.reload()?;
        tracing::info!(
            "search index built: {} products in {} ms, {} KB in memory",
            catalog.product_count(),
            started.elapsed().as_millis(),
            search.memory_bytes() / 1024
        );
        Ok(search)
    }

    /// Bytes the index files take in memory (the writer's buffers come and go with commits).
    pub fn memory_bytes(&self) -> usize {
        self.directory.total_mem_usage()
    }

    /// Re-indexes `ids` from `catalog` (a product no longer there is removed).
    pub fn update(
        &self,
        catalog: &Snapshot,
        ids: &[i64],
        descriptions: &std::collections::HashMap<i64, Vec<Box<str>>>,
    ) -> SearchResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let mut changed = vec![];
        for &id in ids {
            writer.delete_term(Term::from_field_u64(self.fields.id, id as u64));
            if let Some(product) = catalog.product_by_id(id) {
                writer.add_document(self.document(catalog, &product, descriptions.get(&id)))?;
                changed.push(product);
            }
        }
        writer.commit()?;
        // Words are added, never counted down: a suggestion is checked against the index anyway.
        self.learn_words(catalog, changed.iter().map(|p| &**p));
        self.reader.reload()?;
        Ok(())
    }

    fn document(&self, catalog: &Snapshot, p: &Product, descriptions: Option<&Vec<Box<str>>>) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, p.id as u64);
        for c in p.catalogs() {
            doc.add_u64(f.catalogs, *c as u64);
        }
        let mut prefix_terms = vec![];
        let mut parts = vec![];
        let mut codes: Vec<String> = Locale::ALL.iter().flat_map(|l| analysis::codes_in(p.name(*l))).collect();
        for v in &p.variants {
            let whole = compact(&v.sku);
            codes.push(whole.clone());
            prefix_terms.extend(prefixes(&whole));
            doc.add_text(f.sku_exact, &whole);
            parts.extend(sku_parts(&v.sku));
            if let Some(size) = v.attribute("size") {
                parts.extend(sku_parts(size));
            }
        }
        prefix_terms.sort_unstable();
        prefix_terms.dedup();
        parts.sort_unstable();
        parts.dedup();
        doc.add_text(f.sku_prefix, prefix_terms.join(" "));
        doc.add_text(f.sku_parts, parts.join(" "));
        codes.sort_unstable();
        codes.dedup();
        doc.add_text(f.codes, codes.join(" "));
        for (i, &locale) in Locale::ALL.iter().enumerate() {
            doc.add_text(f.name[i], prepare(locale, p.name(locale), false));
            let mut meta = catalog.meta.category_path(p.category_id, locale);
            let mut labels: Vec<String> = p
                .variants
                .iter()
                .flat_map(|v| v.attributes.iter())
                .filter(|(a, _)| &**a != "size")
                .map(|(a, v)| catalog.meta.label(a, v, locale))
                .collect();
            labels.sort_unstable();
            labels.dedup();
            for label in labels {
                meta.push(' ');
                meta.push_str(&label);
            }
            doc.add_text(f.meta[i], prepare(locale, &meta, false));
            if let Some(text) = descriptions.and_then(|d| d.get(i)) {
                doc.add_text(f.description[i], prepare(locale, text, false));
            }
        }
        doc
    }

    /// One word of the query in one field: all its terms (a CJK word gives several pairs).
    fn word_in_field(&self, field: Field, terms: &[String], last: bool, fuzzy: bool) -> Option<Box<dyn Query>> {
        if terms.is_empty() {
            return None;
        }
        // In the second pass a Chinese or Japanese word may have one pair missing: "黄铜弯头" finds
        // "黄铜 90° 弯头", where the words are apart.
        if fuzzy && terms.len() >= 3 && terms.iter().all(|t| t.chars().all(analysis::is_cjk)) {
            let pairs: Vec<(Occur, Box<dyn Query>)> = terms
                .iter()
                .map(|t| -> (Occur, Box<dyn Query>) {
                    (
                        Occur::Should,
                        Box::new(TermQuery::new(Term::from_field_text(field, t), IndexRecordOption::WithFreqs)),
                    )
                })
                .collect();
            return Some(Box::new(BooleanQuery::with_minimum_required_clauses(pairs, terms.len() - 1)));
        }
        let mut musts: Vec<(Occur, Box<dyn Query>)> = vec![];
        for (i, t) in terms.iter().enumerate() {
            let term = Term::from_field_text(field, t);
            let chars = t.chars().count();
            let cjk = t.chars().any(analysis::is_cjk);
            let mut options: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Should, Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)))];
            // As you type, the last word is unfinished.
            if last && i + 1 == terms.len() && chars >= 2 && !cjk {
                options.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(FuzzyTermQuery::new_prefix(term.clone(), 0, true)), 0.6)),
                ));
            }
            // Typos are tolerated in words, not in codes: a term with a digit is a SKU or a size.
            if fuzzy && chars >= 5 && !cjk && !t.chars().any(|c| c.is_ascii_digit()) {
                let distance = if chars >= 9 { 2 } else { 1 };
                options.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(FuzzyTermQuery::new(term, distance, true)), 0.3)),
                ));
            }
            musts.push((Occur::Must, Box::new(BooleanQuery::new(options))));
        }
        Some(Box::new(BooleanQuery::new(musts)))
    }

    /// One word of the query in every field: names, categories and labels, descriptions in each
    /// language, SKU parts and prefixes, model codes.
    fn word_clause(&self, word: &str, viewer: Locale, last: bool, fuzzy: bool, sought: bool) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        let mut fields: Vec<(Occur, Box<dyn Query>)> = vec![];
        for (i, &locale) in Locale::ALL.iter().enumerate() {
            let terms = terms(locale, word);
            let name_boost = if locale == viewer { 3.0 } else { 2.0 };
            // Prefixes and typos (an automaton walked over a term dictionary each) only in the
            // names and categories of the viewer's language and English, the languages buyers
            // type in; descriptions and other languages match whole words.
            let own = locale == viewer || locale == Locale::En;
            for (field, boost, loose) in
                [(f.name[i], name_boost, own), (f.meta[i], 1.0, own), (f.description[i], 0.3, false)]
            {
                if let Some(q) = self.word_in_field(field, &terms, last && loose, fuzzy && loose) {
                    fields.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
                }
            }
        }
        let parts = sku_parts(word);
        if !parts.is_empty() {
            let parts: Vec<(Occur, Box<dyn Query>)> = parts
                .iter()
                .map(|p| -> (Occur, Box<dyn Query>) {
                    (
                        Occur::Must,
                        Box::new(TermQuery::new(Term::from_field_text(f.sku_parts, p), IndexRecordOption::Basic)),
                    )
                })
                .collect();
            fields.push((Occur::Should, Box::new(BoostQuery::new(Box::new(BooleanQuery::new(parts)), 2.0))));
        }
        let whole = compact(word);
        if whole.chars().count() >= 2 {
            let prefix = TermQuery::new(Term::from_field_text(f.sku_prefix, &whole), IndexRecordOption::Basic);
            fields.push((Occur::Should, Box::new(BoostQuery::new(Box::new(prefix), 4.0))));
        }
        // A code typed without its separator ("hb110") is still the code.
        if analysis::is_code(word) {
            let code = TermQuery::new(Term::from_field_text(f.codes, &whole), IndexRecordOption::Basic);
            fields.push((Occur::Should, Box::new(BoostQuery::new(Box::new(code), 4.0))));
        }
        if fields.is_empty() {
            None
        } else if sought {
            // One of several words: sought inside their intersection, not walked (see `union`).
            Some(Box::new(SeekUnion::new(fields.into_iter().map(|(_, q)| q).collect())))
        } else {
            Some(Box::new(BooleanQuery::new(fields)))
        }
    }

    /// One slot of the query (a word, or a phrase a synonym names): its words as typed, or all the
    /// words of one of its synonyms (scored a little lower than what was typed).
    fn slot_clause(
        &self,
        slot: &Slot,
        viewer: Locale,
        last: bool,
        fuzzy: bool,
        sought: bool,
    ) -> Option<Box<dyn Query>> {
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = vec![];
        for (a, words) in slot.alternatives.iter().enumerate() {
            let clauses: Vec<(Occur, Box<dyn Query>)> = words
                .iter()
                .enumerate()
                // Only what the buyer is typing is unfinished, never a synonym.
                .filter_map(|(w, word)| {
                    self.word_clause(
                        word,
                        viewer,
                        last && a == 0 && w + 1 == words.len(),
                        fuzzy,
                        sought || words.len() > 1,
                    )
                })
                .map(|q| (Occur::Must, q))
                .collect();
            if clauses.is_empty() {
                continue;
            }
            let all: Box<dyn Query> =
                if clauses.len() == 1 { clauses.into_iter().next()?.1 } else { Box::new(BooleanQuery::new(clauses)) };
            alternatives.push((Occur::Should, if a == 0 { all } else { Box::new(BoostQuery::new(all, 0.9)) }));
        }
        match alternatives.len() {
            0 => None,
            1 => alternatives.into_iter().next().map(|(_, q)| q),
            _ => Some(Box::new(BooleanQuery::new(alternatives))),
        }
    }

    /// The query for `text`: every slot (word, or phrase a synonym names) must match (with
    /// `slack`, all but that many), each in some field; `fuzzy` tolerates typos.
    fn build_query(
        &self,
        text: &str,
        catalogs: &[i64],
        viewer: Locale,
        rules: &[Rule],
        fuzzy: bool,
        slack: usize,
    ) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        let words = query_words(text);
        if words.is_empty() || catalogs.is_empty() {
            return None;
        }
        let slots = synonyms::expand(&words, rules, |w| fold(viewer, w));
        let per_word: Vec<(Occur, Box<dyn Query>)> = slots
            .iter()
            .enumerate()
            .filter_map(|(k, slot)| self.slot_clause(slot, viewer, k + 1 == slots.len(), fuzzy, slots.len() > 1))
            .map(|q| (Occur::Should, q))
            .collect();
        if per_word.is_empty() {
            return None;
        }
        // Every word, or all but `slack`: a product matching more words scores more.
        let required = per_word.len().saturating_sub(slack).max(1);
        // The whole query as one SKU, with or without separators, beats everything else.
        let whole = compact(text);
        // Every word required is an intersection (led by the rarest word, skipping the rest);
        // "all but one" has to count matches over the union.
        let words_query: Box<dyn Query> = if required == per_word.len() {
            Box::new(BooleanQuery::new(per_word.into_iter().map(|(_, q)| (Occur::Must, q)).collect()))
        } else {
            Box::new(BooleanQuery::with_minimum_required_clauses(per_word, required))
        };
        let mut top: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, words_query)];
        // Proximity: the words as typed, adjacent and in this order, in a name of the viewer's
        // language or English, beat the same words scattered ("brass ball valve" before "ball
        // valve, brass handle"). An unfinished last word matches no phrase: no boost yet.
        let phrase_locales: &[Locale] = if viewer == Locale::En { &[Locale::En] } else { &[viewer, Locale::En] };
        for &locale in phrase_locales {
            let terms: Vec<String> = words.iter().flat_map(|w| terms(locale, w)).collect();
            if terms.len() >= 2 && terms.len() <= MAX_WORDS && !terms.iter().any(|t| t.chars().any(analysis::is_cjk)) {
                let i = Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0);
                let phrase = PhraseQuery::new(terms.iter().map(|t| Term::from_field_text(f.name[i], t)).collect());
                top.push((Occur::Should, Box::new(BoostQuery::new(Box::new(phrase), PROXIMITY_BOOST))));
            }
        }
        // A code anywhere in the query ("<name> HB-110", "hb 110 <words>") outweighs the words a
        // product family shares: it is the one token that tells them apart.
        for code in analysis::query_codes(&words) {
            let exact = TermQuery::new(Term::from_field_text(f.codes, &code), IndexRecordOption::Basic);
            top.push((Occur::Should, Box::new(BoostQuery::new(Box::new(exact), CODE_BOOST))));
        }
        if whole.chars().count() >= 2 {
            let exact = TermQuery::new(Term::from_field_text(f.sku_exact, &whole), IndexRecordOption::Basic);
            top.push((Occur::Should, Box::new(BoostQuery::new(Box::new(exact), 20.0))));
            let prefix = TermQuery::new(Term::from_field_text(f.sku_prefix, &whole), IndexRecordOption::Basic);
            top.push((Occur::Should, Box::new(BoostQuery::new(Box::new(prefix), 8.0))));
        }
        let visible: Vec<(Occur, Box<dyn Query>)> = catalogs
            .iter()
            .map(|c| -> (Occur, Box<dyn Query>) {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(Term::from_field_u64(f.catalogs, *c as u64), IndexRecordOption::Basic)),
                )
            })
            .collect();
        Some(Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(BooleanQuery::new(top)) as Box<dyn Query>),
            (Occur::Must, Box::new(BooleanQuery::new(visible))),
        ])))
    }

    /// Whether any product has `word` (as a whole word in some field, or as SKU or code).
    fn known(&self, searcher: &tantivy::Searcher, word: &str) -> bool {
        let f = &self.fields;
        let has = |field: Field, t: &str| searcher.doc_freq(&Term::from_field_text(field, t)).unwrap_or(0) > 0;
        for (i, &locale) in Locale::ALL.iter().enumerate() {
            let terms = terms(locale, word);
            if !terms.is_empty()
                && [f.name[i], f.meta[i], f.description[i]].iter().any(|&field| terms.iter().all(|t| has(field, t)))
            {
                return true;
            }
        }
        let whole = compact(word);
        let parts = sku_parts(word);
        [f.sku_prefix, f.codes].iter().any(|&field| has(field, &whole))
            || (!parts.is_empty() && parts.iter().all(|p| has(f.sku_parts, p)))
    }

    /// Adds the words of `products`' names and categories to the vocabulary. Words with digits
    /// (codes, sizes) and Chinese or Japanese runs (no spaces to tell words apart) are left out.
    fn learn_words<'a>(&self, catalog: &Snapshot, products: impl Iterator<Item = &'a Product>) {
        let mut vocabulary = self.vocabulary.write().unwrap_or_else(|e| e.into_inner());
        // Names repeat their words across a catalog: fold each distinct word once. Category paths
        // are few: each is read once per language.
        let mut folded: Vec<std::collections::HashMap<String, Option<String>>> =
            vec![Default::default(); Locale::ALL.len()];
        let mut paths: std::collections::HashMap<(i64, usize), String> = std::collections::HashMap::new();
        for product in products {
            for (i, &locale) in Locale::ALL.iter().enumerate() {
                let path = paths
                    .entry((product.category_id, i))
                    .or_insert_with(|| catalog.meta.category_path(product.category_id, locale));
                for word in
                    [product.name(locale), path.as_str()].iter().flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
                {
                    let key = match folded[i].get(word) {
                        Some(key) => key.clone(),
                        None => {
                            let usable = word.chars().count() >= 3
                                && !word.chars().any(|c| c.is_ascii_digit() || analysis::is_cjk(c));
                            let key = usable.then(|| fold(locale, word)).filter(|k| !k.is_empty() && !k.contains(' '));
                            folded[i].insert(word.to_string(), key.clone());
                            key
                        }
                    };
                    if let Some(key) = key {
                        vocabulary[i].entry(key).or_insert_with(|| (word.to_lowercase(), 0)).1 += 1;
                    }
                }
            }
        }
    }

    /// "Did you mean …" for a query that found nothing: each word the catalog does not use is
    /// replaced by the closest word it does use in the viewer's language, else in English (fewest
    /// changes, then the most used), or dropped when none is close; offered only when that finds
    /// something.
    pub fn did_you_mean(&self, text: &str, catalogs: &[i64], viewer: Locale, rules: &[Rule]) -> Option<String> {
        let at = Locale::ALL.iter().position(|l| *l == viewer)?;
        let english = Locale::ALL.iter().position(|l| *l == Locale::En)?;
        let mut changed = false;
        let mut out: Vec<String> = vec![];
        {
            let vocabulary = self.vocabulary.read().unwrap_or_else(|e| e.into_inner());
            let known = |key: &str| vocabulary.iter().any(|v| v.contains_key(key));
            for word in query_words(text) {
                let key = fold(viewer, word);
                let chars = key.chars().count();
                let keep = chars < 3
                    || key.contains(' ')
                    || word.chars().any(|c| c.is_ascii_digit() || analysis::is_cjk(c))
                    || known(&key);
                if keep {
                    out.push(word.to_string());
                    continue;
                }
                changed = true;
                let limit = match chars {
                    0..=4 => 1,
                    5..=7 => 2,
                    _ => 3,
                };
                // The viewer's language first; then English, which buyers everywhere type too.
                let best = [at, english].iter().find_map(|&l| {
                    vocabulary[l]
                        .iter()
                        .filter(|(k, _)| k.chars().count().abs_diff(chars) <= limit)
                        .map(|(k, (written, count))| (edit_distance(k, &key), written, *count))
                        .filter(|(d, _, _)| *d <= limit)
                        .min_by(|a, b| a.0.cmp(&b.0).then(b.2.cmp(&a.2)).then(a.1.cmp(b.1)))
                });
                if let Some((_, written, _)) = best {
                    out.push(written.clone());
                }
            }
        }
        let suggestion = out.join(" ");
        if !changed || suggestion.is_empty() || suggestion.to_lowercase() == text.to_lowercase() {
            return None;
        }
        let found = self.matches_with(&suggestion, catalogs, viewer, rules).ok()?;
        (!found.is_empty()).then_some(suggestion)
    }

    /// Every visible product matching `text`, best first: (product id, score). Exact and prefix
    /// matches first; only when they find fewer than three products are typos tolerated.
    pub fn search(&self, text: &str, catalogs: &[i64], viewer: Locale) -> SearchResult<Vec<(i64, f32)>> {
        self.search_with(text, catalogs, viewer, &[])
    }

    /// `search`, with the viewer's language's synonym rules applied.
    pub fn search_with(
        &self,
        text: &str,
        catalogs: &[i64],
        viewer: Locale,
        rules: &[Rule],
    ) -> SearchResult<Vec<(i64, f32)>> {
        let mut hits = self.matches_with(text, catalogs, viewer, rules)?;
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(hits)
    }

    /// `search_with`'s matches in index order, not ranked: /search counts facets over all of
    /// them and then ranks only the page it shows (sorting thousands of matches to show 24 cost
    /// more than finding them).
    pub fn matches_with(
        &self,
        text: &str,
        catalogs: &[i64],
        viewer: Locale,
        rules: &[Rule],
    ) -> SearchResult<Vec<(i64, f32)>> {
        let searcher = self.reader.searcher();
        // A second, typo-tolerant pass only helps when a word could be a misspelt word.
        let has_word = text.split_whitespace().any(|w| {
            let chars = w.chars().count();
            (chars >= 5 || (chars >= 4 && w.chars().all(analysis::is_cjk))) && w.chars().all(|c| !c.is_ascii_digit())
        });
        let run = |fuzzy: bool, slack: usize| -> SearchResult<Vec<(i64, f32)>> {
            match self.build_query(text, catalogs, viewer, rules, fuzzy, slack) {
                Some(query) => searcher.search(&*query, &AllHits),
                None => Ok(vec![]),
            }
        };
        // Exact words first; typos only when a word could be a misspelt word and little was
        // found (the typo pass finds a superset); a word that matches nothing at all (a note,
        // "pcs", a word not in the catalog) is let go only when nothing matched every word.
        // A query of three words or more that matched a product with every word as typed (a name
        // pasted whole) has found it: typos would only add its neighbours, at many times the cost.
        let all = query_words(text);
        let words = all.len();
        let mut hits = run(false, 0)?;
        // Which words of a longer query no product has: only those can be typos (a query of
        // known words that found nothing skips the typo pass, the costliest).
        let unknown: Vec<bool> = if hits.is_empty() && words >= 3 {
            all.iter().map(|w| !self.known(&searcher, w)).collect()
        } else {
            vec![]
        };
        let may_be_typo = unknown.is_empty() || unknown.iter().any(|u| *u);
        if has_word && may_be_typo && (hits.is_empty() || (hits.len() < 3 && words <= 2)) {
            hits = run(true, 0)?;
        }
        // Letting words go, when nothing matched them all: first the words the catalog does not
        // have at all (a note, "pcs"), else a model code (it names a product outside the buyer's
        // catalogs: its family is what they can order), else any one word. The first two are
        // intersections of what is left, which is fast; "any one" counts over a union.
        if hits.is_empty() && words >= 3 {
            let without = |drop: &dyn Fn(usize, &str) -> bool| -> String {
                all.iter().enumerate().filter(|(i, w)| !drop(*i, w)).map(|(_, w)| *w).collect::<Vec<_>>().join(" ")
            };
            let reduced = if unknown.iter().any(|u| *u) {
                Some(without(&|i, _| unknown[i]))
            } else if all.iter().any(|w| analysis::is_code(w)) {
                Some(without(&|_, w| analysis::is_code(w)))
            } else {
                None
            };
            hits = match reduced {
                Some(rest) if !rest.is_empty() => match self.build_query(&rest, catalogs, viewer, rules, false, 0) {
                    Some(query) => searcher.search(&*query, &AllHits)?,
                    None => vec![],
                },
                Some(_) => vec![],
                None => run(false, 1)?,
            };
        }
        Ok(hits)
    }
}

/// How text fields split and fold words: on anything but letters and digits, lower case, accents
/// off (after `analysis::prepare` has done the language's own folding).
fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The terms `word` gives in a text field of `locale` ("Edelstahl-Schraube" → edelstahl, schraube).
fn terms(locale: Locale, word: &str) -> Vec<String> {
    static ANALYZER: std::sync::OnceLock<TextAnalyzer> = std::sync::OnceLock::new();
    let mut analyzer = ANALYZER.get_or_init(text_analyzer).clone();
    let prepared = prepare(locale, word, true);
    let mut stream = analyzer.token_stream(&prepared);
    let mut terms = vec![];
    while stream.advance() {
        terms.push(stream.token().text.clone());
    }
    terms
}

/// `word` as the index of `locale` compares it, as one string (for matching synonyms).
pub fn fold(locale: Locale, word: &str) -> String {
    terms(locale, word).join(" ")
}

/// The words of a query that count: code-shaped words first (never cut), then the others in
/// order, `MAX_WORDS` in all.
fn query_words(text: &str) -> Vec<&str> {
    let all: Vec<&str> = text.split_whitespace().collect();
    if all.len() <= MAX_WORDS {
        return all;
    }
    let codes = all.iter().filter(|w| analysis::is_code(w)).count().min(MAX_WORDS);
    let mut room = MAX_WORDS - codes;
    all.into_iter()
        .filter(|w| {
            if analysis::is_code(w) {
                return true;
            }
            let keep = room > 0;
            room = room.saturating_sub(1);
            keep
        })
        .take(MAX_WORDS)
        .collect()
}

/// Collects every matching document as (product id, score): facets and counts need all of them.
struct AllHits;

struct SegmentHits {
    ids: tantivy::columnar::Column<u64>,
    hits: Vec<(i64, f32)>,
}

impl Collector for AllHits {
    type Fruit = Vec<(i64, f32)>;
    type Child = SegmentHits;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<SegmentHits> {
        Ok(SegmentHits { ids: segment.fast_fields().u64("id")?, hits: vec![] })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(i64, f32)>>) -> tantivy::Result<Vec<(i64, f32)>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentHits {
    type Fruit = Vec<(i64, f32)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(id) = self.ids.first(doc) {
            self.hits.push((id as i64, score));
        }
    }

    fn harvest(self) -> Vec<(i64, f32)> {
        self.hits
    }
}

/// Splits `name` into (text, matched) parts for the query words, for highlighting: a word
/// matches when it starts with a query word (as typed, or folded the same way the index folds
/// it), or is within the typo distance of one; a Chinese or Japanese run matches where the query
/// run occurs in it.
pub fn highlight(locale: Locale, name: &str, query: &str) -> Vec<(String, bool)> {
    let query_terms: Vec<String> = query.split_whitespace().take(MAX_WORDS).flat_map(|w| terms(locale, w)).collect();
    let cjk_runs: Vec<String> =
        query.split(|c: char| !analysis::is_cjk(c)).filter(|r| !r.is_empty()).map(str::to_string).collect();
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    let mut marked = vec![false; chars.len()];
    // CJK: substring occurrences.
    for run in &cjk_runs {
        for (start, _) in name.match_indices(run.as_str()) {
            let end = start + run.len();
            for (k, (at, _)) in chars.iter().enumerate() {
                if *at >= start && *at < end {
                    marked[k] = true;
                }
            }
        }
    }
    // Other scripts: whole words.
    let mut k = 0;
    while k < chars.len() {
        if !chars[k].1.is_alphanumeric() || analysis::is_cjk(chars[k].1) {
            k += 1;
            continue;
        }
        let start = k;
        while k < chars.len() && chars[k].1.is_alphanumeric() && !analysis::is_cjk(chars[k].1) {
            k += 1;
        }
        let word: String = chars[start..k].iter().map(|(_, c)| c).collect();
        let folded = terms(locale, &word);
        let hit = folded.iter().any(|w| {
            query_terms.iter().any(|q| {
                let q_len = q.chars().count();
                (q_len >= 2 && w.starts_with(q.as_str()))
                    || (q_len >= 5 && edit_distance(w, q) <= if q_len >= 9 { 2 } else { 1 })
            })
        });
        if hit {
            marked[start..k].iter_mut().for_each(|m| *m = true);
        }
    }
    let mut parts: Vec<(String, bool)> = vec![];
    for (k, (_, c)) in chars.iter().enumerate() {
        match parts.last_mut() {
            Some((text, m)) if *m == marked[k] => text.push(*c),
            _ => parts.push((c.to_string(), marked[k])),
        }
    }
    parts
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let substitution = previous[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            current[j] = substitution.min(previous[j] + 1).min(current[j - 1] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn edit_distance_counts_single_changes() {
        assert_eq!(super::edit_distance("stainless", "stainles"), 1);
        assert_eq!(super::edit_distance("galvanized", "galvanised"), 1);
        assert_eq!(super::edit_distance("bolt", "bolt"), 0);
    }
}
