//! The shopper's checkout: the cart priced for a destination, shipping
//! method and promo code, and the order placed from the cart (validated, then
//! handed to the group commit).

use super::place::{valid_key, Checkout, Items};
use crate::domain::address::Address;
use crate::domain::checkout::Quote;
use crate::error::AppError;
use crate::ssr::cart::{self, Owner};
use crate::ssr::pricing::quote::{price, promo_customer, Destination};
use tower_sessions::Session;

async fn session() -> Result<Session, AppError> {
    crate::ssr::accounts::session_or_sign_in("check out").await
}

fn country_code(raw: &str) -> String {
    raw.trim().to_ascii_uppercase()
}

pub async fn quote(country: String, region: String, method: String, promo: String) -> Result<Quote, AppError> {
    let state = crate::ssr::state()?;
    let Some(session) = crate::ssr::accounts::request_session().await else {
        return Err(AppError::BadRequest("Your cart is empty.".into()));
    };
    let user = crate::ssr::accounts::current_user(&session, &state.db).await?;
    let owner = user.as_ref().map_or(Owner::Guest, |u| Owner::User(u.id));
    let id = cart::find(&mut *state.db.pool.acquire().await?, &session, owner, false).await?.map(|c| c.id);
    let view = cart::view(&state.db, &session, id).await?;
    let lines: Vec<(i64, i64)> = view.lines.iter().map(|l| (l.variant_id, l.quantity)).collect();
    let country = country_code(&country);
    let to = Destination {
        country: if country.is_empty() { "US" } else { &country },
        region: &region,
        method: &method,
        promo: &promo,
        customer: &user.as_ref().map(|u| promo_customer(&u.email)).unwrap_or_default(),
    };
    let mut conn = state.db.pool.acquire().await?;
    let priced = price(&mut conn, &lines, &to).await?;
    Ok(Quote {
        cart: view,
        shipping: priced.options,
        method: priced.method,
        promo: priced.promo,
        totals: priced.totals,
        currency: priced.currency,
        taxes: priced.by_rate,
        shipping_notice: priced.unshippable,
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
    if !valid_key(&key) {
        return Err(AppError::BadRequest("Reload the checkout page and try again (the form is incomplete).".into()));
    }
    let user = crate::ssr::accounts::current_user(&session, &state.db).await?;
    let address = match (&user, address_id) {
        (_, 0) => address,
        (Some(user), id) => crate::ssr::accounts::addresses::of_user(&state.db, user.id)
            .await?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| AppError::NotFound("That address is not in your address book.".into()))?,
        (None, _) => return Err(AppError::Unauthorized("Sign in to use a saved address.".into())),
    };
    let owner = user.as_ref().map_or(Owner::Guest, |u| Owner::User(u.id));
    let client = crate::ssr::accounts::limits::request_client().await;
    let checkout =
        Checkout::new(key, &email, user.as_ref(), address, &method, &promo)?.from_client(client, state.shop.order_limit);
    let Some(cart) = cart::find(&mut *state.db.pool.acquire().await?, &session, owner, false).await? else {
        return Err(AppError::BadRequest("Your cart is empty.".into()));
    };
    let placed = state.order_placer.place(Items::Cart(cart.id), checkout).await?;
    crate::ssr::analytics::funnel::note_placed(&placed.number).await;
    leptos_axum::redirect(&super::access::order_link("", &placed.number, &placed.access_token));
    Ok(())
}
