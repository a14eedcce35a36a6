//! The shopper's requests on their cart: whose cart this request's is (the
//! signed-in user's, else the session's guest cart), and adding, changing,
//! removing and moving items between the cart and the saved list.

use super::{List, Owner};
use crate::domain::account::Visitor;
use crate::domain::checkout::{parse_quantity, CartView};
use crate::error::AppError;
use tower_sessions::Session;

/// Both lists of this browser's (or this user's) cart; empty without a
/// session (a request without a cookie has no cart).
pub async fn current() -> Result<CartView, AppError> {
    let state = crate::ssr::state()?;
    let Some(session) = crate::ssr::accounts::request_session().await else { return Ok(CartView::default()) };
    let owner = owner(&session).await?;
    let cart = super::find(&mut *state.db.pool.acquire().await?, &session, owner, false).await?;
    super::view(&state.db, &session, cart.map(|c| c.id)).await
}

/// What customers who bought the products in `cart` also bought (not in it).
pub async fn suggestions(cart: &CartView) -> Result<Vec<crate::domain::catalog::ProductCard>, AppError> {
    let mut products: Vec<i64> = cart.lines.iter().chain(&cart.saved).map(|line| line.product_id).collect();
    products.sort_unstable();
    products.dedup();
    if cart.lines.is_empty() {
        return Ok(Vec::new());
    }
    let state = crate::ssr::state()?;
    crate::ssr::catalog::pages::complements_cards(&mut *state.db.pool.acquire().await?, &products).await
}

/// Who this request's visitor is and how many items their cart holds: the
/// header's personal part. Reads the session and, if there is a cart, one sum.
pub async fn visitor() -> Result<Visitor, AppError> {
    let state = crate::ssr::state()?;
    let Some(session) = crate::ssr::accounts::request_session().await else { return Ok(Visitor::default()) };
    let user = crate::ssr::accounts::current_user(&session, &state.db).await?;
    let owner = user.as_ref().map_or(Owner::Guest, |u| Owner::User(u.id));
    let mut conn = state.db.pool.acquire().await?;
    let cart_items = match super::find(&mut conn, &session, owner, false).await? {
        Some(cart) => super::item_count(&mut conn, cart.id).await?,
        None => 0,
    };
    Ok(Visitor {
        cart_items,
        role: user.as_ref().map(|u| u.role()),
        name: user.map(|u| if u.display_name.is_empty() { u.email } else { u.display_name }),
    })
}

/// The signed-in user, else the guest of this session.
pub async fn owner(session: &Session) -> Result<Owner, AppError> {
    let state = crate::ssr::state()?;
    Ok(match crate::ssr::accounts::current_user(session, &state.db).await? {
        Some(user) => Owner::User(user.id),
        None => Owner::Guest,
    })
}

/// The database, this request's session and whose cart it is.
pub async fn shopper() -> Result<(crate::ssr::db::Db, Session, Owner), AppError> {
    let state = crate::ssr::state()?;
    let session = crate::ssr::accounts::session_or_sign_in("use a cart").await?;
    let owner = owner(&session).await?;
    Ok((state.db, session, owner))
}

/// The database and this session's cart, if it has one.
pub async fn context() -> Result<(crate::ssr::db::Db, Option<super::Cart>), AppError> {
    let (db, session, owner) = shopper().await?;
    let id = super::find(&mut *db.pool.acquire().await?, &session, owner, false).await?;
    Ok((db, id))
}

fn missing() -> AppError {
    AppError::NotFound("That item is not in your cart any more.".into())
}

/// The list a form names: "" or "cart" is the cart, "saved" the wishlist.
pub fn list_named(name: &str) -> Result<List, AppError> {
    match name {
        "" | "cart" => Ok(List::Cart),
        "saved" => Ok(List::Saved),
        _ => Err(AppError::BadRequest("The list is \"cart\" or \"saved\".".into())),
    }
}

/// Adds the variant of `product` the shopper chose (by its id, or by its
/// option values; a product without options has one) to the cart or the
/// wishlist, making the cart first if there is none: one transaction, so one
/// durable commit.
pub async fn add(product: i64, variant: String, values: [String; 3], quantity: String, list: List) -> Result<String, AppError> {
    let quantity = if quantity.trim().is_empty() { 1 } else { parse_quantity(&quantity, false).map_err(AppError::BadRequest)? };
    let variant = crate::domain::variants::variant_choice(&variant).map_err(AppError::BadRequest)?;
    let (db, session, owner) = shopper().await?;
    let mut tx = db.begin_write().await?;
    let variant = crate::ssr::catalog::variants::resolve(&mut tx, product, variant, &values).await?;
    let cart = super::find(&mut tx, &session, owner, true).await?.ok_or(AppError::Internal)?;
    let added = super::add(&mut tx, cart, list, variant, quantity).await?;
    tx.commit().await?;
    Ok(match list {
        List::Saved => "Saved to your wishlist.".to_string(),
        List::Cart if added.capped => format!("Only {} available: your cart now has {0}.", added.quantity),
        List::Cart => format!("Added to your cart ({} in it now).", added.quantity),
    })
}

/// Sets the quantity of the line of variant `item`.
pub async fn set_quantity(item: i64, quantity: String) -> Result<(), AppError> {
    let quantity = parse_quantity(&quantity, true).map_err(AppError::BadRequest)?;
    let (db, id) = context().await?;
    super::set_quantity(&db, id.ok_or_else(missing)?, item, quantity).await
}

/// Takes the line of variant `item` off the cart, or the saved list.
pub async fn remove(item: i64, saved: bool) -> Result<(), AppError> {
    let (db, id) = context().await?;
    let list = if saved { List::Saved } else { List::Cart };
    super::remove(&db, id.ok_or_else(missing)?, list, item).await
}

/// Moves the line of variant `item` to the other list.
pub async fn move_item(item: i64, to_saved: bool) -> Result<(), AppError> {
    let (db, id) = context().await?;
    let from = if to_saved { List::Cart } else { List::Saved };
    super::switch(&db, id.ok_or_else(missing)?, from, item).await
}
