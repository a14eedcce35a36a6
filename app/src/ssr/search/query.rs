//! From what a shopper typed to a tantivy query: words and quoted phrases,
//! synonyms, typo tolerance and partial words. Nothing a shopper types is query
//! syntax, so no input can make parsing fail.

use super::schema::{analyzer, Fields};
use std::collections::HashMap;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

/// Words beyond this many are ignored.
pub const MAX_WORDS: usize = 12;

/// Words that carry no meaning in a product search.
const STOPWORDS: &[&str] = &["a", "an", "and", "the", "for", "with", "of", "in", "or", "not", "to"];

/// A shopper's search text, split into loose words and quoted phrases.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedText {
    /// Lower-cased words, in order, without stopwords.
    pub words: Vec<String>,
    /// Quoted phrases of two or more words.
    pub phrases: Vec<Vec<String>>,
}

impl ParsedText {
    pub fn parse(text: &str) -> Self {
        let mut parsed = Self::default();
        for (i, part) in text.split('"').enumerate() {
            let words: Vec<String> = part
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .filter(|w| !STOPWORDS.contains(&w.as_str()))
                .collect();
            // Odd parts sit between quotes (an unclosed quote runs to the end).
            if i % 2 == 1 && words.len() > 1 {
                parsed.phrases.push(words.clone());
            }
            parsed.words.extend(words);
        }
        parsed.words.truncate(MAX_WORDS);
        parsed.phrases.retain(|p| p.iter().all(|w| parsed.words.contains(w)));
        parsed
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Two-way synonyms: each word maps to the words that may replace it.
#[derive(Clone, Debug, Default)]
pub struct Synonyms(HashMap<String, Vec<String>>);

impl Synonyms {
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (a, b) in pairs {
            let (a, b) = (a.trim().to_lowercase(), b.trim().to_lowercase());
            if a.is_empty() || b.is_empty() || a == b {
                continue;
            }
            map.entry(a.clone()).or_default().push(b.clone());
            map.entry(b).or_default().push(a);
        }
        Self(map)
    }

    /// Whether `word` has synonyms (a search for it finds theirs too).
    pub fn has(&self, word: &str) -> bool {
        self.0.contains_key(word)
    }

    fn of(&self, word: &str) -> &[String] {
        self.0.get(word).map_or(&[], Vec::as_slice)
    }
}

/// How strongly a match in each field counts, and where fuzzy and prefix
/// matching apply: the name (which holds the brand too) and the category names
/// (so "labtop" finds every laptop, whatever its name calls it). Each
/// typo-tolerant field costs an automaton per word and query.
const FIELD_BOOSTS: [(FieldKind, f32, bool); 5] = [
    (FieldKind::Name, 3.0, true),
    (FieldKind::Brand, 2.5, false),
    (FieldKind::Category, 2.0, true),
    (FieldKind::Attributes, 1.2, false),
    (FieldKind::Description, 1.0, false),
];

#[derive(Clone, Copy)]
enum FieldKind {
    Name,
    Brand,
    Category,
    Attributes,
    Description,
}

impl FieldKind {
    fn field(self, f: &Fields) -> Field {
        match self {
            Self::Name => f.name,
            Self::Brand => f.brand,
            Self::Category => f.category,
            Self::Attributes => f.attributes,
            Self::Description => f.description,
        }
    }
}

/// Whether every word must match (`All`) or any one is enough (`Any`, the
/// fallback when nothing matches them all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Match {
    All,
    Any,
}

/// The query for `text`, or `None` when it has no words (browse everything).
pub fn text_query(text: &ParsedText, synonyms: &Synonyms, fields: &Fields, mode: Match) -> Option<Box<dyn Query>> {
    if text.is_empty() {
        return None;
    }
    let occur = if mode == Match::All { Occur::Must } else { Occur::Should };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for word in &text.words {
        let mut alternatives = word_alternatives(word, 1.0, fields, true);
        for synonym in synonyms.of(word) {
            // A synonym is a correct word: exact matches only, which saves an
            // automaton per fuzzy field.
            alternatives.extend(word_alternatives(synonym, 0.9, fields, false));
        }
        if !alternatives.is_empty() {
            clauses.push((occur, Box::new(BooleanQuery::new(alternatives))));
        }
    }
    for phrase in &text.phrases {
        let phrase_query = |field: Field| -> Option<Box<dyn Query>> {
            let terms: Vec<Term> = phrase.iter().flat_map(|w| tokens(w)).map(|t| Term::from_field_text(field, &t)).collect();
            (terms.len() > 1).then(|| Box::new(PhraseQuery::new(terms)) as Box<dyn Query>)
        };
        let either: Vec<(Occur, Box<dyn Query>)> = [fields.name, fields.description]
            .into_iter()
            .filter_map(phrase_query)
            .map(|q| (Occur::Should, q))
            .collect();
        if !either.is_empty() {
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(either))));
        }
    }
    (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
}

/// Everything one word may match: the exact term in every field and, when
/// `loose`, a term within its typo allowance and a term it begins in the short
/// fields.
fn word_alternatives(word: &str, weight: f32, fields: &Fields, loose: bool) -> Vec<(Occur, Box<dyn Query>)> {
    let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for token in tokens(word) {
        let typos = typo_allowance(&token);
        for (kind, boost, typo_field) in FIELD_BOOSTS {
            let term = Term::from_field_text(kind.field(fields), &token);
            let exact = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
            out.push((Occur::Should, Box::new(BoostQuery::new(Box::new(exact), boost * weight))));
            if !(loose && typo_field) {
                continue;
            }
            if typos > 0 {
                let fuzzy = FuzzyTermQuery::new(term.clone(), typos, true);
                out.push((Occur::Should, Box::new(BoostQuery::new(Box::new(fuzzy), boost * weight * 0.5))));
            }
            if token.chars().count() >= 2 {
                let prefix = FuzzyTermQuery::new_prefix(term, 0, true);
                out.push((Occur::Should, Box::new(BoostQuery::new(Box::new(prefix), boost * weight * 0.7))));
            }
        }
    }
    out
}

/// Typos forgiven in a word of this length: none in short words, where one
/// edit turns a word into another one.
fn typo_allowance(token: &str) -> u8 {
    match token.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The index terms of `word` after analysis (lower case, folded, stemmed).
pub fn tokens(word: &str) -> Vec<String> {
    thread_local! {
        static ANALYZER: std::cell::RefCell<tantivy::tokenizer::TextAnalyzer> = std::cell::RefCell::new(analyzer());
    }
    ANALYZER.with_borrow_mut(|analyzer| {
        let mut stream = analyzer.token_stream(word);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn words_phrases_and_syntax_characters() {
        let p = ParsedText::parse(r#"Wireless "noise cancelling" headphones AND (black) *~:"#);
        assert_eq!(p.words, ["wireless", "noise", "cancelling", "headphones", "black"]);
        assert_eq!(p.phrases, [vec!["noise".to_string(), "cancelling".to_string()]]);
        assert!(ParsedText::parse(r#" "" :: -- "#).is_empty());
        assert_eq!(ParsedText::parse("tv").words, ["tv"], "short words count");
        assert_eq!(ParsedText::parse(&"word ".repeat(50)).words.len(), MAX_WORDS);
    }

    #[test]
    fn synonyms_work_both_ways() {
        let s = Synonyms::from_pairs([("TV".into(), "television".into()), ("x".into(), "x".into())]);
        assert_eq!(s.of("tv"), ["television"]);
        assert_eq!(s.of("television"), ["tv"]);
        assert!(s.of("x").is_empty());
    }

    #[test]
    fn stems_and_typo_allowance() {
        assert_eq!(tokens("Headphones"), tokens("headphone"));
        assert_eq!(tokens("Café"), ["cafe"]);
        assert_eq!(typo_allowance("tv"), 0);
        assert_eq!(typo_allowance("labtop"), 1);
        assert_eq!(typo_allowance("televisions"), 2);
    }

    proptest! {
        #[test]
        fn any_text_parses_and_builds_a_query(text in any::<String>()) {
            let (_, fields) = Fields::build();
            let parsed = ParsedText::parse(&text);
            prop_assert!(parsed.words.len() <= MAX_WORDS);
            prop_assert!(parsed.words.iter().all(|w| !w.is_empty() && w.chars().all(char::is_alphanumeric)));
            let query = text_query(&parsed, &Synonyms::default(), &fields, Match::All);
            prop_assert_eq!(query.is_none(), parsed.words.iter().all(|w| tokens(w).is_empty()) || parsed.is_empty());
        }
    }
}
