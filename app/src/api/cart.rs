//! The shopper's cart and saved-for-later list. Every change is checked on
//! the server against today's stock; prices always come from the server.

use crate::domain::checkout::CartView;
use crate::error::AppError;
use leptos::prelude::*;

/// Both lists of this browser's (or this user's) cart.
#[server(endpoint = "cart")]
pub async fn cart() -> Result<CartView, AppError> {
    let mut cart = crate::ssr::cart::shopper::current().await?;
    cart.tax_note = crate::ssr::settings::for_pages().await?.tax_note().to_owned();
    cart.suggestions = crate::ssr::cart::shopper::suggestions(&cart).await?;
    Ok(cart)
}

/// Adds `quantity` (default 1) of a product's variant: `variant` (its id),
/// or the one with the option values `option1`…`option3` (the picker's
/// radio groups), or the only one; answers with a sentence. `list=saved`
/// puts it on the wishlist instead (sold out or not).
#[server(endpoint = "cart/add")]
pub async fn add_to_cart(
    product: i64,
    #[server(default)] variant: String,
    #[server(default)] option1: String,
    #[server(default)] option2: String,
    #[server(default)] option3: String,
    #[server(default)] quantity: String,
    #[server(default)] list: String,
) -> Result<String, AppError> {
    let which = crate::ssr::cart::shopper::list_named(&list)?;
    let said = crate::ssr::cart::shopper::add(product, variant, [option1, option2, option3], quantity, which).await?;
    if which == crate::ssr::cart::List::Cart {
        crate::ssr::analytics::funnel::note_request(crate::ssr::analytics::funnel::Step::Carted).await;
    }
    Ok(said)
}

/// Sets the quantity of a cart line (`item`: its variant id); 0 removes it.
#[server(endpoint = "cart/quantity")]
pub async fn set_cart_quantity(item: i64, quantity: String) -> Result<(), AppError> {
    crate::ssr::cart::shopper::set_quantity(item, quantity).await
}

/// Removes a line from the cart, or from the saved list when `saved`.
#[server(endpoint = "cart/remove")]
pub async fn remove_from_cart(item: i64, #[server(default)] saved: bool) -> Result<(), AppError> {
    crate::ssr::cart::shopper::remove(item, saved).await
}

/// Moves a line between the cart and the saved list (`to_saved` picks the way).
#[server(endpoint = "cart/move")]
pub async fn move_item(item: i64, #[server(default)] to_saved: bool) -> Result<(), AppError> {
    crate::ssr::cart::shopper::move_item(item, to_saved).await
}
