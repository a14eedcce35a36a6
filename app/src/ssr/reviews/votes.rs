//! What shoppers say of others' reviews: "helpful" (one vote per shopper,
//! counted on the review) and "report" (one report per shopper with a
//! reason; enough reports take a published review back to the moderators).
//! Signed-in shoppers only, never on their own review, limited per address.

use super::rating;
use crate::domain::reviews::{checked_text, REASON_MAX, REPORTS_TO_HOLD};
use crate::error::AppError;
use crate::ssr::accounts::limits::{hit, Limit};
use crate::ssr::now;
use sqlx::AnyConnection;

/// Votes and reports per client address per hour.
const VOTES: Limit = Limit { most: 120, window_secs: 3600 };

/// Published review `id`'s product and author's account (none for a review
/// that came with the catalog; 404 when it is not shown).
async fn published(conn: &mut AnyConnection, id: i64) -> Result<(i64, Option<i64>), AppError> {
    sqlx::query_as("SELECT product_id, user_id FROM reviews WHERE id = $1 AND status = 'published'")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound("That review is no longer shown.".into()))
}

/// The signed-in shopper's vote or report on review `id`, in a transaction:
/// (transaction, shopper, product) once the checks pass.
async fn begin(id: i64, what: &str) -> Result<(sqlx::Transaction<'static, sqlx::Any>, i64, i64), AppError> {
    let state = crate::ssr::state()?;
    let session = crate::ssr::accounts::session_or_sign_in(what).await?;
    let user = crate::ssr::accounts::require_user(&session, &state.db, what).await?;
    let client = crate::ssr::accounts::checks::client_ip().await;
    let mut tx = state.db.begin_write().await?;
    let (product, author) = published(&mut tx, id).await?;
    if author == Some(user.id) {
        return Err(AppError::BadRequest("That is your own review.".into()));
    }
    hit(&mut tx, "review-vote", client, VOTES, "votes and reports").await?;
    Ok((tx, user.id, product))
}

/// Marks review `id` helpful; the review's new count.
pub async fn helpful(id: i64) -> Result<i64, AppError> {
    let (mut tx, user, _) = begin(id, "mark reviews helpful").await?;
    let added = sqlx::query("INSERT INTO review_votes (review_id, user_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(user)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    if added.rows_affected() == 0 {
        return Err(AppError::Conflict("You have already marked this review helpful.".into()));
    }
    let (count,): (i64,) = sqlx::query_as("UPDATE reviews SET helpful = helpful + 1 WHERE id = $1 RETURNING helpful")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    // The product's pages are not told: a vote would cost every server a
    // search commit. The product page's order follows its next change, or
    // the page cache's time limit.
    tx.commit().await?;
    Ok(count)
}

/// Reports review `id` for `why`; the last report of [`REPORTS_TO_HOLD`]
/// takes it off the product's page until a moderator has read it.
pub async fn report(id: i64, why: String) -> Result<(), AppError> {
    let why = checked_text(&why, REASON_MAX, "reason", false).map_err(AppError::BadRequest)?;
    let (mut tx, user, product) = begin(id, "report reviews").await?;
    let added = sqlx::query("INSERT INTO review_reports (review_id, user_id, why, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
        .bind(id)
        .bind(user)
        .bind(&why)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    if added.rows_affected() == 0 {
        return Err(AppError::Conflict("You have already reported this review.".into()));
    }
    let (reports,): (i64,) = sqlx::query_as("UPDATE reviews SET reports = reports + 1 WHERE id = $1 RETURNING reports")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if reports >= REPORTS_TO_HOLD {
        sqlx::query("UPDATE reviews SET status = 'pending', reason = $2 WHERE id = $1 AND status = 'published'")
            .bind(id)
            .bind(format!("Held: reported by {reports} shoppers."))
            .execute(&mut *tx)
            .await?;
        rating::refresh(&mut tx, product).await?;
    }
    tx.commit().await?;
    Ok(())
}
