//! Moving orders through their life after checkout: each move is checked by
//! the state machine ([`OrderStatus`]), applied with an update guarded by the
//! state it starts from, and recorded as an order event with its actor.

use super::orders::restock;
use super::payments::Payments;
use crate::domain::orders::OrderStatus;
use crate::error::AppError;
use crate::ssr::now;
use sqlx::AnyConnection;

/// Moves `order` from `from` to `to` and records the event; `false` when the
/// order was no longer in `from` (someone else moved it first).
pub async fn record(
    conn: &mut AnyConnection,
    order: i64,
    from: OrderStatus,
    to: OrderStatus,
    actor: &str,
    note: &str,
) -> Result<bool, AppError> {
    let now = now();
    let moved = sqlx::query("UPDATE orders SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2")
        .bind(order)
        .bind(from.key())
        .bind(to.key())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    if moved.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO order_events (order_id, at, actor, from_status, to_status, note) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(order)
    .bind(now)
    .bind(actor)
    .bind(from.key())
    .bind(to.key())
    .bind(note)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

fn changed_meanwhile() -> AppError {
    AppError::Conflict("The order changed meanwhile. Reload the page and try again.".into())
}

async fn status_of(conn: &mut AnyConnection, order: i64) -> Result<(OrderStatus, String, String), AppError> {
    let (status, number, email): (String, String, String) =
        sqlx::query_as("SELECT status, number, email FROM orders WHERE id = $1").bind(order).fetch_one(&mut *conn).await?;
    Ok((OrderStatus::parse(&status).ok_or(AppError::Internal)?, number, email))
}

async fn queue_mail(conn: &mut AnyConnection, to: &str, subject: &str, body: &str) -> Result<(), AppError> {
    sqlx::query("INSERT INTO outbox_emails (to_address, subject, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4)")
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Cancels `order` (before anything shipped): in one transaction the state,
/// the stock back on the shelf (ledger), the payment marked refunded and the
/// mail; then the provider refunds the money.
pub async fn cancel(shop: &Payments, order: i64, actor: &str) -> Result<(), AppError> {
    let mut tx = shop.db.pool.begin().await?;
    let (status, number, email) = status_of(&mut tx, order).await?;
    let to = status.cancel().map_err(|e| AppError::Conflict(e.0))?;
    if !record(&mut tx, order, status, to, actor, "").await? {
        return Err(changed_meanwhile());
    }
    restock(&mut tx, order).await?;
    let refund: Option<(i64, String, i64)> = sqlx::query_as(
        "UPDATE payments SET status = 'refunded', message = 'Refunded: the order was cancelled.', updated_at = $2 \
         WHERE order_id = $1 AND status = 'succeeded' RETURNING id, provider_ref, amount_minor",
    )
    .bind(order)
    .bind(now())
    .fetch_optional(&mut *tx)
    .await?;
    let body = match refund {
        Some(_) => format!("Your order {number} is cancelled. The full amount is being refunded to your card."),
        None => format!("Your order {number} is cancelled. You were not charged."),
    };
    queue_mail(&mut tx, &email, &format!("Order {number} cancelled"), &body).await?;
    tx.commit().await?;
    if let Some((payment, reference, amount)) = refund {
        if let Err(error) = shop.provider.refund(&reference, amount).await {
            // Recorded for staff: the order is cancelled, the money still has to go back.
            tracing::error!(%error, number, "refund after cancellation failed");
            sqlx::query("UPDATE payments SET status = 'succeeded', message = $2 WHERE id = $1")
                .bind(payment)
                .bind(format!("Refund failed ({error}); staff will retry."))
                .execute(&shop.db.pool)
                .await?;
        }
    }
    Ok(())
}

/// Staff shipped everything left in `order` with `carrier` under `tracking`.
pub async fn ship(shop: &Payments, order: i64, carrier: &str, tracking: &str, actor: &str) -> Result<(), AppError> {
    let mut tx = shop.db.pool.begin().await?;
    let (status, number, email) = status_of(&mut tx, order).await?;
    let to = status.ship(true).map_err(|e| AppError::Conflict(e.0))?;
    if !record(&mut tx, order, status, to, actor, &format!("{carrier} {tracking}")).await? {
        return Err(changed_meanwhile());
    }
    sqlx::query("INSERT INTO shipments (order_id, carrier, tracking, shipped_at) VALUES ($1, $2, $3, $4)")
        .bind(order)
        .bind(carrier)
        .bind(tracking)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    let body = format!(
        "Your order {number} is on its way with {carrier}. Tracking number: {tracking}.\n\n\
         Follow it on your order page: {}/order/{number}",
        shop.public_url
    );
    queue_mail(&mut tx, &email, &format!("Order {number} shipped"), &body).await?;
    tx.commit().await?;
    Ok(())
}

/// The carrier delivered `order`.
pub async fn deliver(shop: &Payments, order: i64, actor: &str) -> Result<(), AppError> {
    let mut tx = shop.db.pool.begin().await?;
    let (status, number, email) = status_of(&mut tx, order).await?;
    let to = status.deliver().map_err(|e| AppError::Conflict(e.0))?;
    if !record(&mut tx, order, status, to, actor, "").await? {
        return Err(changed_meanwhile());
    }
    sqlx::query("UPDATE shipments SET delivered_at = $2 WHERE order_id = $1 AND delivered_at IS NULL")
        .bind(order)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    queue_mail(&mut tx, &email, &format!("Order {number} delivered"), &format!("Your order {number} was delivered."))
        .await?;
    tx.commit().await?;
    Ok(())
}
