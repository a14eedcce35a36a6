//! A parcel's progress from its carrier's webhook or from staff: recorded on
//! the parcel and the order's timeline, a repeated carrier event ignored, and
//! the order delivered with the last parcel.

use crate::domain::orders::{OrderStatus, ParcelStatus};
use crate::error::AppError;
use crate::ssr::orders::moves::{advance, load_facts, record};
use crate::ssr::{mail, now, Shop};

/// A parcel's progress, reported by its carrier or by staff: recorded on the
/// parcel and on the order's timeline. When the last parcel is delivered the
/// order is delivered; a problem is mailed to the buyer. A carrier's
/// `event_id` is remembered so a repeated webhook changes nothing (`false`).
pub async fn track(
    shop: &Shop,
    shipment: i64,
    status: ParcelStatus,
    detail: &str,
    at: i64,
    source: &str,
    event_id: Option<&str>,
) -> Result<bool, AppError> {
    let mut tx = shop.db.begin_write().await?;
    if let Some(event) = event_id {
        let seen = sqlx::query(
            "INSERT INTO webhook_events (provider, event_id, received_at) VALUES ('carrier', $1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(event)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        if seen.rows_affected() == 0 {
            return Ok(false);
        }
    }
    let (order, carrier, tracking, current): (i64, String, String, String) =
        sqlx::query_as("SELECT order_id, carrier, tracking, status FROM shipments WHERE id = $1")
            .bind(shipment)
            .fetch_one(&mut *tx)
            .await?;
    if current == ParcelStatus::Delivered.key() {
        return Err(AppError::Conflict(format!("Parcel {carrier} {tracking} was delivered already.")));
    }
    sqlx::query("INSERT INTO tracking_events (shipment_id, at, status, detail, source) VALUES ($1, $2, $3, $4, $5)")
        .bind(shipment)
        .bind(at)
        .bind(status.key())
        .bind(detail)
        .bind(source)
        .execute(&mut *tx)
        .await?;
    let delivered = status == ParcelStatus::Delivered;
    sqlx::query("UPDATE shipments SET status = $2, delivered_at = CASE WHEN $3 = 1 THEN $4 ELSE delivered_at END WHERE id = $1")
        .bind(shipment)
        .bind(status.key())
        .bind(i64::from(delivered))
        .bind(at)
        .execute(&mut *tx)
        .await?;
    let facts = load_facts(&mut tx, order).await?;
    let note = format!("Parcel {carrier} {tracking}: {}{}", status.label(), if detail.is_empty() { String::new() } else { format!(" — {detail}") });
    let (undelivered,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM shipments WHERE order_id = $1 AND status <> 'delivered'")
            .bind(order)
            .fetch_one(&mut *tx)
            .await?;
    if delivered && undelivered == 0 && facts.status == OrderStatus::Shipped {
        advance(&mut tx, order, OrderStatus::deliver, source, &note).await?;
        let body = format!("Your order {} was delivered.\n\nYour order page: {}", facts.number, facts.link(&shop.public_url));
        mail::enqueue_about(&mut *tx, order, &facts.email, &format!("Order {} delivered", facts.number), &body).await?;
    } else {
        record(&mut tx, order, facts.status, facts.status, source, &note).await?;
        if status == ParcelStatus::Exception {
            let body = format!(
                "{carrier} reported a problem with a parcel of your order {}: {}.\n\nWe are on it. Your order page: {}",
                facts.number,
                if detail.is_empty() { "no details given" } else { detail },
                facts.link(&shop.public_url)
            );
            mail::enqueue_about(&mut *tx, order, &facts.email, &format!("Order {}: delivery delayed", facts.number), &body).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}
