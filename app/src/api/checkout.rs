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
    server::quote(country, region, method, promo).await
}

/// A fresh idempotency key for one checkout or payment form.
#[server(endpoint = "checkout/form-key", input = GetUrl)]
pub async fn form_key() -> Result<String, AppError> {
    Ok(crate::ssr::auth::random_token())
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
    server::place(idempotency_key, email, address_id, address, method, promo).await
}

/// The signed-in user's saved addresses, to deliver to one of them.
#[server(endpoint = "checkout/addresses", input = GetUrl)]
pub async fn checkout_addresses() -> Result<Vec<crate::domain::address::Address>, AppError> {
    let state = crate::ssr::state()?;
    let Some(session) = crate::ssr::auth::request_session().await else { return Ok(Vec::new()) };
    match crate::ssr::auth::current_user(&session, &state.db).await? {
        Some(user) => crate::ssr::db::addresses::of_user(&state.db, user.id).await,
        None => Ok(Vec::new()),
    }
}

/// Pays order `number` (opened with `key`) by card; the card goes to the
/// payment provider and is never stored.
#[server(endpoint = "checkout/pay")]
pub async fn pay_order(
    number: String,
    #[server(default)] key: String,
    idempotency_key: String,
    card_number: String,
    expiry: String,
    cvc: String,
) -> Result<(), AppError> {
    server::pay(number, key, idempotency_key, card_number, expiry, cvc).await
}

/// Order `number`, for its buyer: the signed-in owner, or anyone holding the
/// order's secret `key` (from the confirmation mail or the checkout).
#[server(endpoint = "order", input = GetUrl)]
pub async fn order(number: String, #[server(default)] key: String) -> Result<OrderView, AppError> {
    server::order(number, key).await
}

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use crate::domain::address::Address;
    use crate::domain::checkout::Quote;
    use crate::domain::order_view::OrderView;
    use crate::error::AppError;
    use crate::ssr::shop::cart::{self, Owner};
    use crate::ssr::shop::orders::{self, Checkout, Destination, Items};
    use crate::ssr::shop::payments::{self, Card, Paid};
    use tower_sessions::Session;

    async fn session() -> Result<Session, AppError> {
        crate::ssr::auth::session_or_sign_in("check out").await
    }

    fn country_code(raw: &str) -> String {
        raw.trim().to_ascii_uppercase()
    }

    pub async fn quote(country: String, region: String, method: String, promo: String) -> Result<Quote, AppError> {
        let state = crate::ssr::state()?;
        let Some(session) = crate::ssr::auth::request_session().await else {
            return Err(AppError::BadRequest("Your cart is empty.".into()));
        };
        let user = crate::ssr::auth::current_user(&session, &state.db).await?;
        let owner = user.as_ref().map_or(Owner::Guest, |u| Owner::User(u.id));
        let id = cart::find(&mut *state.db.pool.acquire().await?, &session, owner, false).await?.map(|c| c.id);
        let view = cart::view(&state.db, &session, id).await?;
        let lines: Vec<(i64, i64)> = view.lines.iter().map(|l| (l.product_id, l.quantity)).collect();
        let country = country_code(&country);
        let to = Destination {
            country: if country.is_empty() { "US" } else { &country },
            region: &region,
            method: &method,
            promo: &promo,
            customer: &user.as_ref().map(|u| orders::promo_customer(&u.email)).unwrap_or_default(),
        };
        let mut conn = state.db.pool.acquire().await?;
        let priced = orders::price(&mut conn, &lines, &to).await?;
        Ok(Quote {
            cart: view,
            shipping: priced.options,
            method: priced.method,
            promo: priced.promo,
            totals: priced.totals,
            currency: priced.currency,
            tax_rate_bp: priced.rate_bp,
        })
    }

    pub async fn place(
        key: String,
        email: String,
        address_id: i64,
        address: Address,
        method: String,
        promo: String,
    ) -> Result<(), AppError> {
        let state = crate::ssr::state()?;
        let session = session().await?;
        if !orders::valid_key(&key) {
            return Err(AppError::BadRequest("Reload the checkout page and try again (the form is incomplete).".into()));
        }
        let user = crate::ssr::auth::current_user(&session, &state.db).await?;
        let address = match (&user, address_id) {
            (_, 0) => address,
            (Some(user), id) => crate::ssr::db::addresses::of_user(&state.db, user.id)
                .await?
                .into_iter()
                .find(|a| a.id == id)
                .ok_or_else(|| AppError::NotFound("That address is not in your address book.".into()))?,
            (None, _) => return Err(AppError::Unauthorized("Sign in to use a saved address.".into())),
        };
        let owner = user.as_ref().map_or(Owner::Guest, |u| Owner::User(u.id));
        let client = crate::ssr::auth::limits::request_client().await;
        let checkout =
            Checkout::new(key, &email, user.as_ref(), address, &method, &promo)?.from_client(client, state.shop.order_limit);
        let Some(cart) = cart::find(&mut *state.db.pool.acquire().await?, &session, owner, false).await? else {
            return Err(AppError::BadRequest("Your cart is empty.".into()));
        };
        let placed = state.order_desk.place(Items::Cart(cart.id), checkout).await?;
        leptos_axum::redirect(&format!("/order/{}?key={}", placed.number, placed.access_token));
        Ok(())
    }

    /// The order's id and secret, if the caller may see it (else 404, never 403:
    /// an order number alone tells nothing).
    pub(crate) async fn authorized(number: &str, key: &str) -> Result<(i64, String), AppError> {
        let state = crate::ssr::state()?;
        let user = match crate::ssr::auth::request_session().await {
            Some(session) => crate::ssr::auth::current_user(&session, &state.db).await?,
            None => None,
        };
        crate::ssr::shop::access::order_for(&state.db, number, key, user.map(|u| u.id)).await
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
        let client = crate::ssr::auth::limits::request_client().await;
        match payments::pay(&state.shop, id, &idempotency_key, card, client).await? {
            Paid::Yes => leptos_axum::redirect(&format!("/order/{number}?key={secret}")),
            Paid::RequiresAction(url) => leptos_axum::redirect(&url),
            Paid::Declined(message) => return Err(AppError::PaymentDeclined(message)),
        }
        Ok(())
    }

    pub async fn order(number: String, key: String) -> Result<OrderView, AppError> {
        let state = crate::ssr::state()?;
        let (id, _) = authorized(&number, &key).await?;
        crate::ssr::shop::order_view::load(&state.db, id).await
    }
}
