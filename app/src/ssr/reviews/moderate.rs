//! Moderators (admins and catalog managers) at work: the queue and the
//! published and turned-down reviews, publishing, turning down with a
//! reason the author reads, and the shop's public answer. Every decision is
//! in the audit log; the product's rating follows in the same transaction.

use super::{moderator, rating, rules, VERIFIED_SQL};
use crate::domain::reviews::{checked_text, ModerationPage, ModerationRow, ReviewStatus, MODERATION_ROWS, REASON_MAX, REPLY_MAX};
use crate::error::AppError;
use crate::ssr::accounts::audit::{summary, Event};
use crate::ssr::now;
use sqlx::AnyConnection;

type Row = (i64, String, String, String, String, i64, String, String, String, String, i64, i64, String, i64);

/// The moderators' page for reviews in `status` ("pending" when empty or unknown).
pub async fn page(status: String) -> Result<ModerationPage, AppError> {
    let state = crate::ssr::state()?;
    moderator(&state.db).await?;
    let status = ReviewStatus::parse(&status).unwrap_or(ReviewStatus::Pending);
    let mut conn = state.db.pool.acquire().await?;
    let order = if status == ReviewStatus::Pending { "r.updated_at ASC, r.id ASC" } else { "r.updated_at DESC, r.id DESC" };
    let rows = rows(&mut conn, "r.status = $1", status.key(), order, MODERATION_ROWS).await?;
    let (waiting,): (i64,) =
        sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM reviews WHERE status = 'pending'").fetch_one(&mut *conn).await?;
    let policy = rules::current(&mut conn).await?;
    Ok(ModerationPage { status, rows, waiting, policy })
}

/// Reviews with their product and author where `filter` (on `r`, its
/// `$1` bound to `value`) holds, in `order`, at most `limit`.
async fn rows(conn: &mut AnyConnection, filter: &str, value: impl ToString, order: &str, limit: i64) -> Result<Vec<ModerationRow>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT r.id, p.name, p.slug, r.author, COALESCE(u.email, ''), r.rating, r.title, r.body, r.status, r.reason, r.reports, \
         {VERIFIED_SQL}, r.reply, r.updated_at \
         FROM reviews r JOIN products p ON p.id = r.product_id LEFT JOIN users u ON u.id = r.user_id \
         WHERE {filter} ORDER BY {order} LIMIT $2"
    ))
    .bind(value.to_string())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, product, slug, author, email, rating, title, body, status, reason, reports, verified, reply, at)| ModerationRow {
            id,
            product,
            slug,
            author,
            email,
            rating,
            title,
            body,
            status: ReviewStatus::parse(&status).unwrap_or(ReviewStatus::Pending),
            reason,
            reports,
            verified: verified == 1,
            reply,
            at,
        })
        .collect())
}

/// Every review `user` wrote, newest first, for their data export.
pub async fn of_author(db: &crate::ssr::Db, user: i64) -> Result<Vec<ModerationRow>, AppError> {
    let mut conn = db.pool.acquire().await?;
    rows(&mut conn, "r.user_id = CAST($1 AS BIGINT)", user, "r.updated_at DESC, r.id DESC", i64::MAX).await
}

/// Review `id`'s product and title (404 when gone).
async fn review(conn: &mut AnyConnection, id: i64) -> Result<(i64, String), AppError> {
    sqlx::query_as("SELECT product_id, title FROM reviews WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound("That review no longer exists: its author may have deleted it.".into()))
}

/// Publishes review `id` (`publish`), or turns it down with `reason`, which
/// its author reads on the review's form; `seen` is the review's time as the
/// moderator read it: an edit since is refused (409), so no words are
/// published unread.
pub async fn decide(id: i64, seen: i64, publish: bool, reason: String) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let user = moderator(&state.db).await?;
    let reason = if publish { String::new() } else { checked_text(&reason, REASON_MAX, "reason for the author", false).map_err(AppError::BadRequest)? };
    let mut tx = state.db.begin_write().await?;
    let (product, title) = review(&mut tx, id).await?;
    let status = if publish { ReviewStatus::Published } else { ReviewStatus::Rejected };
    let done = sqlx::query("UPDATE reviews SET status = $2, reason = $3, reports = 0 WHERE id = $1 AND updated_at = $4")
        .bind(id)
        .bind(status.key())
        .bind(&reason)
        .bind(seen)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict("Its author changed this review meanwhile. Reload the page and read it again.".into()));
    }
    // Published again: the reports that held it were read and set aside.
    sqlx::query("DELETE FROM review_reports WHERE review_id = $1").bind(id).execute(&mut *tx).await?;
    rating::refresh(&mut tx, product).await?;
    let (event, detail) = if publish {
        (Event::ReviewPublished, format!("review {id} “{}”", summary(&title)))
    } else {
        (Event::ReviewRejected, format!("review {id} “{}”: {}", summary(&title), summary(&reason)))
    };
    crate::ssr::accounts::commit_audited(tx, &user, event, &detail).await
}

/// The shop's public answer to review `id` (empty: take the answer away).
pub async fn answer(id: i64, reply: String) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let user = moderator(&state.db).await?;
    let reply = checked_text(&reply, REPLY_MAX, "answer", true).map_err(AppError::BadRequest)?;
    let mut tx = state.db.begin_write().await?;
    let (product, title) = review(&mut tx, id).await?;
    sqlx::query("UPDATE reviews SET reply = $2, replied_at = $3 WHERE id = $1")
        .bind(id)
        .bind(&reply)
        .bind(if reply.is_empty() { None } else { Some(now()) })
        .execute(&mut *tx)
        .await?;
    // The answer shows on the product's page: the page follows the rating's refresh.
    rating::refresh(&mut tx, product).await?;
    let detail = format!("review {id} “{}”: {}", summary(&title), if reply.is_empty() { "answer removed".into() } else { summary(&reply) });
    crate::ssr::accounts::commit_audited(tx, &user, Event::ReviewAnswered, &detail).await
}
