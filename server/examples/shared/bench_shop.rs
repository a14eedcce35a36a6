//! What the benchmarks over a large shop share (included with `#[path]`):
//! a million paid orders written in a few statements, and timing.

use app::domain::analytics::DAY_SECS;
use std::time::{Duration, Instant};

/// A fresh, migrated database for a benchmark: SQLite in `dir`, or a new
/// database named `prefix`_<pid> on the PostgreSQL of `TEST_POSTGRES_URL`
/// (as `scripts/with-postgres.sh` sets it); the engine's name.
pub async fn fresh_database(dir: &std::path::Path, prefix: &str) -> (app::ssr::Db, &'static str) {
    let (url, engine) = match std::env::var("TEST_POSTGRES_URL") {
        Ok(admin) if !admin.is_empty() => {
            let admin_db = oxcart::db::connect(&admin, 1).await.unwrap();
            let name = format!("{prefix}_{}", std::process::id());
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin_db.pool).await.unwrap();
            (format!("{}/{name}", admin.rsplit_once('/').unwrap().0), "PostgreSQL")
        }
        _ => (format!("sqlite://{}?mode=rwc", dir.join("bench.db").display()), "SQLite (WAL)"),
    };
    let db = oxcart::db::connect(&url, 0).await.unwrap();
    oxcart::db::migrate(&db).await.unwrap();
    (db, engine)
}

/// Writes `count` paid orders of one to three lines over the last 730 days,
/// with their payment events, and today's funnel marks, in a few statements.
pub async fn fill(db: &app::ssr::Db, count: i64) {
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

pub async fn time<F, Fut, T>(runs: usize, mut run: F) -> Vec<Duration>
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

pub fn row(label: &str, times: &[Duration]) {
    println!(
        "| {label} | {} | {:.2?} | {:.2?} |",
        times.len(),
        times[times.len() / 2],
        times[times.len() * 99 / 100]
    );
}
