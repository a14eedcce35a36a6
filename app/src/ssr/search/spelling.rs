//! "Did you mean …?": when a word of a search matches few products as typed
//! and a close spelling matches many, the search with that spelling. The
//! spellings come from the index's own vocabulary (the words of product
//! names, brands, categories, attributes and descriptions, counted by
//! product), shown as the products spell them.

use super::query::{tokens, ParsedText, Synonyms};
use super::schema::analyzer;
use super::{internal, SearchIndex};
use crate::error::AppError;
use std::collections::BTreeMap;
use std::sync::Arc;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

/// A word matching fewer products than this as typed may be misspelled.
const RARE: u64 = 3;
/// Shorter stems are neither corrected nor offered ("tv" is no typo of "to").
const SHORTEST: usize = 4;
/// A spelling offered instead matches at least this many products, and
/// this many times as many as the word typed.
const MANY: u64 = 5;
const TIMES: u64 = 5;

/// The stems of the searched text fields, each with the number of
/// products it appears in (summed over the fields), sorted by stem.
pub struct Vocabulary(Vec<(String, u64)>);

impl Vocabulary {
    /// Read from every segment's term dictionaries of `fields`.
    pub fn build(searcher: &Searcher, fields: &[Field]) -> Result<Self, AppError> {
        let mut all: BTreeMap<String, u64> = BTreeMap::new();
        for segment in searcher.segment_readers() {
            for field in fields {
                let index = segment.inverted_index(*field).map_err(internal("reading the vocabulary"))?;
                let mut terms = index.terms().stream().map_err(internal("reading the vocabulary"))?;
                while terms.advance() {
                    if let Ok(word) = std::str::from_utf8(terms.key()) {
                        *all.entry(word.to_owned()).or_default() += u64::from(terms.value().doc_freq);
                    }
                }
            }
        }
        Ok(Self(all.into_iter().collect()))
    }

    /// Products `stem` appears in.
    pub fn count(&self, stem: &str) -> u64 {
        self.0.binary_search_by(|(s, _)| s.as_str().cmp(stem)).map_or(0, |i| self.0[i].1)
    }

    /// The stem within a typo or two of `stem` (one for words of up to five
    /// letters) that most products have, if it has many more than `stem`.
    pub fn correction(&self, stem: &str) -> Option<&str> {
        let typed = self.count(stem);
        let reach = if stem.chars().count() <= 5 { 1 } else { 2 };
        self.0
            .iter()
            .filter(|(s, n)| *n >= MANY && *n >= typed.saturating_mul(TIMES) && s != stem && s.chars().count() >= SHORTEST)
            .filter_map(|(s, n)| distance_within(stem, s, reach).map(|d| (d, *n, s.as_str())))
            // Nearest first, then the most common, then the first in order.
            .min_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)))
            .map(|(_, _, s)| s)
    }
}

/// The edit distance between `a` and `b` (insertions, deletions,
/// substitutions and swaps of neighbours each count one), if at most `max`.
pub fn distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    let mut rows = vec![0usize; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for j in 0..=b.len() {
        rows[at(0, j)] = j;
    }
    for i in 1..=a.len() {
        rows[at(i, 0)] = i;
        let mut best = rows[at(i, 0)];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[at(i - 1, j)] + 1).min(rows[at(i, j - 1)] + 1).min(rows[at(i - 1, j - 1)] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[at(i - 2, j - 2)] + 1);
            }
            rows[at(i, j)] = d;
            best = best.min(d);
        }
        if best > max {
            return None;
        }
    }
    Some(rows[at(a.len(), b.len())]).filter(|d| *d <= max)
}

impl SearchIndex {
    /// The index's vocabulary for `searcher`, of index `generation` (read
    /// before the searcher was taken), built once per generation and outside
    /// the lock, so other searches never wait for it.
    fn vocabulary(&self, searcher: &Searcher, generation: u64) -> Result<Arc<Vocabulary>, AppError> {
        if let Some((built, vocabulary)) = self.vocabulary.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            if *built == generation {
                return Ok(vocabulary.clone());
            }
        }
        let f = &self.fields;
        let vocabulary = Arc::new(Vocabulary::build(searcher, &[f.name, f.brand, f.category, f.attributes, f.description])?);
        let mut kept = self.vocabulary.lock().unwrap_or_else(|p| p.into_inner());
        if kept.as_ref().is_none_or(|(built, _)| *built < generation) {
            *kept = Some((generation, vocabulary.clone()));
        }
        Ok(vocabulary)
    }

    /// The search's words with each rare one spelled as many products spell
    /// a close word, if any was; `None` when every word stands.
    /// Words with digits (models, sizes), short words and words with
    /// synonyms stand as typed; a search with quoted phrases gets nothing.
    pub(super) fn did_you_mean(
        &self,
        searcher: &Searcher,
        generation: u64,
        parsed: &ParsedText,
        synonyms: &Synonyms,
    ) -> Result<Option<String>, AppError> {
        if parsed.words.is_empty() || parsed.words.len() > 8 || !parsed.phrases.is_empty() {
            return Ok(None);
        }
        let stems: Vec<Option<String>> = parsed
            .words
            .iter()
            .map(|w| {
                let plain = !w.chars().any(|c| c.is_numeric()) && !synonyms.has(w);
                tokens(w).into_iter().next().filter(|s| plain && s.chars().count() >= SHORTEST)
            })
            .collect();
        if stems.iter().all(Option::is_none) {
            return Ok(None);
        }
        let vocabulary = self.vocabulary(searcher, generation)?;
        if stems.iter().flatten().all(|s| vocabulary.count(s) >= RARE) {
            return Ok(None);
        }
        let mut changed = false;
        let mut words = Vec::with_capacity(parsed.words.len());
        for (word, stem) in parsed.words.iter().zip(&stems) {
            let fixed = match stem.as_deref().filter(|s| vocabulary.count(s) < RARE).and_then(|s| vocabulary.correction(s)) {
                Some(better) => self.spelling_of(searcher, better)?,
                None => None,
            };
            match fixed {
                Some(spelled) => {
                    changed = true;
                    words.push(spelled);
                }
                None => words.push(word.clone()),
            }
        }
        Ok(changed.then(|| words.join(" ")))
    }

    /// How a product's name, brand or description spells the word whose stem is `stem` (lower case).
    fn spelling_of(&self, searcher: &Searcher, stem: &str) -> Result<Option<String>, AppError> {
        for field in [self.fields.name, self.fields.brand, self.fields.description] {
            let query = TermQuery::new(Term::from_field_text(field, stem), IndexRecordOption::Basic);
            let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score()).map_err(internal("spelling"))?;
            let Some((_, address)) = top.first() else { continue };
            let doc: TantivyDocument = searcher.doc(*address).map_err(internal("spelling"))?;
            let Some(text) = doc.get_first(field).and_then(|v| v.as_str()) else { continue };
            let mut analyzer = analyzer();
            let mut tokens = analyzer.token_stream(text);
            while tokens.advance() {
                let token = tokens.token();
                if token.text == stem {
                    if let Some(original) = text.get(token.offset_from..token.offset_to) {
                        return Ok(Some(original.to_lowercase()));
                    }
                }
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_count_typos_and_stop_beyond_the_limit() {
        assert_eq!(distance_within("labtop", "laptop", 2), Some(1));
        assert_eq!(distance_within("hedphon", "headphon", 2), Some(1));
        assert_eq!(distance_within("lpatop", "laptop", 1), Some(1), "a swap of neighbours is one");
        assert_eq!(distance_within("sneeker", "sneaker", 2), Some(1));
        assert_eq!(distance_within("tv", "television", 2), None);
        assert_eq!(distance_within("lamp", "lamp", 0), Some(0));
        assert_eq!(distance_within("camra", "camera", 1), Some(1));
        assert_eq!(distance_within("kamra", "camera", 1), None);
        assert_eq!(distance_within("kamra", "camera", 2), Some(2));
    }

    #[test]
    fn a_rare_word_gets_the_common_close_one() {
        let v = Vocabulary(
            [("headphon", 120), ("hedphon", 1), ("lamp", 40), ("lump", 6), ("laptop", 80), ("lapto", 0)]
                .into_iter()
                .map(|(s, n)| (s.to_owned(), n))
                .collect::<Vec<_>>()
                .into_iter()
                .collect::<BTreeMap<_, _>>()
                .into_iter()
                .collect(),
        );
        assert_eq!(v.correction("hedphon"), Some("headphon"));
        assert_eq!(v.correction("lamb"), Some("lamp"), "the most common at the same distance");
        assert_eq!(v.correction("zzzzz"), None);
        assert_eq!(v.correction("lamp"), None, "a common word stands");
        assert_eq!(v.count("laptop"), 80);
    }
}
