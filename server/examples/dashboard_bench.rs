//! The back office's dashboard over a large shop, on SQLite (default) or PostgreSQL.
//!
//!   cargo run --release --example dashboard_bench -p oxcart -- [ORDERS] [RUNS]
//!   scripts/with-postgres.sh cargo run --release --example dashboard_bench -p oxcart
//!
//! Seeds 20,000 products and ORDERS (default 1,000,000) paid orders of one
//! to three lines, spread evenly over the last two years, plus 20,000 funnel
//! marks for today. Then it times, RUNS times each (default 20):
//! - baseline: one plain SQL query for one order by its id (what a round
//!   trip to this database costs here)
//! - the first dashboard, which sums the two years of closed days once
//! - the dashboard for today, 7, 30 and 90 days and a 366-day range,
//!   built from the daily sums and today's orders
//! - for comparison, 30 and 90 days read from the orders alone (no sums)
//!
//! Prints Markdown for BENCHMARKS.md.

use app::domain::analytics::{Period, DAY_SECS};
use std::time::Instant;

#[path = "shared/bench_shop.rs"]
mod bench_shop;
use bench_shop::{fill, fresh_database, row, time};

const PRODUCTS: u64 = 20_000;

#[tokio::main]
async fn main() {
    let orders: i64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let runs: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let dir = tempfile::tempdir().unwrap();
    let (db, engine) = fresh_database(dir.path(), "oxcart_dash").await;
    oxcart::seed::seed(&db, PRODUCTS, 7, false, false)
        .await
        .unwrap();
    let started = Instant::now();
    fill(&db, orders).await;
    eprintln!("{orders} orders written in {:.1?}", started.elapsed());

    let now = app::ssr::now();
    let today = now.div_euclid(DAY_SECS);
    println!("### {engine}, {orders} orders over 730 days, {PRODUCTS} products\n");
    println!("| what | runs | p50 | p99 |\n|---|---:|---:|---:|");
    let baseline = time(runs * 10, || async {
        let _: (i64,) = sqlx::query_as("SELECT total_minor FROM orders WHERE id = $1")
            .bind(orders / 2)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    })
    .await;
    row("baseline: one order by id (plain SQL)", &baseline);
    let first = Instant::now();
    let summed = app::ssr::analytics::rollup::catch_up(&db).await.unwrap();
    println!(
        "| first run: summing {summed} closed days | 1 | {:.0?} | |",
        first.elapsed()
    );
    let mut p99s = Vec::new();
    for (label, days) in [
        ("today", 1),
        ("7 days", 7),
        ("30 days", 30),
        ("90 days", 90),
        ("366 days (custom)", 366),
    ] {
        let period = Period {
            first: today - days + 1,
            last: today,
        };
        let times = time(runs, || async {
            app::ssr::analytics::dashboard::build(&db, period)
                .await
                .unwrap()
        })
        .await;
        row(&format!("dashboard, {label}"), &times);
        p99s.push(times[times.len() * 99 / 100]);
    }
    let check = app::ssr::analytics::dashboard::build(
        &db,
        Period {
            first: today - 29,
            last: today,
        },
    )
    .await
    .unwrap();
    eprintln!(
        "30 days: {} orders, {} units, top product {:?}",
        check.now.orders,
        check.now.units,
        check.products.first()
    );
    // The same figures without sums: every day read from the orders.
    sqlx::query("UPDATE analytics_rollups SET next_day = 0")
        .execute(&db.pool)
        .await
        .unwrap();
    for (label, days) in [("30 days", 30), ("90 days", 90)] {
        let period = Period {
            first: today - days + 1,
            last: today,
        };
        let times = time(runs.min(5), || async {
            let mut conn = db.pool.acquire().await.unwrap();
            app::ssr::analytics::sales::read(&mut conn, period.before().first, period.last)
                .await
                .unwrap()
        })
        .await;
        row(
            &format!("without sums: {label} and the period before, from the orders"),
            &times,
        );
    }
    println!();
    let worst = p99s.iter().max().unwrap();
    println!(
        "Slowest dashboard p99: {worst:.0?} (target: under 200 ms); baseline p50 {:.0?}.",
        baseline[baseline.len() / 2]
    );
    db.pool.close().await;
}
