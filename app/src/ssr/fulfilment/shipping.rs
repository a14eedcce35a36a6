//! Staff sending a paid order out: pack it, ship it in one parcel or several
//! (what is left to ship of each line), and mark it delivered; each a move of
//! [`crate::ssr::orders::moves`] in one transaction with its mail.

use super::tracking::track;
use crate::domain::orders::{OrderStatus, ParcelStatus};
use crate::error::AppError;
use crate::ssr::orders::moves::{advance, load_facts};
use crate::ssr::{mail, now, Shop};
use sqlx::AnyConnection;

/// Staff started packing the paid `order` (the buyer sees it live; no mail).
pub async fn pack(shop: &Shop, order: i64, actor: &str) -> Result<(), AppError> {
    let mut tx = shop.db.begin_write().await?;
    advance(&mut tx, order, OrderStatus::pack, actor, "").await?;
    tx.commit().await?;
    Ok(())
}

/// What is left to ship of each line of `order`: (variant id, name, quantity left).
pub async fn unshipped(conn: &mut AnyConnection, order: i64) -> Result<Vec<(i64, String, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT l.variant_id, l.name, l.quantity - CAST(COALESCE((SELECT SUM(sl.quantity) FROM shipment_lines sl \
         JOIN shipments s ON s.id = sl.shipment_id WHERE s.order_id = l.order_id AND sl.variant_id = l.variant_id), 0) AS BIGINT) \
         FROM order_lines l WHERE l.order_id = $1 ORDER BY l.product_id, l.variant_id",
    )
    .bind(order)
    .fetch_all(&mut *conn)
    .await?)
}

/// Staff sent a parcel of `order` with `carrier` under `tracking`, holding
/// `items` (variant id, quantity); no items means everything left to ship.
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
        sqlx::query("INSERT INTO shipment_lines (shipment_id, variant_id, quantity) VALUES ($1, $2, $3)")
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
    mail::enqueue_about(&mut *tx, order, &facts.email, &format!("Order {} shipped", facts.number), &body).await?;
    tx.commit().await?;
    Ok(())
}

/// Staff: every parcel of `order` arrived (the order must have shipped in full).
pub async fn deliver(shop: &Shop, order: i64, actor: &str) -> Result<(), AppError> {
    let mut conn = shop.db.pool.acquire().await?;
    let status = load_facts(&mut conn, order).await?.status;
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
