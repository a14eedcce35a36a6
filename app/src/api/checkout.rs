//! Checkout: the order summary computed on the server, placing the order
//! (idempotent by the form's key), paying it, and the order page's data.

use crate::domain::checkout::{OrderView, Quote};
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
    let Ok(session) = leptos_axum::extract::<tower_sessions::Session>().await else { return Ok(Vec::new()) };
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
    use crate::domain::account::parse_email;
    use crate::domain::address::Address;
    use crate::domain::checkout::{OrderLine, OrderView, PaymentView, Quote, Totals};
    use crate::domain::orders::{OrderEvent, OrderStatus, ShipmentView};
    use crate::domain::money::{Currency, Money};
    use crate::error::AppError;
    use crate::ssr::shop::cart::{self, Owner};
    use crate::ssr::shop::orders::{self, Checkout, Destination};
    use crate::ssr::shop::payments::{self, Card, Paid};
    use tower_sessions::Session;

    async fn session() -> Result<Session, AppError> {
        leptos_axum::extract::<Session>().await.map_err(|_| AppError::Internal)
    }

    fn country_code(raw: &str) -> String {
        raw.trim().to_ascii_uppercase()
    }

    pub async fn quote(country: String, region: String, method: String, promo: String) -> Result<Quote, AppError> {
        let state = crate::ssr::state()?;
        let Ok(session) = leptos_axum::extract::<Session>().await else {
            return Err(AppError::BadRequest("Your cart is empty.".into()));
        };
        let user = crate::ssr::auth::current_user(&session, &state.db).await?;
        let owner = user.as_ref().map_or(Owner::Guest, |u| Owner::User(u.id));
        let id = cart::find(&state.db, &session, owner, false).await?;
        let view = cart::view(&state.db, &session, id).await?;
        let lines: Vec<(i64, i64)> = view.lines.iter().map(|l| (l.product_id, l.quantity)).collect();
        let country = country_code(&country);
        let to = Destination {
            country: if country.is_empty() { "US" } else { &country },
            region: &region,
            method: &method,
            promo: &promo,
            customer: user.as_ref().map_or("", |u| u.email.as_str()),
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
        let email = match (&user, email.trim()) {
            (Some(user), "") => user.email.clone(),
            (_, typed) => parse_email(typed).map_err(AppError::BadRequest)?,
        };
        let address = match (&user, address_id) {
            (_, 0) => Address { country: country_code(&address.country), ..address },
            (Some(user), id) => crate::ssr::db::addresses::of_user(&state.db, user.id)
                .await?
                .into_iter()
                .find(|a| a.id == id)
                .ok_or_else(|| AppError::NotFound("That address is not in your address book.".into()))?,
            (None, _) => return Err(AppError::Unauthorized("Sign in to use a saved address.".into())),
        };
        let address = Address { id: 0, ..address }.validated().map_err(AppError::BadRequest)?;
        let owner = user.as_ref().map_or(Owner::Guest, |u| Owner::User(u.id));
        let checkout = Checkout {
            idempotency_key: key,
            email,
            user: user.map(|u| u.id),
            address,
            method: method.trim().to_owned(),
            promo: promo.trim().to_ascii_uppercase(),
        };
        let Some(cart_id) = cart::find(&state.db, &session, owner, false).await? else {
            return Err(AppError::BadRequest("Your cart is empty.".into()));
        };
        let placed = orders::place(&state.db, cart_id, &checkout).await?;
        leptos_axum::redirect(&format!("/order/{}?key={}", placed.number, placed.access_token));
        Ok(())
    }

    /// The order's id and secret, if the caller may see it (else 404, never 403:
    /// an order number alone tells nothing).
    pub(crate) async fn authorized(number: &str, key: &str) -> Result<(i64, String), AppError> {
        let state = crate::ssr::state()?;
        let not_found = || AppError::NotFound("There is no such order, or the link is incomplete.".into());
        let row: Option<(i64, Option<i64>, String)> =
            sqlx::query_as("SELECT id, user_id, access_token FROM orders WHERE number = $1")
                .bind(number)
                .fetch_optional(&state.db.pool)
                .await?;
        let (id, owner, secret) = row.ok_or_else(not_found)?;
        let by_key = !key.is_empty() && crate::ssr::auth::token_hash(key) == crate::ssr::auth::token_hash(&secret);
        if by_key {
            return Ok((id, secret));
        }
        let user = match leptos_axum::extract::<Session>().await {
            Ok(session) => crate::ssr::auth::current_user(&session, &state.db).await?,
            Err(_) => None,
        };
        match (user, owner) {
            (Some(user), Some(owner)) if user.id == owner => Ok((id, secret)),
            _ => Err(not_found()),
        }
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
        match payments::pay(&state.payments, id, &idempotency_key, card).await? {
            Paid::Yes => leptos_axum::redirect(&format!("/order/{number}?key={secret}")),
            Paid::RequiresAction(url) => leptos_axum::redirect(&url),
            Paid::Declined(message) => return Err(AppError::BadRequest(message)),
        }
        Ok(())
    }

    type OrderRow = (String, String, String, i64, String, i64, i64, i64, i64, i64, String, String, i64, i64);

    pub async fn order(number: String, key: String) -> Result<OrderView, AppError> {
        let state = crate::ssr::state()?;
        let db = &state.db;
        let (id, _) = authorized(&number, &key).await?;
        let (number, status, email, created_at, currency, subtotal, discount, shipping, tax, total, method, ship_to,
             reserved_until, stock_held): OrderRow = sqlx::query_as(
            "SELECT number, status, email, created_at, currency, subtotal_minor, discount_minor, shipping_minor, \
             tax_minor, total_minor, shipping_method, ship_to, reserved_until, stock_held FROM orders WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
        let currency = Currency::parse(&currency).ok_or(AppError::Internal)?;
        let lines: Vec<(String, i64, i64)> =
            sqlx::query_as("SELECT name, unit_price_minor, quantity FROM order_lines WHERE order_id = $1 ORDER BY name")
                .bind(id)
                .fetch_all(&db.pool)
                .await?;
        let payment: Option<(String, String, String)> = sqlx::query_as(
            "SELECT status, message, card FROM payments WHERE order_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
        let status = OrderStatus::parse(&status).ok_or(AppError::Internal)?;
        let events: Vec<(i64, String, String)> =
            sqlx::query_as("SELECT at, to_status, note FROM order_events WHERE order_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(&db.pool)
                .await?;
        let shipments: Vec<(String, String, i64, Option<i64>)> = sqlx::query_as(
            "SELECT carrier, tracking, shipped_at, delivered_at FROM shipments WHERE order_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&db.pool)
        .await?;
        let held = status == OrderStatus::PendingPayment && stock_held == 1;
        Ok(OrderView {
            number,
            status,
            email,
            created_at,
            lines: lines
                .into_iter()
                .map(|(name, price, quantity)| OrderLine { name, unit_price: Money::new(price, currency), quantity })
                .collect(),
            totals: Totals { subtotal, discount, shipping, tax, total },
            currency,
            shipping_method: method,
            ship_to: serde_json::from_str(&ship_to).map_err(|_| AppError::Internal)?,
            payment: payment.map(|(status, message, card)| {
                let action_url = (status == "requires-action").then(|| message.clone());
                let message = if action_url.is_some() { String::new() } else { message };
                PaymentView { status, message, card, action_url }
            }),
            reserved_for: if held { (reserved_until - crate::ssr::now()).max(0) } else { 0 },
            events: events
                .into_iter()
                .filter_map(|(at, to, note)| Some(OrderEvent { at, status: OrderStatus::parse(&to)?, note }))
                .collect(),
            shipments: shipments
                .into_iter()
                .map(|(carrier, tracking, shipped_at, delivered_at)| ShipmentView { carrier, tracking, shipped_at, delivered_at })
                .collect(),
        })
    }

}
