//! Crash safety: a stream of checkouts while the server is killed with
//! SIGKILL at random moments. After each restart every acknowledged order is
//! there exactly once, and every product's stock equals its ledger.

use crate::helpers::fresh_database_url;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CLIENTS: usize = 8;
const KILLS: usize = 3;

fn start(dir: &std::path::Path, url: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_oxcart"))
        .current_dir(dir)
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("OXCART_ADDR", format!("127.0.0.1:{port}"))
        .env("OXCART_DEMO_PRODUCTS", "60")
        .env("OXCART_ALLOW_TEST_PAYMENTS", "true")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start oxcart")
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    let started = Instant::now();
    while client.get(format!("{base}/readyz")).send().await.map_or(true, |r| !r.status().is_success()) {
        assert!(started.elapsed() < Duration::from_secs(60), "server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A pseudo-random number from the clock (no seed to manage; any value works).
fn jitter(modulo: u64) -> u64 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    u64::from(nanos.wrapping_mul(2_654_435_761)) % modulo
}

/// One guest checkout: add a product, place the order. `Some(number)` once
/// the server acknowledged the order (answered with its page).
async fn checkout(client: &reqwest::Client, base: &str, product: i64, n: usize) -> Option<String> {
    let add = client
        .post(format!("{base}/api/cart/add"))
        .header("origin", base)
        .form(&[("product", product.to_string())])
        .send()
        .await
        .ok()?;
    let cookie = add.headers().get("set-cookie")?.to_str().ok()?.split(';').next()?.to_owned();
    if !add.status().is_success() {
        return None;
    }
    let place = client
        .post(format!("{base}/api/checkout/place"))
        .header("origin", base)
        .header("cookie", cookie)
        .form(&[
            ("idempotency_key", format!("crash-{n}-{}", jitter(u64::MAX))),
            ("email", format!("crash{n}@example.com")),
            ("full_name", "Crash Test".into()),
            ("line1", "1 Main Street".into()),
            ("city", "Springfield".into()),
            ("postal_code", "12345".into()),
            ("country", "US".into()),
        ])
        .send()
        .await
        .ok()?;
    let location = place.headers().get("location")?.to_str().ok()?;
    Some(location.strip_prefix("/order/")?.split('?').next()?.to_owned())
}

#[tokio::test]
async fn acknowledged_orders_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut counter = 0usize;
    for _ in 0..KILLS {
        let mut server = start(dir.path(), &url, port);
        wait_ready(&client, &base).await;
        let kill_at = Instant::now() + Duration::from_millis(400 + jitter(1200));
        let mut tasks = Vec::new();
        for c in 0..CLIENTS {
            let (client, base, acknowledged) = (client.clone(), base.clone(), acknowledged.clone());
            let first = counter + c * 100_000;
            tasks.push(tokio::spawn(async move {
                for n in first.. {
                    if Instant::now() > kill_at + Duration::from_millis(300) {
                        break;
                    }
                    let product = 1 + (n % 20) as i64;
                    if let Some(number) = checkout(&client, &base, product, n).await {
                        acknowledged.lock().unwrap().push(number);
                    }
                }
            }));
        }
        tokio::time::sleep_until(kill_at.into()).await;
        server.kill().expect("SIGKILL"); // Child::kill sends SIGKILL on Unix
        server.wait().unwrap();
        for task in tasks {
            task.await.unwrap();
        }
        counter += 1_000_000;
    }
    let mut server = start(dir.path(), &url, port);
    wait_ready(&client, &base).await;
    server.kill().unwrap();
    server.wait().unwrap();

    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 10, "the stream placed orders before the kills: {}", acknowledged.len());
    let db = oxcart::db::connect(&url, 1).await.unwrap();
    for number in &acknowledged {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM orders WHERE number = $1").bind(number).fetch_one(&db.pool).await.unwrap();
        assert_eq!(n, 1, "acknowledged order {number} is there exactly once");
    }
    let drift: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT p.id, p.stock, CAST(COALESCE(SUM(l.delta), 0) AS BIGINT) FROM products p \
         LEFT JOIN inventory_ledger l ON l.product_id = p.id GROUP BY p.id, p.stock \
         HAVING p.stock <> CAST(COALESCE(SUM(l.delta), 0) AS BIGINT)",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(drift.is_empty(), "stock equals the ledger for every product: {drift:?}");
    let (variant_drift,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM product_variants v \
         WHERE v.stock <> (SELECT CAST(COALESCE(SUM(delta), 0) AS BIGINT) FROM inventory_ledger l WHERE l.variant_id = v.id)",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(variant_drift, 0, "stock equals the ledger for every variant");
    let unexplained: Vec<(i64,)> = sqlx::query_as(
        "SELECT o.id FROM orders o WHERE o.stock_held = 1 AND \
         (SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM order_lines WHERE order_id = o.id) <> \
         -(SELECT CAST(COALESCE(SUM(delta), 0) AS BIGINT) FROM inventory_ledger WHERE order_id = o.id)",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert!(unexplained.is_empty(), "every order's stock is in the ledger: {unexplained:?}");
}
