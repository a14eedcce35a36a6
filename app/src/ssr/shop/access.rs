//! Who may see and act on an order: its signed-in owner, or anyone holding
//! the order's secret key (guests get it by email). Everyone else is told
//! the order does not exist, so an order number alone reveals nothing.

use crate::error::AppError;
use crate::ssr::auth::token_hash;
use crate::ssr::Db;

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
