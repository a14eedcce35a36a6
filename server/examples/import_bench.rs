//! The catalog's CSV import at scale, on SQLite (default) or PostgreSQL.
//!
//!   cargo run --release --example import_bench -p oxcart -- [LINES]
//!   scripts/with-postgres.sh cargo run --release --example import_bench -p oxcart
//!
//! Seeds a small shop (its brands and categories), writes a file of LINES
//! (default 100,000) lines: new products, half sold one way and half in two
//! sizes. Then it times, once each, on the same database:
//! - baseline: the same number of plain single-row INSERTs into a bare
//!   table, in transactions of 250 (what writing a row costs here)
//! - reading and grouping the file
//! - the dry run (the check staff see before starting)
//! - the import job creating every product and variant
//! - the same file again (every line unchanged: nothing is written)
//! - a file changing every variant's price and stock
//!
//! Prints Markdown for BENCHMARKS.md.

use app::ssr::accounts::Staff;
use app::ssr::catalog::import::jobs::{check, run_one, Uploader};
use std::time::Instant;

#[tokio::main]
async fn main() {
    let lines: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let (url, engine) = match std::env::var("TEST_POSTGRES_URL") {
        Ok(admin) if !admin.is_empty() => {
            let admin_db = oxcart::db::connect(&admin, 1).await.unwrap();
            let name = format!("oxcart_import_{}", std::process::id());
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin_db.pool).await.unwrap();
            (format!("{}/{name}", admin.rsplit_once('/').unwrap().0), "PostgreSQL")
        }
        _ => (format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display()), "SQLite (WAL)"),
    };
    let db = oxcart::db::connect(&url, 0).await.unwrap();
    oxcart::db::migrate(&db).await.unwrap();
    oxcart::seed::seed(&db, 1_000, 7, false, false).await.unwrap();
    let (brand,): (String,) = sqlx::query_as("SELECT slug FROM brands ORDER BY id LIMIT 1").fetch_one(&db.pool).await.unwrap();
    let (category,): (String,) =
        sqlx::query_as("SELECT slug FROM categories WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1").fetch_one(&db.pool).await.unwrap();

    println!("### {engine}, a file of {lines} lines\n");
    println!("| what | lines | time | lines/s |\n|---|---:|---:|---:|");
    let report = |what: &str, n: usize, took: std::time::Duration| {
        println!("| {what} | {n} | {:.2?} | {:.0} |", took, n as f64 / took.as_secs_f64());
    };

    sqlx::query("CREATE TABLE bench_rows (id BIGINT PRIMARY KEY, sku TEXT NOT NULL, price BIGINT NOT NULL)").execute(&db.pool).await.unwrap();
    let started = Instant::now();
    for chunk in (0..lines as i64).collect::<Vec<_>>().chunks(250) {
        let mut tx = db.begin_write().await.unwrap();
        for n in chunk {
            sqlx::query("INSERT INTO bench_rows (id, sku, price) VALUES ($1, $2, $3)")
                .bind(*n)
                .bind(format!("ROW-{n}"))
                .bind(*n)
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
    }
    report("baseline: plain single-row INSERTs, 250 per transaction", lines, started.elapsed());

    let file = |price: &str, stock: usize| {
        let mut csv = String::from(
            "handle,name,status,brand,category,option1_name,option1_value,option2_name,option2_value,option3_name,option3_value,sku,price,stock,weight_grams\n",
        );
        let mut n = 0;
        while n < lines {
            if n % 3 == 0 && n + 1 < lines {
                for size in ["S", "L"] {
                    csv.push_str(&format!(
                        "bench-{n},Bench tee {n},draft,{brand},{category},Size,{size},,,,,BENCH-{n}-{size},{price},{stock},200\n"
                    ));
                }
                n += 2;
            } else {
                csv.push_str(&format!("bench-{n},Bench mug {n},draft,{brand},{category},,,,,,,BENCH-{n},{price},{stock},300\n"));
                n += 1;
            }
        }
        csv
    };
    let text = file("12.50", 5);
    eprintln!("file: {} MB", text.len() >> 20);

    let started = Instant::now();
    let read = app::domain::catalog_import::read_file(&text).unwrap();
    report("reading and grouping the file", read.lines, started.elapsed());
    assert_eq!(read.refused.refused, 0);

    let (user,): (i64,) = sqlx::query_as(
        "INSERT INTO users (email, password_hash, created_at) VALUES ('bench@example.com', 'x', 0) RETURNING id",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let by = || Uploader { reach: Staff::Admin, user, email: "bench@example.com", ip: "127.0.0.1" };
    let run = |what: &'static str, text: String| {
        let db = db.clone();
        async move {
            let started = Instant::now();
            let id = check(&db, by(), "bench.csv", text).await.unwrap();
            report(&format!("dry run: {what}"), lines, started.elapsed());
            sqlx::query("UPDATE catalog_imports SET state = 'running' WHERE id = $1").bind(id).execute(&db.pool).await.unwrap();
            let started = Instant::now();
            assert!(run_one(&db).await.unwrap());
            report(&format!("import job: {what}"), lines, started.elapsed());
            let (result,): (String,) = sqlx::query_as("SELECT result FROM catalog_imports WHERE id = $1").bind(id).fetch_one(&db.pool).await.unwrap();
            let result: app::domain::catalog_import::Report = serde_json::from_str(&result).unwrap();
            eprintln!("{what}: {} created, {} changed, {} unchanged, {} refused", result.created, result.changed, result.unchanged, result.refused);
            assert_eq!(result.refused, 0, "{:?}", result.lines.first());
        }
    };
    run("every product new", text.clone()).await;
    run("the same file again (nothing changes)", text).await;
    run("every variant's price and stock changed", file("13.00", 7)).await;
    let (products,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products WHERE slug LIKE 'bench-%'").fetch_one(&db.pool).await.unwrap();
    eprintln!("{products} products imported");
}
