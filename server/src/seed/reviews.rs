//! The demo catalog's reviews: a few per product (none for one in ten),
//! published, by made-up customers with no account behind them, as reviews
//! imported with a catalog are. A product's rating is its reviews', as the
//! shop keeps it for reviews written later.

use crate::splitmix::SplitMix64;

/// A generated review.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoReview {
    pub author: String,
    pub rating: i64,
    pub title: &'static str,
    pub body: String,
    pub helpful: i64,
    pub at: i64,
}

const FIRST_NAMES: [&str; 24] = [
    "Ana", "Ben", "Chloé", "Dev", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam", "Maya", "Nils", "Olga", "Pablo",
    "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Zoe",
];

/// Titles for 1 to 5 stars.
const TITLES: [&[&str]; 5] = [
    &["Would not buy again", "Broke within a month", "Not worth the money"],
    &["Disappointing", "Not as described", "Expected more"],
    &["It is fine", "Decent, not great", "Does the job, just"],
    &["Very good", "Happy with it", "Good value"],
    &["Love it", "Exactly what I wanted", "Better than expected", "Excellent"],
];

/// Openings for 1 to 5 stars.
const OPENINGS: [&[&str]; 5] = [
    &["It stopped working after a few weeks.", "The finish came off almost at once."],
    &["The quality is below what the photos suggest.", "It works, but only just."],
    &["It does what it says, nothing more.", "Fine for the price, with a few rough edges."],
    &["Well made and easy to use.", "It does everything I needed."],
    &["Superb quality, and it arrived quickly.", "I use it every day and it still feels new."],
];

const CLOSINGS: [&str; 5] = [
    "Delivery was quick.",
    "The packaging was plastic-free.",
    "I compared it with two others before buying.",
    "Bought it as a gift.",
    "Customer service answered within a day.",
];

/// The reviews of a product whose ratings centre on `mean` (3.0 to 5.0;
/// none when `count` is 0), written between `created_at` and `now`.
pub fn generate(rng: &mut SplitMix64, count: i64, mean: f64, created_at: i64, now: i64) -> Vec<DemoReview> {
    if count == 0 {
        return Vec::new();
    }
    let many = 1 + rng.below(6);
    (0..many)
        .map(|_| {
            let rating = (mean + (rng.unit() - 0.5) * 2.4).round().clamp(1.0, 5.0) as i64;
            let stars = rating as usize - 1;
            let initial = (b'A' + rng.below(26) as u8) as char;
            DemoReview {
                author: format!("{} {initial}.", rng.pick(&FIRST_NAMES)),
                rating,
                title: rng.pick(TITLES[stars]),
                body: format!("{} {}", rng.pick(OPENINGS[stars]), rng.pick(&CLOSINGS)),
                helpful: (rng.unit().powi(3) * 40.0) as i64,
                at: created_at + rng.below((now - created_at).max(1) as u64) as i64,
            }
        })
        .collect()
}

/// (average, count) of `reviews`' ratings.
pub fn rating(reviews: &[DemoReview]) -> (f64, i64) {
    let count = reviews.len() as i64;
    let sum: i64 = reviews.iter().map(|r| r.rating).sum();
    (if count == 0 { 0.0 } else { sum as f64 / count as f64 }, count)
}
