//! Staff and shoppers moving orders on after checkout: cancel, pack, ship,
//! track and deliver, each a move of [`super::moves`] in one transaction
//! with its stock, refund and mail.

use super::moves::{advance, facts, record};
use super::orders::restock;
use super::refunds;
use crate::domain::orders::{OrderStatus, ParcelStatus};
use crate::error::AppError;
use crate::ssr::{mail, now, Shop};
use sqlx::AnyConnection;

/// Cancels `order` (before anything shipped): in one transaction the state,
/// the stock back on the shelf (ledger), the refund reserved and the mail;
/// then the provider refunds the money.
pub async fn cancel(shop: &Shop, order: i64, actor: &str) -> Result<(), AppError> {
    let mut tx = shop.db.begin_write().await?;
    let (_, facts) = advance(&mut tx, order, OrderStatus::cancel, actor, "").await?;
    restock(&mut tx, order).await?;
    super::orders::give_back_promo(&mut tx, order).await?;
    let refund = refunds::reserve(&mut tx, order, None, "The order was cancelled.", actor, None).await?;
    let body = match refund {
        Some(_) => format!("Your order {} is cancelled. The full amount is being refunded to your card.", facts.number),
        None => format!("Your order {} is cancelled. You were not charged.", facts.number),
    };
    mail::enqueue(&mut *tx, &facts.email, &format!("Order {} cancelled", facts.number), &body).await?;
    tx.commit().await?;
    if let Some(refund) = refund {
        // A refusal is recorded on the refund for staff; the order stays cancelled.
        refunds::carry_out(shop, &refund).await?;
    }
    Ok(())
}

/// Staff started packing the paid `order` (the buyer sees it live; no mail).
pub async fn pack(shop: &Shop, order: i64, actor: &str) -> Result<(), AppError> {
    let mut tx = shop.db.begin_write().await?;
    advance(&mut tx, order, OrderStatus::pack, actor, "").await?;
    tx.commit().await?;
    Ok(())
}

/// What is left to ship of each line of `order`: (product id, name, quantity left).
pub async fn unshipped(conn: &mut AnyConnection, order: i64) -> Result<Vec<(i64, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT l.product_id, l.name, l.quantity - CAST(COALESCE((SELECT SUM(sl.quantity) FROM shipment_lines sl \
         JOIN shipments s ON s.id = sl.shipment_id WHERE s.order_id = l.order_id AND sl.product_id = l.product_id), 0) AS BIGINT) \
         FROM order_lines l WHERE l.order_id = $1 ORDER BY l.product_id",
    )
    .bind(order)
    .fetch_all(&mut *conn)
    .await?)
}

/// Staff sent a parcel of `order` with `carrier` under `tracking`, holding
/// `items` (product id, quantity); no items means everything left to ship.
pub async fn ship(
    shop: &Shop,
    order: i64,
    carrier: &str,
    tracking: &str,
    items: &[(i64, i64)],
    actor: &str,
) -> Result<(), AppError> {
    let mut tx = shop.db.begin_write().await?;
    let left = unshipped(&mut tx, order).await?;
    let parcel: Vec<(i64, i64)> = if items.is_empty() {
        left.iter().filter(|(_, _, q)| *q > 0).map(|(p, _, q)| (*p, *q)).collect()
    } else {
        items.to_vec()
    };
    for (product, quantity) in &parcel {
        let most = left.iter().find(|(p, _, _)| p == product).map_or(0, |(_, _, q)| *q);
        if *quantity > most {
            return Err(AppError::BadRequest(format!("Only {most} of one of the items are left to ship.")));
        }
    }
    if parcel.is_empty() {
        return Err(AppError::Conflict("Everything in this order has shipped already.".into()));
    }
    let everything = parcel.iter().map(|(_, q)| q).sum::<i64>() == left.iter().map(|(_, _, q)| q).sum::<i64>();
    let (_, facts) = advance(&mut tx, order, |s| s.ship(everything), actor, &format!("{carrier} {tracking}")).await?;
    let inserted = sqlx::query_as::<_, (i64,)>(
        "INSERT INTO shipments (order_id, carrier, tracking, shipped_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(order)
    .bind(carrier)
    .bind(tracking)
    .bind(now())
    .fetch_one(&mut *tx)
    .await;
    let (shipment,) = match inserted {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AppError::Conflict(format!("{carrier} tracking number {tracking} is already on a parcel.")))
        }
        other => other?,
    };
    for (product, quantity) in &parcel {
        sqlx::query("INSERT INTO shipment_lines (shipment_id, product_id, quantity) VALUES ($1, $2, $3)")
            .bind(shipment)
            .bind(product)
            .bind(quantity)
            .execute(&mut *tx)
            .await?;
    }
    let items: Vec<String> = parcel
        .iter()
        .filter_map(|(p, q)| left.iter().find(|(id, _, _)| id == p).map(|(_, name, _)| format!("{q} × {name}")))
        .collect();
    let body = format!(
        "A parcel of your order {} is on its way with {carrier}. Tracking number: {tracking}.\n\nIn it: {}.{}\n\n\
         Follow it on your order page: {}",
        facts.number,
        items.join(", "),
        if everything { "" } else { "\nThe rest of your order follows in another parcel." },
        facts.link(&shop.public_url)
    );
    mail::enqueue(&mut *tx, &facts.email, &format!("Order {} shipped", facts.number), &body).await?;
    tx.commit().await?;
    Ok(())
}

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
    let facts = facts(&mut tx, order).await?;
    let note = format!("Parcel {carrier} {tracking}: {}{}", status.label(), if detail.is_empty() { String::new() } else { format!(" — {detail}") });
    let (undelivered,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM shipments WHERE order_id = $1 AND status <> 'delivered'")
            .bind(order)
            .fetch_one(&mut *tx)
            .await?;
    if delivered && undelivered == 0 && facts.status == OrderStatus::Shipped {
        advance(&mut tx, order, OrderStatus::deliver, source, &note).await?;
        let body = format!("Your order {} was delivered.\n\nYour order page: {}", facts.number, facts.link(&shop.public_url));
        mail::enqueue(&mut *tx, &facts.email, &format!("Order {} delivered", facts.number), &body).await?;
    } else {
        record(&mut tx, order, facts.status, facts.status, source, &note).await?;
        if status == ParcelStatus::Exception {
            let body = format!(
                "{carrier} reported a problem with a parcel of your order {}: {}.\n\nWe are on it. Your order page: {}",
                facts.number,
                if detail.is_empty() { "no details given" } else { detail },
                facts.link(&shop.public_url)
            );
            mail::enqueue(&mut *tx, &facts.email, &format!("Order {}: delivery delayed", facts.number), &body).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

/// Staff: every parcel of `order` arrived (the order must have shipped in full).
pub async fn deliver(shop: &Shop, order: i64, actor: &str) -> Result<(), AppError> {
    let mut conn = shop.db.pool.acquire().await?;
    let status = facts(&mut conn, order).await?.status;
    status.deliver().map_err(|e| AppError::Conflict(e.0))?;
    let open: Vec<(i64,)> = sqlx::query_as("SELECT id FROM shipments WHERE order_id = $1 AND status <> 'delivered' ORDER BY id")
        .bind(order)
        .fetch_all(&mut *conn)
        .await?;
    drop(conn);
    for (shipment,) in open {
        track(shop, shipment, ParcelStatus::Delivered, "", now(), actor, None).await?;
    }
    Ok(())
}
