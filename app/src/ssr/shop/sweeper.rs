//! Chores every app server runs in the background: stock held by unpaid
//! orders whose time ran out goes back on the shelf, refunds that a crash
//! left half-done are finished, and abandoned guest carts are deleted.

use super::payments::Payments;
use super::{cart, orders, refunds};
use std::time::Duration;

/// A refund pending this long was interrupted (the provider answers in seconds).
const STUCK_REFUND_SECS: i64 = 120;

/// Runs the chores every `every` until the pool closes.
pub fn spawn(shop: Payments, every: Duration) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            if shop.db.pool.is_closed() {
                break;
            }
            match orders::release_expired(&shop.db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(orders = n, "released the stock of expired unpaid orders"),
                Err(error) => tracing::warn!(?error, "releasing expired stock holds failed; retrying"),
            }
            match refunds::settle_stuck(&shop, STUCK_REFUND_SECS).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(refunds = n, "finished refunds a restart interrupted"),
                Err(error) => tracing::warn!(?error, "finishing interrupted refunds failed; retrying"),
            }
            match cart::delete_abandoned(&shop.db).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(carts = n, "deleted abandoned guest carts"),
                Err(error) => tracing::warn!(?error, "deleting abandoned guest carts failed; retrying"),
            }
        }
    });
}
