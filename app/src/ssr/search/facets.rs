//! Facet counts and filters in one pass over the matches.
//!
//! Each index segment gets a compact table, built once (segments never change):
//! per document, the numbered facet values it carries (category path, brand,
//! attribute values) and the numbers filters test (price, whole stars, stock).
//! A search then visits the documents matching its text and category once. A
//! document passing every filter is a result and counts into every facet; one
//! failing exactly one filter family counts into that family only, so a
//! family's other choices show what ticking them would add ("drill sideways").
//!
//! Over 400 lines: a third of it is its unit tests, and the collector, its
//! per-segment table and the filters it tests belong together.

use crate::domain::SearchRequest;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::index::SegmentId;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// Price buckets in whole currency units: `[from, to)`, the last one open.
pub const PRICE_BUCKETS: [(u64, Option<u64>); 7] = [
    (0, Some(25)),
    (25, Some(50)),
    (50, Some(100)),
    (100, Some(250)),
    (250, Some(500)),
    (500, Some(1000)),
    (1000, None),
];

/// Ratings offered as "N stars & up".
pub const RATING_STEPS: [u8; 4] = [4, 3, 2, 1];

/// A facet value a document can carry.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FacetKey {
    /// A category path of slugs: `[department]` or `[department, aisle]`.
    Category(Vec<String>),
    Brand(String),
    /// An attribute name and value ("Colour", "Black").
    Attribute(String, String),
}

/// Which family a value belongs to: categories, brands, or one attribute name.
pub type Group = u32;
pub const CATEGORY_GROUP: Group = 0;
pub const BRAND_GROUP: Group = 1;

/// Every facet value seen so far, numbered. It only grows, so numbers in
/// older segment tables stay valid.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    ids: HashMap<FacetKey, u32>,
    keys: Vec<(FacetKey, Group)>,
    /// Group of each attribute name (numbered from 2).
    attribute_groups: HashMap<String, Group>,
}

impl Vocabulary {
    fn intern(&mut self, key: FacetKey) -> u32 {
        if let Some(id) = self.ids.get(&key) {
            return *id;
        }
        let group = match &key {
            FacetKey::Category(_) => CATEGORY_GROUP,
            FacetKey::Brand(_) => BRAND_GROUP,
            FacetKey::Attribute(name, _) => {
                let next = self.attribute_groups.len() as Group + 2;
                *self.attribute_groups.entry(name.clone()).or_insert(next)
            }
        };
        let id = self.keys.len() as u32;
        self.ids.insert(key.clone(), id);
        self.keys.push((key, group));
        id
    }

    pub fn id(&self, key: &FacetKey) -> Option<u32> {
        self.ids.get(key).copied()
    }

    /// Every value with its number and group.
    pub fn entries(&self) -> impl Iterator<Item = (u32, &FacetKey, Group)> {
        self.keys.iter().enumerate().map(|(id, (key, group))| (id as u32, key, *group))
    }

    pub fn attribute_group(&self, name: &str) -> Option<Group> {
        self.attribute_groups.get(name).copied()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }
}

/// One segment's facet values and filterable numbers, by document.
struct SegmentTable {
    /// `values[starts[d]..starts[d + 1]]` are document `d`'s value numbers.
    starts: Vec<u32>,
    values: Vec<u32>,
    price: Vec<u64>,
    /// Index into [`PRICE_BUCKETS`].
    price_bucket: Vec<u8>,
    /// Whole stars of the average rating, so "4 & up" is `stars >= 4`.
    stars: Vec<u8>,
    in_stock: Vec<bool>,
}

impl SegmentTable {
    fn build(reader: &SegmentReader, vocabulary: &mut Vocabulary) -> tantivy::Result<Self> {
        let families: [(&str, fn(Vec<String>) -> Vec<FacetKey>); 3] = [
            ("category_facet", |path| (1..=path.len()).map(|n| FacetKey::Category(path[..n].to_vec())).collect()),
            ("brand_facet", |path| path.into_iter().take(1).map(FacetKey::Brand).collect()),
            ("attribute_facet", |path| match <[String; 2]>::try_from(path) {
                Ok([name, value]) => vec![FacetKey::Attribute(name, value)],
                Err(_) => Vec::new(),
            }),
        ];
        let mut readers = Vec::new();
        for (field, keys) in families {
            let facets = reader.facet_reader(field)?;
            let numbers = value_numbers(&facets, keys, vocabulary)?;
            readers.push((facets, numbers));
        }
        let fast = reader.fast_fields();
        let price = fast.u64("price")?.first_or_default_col(0);
        let rating = fast.f64("rating")?.first_or_default_col(0.0);
        let in_stock = fast.u64("in_stock")?.first_or_default_col(0);
        let docs = reader.max_doc();
        let mut table = Self {
            starts: Vec::with_capacity(docs as usize + 1),
            values: Vec::new(),
            price: Vec::with_capacity(docs as usize),
            price_bucket: Vec::with_capacity(docs as usize),
            stars: Vec::with_capacity(docs as usize),
            in_stock: Vec::with_capacity(docs as usize),
        };
        table.starts.push(0);
        for doc in 0..docs {
            for (facets, numbers) in &readers {
                for ord in facets.facet_ords(doc) {
                    table.values.extend_from_slice(&numbers[ord as usize]);
                }
            }
            table.starts.push(table.values.len() as u32);
            let minor = price.get_val(doc);
            table.price.push(minor);
            table.price_bucket.push(price_bucket(minor));
            table.stars.push(rating.get_val(doc).clamp(0.0, 5.0) as u8);
            table.in_stock.push(in_stock.get_val(doc) > 0);
        }
        Ok(table)
    }

    fn values(&self, doc: DocId) -> &[u32] {
        &self.values[self.starts[doc as usize] as usize..self.starts[doc as usize + 1] as usize]
    }
}

/// The value numbers of each facet term of a segment, by term ordinal.
fn value_numbers(
    facets: &FacetReader,
    keys: fn(Vec<String>) -> Vec<FacetKey>,
    vocabulary: &mut Vocabulary,
) -> tantivy::Result<Vec<Vec<u32>>> {
    let mut facet = Facet::root();
    (0..facets.num_facets() as u64)
        .map(|ord| {
            facets.facet_from_ord(ord, &mut facet)?;
            let path = facet.to_path().into_iter().map(str::to_owned).collect();
            Ok(keys(path).into_iter().map(|key| vocabulary.intern(key)).collect())
        })
        .collect()
}

/// Segment tables of the index, kept for as long as their segment is searched.
#[derive(Default)]
pub struct FacetTables {
    inner: Mutex<(Arc<Vocabulary>, HashMap<SegmentId, Arc<SegmentTable>>)>,
}

/// The tables and vocabulary for one searcher.
#[derive(Clone)]
pub struct TableSnapshot {
    pub vocabulary: Arc<Vocabulary>,
    tables: HashMap<SegmentId, Arc<SegmentTable>>,
}

impl FacetTables {
    /// Tables for every segment of `searcher`, building those of new segments
    /// and forgetting those of segments merged away.
    pub fn snapshot(&self, searcher: &Searcher) -> tantivy::Result<TableSnapshot> {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (vocabulary, tables) = &mut *guard;
        let live: Vec<SegmentId> = searcher.segment_readers().iter().map(|r| r.segment_id()).collect();
        tables.retain(|id, _| live.contains(id));
        for reader in searcher.segment_readers() {
            if !tables.contains_key(&reader.segment_id()) {
                let table = SegmentTable::build(reader, Arc::make_mut(vocabulary))?;
                tables.insert(reader.segment_id(), Arc::new(table));
            }
        }
        Ok(TableSnapshot { vocabulary: vocabulary.clone(), tables: tables.clone() })
    }
}

/// One filter family of a request, as a test on a table row.
#[derive(Clone, Debug)]
enum Test {
    /// Carries one of these values (all of `group`).
    AnyOf(Group, Vec<u32>),
    Price {
        min: u64,
        max: u64,
    },
    MinStars(u8),
    InStock,
}

/// The filters of a request other than the category (which the query applies).
#[derive(Clone, Debug, Default)]
pub struct Filters(Vec<Test>);

impl Filters {
    /// `request`'s filters in `vocabulary`'s numbers. A value the index has
    /// never seen matches nothing.
    pub fn new(request: &SearchRequest, vocabulary: &Vocabulary) -> Self {
        let mut tests = Vec::new();
        if !request.brands.is_empty() {
            let ids = request.brands.iter().filter_map(|b| vocabulary.id(&FacetKey::Brand(b.clone())));
            tests.push(Test::AnyOf(BRAND_GROUP, ids.collect()));
        }
        let mut names: Vec<&String> = request.attributes.iter().map(|(n, _)| n).collect();
        names.dedup();
        for name in names {
            let ids = request
                .attributes
                .iter()
                .filter(|(n, _)| n == name)
                .filter_map(|(n, v)| vocabulary.id(&FacetKey::Attribute(n.clone(), v.clone())));
            // An unknown name has no group; u32::MAX matches no value.
            tests.push(Test::AnyOf(vocabulary.attribute_group(name).unwrap_or(Group::MAX), ids.collect()));
        }
        if let Some(range) = request.price {
            tests.push(Test::Price { min: range.min.unwrap_or(0), max: range.max.unwrap_or(u64::MAX) });
        }
        if let Some(min) = request.min_rating {
            tests.push(Test::MinStars(min));
        }
        if request.in_stock {
            tests.push(Test::InStock);
        }
        Self(tests)
    }
}

impl Test {
    fn passes(&self, table: &SegmentTable, doc: DocId, values: &[u32]) -> bool {
        let d = doc as usize;
        match self {
            Self::AnyOf(_, ids) => values.iter().any(|v| ids.contains(v)),
            // Upper ends are exclusive so $50 is in "$50 – $100", not also in "$25 – $50".
            Self::Price { min, max } => (*min..*max).contains(&table.price[d]),
            Self::MinStars(min) => table.stars[d] >= *min,
            Self::InStock => table.in_stock[d],
        }
    }
}

/// Matches per price bucket, per whole stars and in stock.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    pub price: [u64; PRICE_BUCKETS.len()],
    /// By whole stars, 0 to 5.
    pub stars: [u64; 6],
    pub in_stock: u64,
}

impl Stats {
    /// Matches for each of [`RATING_STEPS`] ("N stars & up").
    pub fn rating_at_least(&self) -> [u64; RATING_STEPS.len()] {
        RATING_STEPS.map(|step| self.stars[step as usize..].iter().sum())
    }
}

/// What a pass counted besides the page: results, and facet counts where each
/// family is counted without its own filter.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub results: usize,
    /// By value number.
    pub values: Vec<u64>,
    pub stats: Stats,
}

/// Runs `inner` (the page collector) on the documents passing every filter,
/// and counts facets as described in the module documentation.
pub struct FacetedCollector<C> {
    pub inner: C,
    pub filters: Arc<Filters>,
    pub snapshot: TableSnapshot,
}

pub struct FacetedSegment<S> {
    inner: S,
    filters: Arc<Filters>,
    table: Arc<SegmentTable>,
    vocabulary: Arc<Vocabulary>,
    tally: Tally,
}

impl<C: Collector> Collector for FacetedCollector<C> {
    type Fruit = (C::Fruit, Tally);
    type Child = FacetedSegment<C::Child>;

    fn for_segment(&self, ord: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<Self::Child> {
        let table = self
            .snapshot
            .tables
            .get(&reader.segment_id())
            .cloned()
            .ok_or_else(|| tantivy::TantivyError::InternalError("no facet table for a searched segment".into()))?;
        Ok(FacetedSegment {
            inner: self.inner.for_segment(ord, reader)?,
            filters: self.filters.clone(),
            table,
            vocabulary: self.snapshot.vocabulary.clone(),
            tally: Tally { values: vec![0; self.snapshot.vocabulary.len()], ..Tally::default() },
        })
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(<C::Child as SegmentCollector>::Fruit, Tally)>,
    ) -> tantivy::Result<Self::Fruit> {
        let mut total = Tally { values: vec![0; self.snapshot.vocabulary.len()], ..Tally::default() };
        let mut inner = Vec::with_capacity(fruits.len());
        for (fruit, tally) in fruits {
            inner.push(fruit);
            total.results += tally.results;
            total.values.iter_mut().zip(tally.values).for_each(|(t, n)| *t += n);
            let (s, t) = (&mut total.stats, tally.stats);
            s.price.iter_mut().zip(t.price).for_each(|(a, n)| *a += n);
            s.stars.iter_mut().zip(t.stars).for_each(|(a, n)| *a += n);
            s.in_stock += t.in_stock;
        }
        Ok((self.inner.merge_fruits(inner)?, total))
    }
}

impl<S: SegmentCollector> SegmentCollector for FacetedSegment<S> {
    type Fruit = (S::Fruit, Tally);

    fn collect(&mut self, doc: DocId, score: Score) {
        let table = &*self.table;
        let values = table.values(doc);
        let mut failed = None;
        for test in &self.filters.0 {
            if !test.passes(table, doc, values) {
                if failed.is_some() {
                    return; // fails two families: counts nowhere
                }
                failed = Some(test);
            }
        }
        let d = doc as usize;
        let tally = &mut self.tally;
        match failed {
            None => {
                self.inner.collect(doc, score);
                tally.results += 1;
                values.iter().for_each(|v| tally.values[*v as usize] += 1);
                tally.stats.price[table.price_bucket[d] as usize] += 1;
                tally.stats.stars[table.stars[d] as usize] += 1;
                tally.stats.in_stock += u64::from(table.in_stock[d]);
            }
            Some(Test::AnyOf(group, _)) => {
                let keys = &self.vocabulary.keys;
                values.iter().filter(|v| keys[**v as usize].1 == *group).for_each(|v| tally.values[*v as usize] += 1);
            }
            Some(Test::Price { .. }) => tally.stats.price[table.price_bucket[d] as usize] += 1,
            Some(Test::MinStars(_)) => tally.stats.stars[table.stars[d] as usize] += 1,
            Some(Test::InStock) => tally.stats.in_stock += u64::from(table.in_stock[d]),
        }
    }

    fn harvest(self) -> Self::Fruit {
        (self.inner.harvest(), self.tally)
    }
}

/// The [`PRICE_BUCKETS`] index of a price in minor units.
fn price_bucket(minor: u64) -> u8 {
    let units = minor / 100;
    PRICE_BUCKETS.iter().position(|(_, to)| to.is_none_or(|to| units < to)).unwrap_or(PRICE_BUCKETS.len() - 1) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PriceRange;
    use crate::ssr::search::schema::Fields;
    use tantivy::collector::Count;
    use tantivy::query::AllQuery;
    use tantivy::{Index, TantivyDocument};

    /// A product as the test knows it: brand, colour, price (minor), rating, stock.
    type Product = (&'static str, &'static str, u64, f64, bool);

    fn index(products: &[Product]) -> Index {
        let (schema, f) = Fields::build();
        let index = Index::create_in_ram(schema);
        crate::ssr::search::schema::register_analyzer(&index);
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (i, (brand, colour, price, rating, stock)) in products.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_facet(f.brand_facet, Facet::from_path([*brand]));
            doc.add_facet(f.category_facet, Facet::from_path(["dept", if i % 2 == 0 { "even" } else { "odd" }]));
            doc.add_facet(f.attribute_facet, Facet::from_path(["Colour", *colour]));
            doc.add_u64(f.price, *price);
            doc.add_f64(f.rating, *rating);
            doc.add_u64(f.in_stock, u64::from(*stock));
            writer.add_document(doc).unwrap();
            if i % 7 == 6 {
                writer.commit().unwrap(); // several segments
            }
        }
        writer.commit().unwrap();
        index
    }

    #[test]
    fn each_family_is_counted_without_its_own_filter() {
        let brands = ["Arc", "Bolt", "Cove"];
        let colours = ["Black", "Red"];
        let products: Vec<Product> = (0..60u64)
            .map(|i| {
                let rating = (i % 11) as f64 / 2.0;
                (brands[(i % 3) as usize], colours[(i % 4 / 3) as usize], 1_000 + i * 997 % 120_000, rating, i % 5 != 0)
            })
            .collect();
        let index = index(&products);
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() > 1);
        let tables = FacetTables::default();
        let request = SearchRequest {
            brands: vec!["Arc".into(), "Bolt".into()],
            attributes: vec![("Colour".into(), "Black".into())],
            price: Some(PriceRange { min: Some(2_500), max: Some(100_000) }),
            min_rating: Some(3),
            in_stock: true,
            ..Default::default()
        };
        let snapshot = tables.snapshot(&searcher).unwrap();
        let filters = Arc::new(Filters::new(&request, &snapshot.vocabulary));
        let collector = FacetedCollector { inner: Count, filters, snapshot: snapshot.clone() };
        let (count, tally) = searcher.search(&AllQuery, &collector).unwrap();

        // The same counts, the slow way: which of the five families a product fails.
        let fails = |p: &Product| -> [bool; 5] {
            [
                !request.brands.iter().any(|b| b == p.0),
                p.1 != "Black",
                !(2_500..100_000).contains(&p.2),
                p.3 < 3.0,
                !p.4,
            ]
        };
        let passing_all_but = |family: Option<usize>| {
            products.iter().filter(move |p| fails(p).iter().enumerate().all(|(i, f)| !f || Some(i) == family))
        };
        let expected_results = passing_all_but(None).count();
        assert!(expected_results > 0 && expected_results < products.len(), "the filters select some");
        assert_eq!((count, tally.results), (expected_results, expected_results));
        let value = |key: FacetKey| tally.values[snapshot.vocabulary.id(&key).unwrap() as usize];
        for brand in brands {
            let expected = passing_all_but(Some(0)).filter(|p| p.0 == brand).count() as u64;
            assert_eq!(value(FacetKey::Brand(brand.into())), expected, "brand {brand}");
        }
        for colour in colours {
            let expected = passing_all_but(Some(1)).filter(|p| p.1 == colour).count() as u64;
            assert_eq!(value(FacetKey::Attribute("Colour".into(), colour.into())), expected, "colour {colour}");
        }
        let mut prices = [0; PRICE_BUCKETS.len()];
        passing_all_but(Some(2)).for_each(|p| prices[price_bucket(p.2) as usize] += 1);
        assert_eq!(tally.stats.price, prices);
        let four_up = passing_all_but(Some(3)).filter(|p| p.3 >= 4.0).count() as u64;
        assert_eq!(tally.stats.rating_at_least()[0], four_up);
        assert_eq!(tally.stats.in_stock, passing_all_but(Some(4)).filter(|p| p.4).count() as u64);
        let department = value(FacetKey::Category(vec!["dept".into()]));
        assert_eq!(department, expected_results as u64, "every result is in the department");
    }

    #[test]
    fn unknown_values_match_nothing() {
        let index = index(&[("Arc", "Black", 1_000, 4.5, true)]);
        let searcher = index.reader().unwrap().searcher();
        let snapshot = FacetTables::default().snapshot(&searcher).unwrap();
        for request in [
            SearchRequest { brands: vec!["Nope".into()], ..Default::default() },
            SearchRequest { attributes: vec![("Size".into(), "XL".into())], ..Default::default() },
        ] {
            let filters = Arc::new(Filters::new(&request, &snapshot.vocabulary));
            let collector = FacetedCollector { inner: Count, filters, snapshot: snapshot.clone() };
            assert_eq!(searcher.search(&AllQuery, &collector).unwrap().0, 0, "{request:?}");
        }
    }
}
