//! Password hashing cost on this machine, and what a burst of sign-ins does
//! to the rest of the shop.
//!
//!   cargo run --release --example auth_bench -p oxcart -- [BURST]
//!
//! 1. One argon2id verify at the shop's parameters (19 MiB, t=2, p=1), 20 times.
//! 2. BURST (default 64) verifies at once through the shop's bounded hashing
//!    pool, while a "page" task on the async runtime wakes every 5 ms and
//!    records how late it runs: the baseline is the same task with no burst.
//!
//! Prints Markdown.

use app::ssr::accounts::password;
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() {
    let burst: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(64);
    let hash = password::hash("correct horse battery".into()).await.expect("hash");
    let mut single = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        assert!(password::verify("correct horse battery".into(), hash.clone()).await.unwrap());
        single.push(t.elapsed());
    }
    single.sort();

    let idle = lateness(Duration::from_secs(2), async {
        tokio::time::sleep(Duration::from_secs(2)).await;
    })
    .await;
    let started = Instant::now();
    let busy = lateness(Duration::from_secs(60), async {
        let tasks: Vec<_> = (0..burst)
            .map(|_| tokio::spawn(password::verify("wrong guess".into(), hash.clone())))
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
    })
    .await;
    let burst_time = started.elapsed();

    println!("| measure | value |\n|---|---:|");
    println!("| one argon2id verify, p50 / max of 20 | {} / {} |", ms(single[10]), ms(single[19]));
    println!(
        "| {burst} verifies at once: all done in | {} ({:.1} verifies/s) |",
        ms(burst_time),
        burst as f64 / burst_time.as_secs_f64()
    );
    println!("| 5 ms timer task lateness, idle: p50 / p99 | {} / {} |", ms(pct(&idle, 50)), ms(pct(&idle, 99)));
    println!("| same during the burst: p50 / p99 | {} / {} |", ms(pct(&busy, 50)), ms(pct(&busy, 99)));
    println!("\n{} cores", std::thread::available_parallelism().map_or(1, |n| n.get()));
}

/// How late a task that wakes every 5 ms runs, while `work` runs (at most `limit`).
async fn lateness(limit: Duration, work: impl std::future::Future<Output = ()>) -> Vec<Duration> {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let ticker = tokio::spawn({
        let stop = stop.clone();
        async move {
            let mut late = Vec::new();
            let deadline = Instant::now() + limit;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && Instant::now() < deadline {
                let due = Instant::now() + Duration::from_millis(5);
                tokio::time::sleep_until(due.into()).await;
                late.push(Instant::now().saturating_duration_since(due));
            }
            late
        }
    });
    work.await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    ticker.await.unwrap_or_default()
}

fn pct(v: &[Duration], p: usize) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v.get((v.len().saturating_sub(1) * p) / 100).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
