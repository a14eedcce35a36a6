//! Checkout: the order summary computed on the server, placing the order
//! (idempotent by the form's key), paying it, and the order page's data.

use crate::domain::checkout::Quote;
use crate::domain::order_view::OrderView;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// What the cart costs delivered to `country`/`region` with `method` and `promo`.
#[server(endpoint = "checkout/quote", input = GetUrl)]
pub async fn checkout_quote(
    #[server(default)] country: String,
    #[server(default)] region: String,
    #[server(default)] method: String,
    #[server(default)] promo: String,
) -> Result<Quote, AppError> {
    crate::ssr::orders::checkout::quote(country, region, method, promo).await
}

/// A fresh idempotency key for one checkout or payment form.
#[server(endpoint = "checkout/form-key", input = GetUrl)]
pub async fn form_key() -> Result<String, AppError> {
    Ok(crate::ssr::accounts::random_token())
}

/// Places the order for the cart and opens its page (to pay). A retry with
/// the same `idempotency_key` lands on the same order. A signed-in shopper
/// may send `address_id` (a saved address) instead of the address fields.
#[server(endpoint = "checkout/place")]
#[allow(clippy::too_many_arguments)]
pub async fn place_order(
    idempotency_key: String,
    #[server(default)] email: String,
    #[server(default)] address_id: i64,
    #[server(default)] full_name: String,
    #[server(default)] line1: String,
    #[server(default)] line2: String,
    #[server(default)] city: String,
    #[server(default)] region: String,
    #[server(default)] postal_code: String,
    #[server(default)] country: String,
    #[server(default)] phone: String,
    #[server(default)] method: String,
    #[server(default)] promo: String,
) -> Result<(), AppError> {
    let address = crate::domain::address::Address {
        id: 0,
        full_name,
        line1,
        line2,
        city,
        region,
        postal_code,
        country,
        phone,
    };
    crate::ssr::orders::checkout::place(idempotency_key, email, address_id, address, method, promo).await
}

/// The signed-in user's saved addresses, to deliver to one of them.
#[server(endpoint = "checkout/addresses", input = GetUrl)]
pub async fn checkout_addresses() -> Result<Vec<crate::domain::address::Address>, AppError> {
    crate::ssr::accounts::addresses::for_checkout().await
}

/// Pays order `number` (opened with `key`) by card; the card goes to the
/// payment provider and is never stored. With a provider whose own page
/// takes the card (Stripe), the form has no card fields and the shopper is
/// sent to that page.
#[server(endpoint = "checkout/pay")]
pub async fn pay_order(
    number: String,
    #[server(default)] key: String,
    idempotency_key: String,
    #[server(default)] card_number: String,
    #[server(default)] expiry: String,
    #[server(default)] cvc: String,
) -> Result<(), AppError> {
    crate::ssr::orders::buyer::pay(number, key, idempotency_key, card_number, expiry, cvc).await
}

/// Order `number`, for its buyer: the signed-in owner, or anyone holding the
/// order's secret `key` (from the confirmation mail or the checkout).
#[server(endpoint = "order", input = GetUrl)]
pub async fn order(number: String, #[server(default)] key: String) -> Result<OrderView, AppError> {
    crate::ssr::orders::buyer::order(number, key).await
}
