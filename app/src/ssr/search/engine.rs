//! Running searches: the query, one pass for the page and the facet counts,
//! snippets, the fallback when every word together matches nothing, and
//! "did you mean" (`spelling.rs`).
//!
//! Over 400 lines: one search pass (query, page, facets, snippets, the
//! fallback) reads best in one file; its parts are private to it.

use super::facets::{
    FacetKey, FacetedCollector, Filters, Group, TableSnapshot, Tally, BRAND_GROUP, PRICE_BUCKETS, RATING_STEPS,
};
use super::query::{text_query, Match, ParsedText};
use super::{internal, SearchIndex};
use crate::domain::catalog::{PageMeta, ProductCard};
use crate::domain::listing::{FacetGroup, FacetValue, SearchHit, SearchResults, SortLink, Suggestion};
use crate::domain::pagination::PER_PAGE;
use crate::domain::{Currency, Money, PageRequest, PriceRange, SearchRequest, SearchSort};
use crate::error::AppError;
use std::collections::BTreeMap;
use std::sync::Arc;
use tantivy::collector::{Collector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

/// Values shown per facet group.
const FACET_VALUES: usize = 12;
/// Autocomplete entries.
const SUGGESTIONS: usize = 8;

impl SearchIndex {
    /// Results for `request`, from the cache when the index has not changed since.
    pub fn search(&self, request: &SearchRequest, public_url: &str) -> Result<SearchResults, AppError> {
        let key = (self.generation(), request.clone());
        if let Some(hit) = self.results.get(&key) {
            return Ok(hit);
        }
        let results = self.search_uncached(request, public_url)?;
        self.results.insert(key, results.clone());
        Ok(results)
    }

    /// Results for `request` computed afresh (what a cache miss costs).
    pub fn search_uncached(&self, request: &SearchRequest, public_url: &str) -> Result<SearchResults, AppError> {
        let generation = self.generation();
        let searcher = self.reader.searcher();
        let snapshot = self.facet_tables.snapshot(&searcher).map_err(internal("facet tables"))?;
        let filters = Arc::new(Filters::new(request, &snapshot.vocabulary));
        let parsed = ParsedText::parse(&request.text);
        let category = self.category_path(request.category.as_deref())?;
        let synonyms = self.synonyms.read().unwrap_or_else(|p| p.into_inner());
        let mut text = text_query(&parsed, &synonyms, &self.fields, Match::All);
        let mut query = self.combine(text.as_ref(), &category);
        // Clamped to the index's size first: a collector's heap is as large as its
        // offset, so `?page=4000000000` must not ask for terabytes (it aborted the server).
        let requested_offset = request.page.resolve(searcher.num_docs()).offset() as usize;
        let pass = |query: &dyn Query, has_text: bool, offset: usize| {
            let top = TopDocs::with_limit(PER_PAGE as usize).and_offset(offset);
            let (s, f, t) = (&searcher, &filters, &snapshot);
            match request.sort {
                SearchSort::Relevance if has_text => page_pass(s, query, top.tweak_score(popularity_tweak), f, t),
                SearchSort::Relevance | SearchSort::Popularity => {
                    page_pass(s, query, top.order_by_fast_field::<u64>("popularity", Order::Desc), f, t)
                }
                SearchSort::PriceAsc => page_pass(s, query, top.order_by_fast_field::<u64>("price", Order::Asc), f, t),
                SearchSort::PriceDesc => {
                    page_pass(s, query, top.order_by_fast_field::<u64>("price", Order::Desc), f, t)
                }
                SearchSort::Newest => page_pass(s, query, top.order_by_fast_field::<i64>("created", Order::Desc), f, t),
                SearchSort::Rating => page_pass(s, query, top.order_by_fast_field::<f64>("rating", Order::Desc), f, t),
            }
        };
        let (mut addresses, mut tally) = pass(&*query, text.is_some(), requested_offset)?;
        let mut notice = None;
        if tally.results == 0 && parsed.words.len() > 1 {
            text = text_query(&parsed, &synonyms, &self.fields, Match::Any);
            query = self.combine(text.as_ref(), &category);
            (addresses, tally) = pass(&*query, text.is_some(), requested_offset)?;
            if tally.results > 0 {
                notice = Some(format!(
                    "No products match all of “{}”; showing products that match some of the words.",
                    request.text
                ));
            }
        }
        if tally.results == 0 {
            notice = Some(if request.text.is_empty() {
                "No products match these filters. Remove one to see more.".to_owned()
            } else {
                format!("No products match “{}”. Check the spelling, use fewer words or remove a filter.", request.text)
            });
        }
        let page = request.page.resolve(tally.results as u64);
        if page.offset() as usize != requested_offset {
            // A page past the end: show the last one instead.
            addresses = pass(&*query, text.is_some(), page.offset() as usize)?.0;
        }
        let snippets = match &text {
            Some(t) => {
                Some(SnippetGenerator::create(&searcher, &**t, self.fields.description).map_err(internal("snippets"))?)
            }
            None => None,
        };
        let mut hits = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address).map_err(internal("reading a search hit"))?;
            let snippet = match &snippets {
                Some(generator) => {
                    let mut generator_doc = generator.snippet_from_doc(&doc);
                    generator_doc.set_snippet_prefix_postfix("<b>", "</b>");
                    generator_doc.to_html()
                }
                None => String::new(),
            };
            hits.push(SearchHit { card: self.card(&doc)?, snippet });
        }
        let facets = self.facets(request, &category, &tally, &snapshot);
        let did_you_mean = self.did_you_mean(&searcher, generation, &parsed, &synonyms)?.map(|text| {
            let href = SearchRequest { text: text.clone(), category: request.category.clone(), ..SearchRequest::default() }.href();
            (text, href)
        });
        let title =
            if request.text.is_empty() { "All products".to_owned() } else { format!("Search: {}", request.text) };
        // Filters and sort are variants of the same search: its words alone stand for it.
        let canonical = format!("{public_url}{}", SearchRequest::plain(SearchRequest { text: request.text.clone(), ..SearchRequest::default() }).href());
        let filtered = request.category.is_some()
            || !request.brands.is_empty()
            || !request.attributes.is_empty()
            || request.price.is_some()
            || request.min_rating.is_some()
            || request.in_stock;
        let default_sort = request.default_sort();
        Ok(SearchResults {
            meta: PageMeta {
                title,
                description: format!("{} products found.", tally.results),
                canonical,
                ..PageMeta::default()
            },
            request: SearchRequest { page: PageRequest::at(page.page), ..request.clone() },
            text: request.text.clone(),
            hits,
            page,
            sort: request.sort,
            sorts: SearchSort::ALL
                .into_iter()
                // Without text, "best match" is the same as "most popular".
                .filter(|sort| *sort != SearchSort::Relevance || default_sort == SearchSort::Relevance)
                .map(|sort| SortLink { sort, href: SearchRequest { sort, ..request.first_page() }.href() })
                .collect(),
            notice,
            did_you_mean,
            facets,
            clear_href: filtered
                .then(|| SearchRequest { text: request.text.clone(), sort: request.sort, ..Default::default() }.href()),
        })
    }

    /// Product and category suggestions for a partial search.
    pub fn suggest(&self, text: &str) -> Result<Vec<Suggestion>, AppError> {
        let parsed = ParsedText::parse(text);
        if parsed.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        let words: Vec<&str> = parsed.words.iter().map(String::as_str).collect();
        let names = self.category_names.read().unwrap_or_else(|p| p.into_inner());
        let mut categories: Vec<(&String, &String)> = names
            .iter()
            .filter(|(_, (name, _))| {
                let lower = name.to_lowercase();
                words.iter().all(|w| lower.split(|c: char| !c.is_alphanumeric()).any(|part| part.starts_with(w)))
            })
            .map(|(slug, (name, _))| (slug, name))
            .collect();
        categories.sort_by(|a, b| a.1.cmp(b.1));
        for (slug, name) in categories.into_iter().take(3) {
            out.push(Suggestion { label: name.clone(), kind: "Category".into(), href: format!("/c/{slug}") });
        }
        drop(names);
        let searcher = self.reader.searcher();
        let synonyms = self.synonyms.read().unwrap_or_else(|p| p.into_inner());
        let Some(query) = text_query(&parsed, &synonyms, &self.fields, Match::All) else {
            return Ok(out);
        };
        let want = SUGGESTIONS - out.len();
        let top = TopDocs::with_limit(want.max(1)).tweak_score(popularity_tweak);
        let hits = searcher.search(&*query, &top).map_err(internal("suggesting"))?;
        for (_, address) in hits.into_iter().take(want) {
            let doc: TantivyDocument = searcher.doc(address).map_err(internal("reading a suggestion"))?;
            let card = self.card(&doc)?;
            out.push(Suggestion { label: card.name, kind: "Product".into(), href: format!("/p/{}", card.slug) });
        }
        Ok(out)
    }

    /// The facet path of a category slug: `[department]` or `[department, aisle]`.
    fn category_path(&self, slug: Option<&str>) -> Result<Option<Vec<String>>, AppError> {
        let Some(slug) = slug else { return Ok(None) };
        let names = self.category_names.read().unwrap_or_else(|p| p.into_inner());
        match names.get(slug) {
            None => Err(AppError::NotFound(format!("There is no category “{slug}” to search in."))),
            Some((_, None)) => Ok(Some(vec![slug.to_owned()])),
            Some((_, Some(parent))) => Ok(Some(vec![parent.clone(), slug.to_owned()])),
        }
    }

    /// The text query (or everything), within the category if one is chosen.
    /// The other filters are applied while collecting (see [`super::facets`]).
    fn combine(&self, text: Option<&Box<dyn Query>>, category: &Option<Vec<String>>) -> Box<dyn Query> {
        let text = text.map_or_else(|| Box::new(AllQuery) as Box<dyn Query>, |t| t.box_clone());
        let Some(path) = category else { return text };
        let term = Term::from_facet(self.fields.category_facet, &Facet::from_path(path));
        let in_category: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
        Box::new(BooleanQuery::new(vec![(Occur::Must, text), (Occur::Must, in_category)]))
    }

    /// Facet groups with counts; a family with a selection is counted without
    /// its own filter, so its other choices show what choosing them would add.
    fn facets(
        &self,
        request: &SearchRequest,
        category: &Option<Vec<String>>,
        tally: &Tally,
        snapshot: &TableSnapshot,
    ) -> Vec<FacetGroup> {
        let vocabulary = &snapshot.vocabulary;
        let count = |id: u32| tally.values.get(id as usize).copied().unwrap_or(0);
        let mut groups = Vec::new();

        let names = self.category_names.read().unwrap_or_else(|p| p.into_inner());
        let label_of = |slug: &str| names.get(slug).map_or_else(|| slug.to_owned(), |(n, _)| n.clone());
        let parent: &[String] = category.as_deref().unwrap_or(&[]);
        let mut values: Vec<FacetValue> = vocabulary
            .entries()
            .filter_map(|(id, key, _)| match key {
                FacetKey::Category(path) if path.len() == parent.len() + 1 && path.starts_with(parent) => {
                    Some((path.last()?.clone(), count(id)))
                }
                _ => None,
            })
            .filter(|(_, n)| *n > 0)
            .map(|(slug, count)| {
                let href = SearchRequest { category: Some(slug.clone()), ..request.first_page() }.href();
                FacetValue { label: label_of(&slug), count, selected: false, href }
            })
            .collect();
        values.sort_by(|a, b| a.label.cmp(&b.label));
        if let Some(slug) = parent.last() {
            let up = parent.len().checked_sub(2).map(|i| parent[i].clone());
            let href = SearchRequest { category: up, ..request.first_page() }.href();
            values.insert(0, FacetValue { label: label_of(slug), count: 0, selected: true, href });
        }
        drop(names);
        groups.push(FacetGroup { label: "Category".into(), values });

        let brands = counted(vocabulary.entries(), BRAND_GROUP, &count, |key| match key {
            FacetKey::Brand(b) => Some(b.clone()),
            _ => None,
        });
        let values = top_values(brands, &request.brands)
            .into_iter()
            .map(|(brand, count)| {
                let on = request.brands.contains(&brand);
                toggle_value(request, brand.clone(), count, on, |r, on| toggle(&mut r.brands, &brand, on))
            })
            .collect();
        groups.push(FacetGroup { label: "Brand".into(), values });

        let stats = &tally.stats;
        let values = PRICE_BUCKETS
            .iter()
            .zip(stats.price)
            .filter(|(_, count)| *count > 0)
            .map(|((from, to), count)| {
                let range = PriceRange { min: (*from > 0).then_some(from * 100), max: to.map(|t| t * 100) };
                let label = match to {
                    Some(to) if *from == 0 => format!("Under ${to}"),
                    Some(to) => format!("${from} – ${to}"),
                    None => format!("${from} and above"),
                };
                let selected = request.price == Some(range);
                let href = SearchRequest { price: (!selected).then_some(range), ..request.first_page() }.href();
                FacetValue { label, count, selected, href }
            })
            .collect();
        groups.push(FacetGroup { label: "Price".into(), values });

        let values = RATING_STEPS
            .iter()
            .zip(stats.rating_at_least())
            .filter(|(_, count)| *count > 0)
            .map(|(step, count)| {
                let selected = request.min_rating == Some(*step);
                let href = SearchRequest { min_rating: (!selected).then_some(*step), ..request.first_page() }.href();
                FacetValue { label: format!("{step} stars & up"), count, selected, href }
            })
            .collect();
        groups.push(FacetGroup { label: "Customer rating".into(), values });

        let href = SearchRequest { in_stock: !request.in_stock, ..request.first_page() }.href();
        groups.push(FacetGroup {
            label: "Availability".into(),
            values: vec![FacetValue {
                label: "In stock".into(),
                count: stats.in_stock,
                selected: request.in_stock,
                href,
            }],
        });

        let mut by_name: BTreeMap<&str, Group> = BTreeMap::new();
        for (_, key, group) in vocabulary.entries() {
            if let FacetKey::Attribute(name, _) = key {
                by_name.insert(name, group);
            }
        }
        for (name, group) in by_name {
            let chosen: Vec<String> =
                request.attributes.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect();
            let values = counted(vocabulary.entries(), group, &count, |key| match key {
                FacetKey::Attribute(_, value) => Some(value.clone()),
                _ => None,
            });
            let values: Vec<FacetValue> = top_values(values, &chosen)
                .into_iter()
                .map(|(value, count)| {
                    let pair = (name.to_owned(), value.clone());
                    let on = chosen.contains(&value);
                    toggle_value(request, value, count, on, |r, on| toggle(&mut r.attributes, &pair, on))
                })
                .collect();
            if values.len() > 1 || !chosen.is_empty() {
                groups.push(FacetGroup { label: name.to_owned(), values });
            }
        }
        groups.retain(|g| !g.values.is_empty());
        groups
    }

    fn card(&self, doc: &TantivyDocument) -> Result<ProductCard, AppError> {
        let f = &self.fields;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or("").to_owned();
        let number = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        let currency = Currency::parse(&text(f.currency)).ok_or_else(|| {
            tracing::error!("search document with an unknown currency");
            AppError::Internal
        })?;
        Ok(ProductCard {
            slug: text(f.slug),
            name: text(f.name),
            brand: text(f.brand),
            price: Money::new(number(f.price) as i64, currency),
            in_stock: number(f.in_stock) > 0,
            rating_avg: doc.get_first(f.rating).and_then(|v| v.as_f64()).unwrap_or(0.0),
            rating_count: number(f.rating_count) as i64,
            image_url: text(f.image),
        })
    }
}

/// Runs `query` once for the page, the number of results and the facet counts.
fn page_pass<K: 'static, C: Collector<Fruit = Vec<(K, DocAddress)>>>(
    searcher: &Searcher,
    query: &dyn Query,
    top: C,
    filters: &Arc<Filters>,
    snapshot: &TableSnapshot,
) -> Result<(Vec<DocAddress>, Tally), AppError> {
    let collector = FacetedCollector { inner: top, filters: filters.clone(), snapshot: snapshot.clone() };
    let (hits, tally) = searcher.search(query, &collector).map_err(internal("searching"))?;
    Ok((hits.into_iter().map(|(_, a)| a).collect(), tally))
}

/// Scores multiplied by each product's popularity boost (see `documents`).
fn popularity_tweak(segment: &tantivy::SegmentReader) -> impl Fn(tantivy::DocId, f32) -> f32 + use<> {
    let boost = segment.fast_fields().f64("boost").map(|c| c.first_or_default_col(1.0)).ok();
    move |doc, score| boost.as_ref().map_or(score, |b| score * b.get_val(doc) as f32)
}

/// The labels and counts of the values in `group`.
fn counted<'a>(
    entries: impl Iterator<Item = (u32, &'a FacetKey, Group)>,
    group: Group,
    count: &impl Fn(u32) -> u64,
    label: impl Fn(&FacetKey) -> Option<String>,
) -> Vec<(String, u64)> {
    entries.filter(|(_, _, g)| *g == group).filter_map(|(id, key, _)| Some((label(key)?, count(id)))).collect()
}

/// The most frequent values with matches, plus every chosen one (even with no
/// matches, so it can be unticked), in label order.
fn top_values(mut values: Vec<(String, u64)>, chosen: &[String]) -> Vec<(String, u64)> {
    values.retain(|(label, n)| *n > 0 || chosen.contains(label));
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut kept: Vec<(String, u64)> = values
        .into_iter()
        .enumerate()
        .filter(|(i, (label, _))| *i < FACET_VALUES || chosen.contains(label))
        .map(|(_, v)| v)
        .collect();
    for label in chosen {
        if !kept.iter().any(|(l, _)| l == label) {
            kept.push((label.clone(), 0));
        }
    }
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    kept
}

/// A facet choice whose link turns it on or off, back on the first page.
fn toggle_value(
    request: &SearchRequest,
    label: String,
    count: u64,
    selected: bool,
    change: impl FnOnce(&mut SearchRequest, bool),
) -> FacetValue {
    let mut next = request.first_page();
    change(&mut next, !selected);
    FacetValue { label, count, selected, href: next.href() }
}

fn toggle<T: PartialEq + Clone + Ord>(list: &mut Vec<T>, value: &T, on: bool) {
    list.retain(|v| v != value);
    if on {
        list.push(value.clone());
        list.sort();
    }
}
