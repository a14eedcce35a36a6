//! A deleted account's reviews, votes and reports go with it; the ratings
//! of the products it had reviewed are rewritten in the same transaction.

use super::rating;
use crate::error::AppError;
use sqlx::AnyConnection;

/// Removes everything user `user` said about reviews, inside the caller's transaction.
pub async fn author(conn: &mut AnyConnection, user: i64) -> Result<(), AppError> {
    // In product order, so two deletions lock products in the same order.
    let products: Vec<(i64,)> =
        sqlx::query_as("SELECT product_id FROM reviews WHERE user_id = $1 AND status = 'published' ORDER BY product_id")
        .bind(user)
        .fetch_all(&mut *conn)
        .await?;
    for statement in [
        "UPDATE reviews SET helpful = helpful - 1 WHERE id IN (SELECT review_id FROM review_votes WHERE user_id = $1)",
        "UPDATE reviews SET reports = reports - 1 WHERE reports > 0 AND id IN (SELECT review_id FROM review_reports WHERE user_id = $1)",
        "DELETE FROM review_votes WHERE user_id = $1",
        "DELETE FROM review_reports WHERE user_id = $1",
        "DELETE FROM reviews WHERE user_id = $1",
    ] {
        sqlx::query(statement).bind(user).execute(&mut *conn).await?;
    }
    for (product,) in products {
        rating::refresh(conn, product).await?;
    }
    Ok(())
}
