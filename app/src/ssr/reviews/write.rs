//! A customer's own review: the form (may they review this product, and if
//! not why; their review with its state and the moderator's reason), saving
//! it (new or edited; held for a moderator by the shop's rules, a link or a
//! banned word; an edit of a waiting or turned-down review waits again) and
//! deleting it. Limited per client address across servers.

use super::{active_product, rating, rules};
use crate::domain::reviews::{hold_reason, author_name, OwnReview, ReviewForm, ReviewInput, ReviewStatus};
use crate::error::AppError;
use crate::ssr::accounts::limits::{hit, Limit};
use crate::ssr::accounts::users::User;
use crate::ssr::now;
use sqlx::AnyConnection;

/// Review saves and deletions per client address per hour.
const WRITES: Limit = Limit { most: 30, window_secs: 3600 };

async fn signed_in(what: &str) -> Result<(crate::ssr::AppState, User), AppError> {
    let state = crate::ssr::state()?;
    let session = crate::ssr::accounts::session_or_sign_in(what).await?;
    let user = crate::ssr::accounts::require_user(&session, &state.db, what).await?;
    Ok((state, user))
}

/// Whether `user` bought `product` (an order paid for and not cancelled).
async fn bought(conn: &mut AnyConnection, user: i64, product: i64) -> Result<bool, AppError> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id \
         WHERE o.user_id = $1 AND l.product_id = $2 AND o.status NOT IN ('pending-payment', 'cancelled') LIMIT 1",
    )
    .bind(user)
    .bind(product)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// Why `user` may not review `product` under the shop's rules, if they may not.
async fn refusal(conn: &mut AnyConnection, user: &User, product: (i64, &str)) -> Result<Option<String>, AppError> {
    let policy = rules::current(conn).await?;
    if policy.buyers_only && !bought(conn, user.id, product.0).await? {
        return Ok(Some(format!("Only customers who bought {} can review it.", product.1)));
    }
    Ok(None)
}

async fn own(conn: &mut AnyConnection, user: i64, product: i64) -> Result<Option<OwnReview>, AppError> {
    let row: Option<(i64, String, String, String, String)> =
        sqlx::query_as("SELECT rating, title, body, status, reason FROM reviews WHERE product_id = $1 AND user_id = $2")
            .bind(product)
            .bind(user)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(rating, title, body, status, reason)| OwnReview {
        rating,
        title,
        body,
        status: ReviewStatus::parse(&status).unwrap_or(ReviewStatus::Pending),
        reason,
    }))
}

/// The write-a-review page for product `slug`.
pub async fn form(slug: String) -> Result<ReviewForm, AppError> {
    let (state, user) = signed_in("review products").await?;
    let mut conn = state.db.pool.acquire().await?;
    let (id, name) = active_product(&mut conn, &slug).await?;
    let own = own(&mut conn, user.id, id).await?;
    // Someone who wrote one may always edit or delete it.
    let refusal = if own.is_some() { None } else { refusal(&mut conn, &user, (id, &name)).await? };
    Ok(ReviewForm { product: name, slug, refusal, own })
}

/// Saves the signed-in customer's review of `slug`: what the shopper is
/// told ("published" or "waits for approval", with the hold's reason).
pub async fn save(slug: String, input: ReviewInput) -> Result<String, AppError> {
    let (state, user) = signed_in("review products").await?;
    let fields = input.parse().map_err(AppError::BadRequest)?;
    let client = crate::ssr::accounts::checks::client_ip().await;
    let mut tx = state.db.begin_write().await?;
    let (product, name) = active_product(&mut tx, &slug).await?;
    let before = own(&mut tx, user.id, product).await?;
    if before.is_none() {
        if let Some(why) = refusal(&mut tx, &user, (product, &name)).await? {
            return Err(AppError::Forbidden(why));
        }
    }
    hit(&mut tx, "review", client, WRITES, "reviews").await?;
    let policy = rules::current(&mut tx).await?;
    // A review waiting or turned down goes back to a moderator when edited,
    // with the reason it had unless the new words earn one of their own.
    let waited = before.filter(|b| b.status != ReviewStatus::Published).map(|b| b.reason);
    let hold = hold_reason(&fields.title, &fields.body, &policy.banned_words);
    let status =
        if hold.is_some() || waited.is_some() || policy.moderate_all { ReviewStatus::Pending } else { ReviewStatus::Published };
    let reason = hold.clone().or(waited).unwrap_or_default();
    let at = now();
    sqlx::query(
        "INSERT INTO reviews (product_id, user_id, author, rating, title, body, status, reason, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         ON CONFLICT (product_id, user_id) DO UPDATE SET author = $3, rating = $4, title = $5, body = $6, status = $7, \
         reason = $8, updated_at = $9",
    )
    .bind(product)
    .bind(user.id)
    .bind(author_name(&user.display_name))
    .bind(fields.rating)
    .bind(&fields.title)
    .bind(&fields.body)
    .bind(status.key())
    .bind(&reason)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    rating::refresh(&mut tx, product).await?;
    tx.commit().await?;
    Ok(match (status, hold) {
        (ReviewStatus::Published, _) => "Thank you: your review is published.".into(),
        (_, Some(why)) => format!("Thank you: your review waits for a moderator. {why}"),
        _ => "Thank you: your review will show once a moderator has read it.".into(),
    })
}

/// Deletes the signed-in customer's review of `slug` (404 when there is none).
pub async fn delete(slug: String) -> Result<(), AppError> {
    let (state, user) = signed_in("delete your review").await?;
    let client = crate::ssr::accounts::checks::client_ip().await;
    let mut tx = state.db.begin_write().await?;
    let (product, _) = active_product(&mut tx, &slug).await?;
    hit(&mut tx, "review", client, WRITES, "reviews").await?;
    let done = sqlx::query("DELETE FROM reviews WHERE product_id = $1 AND user_id = $2")
        .bind(product)
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound("You have no review of this product.".into()));
    }
    rating::refresh(&mut tx, product).await?;
    tx.commit().await?;
    Ok(())
}
