//! Chores every app server runs in the background: stock held by unpaid
//! orders whose time ran out goes back on the shelf, payments, captures and
//! refunds that a crash or a silent card processor left half-done are
//! finished, abandoned guest carts are deleted, the sales of closed days are
//! summed for the dashboard, wishlist news is mailed, products' popularity
//! follows the shoppers, what is bought together is learned, and (hourly) media files
//! nothing shows any more leave the store.

use super::returns::refunds;
use super::{cart, inventory, payments};
use super::media::{store::ObjectStore, sweep};
use crate::ssr::Shop;
use std::sync::Arc;
use std::time::Duration;

/// A payment or refund in flight this long was interrupted (the provider
/// answers in seconds).
const STUCK_SECS: i64 = 120;

/// How often the media store is swept for pictures nothing shows.
const SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// Runs the chores every `every` until the pool closes; the media sweep runs
/// hourly in a task of its own, so a slow store never holds up stock and payments.
pub fn spawn(shop: Shop, media: Arc<dyn ObjectStore>, every: Duration) {
    let db = shop.db.clone();
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
            report("summing the days that closed", crate::ssr::analytics::rollup::catch_up(&shop.db).await);
            report("mailing wishlist news (back in stock, cheaper)", crate::ssr::wishlist::alerts::sweep(&shop).await);
            report("following the shoppers' interest in products' popularity", crate::ssr::catalog::popularity::refresh(&shop.db).await);
            report("learning what is bought together", crate::ssr::recommend::co_purchase::refresh(&shop.db).await);
        }
    });
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every.max(Duration::from_secs(60))).await;
            if db.pool.is_closed() {
                break;
            }
            let before = crate::ssr::now() - sweep::GRACE_SECS;
            report("deleting media files nothing shows", sweep::sweep(&db, &*media, before).await);
            tokio::time::sleep(SWEEP_EVERY).await;
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
