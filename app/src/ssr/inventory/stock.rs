//! Stock on the shelf, per variant: an order takes it with a guarded
//! decrement (never below zero, the schema refuses it too), gives it back
//! when it is released, cancelled or returned, and every movement is written
//! to the inventory ledger. Unpaid orders hold their stock for
//! [`RESERVE_SECS`]. Variants are always taken in (product, variant) order:
//! a variant's change also locks its product's row (the total's trigger), so
//! two orders never lock products crosswise.

use crate::domain::variants::line_name;
use crate::error::AppError;
use crate::ssr::db::Db;
use crate::ssr::now;
use crate::ssr::pricing::promos::{give_back_promo, retake_promo};
use sqlx::AnyConnection;

/// How long an unpaid order holds its stock.
pub const RESERVE_SECS: i64 = 15 * 60;

/// Takes `quantity` of `variant` off the shelf for `order`: the guarded
/// decrement (the product's total follows by trigger), its ledger entry, and
/// a low-stock mail to the admins and the product's seller's staff (who
/// manage its stock) when the stock falls to the variant's threshold,
/// linking to the product's page under `shop_url`. `name` is what the
/// shopper calls it (with its options).
pub async fn take_stock(conn: &mut AnyConnection, order: i64, variant: i64, quantity: i64, name: &str, shop_url: &str) -> Result<(), AppError> {
    let left: Option<(i64, i64, i64)> = sqlx::query_as(
        "UPDATE product_variants SET stock = stock - $2 WHERE id = $1 AND stock >= $2 \
         RETURNING stock, low_stock_threshold, product_id",
    )
    .bind(variant)
    .bind(quantity)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((left, threshold, product)) = left else {
        let (stock,): (i64,) =
            sqlx::query_as("SELECT stock FROM product_variants WHERE id = $1").bind(variant).fetch_one(&mut *conn).await?;
        return Err(AppError::Conflict(match stock {
            0 => format!("{name} has just sold out. Remove it from your cart to check out."),
            n => format!("Only {n} left of {name}. Lower the quantity to check out."),
        }));
    };
    ledger(conn, variant, -quantity, "reserved", order).await?;
    alert_if_low(conn, (product, variant), name, (left + quantity, left), threshold, shop_url).await?;
    Ok(())
}

/// When a change takes `variant` of `product` from above its low-stock
/// `threshold` to it or under (`(before, after)`), mails the admins and the
/// product's seller's staff (who manage its stock) through the outbox, with
/// a link under `shop_url` to that variant's stock and ledger. `name` is
/// what the variant is called ("Tee (M / Red)").
pub async fn alert_if_low(
    conn: &mut AnyConnection,
    (product, variant): (i64, i64),
    name: &str,
    (before, after): (i64, i64),
    threshold: i64,
    shop_url: &str,
) -> Result<(), AppError> {
    if after > threshold || before <= threshold {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO outbox_emails (to_address, subject, body, created_at, next_attempt_at) \
         SELECT email, $1, $2, $3, $3 FROM users WHERE disabled_at IS NULL AND (role IN ('admin', 'catalog') \
             OR (role = 'seller' AND seller_id = (SELECT seller_id FROM products WHERE id = $4)))",
    )
    .bind(format!("Low stock: {name}"))
    .bind(format!(
        "{name} (product {product}, variant {variant}) is down to {after} in stock. \
         Restock it in the back office: {shop_url}/admin/products/{product}?variant={variant}#stock"
    ))
    .bind(now())
    .bind(product)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn ledger(conn: &mut AnyConnection, variant: i64, delta: i64, reason: &str, order: i64) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO inventory_ledger (product_id, variant_id, delta, reason, order_id, actor, at) \
         SELECT product_id, id, $2, $3, $4, 'checkout', $5 FROM product_variants WHERE id = $1",
    )
        .bind(variant)
        .bind(delta)
        .bind(reason)
        .bind(order)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Puts an unpaid order's stock back on the shelf (once); false if it held none.
pub async fn release(db: &Db, order: i64) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    // Guarded by status in the same statement: a payment that marks the order
    // paid meanwhile (PostgreSQL re-checks the row after its lock) keeps the stock.
    if !restock_where(&mut tx, order, Holding::Unpaid).await? {
        return Ok(false);
    }
    give_back_promo(&mut tx, order).await?;
    tx.commit().await?;
    Ok(true)
}

/// Puts the stock `order` holds back on the shelf, with ledger entries;
/// false if it held none (already released, or never).
pub async fn restock(conn: &mut AnyConnection, order: i64) -> Result<bool, AppError> {
    restock_where(conn, order, Holding::Any).await
}

/// Which orders holding stock [`restock_where`] gives it back for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Holding {
    /// Any order (a cancellation, a return: the caller checked the state).
    Any,
    /// Only an order still waiting for its payment.
    Unpaid,
}

/// [`restock`], for an order of the kind `holding` names.
async fn restock_where(conn: &mut AnyConnection, order: i64, holding: Holding) -> Result<bool, AppError> {
    let held = sqlx::query(
        "UPDATE orders SET stock_held = 0, updated_at = $2 WHERE id = $1 AND stock_held = 1 \
         AND ($3 = 0 OR status = 'pending-payment')",
    )
    .bind(order)
    .bind(now())
    .bind(i64::from(holding == Holding::Unpaid))
    .execute(&mut *conn)
    .await?;
    if held.rows_affected() != 1 {
        return Ok(false);
    }
    let lines: Vec<(i64, i64)> =
        sqlx::query_as("SELECT variant_id, quantity FROM order_lines WHERE order_id = $1 ORDER BY product_id, variant_id")
            .bind(order)
            .fetch_all(&mut *conn)
            .await?;
    for (variant, quantity) in lines {
        sqlx::query("UPDATE product_variants SET stock = stock + $2 WHERE id = $1").bind(variant).bind(quantity).execute(&mut *conn).await?;
        ledger(conn, variant, quantity, "released", order).await?;
    }
    Ok(true)
}

/// Takes a released order's stock again (a shopper retrying payment), for
/// another [`RESERVE_SECS`]. Refused when something sold out meanwhile.
pub async fn hold_again(conn: &mut AnyConnection, order: i64, shop_url: &str) -> Result<(), AppError> {
    let now = now();
    let held = sqlx::query(
        "UPDATE orders SET stock_held = 1, reserved_until = $2, updated_at = $3 \
         WHERE id = $1 AND stock_held = 0 AND status = 'pending-payment'",
    )
    .bind(order)
    .bind(now + RESERVE_SECS)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if held.rows_affected() == 1 {
        let lines: Vec<(i64, i64, String, String)> =
            sqlx::query_as("SELECT variant_id, quantity, name, variant FROM order_lines WHERE order_id = $1 ORDER BY product_id, variant_id")
                .bind(order)
                .fetch_all(&mut *conn)
                .await?;
        for (variant, quantity, name, title) in lines {
            take_stock(conn, order, variant, quantity, &line_name(&name, &title), shop_url).await?;
        }
        retake_promo(conn, order).await?;
    }
    Ok(())
}

/// Releases the stock of unpaid orders whose time ran out (no payment in
/// flight); returns how many.
pub async fn release_expired(db: &Db) -> Result<usize, AppError> {
    let due: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM orders o WHERE status = 'pending-payment' AND stock_held = 1 AND reserved_until < $1 \
         AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status = 'processing') LIMIT 200",
    )
    .bind(now())
    .fetch_all(&db.pool)
    .await?;
    let mut released = 0;
    for (order,) in due {
        released += usize::from(release(db, order).await?);
    }
    Ok(released)
}
