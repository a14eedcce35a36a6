//! Cancelling an order before anything shipped: the move, its stock back on
//! the shelf, its promo use given back, the refund reserved and the mail in
//! one transaction; then the provider refunds the money.

use super::moves::advance;
use crate::domain::orders::OrderStatus;
use crate::error::AppError;
use crate::ssr::inventory::stock::restock;
use crate::ssr::pricing::promos::give_back_promo;
use crate::ssr::returns::refunds;
use crate::ssr::{mail, Shop};

/// Cancels `order` (before anything shipped): in one transaction the state
/// (with `reason` on its timeline and in the mail, when staff give one), the
/// stock back on the shelf (ledger), the refund reserved and the mail; then
/// the provider refunds the money.
pub async fn cancel(shop: &Shop, order: i64, actor: &str, reason: &str) -> Result<(), AppError> {
    let mut tx = shop.db.begin_write().await?;
    let (_, facts) = advance(&mut tx, order, OrderStatus::cancel, actor, reason).await?;
    restock(&mut tx, order).await?;
    give_back_promo(&mut tx, order).await?;
    let refund = refunds::reserve(&mut tx, order, None, "The order was cancelled.", actor, None).await?;
    let mut body = match refund {
        Some(_) => format!("Your order {} is cancelled. The full amount is being refunded to your card.", facts.number),
        None => format!("Your order {} is cancelled. You were not charged.", facts.number),
    };
    if !reason.is_empty() {
        body.push_str(&format!("\n\nWhy: {reason}"));
    }
    mail::enqueue_about(&mut *tx, order, &facts.email, &format!("Order {} cancelled", facts.number), &body).await?;
    tx.commit().await?;
    if let Some(refund) = refund {
        // A refusal is recorded on the refund for staff; the order stays cancelled.
        refunds::send_refund(shop, &refund).await?;
    }
    Ok(())
}
