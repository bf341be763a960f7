//! A union of queries that is cheap to seek: the fields one word may match in.
//!
//! A query's words are intersected: the rarest word leads and every other word's union is
//! asked to seek to each of its documents. tantivy's own union (`BufferedUnionScorer`) answers a
//! seek by refilling a window of 4,096 documents from every field, which for a common word ("loại"
//! in most Vietnamese names) walks thousands of postings to confirm one document. A whole name
//! pasted from an order (eight words, a handful of matches) spent most of its time there. This
//! union seeks each field to the target and looks no further, at the cost of a slightly slower
//! walk when it leads (one comparison per field per document instead of a bitset).

use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, QueryClone, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, TERMINATED};

/// Matches what any clause matches; scores the sum of the matching clauses' scores (like a
/// `BooleanQuery` of `Should` clauses).
#[derive(Debug)]
pub struct SeekUnion {
    clauses: Vec<Box<dyn Query>>,
}

impl Clone for SeekUnion {
    fn clone(&self) -> SeekUnion {
        SeekUnion { clauses: self.clauses.iter().map(|q| q.box_clone()).collect() }
    }
}

impl SeekUnion {
    pub fn new(clauses: Vec<Box<dyn Query>>) -> SeekUnion {
        SeekUnion { clauses }
    }
}

impl Query for SeekUnion {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = self.clauses.iter().map(|q| q.weight(scoring)).collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(SeekUnionWeight { weights }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        for clause in &self.clauses {
            clause.query_terms(visitor);
        }
    }
}

struct SeekUnionWeight {
    weights: Vec<Box<dyn Weight>>,
}

impl Weight for SeekUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut scorers = vec![];
        for weight in &self.weights {
            let scorer = weight.scorer(reader, boost)?;
            // A term this segment lacks gives an exhausted scorer: leave it out.
            if scorer.doc() != TERMINATED {
                scorers.push(scorer);
            }
        }
        Ok(match scorers.len() {
            0 => Box::new(EmptyScorer),
            1 => scorers.pop().expect("one scorer"),
            _ => {
                let doc = scorers.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
                Box::new(SeekUnionScorer { scorers, doc })
            }
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!("document {doc} does not match")));
        }
        let mut explanation = Explanation::new("SeekUnion, sum of", scorer.score());
        for weight in &self.weights {
            if let Ok(detail) = weight.explain(reader, doc) {
                explanation.add_detail(detail);
            }
        }
        Ok(explanation)
    }
}

struct SeekUnionScorer {
    /// Each positioned on its next document (none exhausted but possibly at `TERMINATED`).
    scorers: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl SeekUnionScorer {
    fn settle(&mut self) -> DocId {
        self.scorers.retain(|s| s.doc() != TERMINATED);
        self.doc = self.scorers.iter().map(|s| s.doc()).min().unwrap_or(TERMINATED);
        self.doc
    }
}

impl DocSet for SeekUnionScorer {
    fn advance(&mut self) -> DocId {
        let current = self.doc;
        for scorer in &mut self.scorers {
            if scorer.doc() == current {
                scorer.advance();
            }
        }
        self.settle()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for scorer in &mut self.scorers {
            if scorer.doc() < target {
                scorer.seek(target);
            }
        }
        self.settle()
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers.iter().map(|s| s.size_hint()).fold(0u32, u32::saturating_add)
    }
}

impl Scorer for SeekUnionScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc;
        self.scorers.iter_mut().filter(|s| s.doc() == doc).map(|s| s.score()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::{BooleanQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, Term};

    /// The union finds what a `BooleanQuery` of `Should` clauses finds, alone and inside an
    /// intersection (where it is sought), with the same scores.
    #[test]
    fn matches_and_scores_like_a_boolean_union() {
        let mut schema = Schema::builder();
        let a = schema.add_text_field("a", TEXT);
        let b = schema.add_text_field("b", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer(15_000_000).unwrap();
        for i in 0..5_000u32 {
            let x = if i % 3 == 0 { "red" } else { "blue" };
            let y = if i % 7 == 0 { "red" } else { "green" };
            let z = if i % 1_000 == 17 { "rare" } else { "common" };
            writer.add_document(doc!(a => format!("{x} {z}"), b => y)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |f, t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(f, t), IndexRecordOption::WithFreqs))
        };
        let red = || vec![term(a, "red"), term(b, "red"), term(b, "nothing")];
        let theirs = BooleanQuery::new(red().into_iter().map(|q| (Occur::Should, q)).collect());
        let ours = SeekUnion::new(red());
        let count = |q: &dyn Query| searcher.search(q, &DocSetCollector).unwrap().len();
        assert_eq!(count(&ours), count(&theirs));
        assert_eq!(count(&ours), (0..5_000).filter(|i| i % 3 == 0 || i % 7 == 0).count());
        let with_rare = |q: Box<dyn Query>| BooleanQuery::new(vec![(Occur::Must, q), (Occur::Must, term(a, "rare"))]);
        let top = |q: &dyn Query| {
            let mut hits = searcher.search(q, &tantivy::collector::TopDocs::with_limit(10)).unwrap();
            hits.sort_by_key(|(_, d)| *d);
            hits.into_iter().map(|(s, d)| ((s * 1000.0).round() as i64, d.doc_id)).collect::<Vec<_>>()
        };
        let (mine, reference) = (top(&with_rare(Box::new(ours))), top(&with_rare(Box::new(theirs))));
        assert!(!mine.is_empty());
        assert_eq!(mine, reference);
    }
}
