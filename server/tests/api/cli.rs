//! The `oxcart` binary itself: start-up errors, seeding and graceful shutdown.

use crate::helpers::fresh_database_url;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn oxcart(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_oxcart"));
    cmd.current_dir(dir).env_remove("DATABASE_URL").env("RUST_LOG", "warn");
    cmd
}

fn run(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().expect("run oxcart");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn malformed_or_unreachable_database_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    for (url, expect) in [
        ("mysql://root@localhost/shop", "not supported"),
        ("postgres://user:hunter2@127.0.0.1:1/shop", "cannot reach the database"),
        ("postgres://[::1", "malformed"),
    ] {
        let (code, stderr) = run(oxcart(dir.path()).arg("migrate").env("DATABASE_URL", url));
        assert_ne!(code, 0, "{url}");
        let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "one line for {url}: {stderr}");
        assert!(lines[0].starts_with("error: ") && lines[0].contains(expect), "{url}: {stderr}");
        assert!(!stderr.contains("hunter2"), "passwords are never printed");
    }
}

#[test]
fn bad_config_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Leptos.toml"), "[site]\naddr = \"nope\"\n").unwrap();
    let (code, stderr) = run(oxcart(dir.path()).arg("migrate"));
    assert_ne!(code, 0);
    assert!(stderr.contains("IP:port"), "{stderr}");
}

#[tokio::test]
async fn seed_refuses_a_full_catalog_unless_replacing() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let seed = |extra: &[&str]| {
        let mut cmd = oxcart(dir.path());
        cmd.args(["seed", "--products", "40"]).args(extra).env("DATABASE_URL", &url);
        run(&mut cmd)
    };
    assert_eq!(seed(&[]).0, 0);
    let (code, stderr) = seed(&[]);
    assert_ne!(code, 0);
    assert!(stderr.contains("--replace"), "{stderr}");
    assert_eq!(seed(&["--replace", "--seed", "9"]).0, 0);
    let db = oxcart::db::connect(&url, 1).await.unwrap();
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products").fetch_one(&db.pool).await.unwrap();
    assert_eq!(n, 40);
    let (name,): (String,) = sqlx::query_as("SELECT name FROM products WHERE id = 1").fetch_one(&db.pool).await.unwrap();
    assert_eq!(name, oxcart::seed::product(9, 0).name, "the catalog comes from the chosen seed");
}

#[tokio::test]
async fn serve_seeds_on_first_start_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = oxcart(dir.path())
        .arg("serve")
        .env("DATABASE_URL", &url)
        .env("OXCART_ADDR", format!("127.0.0.1:{port}"))
        .env("OXCART_DEMO_PRODUCTS", "120")
        .env("OXCART_ALLOW_TEST_PAYMENTS", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let started = Instant::now();
    let body = loop {
        if let Ok(r) = client.get(format!("http://127.0.0.1:{port}/readyz")).send().await {
            break r.text().await.unwrap();
        }
        assert!(started.elapsed() < Duration::from_secs(30), "server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(body, "ready");
    let home = client.get(format!("http://127.0.0.1:{port}/")).send().await.unwrap();
    assert!(home.text().await.unwrap().contains("data-testid=\"product-card\""), "demo products on first start");

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let started = Instant::now();
    let code = loop {
        if let Some(code) = child.try_wait().unwrap() {
            break code;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(code.success(), "clean exit after SIGTERM: {code:?}");
}
