//! Reviews and ratings: customers write one review per product (only
//! buyers, unless the shop allows everyone), edit and delete it; shoppers
//! mark reviews helpful and report abuse; moderators publish, turn down with
//! a reason and answer in public. A product's rating is its published
//! reviews', rewritten in the same transaction as every change.

pub mod forget;
pub mod moderate;
pub mod read;
pub mod rules;
pub mod summary;
pub mod votes;
pub mod write;

mod html;
mod rating;

use crate::error::AppError;
use sqlx::AnyConnection;

/// The signed-in moderator: an admin or a catalog manager (401 without a
/// session, 403 for anyone else).
pub async fn moderator(db: &crate::ssr::db::Db) -> Result<crate::ssr::accounts::users::User, AppError> {
    crate::ssr::accounts::signed_in_manager(db, crate::ssr::accounts::Area::Catalog, "moderate reviews").await
}

/// An active product's id and name by its handle, or 404.
async fn active_product(conn: &mut AnyConnection, slug: &str) -> Result<(i64, String), AppError> {
    sqlx::query_as("SELECT id, name FROM products WHERE slug = $1 AND status = 'active'")
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound("No such product.".into()))
}

/// SQL that is 1 when review `r` is by a customer who received its product
/// in a delivered order, else 0.
const VERIFIED_SQL: &str = "CAST(CASE WHEN EXISTS (SELECT 1 FROM orders o JOIN order_lines l ON l.order_id = o.id \
     WHERE o.user_id = r.user_id AND l.product_id = r.product_id \
     AND EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id AND e.to_status = 'delivered')) THEN 1 ELSE 0 END AS BIGINT)";
