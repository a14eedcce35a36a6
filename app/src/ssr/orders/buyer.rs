//! What a buyer does with an order: open it (signed in as its owner, or with
//! its secret key), pay it, cancel it before it ships, and ask to return
//! delivered items.

use crate::domain::order_view::OrderView;
use crate::domain::orders::chosen_quantities;
use crate::error::AppError;
use crate::ssr::payments::pay::{self, Card, Paid};
use crate::ssr::returns::requests as returns;
use std::collections::HashMap;
use super::access::order_link;

/// The order's id and secret, if the caller may see it (else 404, never 403:
/// an order number alone tells nothing).
pub async fn authorized(number: &str, key: &str) -> Result<(i64, String), AppError> {
    let state = crate::ssr::state()?;
    let user = crate::ssr::accounts::request_user(&state.db).await?;
    crate::ssr::orders::access::order_for(&state.db, number, key, user.map(|u| u.id)).await
}

pub async fn order(number: String, key: String) -> Result<OrderView, AppError> {
    let state = crate::ssr::state()?;
    let (id, _) = authorized(&number, &key).await?;
    crate::ssr::orders::view::for_buyer(&state.db, &state.shop, id).await
}

pub async fn pay(
    number: String,
    key: String,
    idempotency_key: String,
    card_number: String,
    expiry: String,
    cvc: String,
) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (id, secret) = authorized(&number, &key).await?;
    let card = Card { number: &card_number, expiry: &expiry, cvc: &cvc };
    let client = crate::ssr::accounts::limits::request_client().await;
    match pay::pay(&state.shop, id, &idempotency_key, card, client).await? {
        Paid::Yes => leptos_axum::redirect(&order_link("", &number, &secret)),
        Paid::RequiresAction(url) => leptos_axum::redirect(&url),
        Paid::Declined(message) => return Err(AppError::PaymentDeclined(message)),
    }
    Ok(())
}

pub async fn cancel(number: String, key: String) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (id, secret) = authorized(&number, &key).await?;
    super::cancel::cancel(&state.shop, id, "customer", "").await?;
    leptos_axum::redirect(&order_link("", &number, &secret));
    Ok(())
}

pub async fn request_return(number: String, key: String, reason: String, qty: HashMap<String, String>) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (id, secret) = authorized(&number, &key).await?;
    let mut conn = state.db.pool.acquire().await?;
    let limits = returns::returnable(&mut conn, id).await?;
    drop(conn);
    let items = chosen_quantities(&qty, &limits).map_err(AppError::BadRequest)?;
    if items.is_empty() {
        return Err(AppError::BadRequest("Choose at least one item to return.".into()));
    }
    returns::request(&state.shop, id, &items, &reason, "customer").await?;
    leptos_axum::redirect(&order_link("", &number, &secret));
    Ok(())
}
