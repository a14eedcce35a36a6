//! Checkout throughput over HTTP, on SQLite (default) or PostgreSQL.
//!
//!   cargo run --release --example checkout_bench -p oxcart -- [SECONDS] [CLIENTS]
//!   scripts/with-postgres.sh cargo run --release --example checkout_bench -p oxcart
//!
//! Starts the shop in-process on a fresh database (PostgreSQL when
//! TEST_POSTGRES_URL names a server, else SQLite with full fsync), then runs
//! CLIENTS shoppers at once for SECONDS per scenario. Orders go through the
//! order desk (group commit); OXCART_ORDER_GROUP=1 with, say,
//! OXCART_ORDER_WORKERS=16 places each order in its own transaction instead,
//! for comparison.
//! - baseline: the same HTTP stack and database, one durable single-row
//!   INSERT transaction per request (what one commit costs here)
//! - web orders: add to cart, then place the order (two requests, a session)
//! - API orders: one `POST /api/v1/orders` with the items (no session, no cart)
//! - uncontended: each order buys one of 2,000 products at random
//! - contended: every order buys the same product
//!
//! Afterwards it checks that no stock went negative and that stock equals the
//! ledger for every product. Prints Markdown.

use axum::routing::post;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PRODUCTS: u64 = 2_000;

#[tokio::main]
async fn main() {
    let seconds: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let clients: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(32);
    let dir = tempfile::tempdir().unwrap();
    let (url, engine) = match std::env::var("TEST_POSTGRES_URL") {
        Ok(admin) if !admin.is_empty() => {
            let admin_db = oxcart::db::connect(&admin, 1).await.unwrap();
            let name = format!("oxcart_bench_{}", std::process::id());
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin_db.pool).await.unwrap();
            (format!("{}/{name}", admin.rsplit_once('/').unwrap().0), "PostgreSQL")
        }
        _ => (format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display()), "SQLite (WAL, synchronous=FULL)"),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    // OXCART_ORDER_WORKERS / OXCART_ORDER_GROUP apply, to compare group sizes.
    let mut config = oxcart::config::Config::load(std::path::Path::new("/nonexistent"), false, |k| std::env::var(k).ok()).unwrap();
    // Forms are refused unless they come from the shop's own origin.
    config.public_url = base.clone();
    config.data_dir = dir.path().to_path_buf();
    config.database_url = url.clone();
    config.auth_burst = 1_000_000;
    config.allow_test_payments = true; // it pays with the test card processor
    (config.order_rate, config.payment_rate) = (0, 0); // one load generator is one client
    let db = oxcart::db::connect(&url, 0).await.unwrap();
    oxcart::db::migrate(&db).await.unwrap();
    oxcart::seed::seed(&db, PRODUCTS, 7, false, false).await.unwrap();
    // Enough stock for any run; the ledger records the top-up.
    sqlx::query(
        "INSERT INTO inventory_ledger (product_id, delta, reason, actor, at) \
         SELECT id, 1000000000 - stock, 'adjusted', 'bench', 0 FROM products",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE products SET stock = 1000000000").execute(&db.pool).await.unwrap();
    sqlx::query("CREATE TABLE bench_commits (id BIGINT NOT NULL, at BIGINT NOT NULL)").execute(&db.pool).await.unwrap();

    let state = oxcart::start(&config, db.clone()).await.unwrap();
    let baseline_db = db.clone();
    let router = oxcart::startup::router(state, Arc::new(oxcart::assets::StaticAssets::default())).merge(
        axum::Router::new().route(
            "/bench/commit",
            post(move || {
                let db = baseline_db.clone();
                async move {
                    let mut tx = db.pool.begin().await.unwrap();
                    sqlx::query("INSERT INTO bench_commits (id, at) VALUES ($1, $2)")
                        .bind(1i64)
                        .bind(0i64)
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                    tx.commit().await.unwrap();
                    "ok"
                }
            }),
        ),
    );
    tokio::spawn(oxcart::startup::serve(listener, router));
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

    println!("| scenario | per second | p50 | p99 | errors |\n|---|---:|---:|---:|---:|");
    let run = Duration::from_secs(seconds);
    let baseline = drive(clients, run, {
        let (client, base) = (client.clone(), base.clone());
        move |_| {
            let (client, base) = (client.clone(), base.clone());
            async move { client.post(format!("{base}/bench/commit")).send().await.is_ok_and(|r| r.status().is_success()) }
        }
    })
    .await;
    baseline.print("baseline: one durable INSERT commit per request");
    for (name, hot, api) in [
        ("web orders, uncontended (2,000 products)", false, false),
        ("web orders, contended (one hot product)", true, false),
        ("API orders, uncontended (2,000 products)", false, true),
        ("API orders, contended (one hot product)", true, true),
    ] {
        let stats = drive(clients, run, {
            let (client, base) = (client.clone(), base.clone());
            move |n| {
                let (client, base) = (client.clone(), base.clone());
                let product = if hot { 1 } else { 1 + (n as u64 * 7919 % PRODUCTS) as i64 };
                async move {
                    if api {
                        api_order(&client, &base, product, n).await
                    } else {
                        order(&client, &base, product, n).await
                    }
                }
            }
        })
        .await;
        stats.print(name);
    }
    let (negative, drift): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM products WHERE stock < 0), \
         (SELECT COUNT(*) FROM products p WHERE p.stock <> \
            (SELECT CAST(COALESCE(SUM(delta), 0) AS BIGINT) FROM inventory_ledger l WHERE l.product_id = p.id))",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    println!("\n{engine}; {clients} clients, {seconds} s per scenario; products below zero: {negative}; products whose stock differs from the ledger: {drift}; {} cores",
        std::thread::available_parallelism().map_or(1, |n| n.get()));
}

/// One guest order: add to cart (untimed), then place it (timed by the caller).
async fn order(client: &reqwest::Client, base: &str, product: i64, n: usize) -> bool {
    let Ok(add) = client
        .post(format!("{base}/api/cart/add"))
        .header("origin", base)
        .form(&[("product", product.to_string())])
        .send()
        .await
    else {
        report_once("add to cart did not answer");
        return false;
    };
    if !add.status().is_success() {
        report_once(&format!("add to cart answered {}", add.status()));
        return false;
    }
    let Some(cookie) = add.headers().get("set-cookie").and_then(|c| c.to_str().ok()).and_then(|c| c.split(';').next())
    else {
        report_once("no session cookie");
        return false;
    };
    let cookie = cookie.to_owned();
    client
        .post(format!("{base}/api/checkout/place"))
        .header("origin", base)
        .header("cookie", cookie)
        .form(&[
            ("idempotency_key", format!("bench-order-{n:012}-{}", std::process::id())),
            ("email", format!("bench{n}@example.com")),
            ("full_name", "Bench Mark".into()),
            ("line1", "1 Main Street".into()),
            ("city", "Springfield".into()),
            ("postal_code", "12345".into()),
            ("country", "US".into()),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())
        // An acknowledged order answers with the order page's location.
        .and_then(|r| match r.headers().get("location") {
            Some(_) => Ok(()),
            None => Err(format!("place answered {}", r.status())),
        })
        .map_err(|e| report_once(&e))
        .is_ok()
}

/// One guest order through the JSON API: a single `POST /api/v1/orders`.
async fn api_order(client: &reqwest::Client, base: &str, product: i64, n: usize) -> bool {
    let body = serde_json::json!({
        "items": [{"product_id": product, "quantity": 1}],
        "email": format!("api{n}@example.com"),
        "address": {"full_name": "Bench Mark", "line1": "1 Main Street", "city": "Springfield",
                    "postal_code": "12345", "country": "US"},
    });
    client
        .post(format!("{base}/api/v1/orders"))
        .header("idempotency-key", format!("bench-api-{n:012}-{}", std::process::id()))
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())
        .and_then(|r| if r.status() == 201 { Ok(()) } else { Err(format!("API order answered {}", r.status())) })
        .map_err(|e| report_once(&e))
        .is_ok()
}

/// Prints the first failure (a run with errors is not a valid result).
fn report_once(error: &str) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| eprintln!("first failed order: {error}"));
}

struct Stats {
    done: usize,
    errors: usize,
    latencies: Vec<Duration>,
    elapsed: Duration,
}

impl Stats {
    fn print(&self, name: &str) {
        let mut l = self.latencies.clone();
        l.sort();
        let pct = |p: usize| l.get(l.len().saturating_sub(1) * p / 100).copied().unwrap_or_default();
        println!(
            "| {name} | {:.0} | {:.1} ms | {:.1} ms | {} |",
            self.done as f64 / self.elapsed.as_secs_f64(),
            pct(50).as_secs_f64() * 1e3,
            pct(99).as_secs_f64() * 1e3,
            self.errors
        );
    }
}

/// Runs `work(n)` on `clients` concurrent loops for `run`; each call's
/// latency is recorded (for orders: the add and the place together).
async fn drive<F, Fut>(clients: usize, run: Duration, work: F) -> Stats
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let work = work.clone();
            tokio::spawn(async move {
                let (mut ok, mut errors, mut latencies) = (0, 0, Vec::new());
                while started.elapsed() < run {
                    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let t = Instant::now();
                    if work(n).await {
                        ok += 1;
                        latencies.push(t.elapsed());
                    } else {
                        errors += 1;
                    }
                }
                (ok, errors, latencies)
            })
        })
        .collect();
    let mut stats = Stats { done: 0, errors: 0, latencies: Vec::new(), elapsed: Duration::ZERO };
    for task in tasks {
        let (ok, errors, latencies) = task.await.unwrap();
        stats.done += ok;
        stats.errors += errors;
        stats.latencies.extend(latencies);
    }
    stats.elapsed = started.elapsed();
    stats
}
