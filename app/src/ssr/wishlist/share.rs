//! The read-only link to a wishlist: a random token (256 bits) kept with
//! the cart; the owner turns it on (a new token each time, so turning it
//! off and on again ends the old link) and off.

use crate::domain::wishlist::SharedWishlist;
use crate::error::AppError;
use crate::ssr::accounts::{random_token, token_shape};
use crate::ssr::cart;
use sqlx::AnyConnection;

/// The shared page's address for `token`.
pub fn url(public_url: &str, token: &str) -> String {
    format!("{}/wishlist/shared/{token}", public_url.trim_end_matches('/'))
}

/// The share token of cart `id`, while its wishlist is shared.
pub async fn token_of(conn: &mut AnyConnection, id: i64) -> Result<Option<String>, AppError> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT share_token FROM carts WHERE id = $1").bind(id).fetch_optional(conn).await?;
    Ok(row.and_then(|(token,)| token))
}

/// Shares this shopper's wishlist (a new link) or stops sharing it; the link, if shared.
pub async fn set(on: bool) -> Result<Option<String>, AppError> {
    let (db, session, owner) = cart::shopper::shopper().await?;
    let state = crate::ssr::state()?;
    let mut tx = db.begin_write().await?;
    let Some(found) = cart::find(&mut tx, &session, owner, on).await? else { return Ok(None) };
    let token = on.then(random_token);
    sqlx::query("UPDATE carts SET share_token = $2 WHERE id = $1").bind(found.id).bind(token.clone()).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(token.map(|token| url(&state.public_url, &token)))
}

/// The wishlist shared under `token`; a token that is wrong, or was
/// revoked, is a 404 (the same answer, so tokens cannot be probed).
pub async fn shared(token: &str) -> Result<SharedWishlist, AppError> {
    let gone = || AppError::NotFound("This wishlist is not shared any more, or the link is wrong.".into());
    if !token_shape(token) {
        return Err(gone());
    }
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool.acquire().await?;
    let found: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT c.id, u.display_name FROM carts c LEFT JOIN users u ON u.id = c.user_id WHERE c.share_token = $1",
    )
    .bind(token)
    .fetch_optional(&mut *conn)
    .await?;
    let (id, owner) = found.ok_or_else(gone)?;
    // Products the shop no longer sells are not shown to others.
    Ok(SharedWishlist { owner: owner.unwrap_or_default(), items: super::items(&mut conn, id, true).await? })
}
