//! Running searches: filters, sorting, paging, facet counts, snippets and the
//! fallback when every word together matches nothing.

use super::facets::{Stats, StatsCollector, PRICE_BUCKETS, RATING_STEPS};
use super::query::{text_query, Match, ParsedText};
use super::{internal, SearchIndex};
use crate::api::catalog::{PageMeta, ProductCard};
use crate::api::search::{FacetGroup, FacetValue, SearchHit, SearchResults, SortLink, Suggestion};
use crate::domain::pagination::PER_PAGE;
use crate::domain::{Currency, Money, PageRequest, PriceRange, SearchRequest, SearchSort};
use crate::error::AppError;
use std::ops::Bound;
use tantivy::collector::{Collector, Count, FacetCollector, FacetCounts, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};

/// Values shown per facet group.
const FACET_VALUES: usize = 12;
/// Autocomplete entries.
const SUGGESTIONS: usize = 8;

/// A filter family: within one, choices are OR-ed; families are AND-ed.
#[derive(Clone, Debug, PartialEq)]
enum Family {
    Category,
    Brand,
    Attribute(String),
    Price,
    Rating,
    Stock,
}

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
        let searcher = self.reader.searcher();
        let parsed = ParsedText::parse(&request.text);
        let category = self.category_path(request.category.as_deref())?;
        let synonyms = self.synonyms.read().unwrap_or_else(|p| p.into_inner());
        let mut text = text_query(&parsed, &synonyms, &self.fields, Match::All);
        let mut query = self.combine(text.as_ref(), request, &category, None);
        let requested_offset = request.page.resolve(u64::MAX).offset() as usize;
        let collect = |query: &dyn Query, has_text: bool, offset: usize| {
            self.collect_page(&searcher, query, request.sort, has_text, offset, &category)
        };
        let (mut total, mut addresses, mut counts) = collect(&*query, text.is_some(), requested_offset)?;
        let mut notice = None;
        if total == 0 && parsed.words.len() > 1 {
            text = text_query(&parsed, &synonyms, &self.fields, Match::Any);
            query = self.combine(text.as_ref(), request, &category, None);
            (total, addresses, counts) = collect(&*query, text.is_some(), requested_offset)?;
            if total > 0 {
                notice = Some(format!(
                    "No products match all of “{}”; showing products that match some of the words.",
                    request.text
                ));
            }
        }
        if total == 0 {
            notice = Some(if request.text.is_empty() {
                "No products match these filters. Remove one to see more.".to_owned()
            } else {
                format!("No products match “{}”. Check the spelling, use fewer words or remove a filter.", request.text)
            });
        }
        let page = request.page.resolve(total as u64);
        if page.offset() as usize != requested_offset {
            // A page past the end: show the last one instead.
            addresses = collect(&*query, text.is_some(), page.offset() as usize)?.1;
        }
        let snippets = match &text {
            Some(t) => Some(SnippetGenerator::create(&searcher, &**t, self.fields.description).map_err(internal("snippets"))?),
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
        let facets = self.facets(&searcher, text.as_ref(), request, &category, counts)?;
        let title = if request.text.is_empty() { "All products".to_owned() } else { format!("Search: {}", request.text) };
        let canonical = format!("{public_url}{}", SearchRequest { page: PageRequest::FIRST, ..request.clone() }.href());
        let filtered = request.category.is_some()
            || !request.brands.is_empty()
            || !request.attributes.is_empty()
            || request.price.is_some()
            || request.min_rating.is_some()
            || request.in_stock;
        Ok(SearchResults {
            meta: PageMeta {
                title: format!("{title} | Oxcart"),
                description: format!("{total} products found at Oxcart."),
                canonical,
            },
            text: request.text.clone(),
            hits,
            page,
            sort: request.sort,
            sorts: SearchSort::ALL
                .into_iter()
                .map(|sort| SortLink { sort, href: SearchRequest { sort, ..request.first_page() }.href() })
                .collect(),
            notice,
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
        let Some(query) = text_query(&parsed, &synonyms, &self.fields, Match::All) else { return Ok(out) };
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

    /// The text query (or everything) with every filter except `skip`'s family.
    fn combine(
        &self,
        text: Option<&Box<dyn Query>>,
        request: &SearchRequest,
        category: &Option<Vec<String>>,
        skip: Option<&Family>,
    ) -> Box<dyn Query> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        clauses.push((Occur::Must, text.map_or_else(|| Box::new(AllQuery) as Box<dyn Query>, |t| t.box_clone())));
        let wanted = |family: &Family| skip != Some(family);
        if let (Some(path), true) = (category, wanted(&Family::Category)) {
            clauses.push((Occur::Must, term(Term::from_facet(f.category_facet, &Facet::from_path(path)))));
        }
        if !request.brands.is_empty() && wanted(&Family::Brand) {
            let any = request.brands.iter().map(|b| term(Term::from_facet(f.brand_facet, &Facet::from_path([b]))));
            clauses.push((Occur::Must, any_of(any)));
        }
        let mut names: Vec<&String> = request.attributes.iter().map(|(n, _)| n).collect();
        names.dedup();
        for name in names {
            if !wanted(&Family::Attribute(name.clone())) {
                continue;
            }
            let any = request
                .attributes
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(n, v)| term(Term::from_facet(f.attribute_facet, &Facet::from_path([n, v]))));
            clauses.push((Occur::Must, any_of(any)));
        }
        if let (Some(range), true) = (request.price, wanted(&Family::Price)) {
            clauses.push((Occur::Must, price_query(f.price, range)));
        }
        if let (Some(min), true) = (request.min_rating, wanted(&Family::Rating)) {
            let from = Bound::Included(Term::from_field_f64(f.rating, f64::from(min)));
            clauses.push((Occur::Must, Box::new(RangeQuery::new(from, Bound::Unbounded))));
        }
        if request.in_stock && wanted(&Family::Stock) {
            clauses.push((Occur::Must, term(Term::from_field_u64(f.in_stock, 1))));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// The number of matches, one page of them in the requested order, and the
    /// facet counts, all in one pass over the matching documents.
    fn collect_page(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        sort: SearchSort,
        has_text: bool,
        offset: usize,
        category: &Option<Vec<String>>,
    ) -> Result<(usize, Vec<DocAddress>, FacetFruit), AppError> {
        let top = TopDocs::with_limit(PER_PAGE as usize).and_offset(offset);
        let facets = self.facet_collectors(category);
        match sort {
            SearchSort::Relevance if has_text => page_pass(searcher, query, top.tweak_score(popularity_tweak), facets),
            SearchSort::Relevance | SearchSort::Popularity => {
                page_pass(searcher, query, top.order_by_fast_field::<u64>("popularity", Order::Desc), facets)
            }
            SearchSort::PriceAsc => page_pass(searcher, query, top.order_by_fast_field::<u64>("price", Order::Asc), facets),
            SearchSort::PriceDesc => page_pass(searcher, query, top.order_by_fast_field::<u64>("price", Order::Desc), facets),
            SearchSort::Newest => page_pass(searcher, query, top.order_by_fast_field::<i64>("created", Order::Desc), facets),
            SearchSort::Rating => page_pass(searcher, query, top.order_by_fast_field::<f64>("rating", Order::Desc), facets),
        }
    }

    /// Collectors for every facet family.
    fn facet_collectors(&self, category: &Option<Vec<String>>) -> FacetCollectors {
        let mut cats = FacetCollector::for_field("category_facet");
        match category {
            Some(path) => cats.add_facet(Facet::from_path(path)),
            None => cats.add_facet(Facet::root()),
        }
        let mut brands = FacetCollector::for_field("brand_facet");
        brands.add_facet(Facet::root());
        let mut attrs = FacetCollector::for_field("attribute_facet");
        for name in self.attribute_names() {
            attrs.add_facet(Facet::from_path([name]));
        }
        (cats, brands, attrs, StatsCollector)
    }

    /// Facet groups with counts; a family with a selection is counted without
    /// its own filter, so its other choices show what choosing them would add.
    fn facets(
        &self,
        searcher: &Searcher,
        text: Option<&Box<dyn Query>>,
        request: &SearchRequest,
        category: &Option<Vec<String>>,
        all: FacetFruit,
    ) -> Result<Vec<FacetGroup>, AppError> {
        let counts_without = |family: &Family| -> Result<FacetFruit, AppError> {
            let query = self.combine(text, request, category, Some(family));
            searcher.search(&*query, &self.facet_collectors(category)).map_err(internal("facet counts"))
        };
        let (cats, brands_all, attrs_all, stats_all) = all;
        // A family with a selection is counted again without its own filter.
        let pick = |family: Family, selected: bool| -> Result<Option<FacetFruit>, AppError> {
            if selected { counts_without(&family).map(Some) } else { Ok(None) }
        };
        let mut groups = Vec::new();

        let names = self.category_names.read().unwrap_or_else(|p| p.into_inner());
        let parent = category.as_ref().map_or(Facet::root(), |p| Facet::from_path(p));
        let mut values: Vec<FacetValue> = cats
            .get(parent)
            .map(|(facet, count)| {
                let slug = facet.to_path().last().map(|s| s.to_string()).unwrap_or_default();
                let label = names.get(&slug).map_or_else(|| slug.clone(), |(n, _)| n.clone());
                let href = SearchRequest { category: Some(slug), ..request.first_page() }.href();
                FacetValue { label, count, selected: false, href }
            })
            .collect();
        if let Some(path) = category {
            let slug = path.last().cloned().unwrap_or_default();
            let label = names.get(&slug).map_or_else(|| slug.clone(), |(n, _)| n.clone());
            let up = path.len().checked_sub(2).map(|i| path[i].clone());
            let href = SearchRequest { category: up, ..request.first_page() }.href();
            values.insert(0, FacetValue { label, count: 0, selected: true, href });
        }
        drop(names);
        groups.push(FacetGroup { label: "Category".into(), values });

        let brand_counts = pick(Family::Brand, !request.brands.is_empty())?.map(|c| c.1);
        let brand_counts = brand_counts.as_ref().unwrap_or(&brands_all);
        let mut values: Vec<FacetValue> = brand_counts
            .top_k(Facet::root(), FACET_VALUES)
            .into_iter()
            .map(|(facet, count)| {
                let brand = facet.to_path().last().map(|s| s.to_string()).unwrap_or_default();
                self.toggle_value(request, brand.clone(), count, request.brands.contains(&brand), |r, on| {
                    toggle(&mut r.brands, &brand, on)
                })
            })
            .collect();
        values.sort_by(|a, b| a.label.cmp(&b.label));
        groups.push(FacetGroup { label: "Brand".into(), values });

        let price_stats = pick(Family::Price, request.price.is_some())?.map(|c| c.3);
        let price_stats = price_stats.as_ref().unwrap_or(&stats_all);
        let values = PRICE_BUCKETS
            .iter()
            .zip(price_stats.price)
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

        let rating_stats = pick(Family::Rating, request.min_rating.is_some())?.map(|c| c.3);
        let rating_stats = rating_stats.as_ref().unwrap_or(&stats_all);
        let values = RATING_STEPS
            .iter()
            .zip(rating_stats.rating_at_least)
            .filter(|(_, count)| *count > 0)
            .map(|(step, count)| {
                let selected = request.min_rating == Some(*step);
                let href = SearchRequest { min_rating: (!selected).then_some(*step), ..request.first_page() }.href();
                FacetValue { label: format!("{step} stars & up"), count, selected, href }
            })
            .collect();
        groups.push(FacetGroup { label: "Customer rating".into(), values });

        let stock_stats = pick(Family::Stock, request.in_stock)?.map(|c| c.3);
        let in_stock = stock_stats.as_ref().unwrap_or(&stats_all).in_stock;
        let href = SearchRequest { in_stock: !request.in_stock, ..request.first_page() }.href();
        groups.push(FacetGroup {
            label: "Availability".into(),
            values: vec![FacetValue { label: "In stock".into(), count: in_stock, selected: request.in_stock, href }],
        });

        for name in self.attribute_names() {
            let selected_any = request.attributes.iter().any(|(n, _)| *n == name);
            let own = pick(Family::Attribute(name.clone()), selected_any)?.map(|c| c.2);
            let counts = own.as_ref().unwrap_or(&attrs_all);
            let mut values: Vec<FacetValue> = counts
                .top_k(Facet::from_path([&name]), FACET_VALUES)
                .into_iter()
                .map(|(facet, count)| {
                    let value = facet.to_path().last().map(|s| s.to_string()).unwrap_or_default();
                    let pair = (name.clone(), value.clone());
                    let selected = request.attributes.contains(&pair);
                    self.toggle_value(request, value, count, selected, |r, on| toggle(&mut r.attributes, &pair, on))
                })
                .collect();
            if values.len() > 1 || selected_any {
                values.sort_by(|a, b| a.label.cmp(&b.label));
                groups.push(FacetGroup { label: name, values });
            }
        }
        groups.retain(|g| !g.values.is_empty());
        Ok(groups)
    }

    fn toggle_value(
        &self,
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

    /// Re-reads the attribute names present in the index ("Colour", "Size", ...).
    pub(super) fn refresh_attribute_names(&self) {
        let mut collector = FacetCollector::for_field("attribute_facet");
        collector.add_facet(Facet::root());
        let names = match self.reader.searcher().search(&AllQuery, &collector) {
            Ok(counts) => {
                let mut names: Vec<String> = counts
                    .get(Facet::root())
                    .filter_map(|(facet, _)| facet.to_path().last().map(|s| s.to_string()))
                    .collect();
                names.sort();
                names
            }
            Err(error) => {
                tracing::warn!(%error, "cannot list attribute names for facets");
                Vec::new()
            }
        };
        *self.attribute_names.write().unwrap_or_else(|p| p.into_inner()) = names;
    }

    fn attribute_names(&self) -> Vec<String> {
        self.attribute_names.read().unwrap_or_else(|p| p.into_inner()).clone()
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

type FacetCollectors = (FacetCollector, FacetCollector, FacetCollector, StatsCollector);
/// Category, brand and attribute counts, and the fast-field stats.
type FacetFruit = (FacetCounts, FacetCounts, FacetCounts, Stats);

/// Runs `query` once through the count, the page and the facet collectors.
fn page_pass<K: 'static>(
    searcher: &Searcher,
    query: &dyn Query,
    top: impl Collector<Fruit = Vec<(K, DocAddress)>>,
    facets: FacetCollectors,
) -> Result<(usize, Vec<DocAddress>, FacetFruit), AppError> {
    let (total, hits, facets) = searcher.search(query, &(Count, top, facets)).map_err(internal("searching"))?;
    Ok((total, hits.into_iter().map(|(_, a)| a).collect(), facets))
}

/// Relevance with a light popularity boost: popular products win ties and
/// near-ties, never over a clearly better match.
fn popularity_tweak(segment: &tantivy::SegmentReader) -> impl Fn(tantivy::DocId, f32) -> f32 + use<> {
    let popularity = segment.fast_fields().u64("popularity").map(|c| c.first_or_default_col(0)).ok();
    move |doc, score| {
        let pop = popularity.as_ref().map_or(0, |c| c.get_val(doc));
        score * (1.0 + (pop as f32).ln_1p() / 40.0)
    }
}

fn term(t: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(t, IndexRecordOption::Basic))
}

fn any_of(queries: impl Iterator<Item = Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(queries.map(|q| (Occur::Should, q)).collect()))
}

fn price_query(field: tantivy::schema::Field, range: PriceRange) -> Box<dyn Query> {
    let lower = range.min.map_or(Bound::Unbounded, |m| Bound::Included(Term::from_field_u64(field, m)));
    // Bucket ends are exclusive so $50 is in "$50 – $100", not also in "$25 – $50".
    let upper = range.max.map_or(Bound::Unbounded, |m| Bound::Excluded(Term::from_field_u64(field, m)));
    Box::new(RangeQuery::new(lower, upper))
}

fn toggle<T: PartialEq + Clone + Ord>(list: &mut Vec<T>, value: &T, on: bool) {
    list.retain(|v| v != value);
    if on {
        list.push(value.clone());
        list.sort();
    }
}
