//! Search speed on a generated catalog: index build time and size, then the
//! latency (p50/p99) of each kind of query run in-process without any result
//! cache, beside a plain SQL `LIKE` search over the same SQLite database as the
//! baseline most shops start from.
//!
//!   cargo run --release --example search_bench -p oxcart -- [PRODUCTS] [ROUNDS] [DIR]
//!
//! Defaults: 100,000 products, 300 rounds per query kind, a temporary directory.
//! Given a DIR, its seeded database is kept and reused by later runs (the index
//! is always rebuilt), which saves minutes when profiling. `BENCH_ONLY=text`
//! runs only the query kinds whose name contains `text`. Prints Markdown.

use app::domain::{PriceRange, SearchRequest, SearchSort};
use app::ssr::search::SearchIndex;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let products: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(300);
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = args.next().map_or_else(|| temp.path().to_owned(), std::path::PathBuf::from);
    std::fs::create_dir_all(&dir).expect("bench directory");
    let database = dir.join(format!("bench-{products}.db"));
    let seeded = dir.join(format!("bench-{products}.seeded"));
    let reuse = seeded.exists();
    if !reuse {
        let _ = std::fs::remove_file(&database); // a seed cut short
    }
    let url = format!("sqlite://{}?mode=rwc", database.display());
    let db = oxcart::db::connect(&url, 4).await.expect("database");
    oxcart::db::migrate(&db).await.expect("migrate");
    if !reuse {
        let started = Instant::now();
        oxcart::seed::seed(&db, products, 42, false, false).await.expect("seed");
        eprintln!("seeded {products} products in {:.1} s", started.elapsed().as_secs_f64());
        std::fs::write(&seeded, "").expect("seed marker");
    }

    let search_dir = dir.join("search");
    let _ = std::fs::remove_dir_all(&search_dir);
    let started = Instant::now();
    let index = SearchIndex::open(&search_dir, &db, Duration::ZERO).await.expect("index");
    let build = started.elapsed();
    println!("| measure | value |\n|---|---:|");
    println!("| products | {products} |");
    println!("| index build (first start) | {:.1} s |", build.as_secs_f64());
    println!("| index size on disk | {:.1} MB |", index.size_on_disk() as f64 / 1e6);
    println!("| process RSS with index open | {:.0} MB |", rss_mb());
    let text = |t: &str| SearchRequest { text: t.into(), ..Default::default() };
    // "Did you mean" reads the index's vocabulary once per index generation:
    // the first misspelled search after a change pays for it.
    let started = Instant::now();
    let offered = index.search_uncached(&text("hedphones"), "").expect("search").did_you_mean;
    println!("| first misspelled search after a change (builds the \"did you mean\" vocabulary) | {} |", ms(started.elapsed()));
    assert_eq!(offered.map(|(t, _)| t).as_deref(), Some("headphones"), "did you mean");
    println!();

    let cases: Vec<(&str, SearchRequest)> = vec![
        ("plain term: `laptop`", text("laptop")),
        ("two terms: `voltix headphones`", text("voltix headphones")),
        ("fuzzy: `labtop`", text("labtop")),
        ("fuzzy, two words: `wireles hedphones`", text("wireles hedphones")),
        ("prefix: `headph`", text("headph")),
        ("did you mean: `hedphones` (offers headphones)", text("hedphones")),
        ("did you mean: `espreso machine` (offers espresso machine)", text("espreso machine")),
        (
            "faceted: `camera` + brand + price + in stock",
            SearchRequest {
                brands: vec!["Voltix".into()],
                price: Some(PriceRange { min: Some(10_000), max: Some(100_000) }),
                in_stock: true,
                ..text("camera")
            },
        ),
        ("sorted: `shoes` by price", SearchRequest { sort: SearchSort::PriceAsc, ..text("shoes") }),
        (
            "browse all, by rating, page 50",
            SearchRequest {
                sort: SearchSort::Rating,
                page: app::domain::PageRequest::parse(Some("50")).unwrap(),
                ..Default::default()
            },
        ),
    ];
    println!("| query (in-process, no cache) | p50 | p99 | results |");
    println!("|---|---:|---:|---:|");
    let mut mix = Vec::new();
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    for (name, request) in cases.iter().filter(|(name, _)| name.contains(&only)) {
        let total = index.search_uncached(request, "").expect("search").page.total_items;
        let times = measure(rounds, || {
            index.search_uncached(request, "").expect("search");
        });
        println!("| {name} | {} | {} | {total} |", ms(pct(&times, 50)), ms(pct(&times, 99)));
        mix.extend(times);
    }
    println!("| **the mix above** | {} | {} | |", ms(pct(&mix, 50)), ms(pct(&mix, 99)));
    for prefix in ["vol", "headph", "labt"] {
        let times = measure(rounds, || {
            index.suggest(prefix).expect("suggest");
        });
        println!("| autocomplete `{prefix}` | {} | {} | |", ms(pct(&times, 50)), ms(pct(&times, 99)));
    }

    let like_rounds = rounds.min(50);
    let mut like = Vec::new();
    for _ in 0..like_rounds {
        let t = Instant::now();
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT slug FROM products WHERE name LIKE $1 OR description LIKE $1 \
             ORDER BY popularity DESC LIMIT 24",
        )
        .bind("%laptop%")
        .fetch_all(&db.pool)
        .await
        .expect("like");
        assert!(!rows.is_empty());
        like.push(t.elapsed());
    }
    like.sort();
    println!(
        "| baseline: SQL `LIKE '%laptop%'` (exact substring only) | {} | {} | |",
        ms(pct(&like, 50)),
        ms(pct(&like, 99))
    );
    println!("\n{} cores, {rounds} rounds per query", std::thread::available_parallelism().map_or(1, |n| n.get()));
}

fn measure(rounds: usize, mut f: impl FnMut()) -> Vec<Duration> {
    for _ in 0..rounds.min(20) {
        f(); // warm up
    }
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times
}

fn pct(sorted: &[Duration], p: usize) -> Duration {
    let mut v = sorted.to_vec();
    v.sort();
    v[((v.len() - 1) * p) / 100]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}
