//! The shopper's cart and saved-for-later list. Every change is checked on
//! the server against today's stock; prices always come from the server.

use crate::domain::checkout::CartView;
use crate::error::AppError;
use leptos::prelude::*;

/// Both lists of this browser's (or this user's) cart.
#[server(endpoint = "cart")]
pub async fn cart() -> Result<CartView, AppError> {
    let state = crate::ssr::state()?;
    // Without a cookie there is no session, so no cart.
    let Some(session) = crate::ssr::auth::request_session().await else { return Ok(CartView::default()) };
    let owner = server::owner(&session).await?;
    let cart = crate::ssr::shop::cart::find(&mut *state.db.pool.acquire().await?, &session, owner, false).await?;
    crate::ssr::shop::cart::view(&state.db, &session, cart.map(|c| c.id)).await
}

/// Adds `quantity` (default 1) of a product; answers with a sentence.
#[server(endpoint = "cart/add")]
pub async fn add_to_cart(product: i64, #[server(default)] quantity: String) -> Result<String, AppError> {
    server::add(product, quantity).await
}

/// Sets a cart line's quantity; 0 removes it.
#[server(endpoint = "cart/quantity")]
pub async fn set_cart_quantity(product: i64, quantity: String) -> Result<(), AppError> {
    server::set_quantity(product, quantity).await
}

/// Removes a product from the cart, or from the saved list when `saved`.
#[server(endpoint = "cart/remove")]
pub async fn remove_from_cart(product: i64, #[server(default)] saved: bool) -> Result<(), AppError> {
    server::remove(product, saved).await
}

/// Moves a product between the cart and the saved list (`to_saved` picks the way).
#[server(endpoint = "cart/move")]
pub async fn move_item(product: i64, #[server(default)] to_saved: bool) -> Result<(), AppError> {
    server::move_item(product, to_saved).await
}

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use crate::domain::checkout::parse_quantity;
    use crate::error::AppError;
    use crate::ssr::shop::cart::{self, List, Owner};
    use tower_sessions::Session;

    /// The signed-in user, else the guest of this session.
    pub async fn owner(session: &Session) -> Result<Owner, AppError> {
        let state = crate::ssr::state()?;
        Ok(match crate::ssr::auth::current_user(session, &state.db).await? {
            Some(user) => Owner::User(user.id),
            None => Owner::Guest,
        })
    }

    /// The database, this request's session and whose cart it is.
    async fn shopper() -> Result<(crate::ssr::db::Db, Session, Owner), AppError> {
        let state = crate::ssr::state()?;
        let session = crate::ssr::auth::session_or_sign_in("use a cart").await?;
        let owner = owner(&session).await?;
        Ok((state.db, session, owner))
    }

    /// The database and this session's cart, if it has one.
    async fn context() -> Result<(crate::ssr::db::Db, Option<cart::Cart>), AppError> {
        let (db, session, owner) = shopper().await?;
        let id = cart::find(&mut *db.pool.acquire().await?, &session, owner, false).await?;
        Ok((db, id))
    }

    fn missing() -> AppError {
        AppError::NotFound("That item is not in your cart any more.".into())
    }

    /// Adds to the cart, making the cart first if there is none: one
    /// transaction, so one durable commit.
    pub async fn add(product: i64, quantity: String) -> Result<String, AppError> {
        let quantity = if quantity.trim().is_empty() { 1 } else { parse_quantity(&quantity, false).map_err(AppError::BadRequest)? };
        let (db, session, owner) = shopper().await?;
        let mut tx = db.begin_write().await?;
        let cart = cart::find(&mut tx, &session, owner, true).await?.ok_or(AppError::Internal)?;
        let added = cart::add(&mut tx, cart, List::Cart, product, quantity).await?;
        tx.commit().await?;
        Ok(if added.capped {
            format!("Only {} available: your cart now has {0}.", added.quantity)
        } else {
            format!("Added to your cart ({} in it now).", added.quantity)
        })
    }

    pub async fn set_quantity(product: i64, quantity: String) -> Result<(), AppError> {
        let quantity = parse_quantity(&quantity, true).map_err(AppError::BadRequest)?;
        let (db, id) = context().await?;
        cart::set_quantity(&db, id.ok_or_else(missing)?, product, quantity).await
    }

    pub async fn remove(product: i64, saved: bool) -> Result<(), AppError> {
        let (db, id) = context().await?;
        let list = if saved { List::Saved } else { List::Cart };
        cart::remove(&db, id.ok_or_else(missing)?, list, product).await
    }

    pub async fn move_item(product: i64, to_saved: bool) -> Result<(), AppError> {
        let (db, id) = context().await?;
        let from = if to_saved { List::Cart } else { List::Saved };
        cart::switch(&db, id.ok_or_else(missing)?, from, product).await
    }
}
