//! Chores every app server runs in the background: stock held by unpaid
//! orders whose time ran out goes back on the shelf, payments, captures and
//! refunds that a crash or a silent card processor left half-done are
//! finished, and abandoned guest carts are deleted.

use super::returns::refunds;
use super::{cart, inventory, payments};
use crate::ssr::Shop;
use std::time::Duration;

/// A payment or refund in flight this long was interrupted (the provider
/// answers in seconds).
const STUCK_SECS: i64 = 120;

/// Runs the chores every `every` until the pool closes.
pub fn spawn(shop: Shop, every: Duration) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            if shop.db.pool.is_closed() {
                break;
            }
            report("finishing payments a restart interrupted", payments::pay::settle_stuck(&shop, STUCK_SECS).await);
            report("capturing payments whose capture was not confirmed", payments::pay::capture_stuck(&shop, STUCK_SECS).await);
            report("releasing the stock of expired unpaid orders", inventory::stock::release_expired(&shop.db).await);
            report("finishing refunds a restart interrupted", refunds::settle_stuck(&shop, STUCK_SECS).await);
            report("deleting abandoned guest carts", cart::delete_abandoned(&shop.db).await.map(|n| n as usize));
            report("forgetting old rate limit counters", crate::ssr::accounts::limits::forget_old(&shop.db).await);
        }
    });
}

/// Logs how many things `chore` dealt with (nothing when none); a failed
/// chore is tried again next round.
fn report(chore: &str, outcome: Result<usize, crate::error::AppError>) {
    match outcome {
        Ok(0) => {}
        Ok(count) => tracing::info!(count, "{chore}"),
        Err(error) => tracing::warn!(?error, "{chore} failed; retrying"),
    }
}
