//! Wishlists: the "saved" list of a shopper's cart (`ssr/cart/`, so a
//! guest's is kept in their session and joins their account's at sign-in,
//! and "move to cart" is the cart's own move), with a read-only share link
//! (`share.rs`) and mails when a saved item is back in stock or cheaper
//! (`alerts.rs`).

pub mod alerts;
pub mod share;

use crate::domain::checkout::CartLine;
use crate::domain::wishlist::Wishlist;
use crate::error::AppError;
use crate::ssr::cart::{self, List};
use sqlx::AnyConnection;

/// The saved items of cart `id`, oldest first (with `for_sale_only`, none
/// of products the shop no longer sells).
pub async fn items(conn: &mut AnyConnection, id: i64, for_sale_only: bool) -> Result<Vec<CartLine>, AppError> {
    let lines = cart::lines(conn, id, for_sale_only).await?;
    Ok(lines.into_iter().filter(|(list, _)| *list == List::Saved).map(|(_, line)| line).collect())
}

/// This shopper's wishlist, with its share link and (signed in) their mail setting.
pub async fn mine() -> Result<Wishlist, AppError> {
    let state = crate::ssr::state()?;
    let Some(session) = crate::ssr::accounts::request_session().await else { return Ok(Wishlist::default()) };
    let owner = cart::shopper::owner(&session).await?;
    let mut conn = state.db.pool.acquire().await?;
    let alerts = match owner {
        cart::Owner::User(user) => Some(alerts::enabled(&mut conn, user).await?),
        cart::Owner::Guest => None,
    };
    let Some(found) = cart::find(&mut conn, &session, owner, false).await? else {
        return Ok(Wishlist { alerts, ..Wishlist::default() });
    };
    let share_url = share::token_of(&mut conn, found.id).await?.map(|token| share::url(&state.public_url, &token));
    Ok(Wishlist { items: items(&mut conn, found.id, false).await?, share_url, alerts })
}
