//! The shop's rules for reviews (one row): whether every review waits for a
//! moderator, whether only buyers may review, and the banned words that
//! hold a review. Moderators change them; every change is audited.

use crate::domain::reviews::{PolicyInput, ReviewPolicy};
use crate::error::AppError;
use crate::ssr::accounts::audit::{Changes, Event};
use sqlx::AnyConnection;

/// The rules as they are now.
pub async fn current(conn: &mut AnyConnection) -> Result<ReviewPolicy, AppError> {
    let (moderate_all, buyers_only, banned_words, version): (i64, i64, String, i64) =
        sqlx::query_as("SELECT moderate_all, buyers_only, banned_words, version FROM review_policy WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?;
    Ok(ReviewPolicy { moderate_all: moderate_all == 1, buyers_only: buyers_only == 1, banned_words, version })
}

/// Saves the rules over `version` (a save over someone else's is refused).
pub async fn save(version: i64, input: PolicyInput) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let user = super::moderator(&state.db).await?;
    let (moderate_all, buyers_only, banned_words) = input.parse().map_err(AppError::BadRequest)?;
    let mut tx = state.db.begin_write().await?;
    let old = current(&mut tx).await?;
    if old.version != version {
        return Err(AppError::Conflict("Someone changed the review rules meanwhile. Reload the page and make your change again.".into()));
    }
    sqlx::query("UPDATE review_policy SET moderate_all = $1, buyers_only = $2, banned_words = $3, version = version + 1 WHERE id = 1")
        .bind(i64::from(moderate_all))
        .bind(i64::from(buyers_only))
        .bind(&banned_words)
        .execute(&mut *tx)
        .await?;
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let mut changes = Changes::default();
    changes.field("every review waits", yes_no(old.moderate_all), yes_no(moderate_all));
    changes.field("only buyers", yes_no(old.buyers_only), yes_no(buyers_only));
    changes.field("banned words", old.banned_words.lines().count().to_string() + " words", banned_words.lines().count().to_string() + " words");
    crate::ssr::accounts::commit_audited(tx, &user, Event::ReviewRulesChanged, &changes.text()).await
}
