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
use std::time::{Duration, Instant};

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
    let (url, engine) = match std::env::var("TEST_POSTGRES_URL") {
        Ok(admin) if !admin.is_empty() => {
            let admin_db = oxcart::db::connect(&admin, 1).await.unwrap();
            let name = format!("oxcart_dash_{}", std::process::id());
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin_db.pool)
                .await
                .unwrap();
            (
                format!("{}/{name}", admin.rsplit_once('/').unwrap().0),
                "PostgreSQL",
            )
        }
        _ => (
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("bench.db").display()
            ),
            "SQLite (WAL)",
        ),
    };
    let db = oxcart::db::connect(&url, 0).await.unwrap();
    oxcart::db::migrate(&db).await.unwrap();
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

/// Writes `count` paid orders of one to three lines over the last 730 days,
/// with their payment events, and today's funnel marks, in a few statements.
async fn fill(db: &app::ssr::Db, count: i64) {
    let now = app::ssr::now();
    let start = now - 730 * DAY_SECS;
    let step = (730 * DAY_SECS) / count.max(1);
    let statements = [
        "CREATE TABLE bench_items (k BIGINT PRIMARY KEY, product_id BIGINT NOT NULL, variant_id BIGINT NOT NULL, \
         name TEXT NOT NULL, price BIGINT NOT NULL)"
            .to_owned(),
        "INSERT INTO bench_items (k, product_id, variant_id, name, price) \
         SELECT ROW_NUMBER() OVER (ORDER BY v.id) - 1, v.product_id, v.id, p.name, v.price_minor \
         FROM product_variants v JOIN products p ON p.id = v.product_id"
            .to_owned(),
        format!(
            "INSERT INTO orders (id, number, idempotency_key, request_hash, email, status, currency, subtotal_minor, \
               discount_minor, shipping_minor, tax_minor, total_minor, shipping_method, ship_to, reserved_until, stock_held, \
               access_token, created_at, updated_at) \
             WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {count}) \
             SELECT i, 'BN-' || i, 'bench-' || i, '', 'buyer' || (i % 50000) || '@example.com', 'delivered', 'USD', \
               4000 + (i % 97) * 100, 0, 500, 0, 4500 + (i % 97) * 100, 'standard', '{{}}', 0, 0, 'x', \
               {start} + i * {step}, {start} + i * {step} FROM n"
        ),
        format!(
            "INSERT INTO order_events (order_id, at, actor, from_status, to_status) \
             SELECT id, created_at + 30, 'payment', 'pending-payment', 'paid' FROM orders WHERE id <= {count}"
        ),
        // Lines: the first on every order, a second on every other, a third on every fifth.
        lines(count, "(o.id * 7919) % (SELECT COUNT(*) FROM bench_items)", "1 = 1"),
        lines(count, "(o.id * 104729 + 13) % (SELECT COUNT(*) FROM bench_items)", "o.id % 2 = 0"),
        lines(count, "(o.id % 500)", "o.id % 5 = 0"),
        format!(
            "INSERT INTO funnel_marks (day, step, shopper) \
             WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < 20000) \
             SELECT {today}, 1 + i % 3, 'shopper-' || (i / 3) FROM n",
            today = now.div_euclid(DAY_SECS)
        ),
        "DROP TABLE bench_items".to_owned(),
    ];
    for sql in statements {
        sqlx::query(&sql)
            .execute(&db.pool)
            .await
            .unwrap_or_else(|e| panic!("{e}: {sql}"));
    }
    sqlx::query("ANALYZE").execute(&db.pool).await.unwrap();
}

/// One line per order where `when`, of the item numbered `item`.
fn lines(count: i64, item: &str, when: &str) -> String {
    format!(
        "INSERT INTO order_lines (order_id, variant_id, product_id, name, sku, unit_price_minor, quantity) \
         SELECT o.id, b.variant_id, b.product_id, b.name, 'SKU', b.price, 1 + o.id % 3 \
         FROM orders o JOIN bench_items b ON b.k = {item} \
         WHERE o.id <= {count} AND {when} ON CONFLICT DO NOTHING"
    )
}

async fn time<F, Fut, T>(runs: usize, mut run: F) -> Vec<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        std::hint::black_box(run().await);
        times.push(started.elapsed());
    }
    times.sort();
    times
}

fn row(label: &str, times: &[Duration]) {
    println!(
        "| {label} | {} | {:.2?} | {:.2?} |",
        times.len(),
        times[times.len() / 2],
        times[times.len() * 99 / 100]
    );
}
