//! The shopper's cart and saved-for-later list. Every change is checked on
//! the server against today's stock; prices always come from the server.

use crate::domain::checkout::CartView;
use crate::error::AppError;
use leptos::prelude::*;

/// Both lists of this browser's (or this user's) cart.
#[server(endpoint = "cart")]
pub async fn cart() -> Result<CartView, AppError> {
    crate::ssr::cart::shopper::current().await
}

/// Adds `quantity` (default 1) of a product; answers with a sentence.
#[server(endpoint = "cart/add")]
pub async fn add_to_cart(product: i64, #[server(default)] quantity: String) -> Result<String, AppError> {
    crate::ssr::cart::shopper::add(product, quantity).await
}

/// Sets a cart line's quantity; 0 removes it.
#[server(endpoint = "cart/quantity")]
pub async fn set_cart_quantity(product: i64, quantity: String) -> Result<(), AppError> {
    crate::ssr::cart::shopper::set_quantity(product, quantity).await
}

/// Removes a product from the cart, or from the saved list when `saved`.
#[server(endpoint = "cart/remove")]
pub async fn remove_from_cart(product: i64, #[server(default)] saved: bool) -> Result<(), AppError> {
    crate::ssr::cart::shopper::remove(product, saved).await
}

/// Moves a product between the cart and the saved list (`to_saved` picks the way).
#[server(endpoint = "cart/move")]
pub async fn move_item(product: i64, #[server(default)] to_saved: bool) -> Result<(), AppError> {
    crate::ssr::cart::shopper::move_item(product, to_saved).await
}
