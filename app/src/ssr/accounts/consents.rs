//! A customer's consents: their history (for their account page, their data
//! download and the back office's customer view) and the signed-in
//! customer's own change, kept only when it changes something.

use super::checks::context;
use crate::domain::consents::{Consent, PURPOSES};
use crate::error::AppError;
use crate::ssr::{now, Db};

/// Every change of user `id`'s consents, newest first.
pub async fn history(db: &Db, id: i64) -> Result<Vec<Consent>, AppError> {
    let rows: Vec<(String, i64, i64, String)> =
        sqlx::query_as("SELECT purpose, granted, at, source FROM consents WHERE user_id = $1 ORDER BY id DESC")
            .bind(id)
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(|(purpose, granted, at, source)| Consent { purpose, granted: granted == 1, at, source }).collect())
}

/// The signed-in customer's consents, newest first.
pub async fn mine() -> Result<Vec<Consent>, AppError> {
    let (state, session) = context().await?;
    let user = super::require_user(&session, &state.db, "see your consents").await?;
    history(&state.db, user.id).await
}

/// The signed-in customer agrees to `purpose` (or withdraws) from their
/// account page; the same answer again records nothing.
pub async fn set_mine(purpose: &str, granted: bool) -> Result<(), AppError> {
    if !PURPOSES.iter().any(|p| p.0 == purpose) {
        return Err(AppError::BadRequest("There is no such choice.".into()));
    }
    let (state, session) = context().await?;
    let user = super::require_user(&session, &state.db, "change your consents").await?;
    let mut tx = state.db.begin_write().await?;
    let newest: Option<(i64,)> =
        sqlx::query_as("SELECT granted FROM consents WHERE user_id = $1 AND purpose = $2 ORDER BY id DESC LIMIT 1")
            .bind(user.id)
            .bind(purpose)
            .fetch_optional(&mut *tx)
            .await?;
    // Never asked counts as no.
    if newest.is_some_and(|(g,)| g == 1) != granted {
        sqlx::query("INSERT INTO consents (user_id, purpose, granted, at, source) VALUES ($1, $2, $3, $4, 'account')")
            .bind(user.id)
            .bind(purpose)
            .bind(i64::from(granted))
            .bind(now())
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}
