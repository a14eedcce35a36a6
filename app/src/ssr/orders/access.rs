//! Who may see and act on an order: its signed-in owner, or anyone holding
//! the order's secret key (guests get it by email). Everyone else is told
//! the order does not exist, so an order number alone reveals nothing.
//! Staff reach every order (admins) or those holding their seller's items.

use crate::error::AppError;
use crate::ssr::accounts::users::User;
use crate::ssr::accounts::{token_hash, Staff};
use crate::ssr::Db;

/// Order `number`'s page with its secret key (works signed out, for guests),
/// under `base` (the shop's public URL, or empty for a path).
pub fn order_link(base: &str, number: &str, key: &str) -> String {
    format!("{base}/order/{number}?key={key}")
}

/// The id and secret key of order `number`, when `key` is its key or `user` owns it.
pub async fn order_for(db: &Db, number: &str, key: &str, user: Option<i64>) -> Result<(i64, String), AppError> {
    let not_found = || AppError::NotFound("There is no such order, or the link is incomplete.".into());
    if number.len() > 64 {
        return Err(not_found());
    }
    let row: Option<(i64, Option<i64>, String)> =
        sqlx::query_as("SELECT id, user_id, access_token FROM orders WHERE number = $1")
            .bind(number)
            .fetch_optional(&db.pool)
            .await?;
    let (id, owner, secret) = row.ok_or_else(not_found)?;
    // Compared as hashes, so the comparison's time says nothing about the key.
    let by_key = !key.is_empty() && token_hash(key) == token_hash(&secret);
    match (by_key, user, owner) {
        (true, _, _) => Ok((id, secret)),
        (false, Some(user), Some(owner)) if user == owner => Ok((id, secret)),
        _ => Err(not_found()),
    }
}

/// SQL condition: the order (table `orders`) holds items of seller `$2`, or
/// `$2` is 0 (an admin, who sees every order).
pub const SELLER_SCOPE: &str = "($2 = 0 OR EXISTS (SELECT 1 FROM order_lines l JOIN products p ON p.id = l.product_id \
     WHERE l.order_id = orders.id AND p.seller_id = $2))";

/// The variants (order lines) of `order` that `seller` sells.
pub async fn seller_lines(db: &Db, order: i64, seller: i64) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT l.variant_id FROM order_lines l JOIN products p ON p.id = l.product_id \
         WHERE l.order_id = $1 AND p.seller_id = $2",
    )
    .bind(order)
    .bind(seller)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The parcels of `order` holding only `seller`'s items: theirs to report on.
pub async fn seller_parcels(db: &Db, order: i64, seller: i64) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT s.id FROM shipments s WHERE s.order_id = $1 AND NOT EXISTS (SELECT 1 FROM shipment_lines sl \
         JOIN product_variants v ON v.id = sl.variant_id JOIN products p ON p.id = v.product_id WHERE sl.shipment_id = s.id AND (p.seller_id IS NULL OR p.seller_id <> $2))",
    )
    .bind(order)
    .bind(seller)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The number of the order parcel `shipment` belongs to.
pub async fn shipped_in(db: &Db, shipment: i64) -> Result<Option<String>, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT o.number FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.id = $1")
            .bind(shipment)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(number,)| number))
}

/// The number and secret key of the order the payment with provider
/// reference `reference` is for.
pub async fn paid_with(db: &Db, reference: &str) -> Result<Option<(String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT o.number, o.access_token FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.provider_ref = $1",
    )
    .bind(reference)
    .fetch_optional(&db.pool)
    .await?)
}

/// Order `number` for the signed-in staff member doing `what`: its id, the
/// staff member and their reach. A seller's staff find only orders holding
/// their seller's items (404 for others).
pub async fn staff_on_order(number: &str, what: &str) -> Result<(i64, User, Staff), AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = crate::ssr::accounts::signed_in_staff(&state.db, crate::ssr::accounts::Area::Orders, what).await?;
    let seller = match reach {
        Staff::Admin => 0,
        Staff::Seller(seller) => seller,
    };
    let id: Option<(i64,)> = sqlx::query_as(&format!("SELECT id FROM orders WHERE number = $1 AND {SELLER_SCOPE}"))
        .bind(number)
        .bind(seller)
        .fetch_optional(&state.db.pool)
        .await?;
    let (id,) = id.ok_or_else(|| AppError::NotFound("There is no such order.".into()))?;
    Ok((id, user, reach))
}

/// How a staff member is named on an order's timeline.
pub fn actor(user: &User) -> String {
    format!("{}:{}", user.role().key(), user.email)
}
