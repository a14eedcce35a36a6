//! "Customers who bought this also bought": every pair of products bought
//! in one paid order counts once, both ways. A chore reads the orders paid
//! since the last round (the order events' moves from awaiting payment to
//! paid, once a minute old, so no transaction still open is passed over),
//! at most [`ORDERS_PER_ROUND`] at a time, and adds their pairs; the round
//! is claimed by moving the one `co_purchase_state` row, so app servers
//! sharing a database count each order once. The product page asks for
//! the products bought most often with it that are for sale now.

use crate::error::AppError;
use crate::ssr::db::Db;
use crate::ssr::now;
use sqlx::AnyConnection;
use std::collections::{BTreeMap, BTreeSet};

/// Paid orders one round reads at most (a shop's past orders take several rounds).
pub const ORDERS_PER_ROUND: i64 = 2_000;
/// Of a bigger order, the pairs of its first this many products count.
const PRODUCTS_PER_ORDER: usize = 20;

/// The pairs (product, other) of one order's products, both ways.
pub fn pairs(products: &BTreeSet<i64>) -> Vec<(i64, i64)> {
    let products: Vec<i64> = products.iter().copied().take(PRODUCTS_PER_ORDER).collect();
    let mut out = Vec::with_capacity(products.len() * products.len().saturating_sub(1));
    for &a in &products {
        for &b in &products {
            if a != b {
                out.push((a, b));
            }
        }
    }
    out
}

/// Adds the pairs of the orders paid since the last round; the number of orders counted.
pub async fn refresh(db: &Db) -> Result<usize, AppError> {
    // Read first: most rounds find nothing and never take the write lock
    // (the claim below makes a round read twice by two servers count once).
    let mut conn = db.pool.acquire().await?;
    let (seen,): (i64,) = sqlx::query_as("SELECT paid_seen FROM co_purchase_state WHERE id = 1").fetch_one(&mut *conn).await?;
    let paid: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, order_id FROM order_events WHERE id > $1 AND at < $2 \
         AND from_status = 'pending-payment' AND to_status = 'paid' ORDER BY id LIMIT $3",
    )
    .bind(seen)
    .bind(now() - crate::ssr::orders::moves::SETTLED_SECS)
    .bind(ORDERS_PER_ROUND)
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let Some(&(last, _)) = paid.last() else { return Ok(0) };
    let mut tx = db.begin_write().await?;
    let claimed = sqlx::query("UPDATE co_purchase_state SET paid_seen = $2 WHERE id = 1 AND paid_seen = $1")
        .bind(seen)
        .bind(last)
        .execute(&mut *tx)
        .await?;
    if claimed.rows_affected() != 1 {
        return Ok(0);
    }
    let orders: Vec<i64> = paid.iter().map(|(_, order)| *order).collect();
    let mut products: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    for chunk in orders.chunks(500) {
        let sql = format!(
            "SELECT order_id, product_id FROM order_lines WHERE order_id IN ({})",
            crate::ssr::db::placeholders(1, chunk.len())
        );
        let mut query = sqlx::query_as::<_, (i64, i64)>(&sql);
        for order in chunk {
            query = query.bind(*order);
        }
        for (order, product) in query.fetch_all(&mut *tx).await? {
            products.entry(order).or_default().insert(product);
        }
    }
    let mut counts: BTreeMap<(i64, i64), i64> = BTreeMap::new();
    for bought in products.values() {
        for pair in pairs(bought) {
            *counts.entry(pair).or_default() += 1;
        }
    }
    let counts: Vec<((i64, i64), i64)> = counts.into_iter().collect();
    for chunk in counts.chunks(300) {
        let sql = format!(
            "{} ON CONFLICT (product_id, other_id) DO UPDATE SET orders = co_purchases.orders + excluded.orders",
            crate::ssr::db::values_sql("INSERT INTO co_purchases (product_id, other_id, orders) VALUES", chunk.len(), 3)
        );
        let mut query = sqlx::query(&sql);
        for ((product, other), n) in chunk {
            query = query.bind(*product).bind(*other).bind(*n);
        }
        query.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(orders.len())
}

/// The products bought most often with `product` that are for sale now (then
/// the more popular first), at most `limit`.
pub async fn also_bought(conn: &mut AnyConnection, product: i64, limit: i64) -> Result<Vec<i64>, AppError> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT cp.other_id FROM co_purchases cp JOIN products p ON p.id = cp.other_id \
         WHERE cp.product_id = $1 AND p.status = 'active' AND p.stock > 0 \
         ORDER BY cp.orders DESC, p.popularity DESC, p.id LIMIT $2",
    )
    .bind(product)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// What a cart's `products` are most often bought with, summed over them:
/// for sale now and not in the cart already, at most `limit`.
pub async fn with_all(conn: &mut AnyConnection, products: &[i64], limit: i64) -> Result<Vec<i64>, AppError> {
    if products.is_empty() {
        return Ok(Vec::new());
    }
    let (n, list) = (products.len(), crate::ssr::db::placeholders(1, products.len()));
    let sql = format!(
        "SELECT cp.other_id FROM co_purchases cp JOIN products p ON p.id = cp.other_id \
         WHERE cp.product_id IN ({list}) AND cp.other_id NOT IN ({list}) AND p.status = 'active' AND p.stock > 0 \
         GROUP BY cp.other_id ORDER BY SUM(cp.orders) DESC, MAX(p.popularity) DESC, cp.other_id LIMIT ${}",
        n + 1
    );
    let mut query = sqlx::query_as::<_, (i64,)>(&sql);
    for product in products {
        query = query.bind(*product);
    }
    let rows = query.bind(limit).fetch_all(conn).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_orders_products_pair_both_ways_and_a_big_order_is_capped() {
        assert_eq!(pairs(&BTreeSet::from([1])), vec![]);
        assert_eq!(pairs(&BTreeSet::from([3, 1, 2])), vec![(1, 2), (1, 3), (2, 1), (2, 3), (3, 1), (3, 2)]);
        assert_eq!(pairs(&(1..=50).collect()).len(), 20 * 19);
    }
}
