//! Counting matches by price range, rating and stock, read from fast fields.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::ColumnValues;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};
use std::sync::Arc;

/// Price buckets in whole currency units: `[from, to)`, the last one open.
pub const PRICE_BUCKETS: [(u64, Option<u64>); 7] =
    [(0, Some(25)), (25, Some(50)), (50, Some(100)), (100, Some(250)), (250, Some(500)), (500, Some(1000)), (1000, None)];

/// Ratings offered as "N stars & up".
pub const RATING_STEPS: [u8; 4] = [4, 3, 2, 1];

/// Matches per price bucket, per minimum rating and in stock.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    pub price: [u64; PRICE_BUCKETS.len()],
    pub rating_at_least: [u64; RATING_STEPS.len()],
    pub in_stock: u64,
}

/// Collects [`Stats`] for every matching document.
pub struct StatsCollector;

pub struct StatsSegment {
    price: Arc<dyn ColumnValues<u64>>,
    rating: Arc<dyn ColumnValues<f64>>,
    in_stock: Arc<dyn ColumnValues<u64>>,
    stats: Stats,
}

impl Collector for StatsCollector {
    type Fruit = Stats;
    type Child = StatsSegment;

    fn for_segment(&self, _: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<StatsSegment> {
        let fast = reader.fast_fields();
        Ok(StatsSegment {
            price: fast.u64("price")?.first_or_default_col(0),
            rating: fast.f64("rating")?.first_or_default_col(0.0),
            in_stock: fast.u64("in_stock")?.first_or_default_col(0),
            stats: Stats::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Stats>) -> tantivy::Result<Stats> {
        let mut total = Stats::default();
        for s in fruits {
            total.price.iter_mut().zip(s.price).for_each(|(t, n)| *t += n);
            total.rating_at_least.iter_mut().zip(s.rating_at_least).for_each(|(t, n)| *t += n);
            total.in_stock += s.in_stock;
        }
        Ok(total)
    }
}

impl SegmentCollector for StatsSegment {
    type Fruit = Stats;

    fn collect(&mut self, doc: DocId, _: Score) {
        let units = self.price.get_val(doc) / 100;
        if let Some(i) = PRICE_BUCKETS.iter().position(|(_, to)| to.is_none_or(|to| units < to)) {
            self.stats.price[i] += 1;
        }
        let rating = self.rating.get_val(doc);
        for (i, step) in RATING_STEPS.iter().enumerate() {
            if rating >= f64::from(*step) {
                self.stats.rating_at_least[i] += 1;
            }
        }
        self.stats.in_stock += self.in_stock.get_val(doc);
    }

    fn harvest(self) -> Stats {
        self.stats
    }
}
