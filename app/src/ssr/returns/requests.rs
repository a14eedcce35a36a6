//! Returns: the shopper asks within the return window, staff approve or
//! refuse and receive the items (each unit back on the shelf or written off,
//! in the inventory ledger); the refund that follows is in [`super::refunds`].

use crate::ssr::orders::moves::{advance, load_facts, record};
use crate::domain::tax::{refund_for, LineTax};
use crate::domain::orders::{OrderStatus, ReturnStatus, RETURN_WINDOW_SECS};
use crate::error::AppError;
use crate::ssr::{mail, now, Shop};
use sqlx::AnyConnection;

/// When `order` was delivered, if it was.
pub async fn delivered_at(conn: &mut AnyConnection, order: i64) -> Result<Option<i64>, AppError> {
    let (at,): (Option<i64>,) = sqlx::query_as(
        "SELECT MAX(at) FROM order_events WHERE order_id = $1 AND to_status = 'delivered' AND from_status <> 'delivered'",
    )
    .bind(order)
    .fetch_one(&mut *conn)
    .await?;
    Ok(at)
}

/// What of each line may still be returned: (variant id, quantity).
pub async fn returnable(conn: &mut AnyConnection, order: i64) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT l.variant_id, l.quantity - CAST(COALESCE((SELECT SUM(rl.quantity) FROM return_lines rl \
         JOIN returns r ON r.id = rl.return_id WHERE r.order_id = l.order_id AND rl.variant_id = l.variant_id \
         AND r.status <> 'rejected'), 0) AS BIGINT) FROM order_lines l WHERE l.order_id = $1 ORDER BY l.product_id, l.variant_id",
    )
    .bind(order)
    .fetch_all(&mut *conn)
    .await?)
}

/// The shopper asks to send `items` (variant id, quantity) of `order` back.
pub async fn request(
    shop: &Shop,
    order: i64,
    items: &[(i64, i64)],
    reason: &str,
    actor: &str,
) -> Result<(), AppError> {
    let reason = reason.trim();
    if reason.chars().count() < 3 || reason.chars().count() > 1000 {
        return Err(AppError::BadRequest("Tell us in a few words why you are returning the items (up to 1000 characters).".into()));
    }
    let mut tx = shop.db.begin_write().await?;
    let delivered = delivered_at(&mut tx, order).await?;
    if delivered.is_some_and(|at| now() - at > RETURN_WINDOW_SECS) {
        return Err(AppError::Conflict(format!(
            "Returns are possible within {} days of delivery; this order was delivered earlier.",
            RETURN_WINDOW_SECS / 86_400
        )));
    }
    let left = returnable(&mut tx, order).await?;
    for (variant, quantity) in items {
        if !left.iter().any(|(p, most)| p == variant && quantity <= most) {
            return Err(AppError::BadRequest("You can return at most the quantity you bought of each item.".into()));
        }
    }
    let (_, facts) = advance(&mut tx, order, OrderStatus::request_return, actor, reason).await?;
    let now = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO returns (order_id, status, reason, requested_at, updated_at) VALUES ($1, 'requested', $2, $3, $3) RETURNING id",
    )
    .bind(order)
    .bind(reason)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    for (variant, quantity) in items {
        sqlx::query("INSERT INTO return_lines (return_id, variant_id, quantity) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(variant)
            .bind(quantity)
            .execute(&mut *tx)
            .await?;
    }
    let body = format!(
        "We received your request to return items from order {}. We will answer within two working days.\n\n\
         Your order page: {}",
        facts.number,
        facts.link(&shop.public_url)
    );
    mail::enqueue_about(&mut *tx, order, &facts.email, &format!("Return request for order {}", facts.number), &body).await?;
    tx.commit().await?;
    Ok(())
}

/// The return of `order` that is in progress: (id, status).
pub(super) async fn open_return(conn: &mut AnyConnection, order: i64) -> Result<(i64, ReturnStatus), AppError> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, status FROM returns WHERE order_id = $1 AND status IN ('requested', 'approved', 'received')",
    )
    .bind(order)
    .fetch_optional(&mut *conn)
    .await?;
    let (id, status) = row.ok_or_else(|| AppError::Conflict("This order has no return in progress.".into()))?;
    Ok((id, ReturnStatus::parse(&status).ok_or(AppError::Internal)?))
}

/// Moves return `id` from `from` to `to`, guarded like order moves.
pub(super) async fn move_return(conn: &mut AnyConnection, id: i64, from: ReturnStatus, to: ReturnStatus, note: &str) -> Result<(), AppError> {
    let moved = sqlx::query("UPDATE returns SET status = $3, staff_note = $4, updated_at = $5 WHERE id = $1 AND status = $2")
        .bind(id)
        .bind(from.key())
        .bind(to.key())
        .bind(note)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    if moved.rows_affected() != 1 {
        return Err(AppError::Conflict("The return changed meanwhile. Reload the page and try again.".into()));
    }
    Ok(())
}

/// Staff answer the open return of `order`: approved (the shopper sends the
/// items) or refused with `note` (the order is delivered again).
pub async fn decide(shop: &Shop, order: i64, approve: bool, note: &str, actor: &str) -> Result<(), AppError> {
    let mut tx = shop.db.begin_write().await?;
    let (id, status) = open_return(&mut tx, order).await?;
    let to = if approve { status.approve() } else { status.reject() }.map_err(|e| AppError::Conflict(e.0))?;
    move_return(&mut tx, id, status, to, note).await?;
    let facts = load_facts(&mut tx, order).await?;
    let timeline = if approve { format!("Return approved{}", suffix(note)) } else { format!("Return refused{}", suffix(note)) };
    if approve {
        record(&mut tx, order, facts.status, facts.status, actor, &timeline).await?;
    } else {
        advance(&mut tx, order, OrderStatus::reject_return, actor, &timeline).await?;
    }
    let body = if approve {
        format!(
            "Your return for order {} is approved. Pack the items with the order number and send them back to us; \
             we refund you once they arrive.{}\n\nYour order page: {}",
            facts.number,
            suffix(note),
            facts.link(&shop.public_url)
        )
    } else {
        format!(
            "We cannot accept the return for order {}{}.\n\nYour order page: {}",
            facts.number,
            suffix(note),
            facts.link(&shop.public_url)
        )
    };
    mail::enqueue_about(&mut *tx, order, &facts.email, &format!("Your return for order {}", facts.number), &body).await?;
    tx.commit().await?;
    Ok(())
}

fn suffix(note: &str) -> String {
    if note.is_empty() { String::new() } else { format!(": {note}") }
}

/// Staff received the returned items of `order`; `restock` says how many of
/// each variant go back on the shelf (the rest are written off). Both are
/// inventory ledger entries: every returned unit comes back in, written-off
/// units leave again.
pub async fn receive(shop: &Shop, order: i64, restock: &[(i64, i64)], actor: &str) -> Result<(), AppError> {
    let mut tx = shop.db.begin_write().await?;
    let (id, status) = open_return(&mut tx, order).await?;
    let to = status.receive().map_err(|e| AppError::Conflict(e.0))?;
    let lines: Vec<(i64, i64)> =
        sqlx::query_as(
            "SELECT rl.variant_id, rl.quantity FROM return_lines rl JOIN product_variants v ON v.id = rl.variant_id \
             WHERE rl.return_id = $1 ORDER BY v.product_id, rl.variant_id",
        )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
    for (variant, _) in restock {
        if !lines.iter().any(|(p, _)| p == variant) {
            return Err(AppError::BadRequest("One of the items is not part of this return.".into()));
        }
    }
    move_return(&mut tx, id, status, to, "").await?;
    let now = now();
    for (variant, quantity) in &lines {
        let back = restock.iter().find(|(v, _)| v == variant).map_or(0, |(_, q)| *q);
        if back > *quantity || back < 0 {
            return Err(AppError::BadRequest(format!("At most {quantity} of an item came back.")));
        }
        sqlx::query("UPDATE return_lines SET restocked = $3 WHERE return_id = $1 AND variant_id = $2")
            .bind(id)
            .bind(variant)
            .bind(back)
            .execute(&mut *tx)
            .await?;
        if back > 0 {
            sqlx::query("UPDATE product_variants SET stock = stock + $2 WHERE id = $1").bind(variant).bind(back).execute(&mut *tx).await?;
        }
        for (delta, reason) in [(*quantity, "returned"), (back - quantity, "written-off")] {
            if delta != 0 {
                sqlx::query(
                    "INSERT INTO inventory_ledger (product_id, variant_id, delta, reason, order_id, actor, at) \
                     SELECT product_id, id, $2, $3, $4, $5, $6 FROM product_variants WHERE id = $1",
                )
                .bind(variant)
                .bind(delta)
                .bind(reason)
                .bind(order)
                .bind(actor)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    advance(&mut tx, order, OrderStatus::receive_return, actor, "Returned items received").await?;
    tx.commit().await?;
    Ok(())
}

/// What the customer paid for the items of return `id` of `order`: each
/// line's part of its value less its share of the discount, plus its tax
/// when the tax was added (see [`refund_for`]).
pub(super) async fn return_value(conn: &mut AnyConnection, order: i64, id: i64) -> Result<i64, AppError> {
    let lines: Vec<(i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT rl.quantity, l.quantity, l.unit_price_minor, l.discount_minor, l.tax_minor, o.tax_included \
         FROM return_lines rl JOIN order_lines l ON l.order_id = $1 AND l.variant_id = rl.variant_id \
         JOIN orders o ON o.id = l.order_id WHERE rl.return_id = $2",
    )
    .bind(order)
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(lines
        .into_iter()
        .map(|(returned, bought, unit, discount, tax, included)| {
            refund_for(returned, bought, unit.saturating_mul(bought), LineTax { discount, tax }, included == 1)
        })
        .sum())
}
