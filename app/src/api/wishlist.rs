//! The wishlist: the shopper's own (items are added with `cart/add` and
//! `list=saved`, moved and removed with the cart's `cart/move` and
//! `cart/remove`), its share link, one shared with a link, and the setting
//! of its mails, by the signed-in customer or by a mail's unsubscribe link.

use crate::domain::wishlist::{AlertSetting, SharedWishlist, Wishlist};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// This shopper's wishlist.
#[server(endpoint = "wishlist", input = GetUrl)]
pub async fn my_wishlist() -> Result<Wishlist, AppError> {
    crate::ssr::wishlist::mine().await
}

/// Shares the wishlist with a new read-only link (`on`) or stops sharing it;
/// the link while it is shared.
#[server(endpoint = "wishlist/share")]
pub async fn share_wishlist(#[server(default)] on: bool) -> Result<Option<String>, AppError> {
    crate::ssr::wishlist::share::set(on).await
}

/// The wishlist shared under `token`.
#[server(endpoint = "wishlist/shared", input = GetUrl)]
pub async fn open_shared_wishlist(token: String) -> Result<SharedWishlist, AppError> {
    crate::ssr::wishlist::share::shared(&token).await
}

/// The signed-in customer's wishlist mails, on or off.
#[server(endpoint = "wishlist/alerts")]
pub async fn wishlist_alerts(#[server(default)] on: bool) -> Result<(), AppError> {
    crate::ssr::wishlist::alerts::set_mine(on).await
}

/// What a mail's unsubscribe link `token` is about.
#[server(endpoint = "wishlist/unsubscribe", input = GetUrl)]
pub async fn wishlist_mail_setting(token: String) -> Result<AlertSetting, AppError> {
    crate::ssr::wishlist::alerts::setting(&token).await
}

/// Turns the mails of unsubscribe link `token` off, or on again (`on`); a sentence.
#[server(endpoint = "wishlist/unsubscribe/set")]
pub async fn unsubscribe(token: String, #[server(default)] on: bool) -> Result<String, AppError> {
    crate::ssr::wishlist::alerts::set_by_token(&token, on).await
}
