//! A product's rating from its published reviews: count and average,
//! rewritten inside the transaction that changed a review. Writing the
//! columns fires `products_search_update`, so search, the read caches and
//! cached pages follow.

use crate::error::AppError;
use sqlx::AnyConnection;

/// Rewrites `product`'s rating_avg and rating_count from its published reviews.
/// On PostgreSQL the product's row is locked first, so two transactions
/// changing its reviews count one after the other (a count taken before the
/// other's commit would be written over it); SQLite writes one at a time.
pub async fn refresh(conn: &mut AnyConnection, product: i64) -> Result<(), AppError> {
    if crate::ssr::db::is_postgres(conn) {
        sqlx::query("SELECT id FROM products WHERE id = $1 FOR UPDATE").bind(product).execute(&mut *conn).await?;
    }
    let (count, sum): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(rating), 0) AS BIGINT) FROM reviews \
         WHERE product_id = $1 AND status = 'published'",
    )
    .bind(product)
    .fetch_one(&mut *conn)
    .await?;
    let avg = if count == 0 { 0.0 } else { sum as f64 / count as f64 };
    sqlx::query("UPDATE products SET rating_avg = $2, rating_count = $3 WHERE id = $1")
        .bind(product)
        .bind(avg)
        .bind(count)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
