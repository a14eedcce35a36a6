//! "Customers who bought this also bought" over a large shop, on SQLite
//! (default) or PostgreSQL.
//!
//!   cargo run --release --example recommend_bench -p oxcart -- [PRODUCTS] [ORDERS] [RUNS]
//!   scripts/with-postgres.sh cargo run --release --example recommend_bench -p oxcart
//!
//! Seeds PRODUCTS (default 100,000) products and ORDERS (default 1,000,000)
//! paid orders of one to three lines, lets the chore learn every order
//! (`co_purchase::refresh`, timed: orders learned a second), then times,
//! RUNS times each (default 2,000) on products picked at random:
//! - baseline: one product's name by its id (plain SQL)
//! - the ids of the eight products bought most often with one
//! - those eight as product cards: all the product page adds
//!
//! Prints Markdown for BENCHMARKS.md.

use std::time::Instant;

#[path = "shared/bench_shop.rs"]
mod bench_shop;
use bench_shop::{fill, fresh_database, row, time};

#[tokio::main]
async fn main() {
    let arg = |n: usize, default: i64| std::env::args().nth(n).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (products, orders, runs) = (arg(1, 100_000), arg(2, 1_000_000), arg(3, 2_000) as usize);
    let dir = tempfile::tempdir().unwrap();
    let (db, engine) = fresh_database(dir.path(), "oxcart_recommend").await;
    oxcart::seed::seed(&db, products as u64, 7, false, false).await.unwrap();
    let started = Instant::now();
    fill(&db, orders).await;
    eprintln!("{orders} orders written in {:.1?}", started.elapsed());
    sqlx::query("UPDATE order_events SET at = at - 3600").execute(&db.pool).await.unwrap();

    let started = Instant::now();
    let mut learned = 0;
    loop {
        let round = app::ssr::recommend::co_purchase::refresh(&db).await.unwrap();
        if round == 0 {
            break;
        }
        learned += round;
    }
    let took = started.elapsed();
    let (pairs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM co_purchases").fetch_one(&db.pool).await.unwrap();
    sqlx::query("ANALYZE").execute(&db.pool).await.unwrap();

    println!("### {engine}, {products} products, {orders} paid orders\n");
    println!(
        "Learning every order: {learned} orders in {took:.1?} ({:.0} orders a second), {pairs} product pairs.\n",
        learned as f64 / took.as_secs_f64()
    );
    println!("| what | runs | p50 | p99 |\n|---|---:|---:|---:|");
    let mut pick = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        pick ^= pick << 13;
        pick ^= pick >> 7;
        pick ^= pick << 17;
        1 + (pick % products as u64) as i64
    };
    let ids: Vec<i64> = (0..runs).map(|_| next()).collect();
    let mut at = 0;
    let baseline = time(runs, || {
        at += 1;
        let (db, id) = (&db, ids[at % runs]);
        async move {
            let _: Option<(String,)> = sqlx::query_as("SELECT name FROM products WHERE id = $1").bind(id).fetch_optional(&db.pool).await.unwrap();
        }
    })
    .await;
    row("baseline: a product's name by its id (plain SQL)", &baseline);
    let mut shown = 0usize;
    let ids_only = time(runs, || {
        at += 1;
        let (db, id) = (&db, ids[at % runs]);
        async move {
            let mut conn = db.pool.acquire().await.unwrap();
            app::ssr::recommend::co_purchase::also_bought(&mut conn, id, 8).await.unwrap()
        }
    })
    .await;
    row("also bought: the eight products' ids", &ids_only);
    let cards = time(runs, || {
        at += 1;
        let (db, id) = (&db, ids[at % runs]);
        async move {
            let mut conn = db.pool.acquire().await.unwrap();
            app::ssr::catalog::pages::also_bought_cards(&mut conn, id).await.unwrap()
        }
    })
    .await;
    row("also bought: the eight as product cards (what the page adds)", &cards);
    for id in ids.iter().take(200) {
        let mut conn = db.pool.acquire().await.unwrap();
        shown += app::ssr::catalog::pages::also_bought_cards(&mut conn, *id).await.unwrap().len();
    }
    println!("\nA product page shows {:.1} recommendations on average (of 200 sampled).", shown as f64 / 200.0);
    db.pool.close().await;
}
