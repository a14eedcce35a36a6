//! Popularity from what shoppers do. Each product has a "heat": a look at
//! its page adds 1 (once a day per shopper; `ssr/analytics/funnel.rs`
//! counts them with the funnel), each paid order line adds [`PURCHASE`],
//! and every heat halves each [`HALF_LIFE_DAYS`] (all of them at once at
//! the turn of a day, which keeps their order). `products.popularity`
//! follows the heat (× [`SCALE`]) every [`SYNC_SECS`], where it moved by
//! more than a twentieth, so search's relevance boost, "popular" sorting
//! and the home page follow the shoppers without re-indexing the catalog
//! for every look. Every step is claimed by a conditional update of the
//! one `popularity_state` row, so app servers sharing a database do each
//! step once.

use crate::error::AppError;
use crate::ssr::db::Db;
use crate::ssr::now;
use sqlx::AnyConnection;

/// Days after which a look or a purchase counts half.
pub const HALF_LIFE_DAYS: f64 = 7.0;
/// What a paid order line adds, in looks.
pub const PURCHASE: f64 = 10.0;
/// `products.popularity` is the heat times this, rounded.
pub const SCALE: f64 = 10.0;
/// How often `products.popularity` follows the heat.
pub const SYNC_SECS: i64 = 600;
/// Products one sync rewrites at most, the biggest moves first: the day's
/// decay moves every product a little, and each rewrite re-indexes one.
const SYNC_BATCH: i64 = 5_000;

/// What heat keeps after `days` days.
pub fn decay(days: i64) -> f64 {
    0.5f64.powf(days.max(0) as f64 / HALF_LIFE_DAYS)
}

/// Adds `looks` (product slug, new shoppers who looked) to the products' heat.
pub async fn add_looks(conn: &mut AnyConnection, looks: &[(String, i64)]) -> Result<(), AppError> {
    for (slug, count) in looks {
        sqlx::query(
            "INSERT INTO product_heat (product_id, heat) SELECT id, $2 FROM products WHERE slug = $1 \
             ON CONFLICT (product_id) DO UPDATE SET heat = product_heat.heat + excluded.heat",
        )
        .bind(slug.as_str())
        .bind(*count as f64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Decays the heat at the turn of the day, adds the orders paid since the
/// last round, and every [`SYNC_SECS`] lets `products.popularity` follow;
/// the number of products whose popularity changed.
pub async fn refresh(db: &Db) -> Result<usize, AppError> {
    // Read first: most rounds have nothing to do and never take the write
    // lock (each step's claim makes a round read by two servers run once).
    let mut conn = db.pool.acquire().await?;
    let (decayed_day, paid_seen, synced_at): (i64, i64, i64) =
        sqlx::query_as("SELECT decayed_day, paid_seen, synced_at FROM popularity_state WHERE id = 1").fetch_one(&mut *conn).await?;
    let now = now();
    let today = now.div_euclid(crate::domain::analytics::DAY_SECS);
    let (settled,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM order_events WHERE at < $1")
        .bind(now - crate::ssr::orders::moves::SETTLED_SECS)
        .fetch_one(&mut *conn)
        .await?;
    drop(conn);
    let settled = settled.unwrap_or(0);
    if today <= decayed_day && settled <= paid_seen && now - synced_at < SYNC_SECS {
        return Ok(0);
    }
    let mut tx = db.begin_write().await?;
    if today > decayed_day && claim(&mut tx, "decayed_day", decayed_day, today).await? {
        sqlx::query("UPDATE product_heat SET heat = heat * $1").bind(decay(today - decayed_day)).execute(&mut *tx).await?;
        // A heat this small is nothing: its product's popularity goes to 0.
        sqlx::query("DELETE FROM product_heat WHERE heat < 0.05").execute(&mut *tx).await?;
    }
    if settled > paid_seen && claim(&mut tx, "paid_seen", paid_seen, settled).await? {
        sqlx::query(&format!(
            "INSERT INTO product_heat (product_id, heat) \
             SELECT l.product_id, {PURCHASE:?} * COUNT(*) FROM order_events e JOIN order_lines l ON l.order_id = e.order_id \
             WHERE e.id > $1 AND e.id <= $2 AND e.from_status = 'pending-payment' AND e.to_status = 'paid' GROUP BY l.product_id \
             ON CONFLICT (product_id) DO UPDATE SET heat = product_heat.heat + excluded.heat"
        ))
        .bind(paid_seen)
        .bind(settled)
        .execute(&mut *tx)
        .await?;
    }
    let mut changed = 0;
    if now - synced_at >= SYNC_SECS && claim(&mut tx, "synced_at", synced_at, now).await? {
        changed = sync(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// Moves `column` of the state row from `from` to `to`: false if another
/// server moved it first (then it did this step).
async fn claim(conn: &mut AnyConnection, column: &str, from: i64, to: i64) -> Result<bool, AppError> {
    let done = sqlx::query(&format!("UPDATE popularity_state SET {column} = $2 WHERE id = 1 AND {column} = $1"))
        .bind(from)
        .bind(to)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets `products.popularity` from the heat where it moved by more than a
/// twentieth (or by two, or to nothing), at most [`SYNC_BATCH`] products;
/// the number of products changed.
async fn sync(conn: &mut AnyConnection) -> Result<usize, AppError> {
    let target = format!("COALESCE((SELECT CAST(ROUND(h.heat * {SCALE:?}) AS BIGINT) FROM product_heat h WHERE h.product_id = p.id), 0)");
    let moved: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT p.id, {target} FROM products p \
         WHERE ABS({target} - p.popularity) * 20 > p.popularity + 20 OR ({target} = 0 AND p.popularity <> 0) \
         ORDER BY ABS({target} - p.popularity) DESC, p.id LIMIT {SYNC_BATCH}"
    ))
    .fetch_all(&mut *conn)
    .await?;
    for (id, popularity) in &moved {
        sqlx::query("UPDATE products SET popularity = $2 WHERE id = $1").bind(id).bind(popularity).execute(&mut *conn).await?;
    }
    Ok(moved.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heat_halves_each_half_life() {
        assert_eq!(decay(0), 1.0);
        assert!((decay(7) - 0.5).abs() < 1e-12);
        assert!((decay(14) - 0.25).abs() < 1e-12);
        assert!((decay(1) - 0.905_723_664_263_906_7).abs() < 1e-12);
        assert_eq!(decay(-3), 1.0, "a clock that went back decays nothing");
    }
}
