//! Orders and their parcels over JSON.

use app::domain::checkout::MAX_LINES;
use super::{ApiError, Caller, Client, IdempotencyKey, OrderKey};
use app::domain::address::Address;
use app::domain::order_view::OrderView;
use app::domain::orders::ShipmentView;
use app::error::AppError;
use app::ssr::orders::place::{Checkout, Items};
use app::ssr::orders::{access, cancel, view as order_view};
use app::ssr::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};

/// `POST /api/v1/orders`'s body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    items: Vec<NewLine>,
    /// The receipt address; a signed-in caller may leave it out.
    #[serde(default)]
    email: String,
    address: NewAddress,
    #[serde(default = "standard")]
    shipping_method: String,
    #[serde(default)]
    promo: String,
}

fn standard() -> String {
    "standard".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewLine {
    product_id: i64,
    /// Which variant; left out for a product sold one way.
    #[serde(default)]
    variant_id: Option<i64>,
    quantity: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewAddress {
    full_name: String,
    line1: String,
    #[serde(default)]
    line2: String,
    city: String,
    #[serde(default)]
    region: String,
    postal_code: String,
    country: String,
    #[serde(default)]
    phone: String,
}

/// What creating an order answers: the order and the key that opens it.
#[derive(Serialize)]
struct Created {
    key: String,
    order: OrderView,
}

/// (variant id, quantity) pairs sorted by variant, duplicates merged, each
/// quantity 1–99; a line without `variant_id` is its product's only variant.
async fn lines(state: &AppState, items: &[NewLine]) -> Result<Vec<(i64, i64)>, AppError> {
    if items.is_empty() || items.len() > MAX_LINES {
        return Err(AppError::BadRequest(format!("Send between 1 and {MAX_LINES} items.")));
    }
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(items.len());
    for item in items {
        if !(1..=99).contains(&item.quantity) {
            return Err(AppError::BadRequest("Each quantity must be a whole number from 1 to 99.".into()));
        }
        let variant = app::ssr::catalog::variants::resolve_line(&state.db, item.product_id, item.variant_id).await?;
        match merged.iter_mut().find(|(v, _)| *v == variant) {
            Some((_, q)) if *q + item.quantity > 99 => {
                return Err(AppError::BadRequest("At most 99 of one item per order.".into()))
            }
            Some((_, q)) => *q += item.quantity,
            None => merged.push((variant, item.quantity)),
        }
    }
    merged.sort_unstable();
    Ok(merged)
}

/// `POST /api/v1/orders`: places an order (stock held for 15 minutes until it
/// is paid). The same `Idempotency-Key` returns the same order.
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    client: Client,
    key: Option<IdempotencyKey>,
    body: Result<Json<NewOrder>, JsonRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let key = IdempotencyKey::require(key)?;
    let Json(new) = body?;
    let items = Items::Lines(lines(&state, &new.items).await?);
    let a = new.address;
    let address = Address {
        id: 0,
        full_name: a.full_name,
        line1: a.line1,
        line2: a.line2,
        city: a.city,
        region: a.region,
        postal_code: a.postal_code,
        country: a.country,
        phone: a.phone,
    };
    let checkout = Checkout::new(key, &new.email, user.as_ref(), address, &new.shipping_method, &new.promo)?
        .from_client(client.0, state.shop.order_limit);
    let placed = state.order_placer.place(items, checkout).await?;
    let (id, secret) = access::order_for(&state.db, &placed.number, &placed.access_token, None).await?;
    let order = order_view::load(&state.db, id).await?;
    let location = format!("/api/v1/orders/{}", placed.number);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(Created { key: secret, order })))
}

/// The order's id, if the caller may see it.
async fn authorized(state: &AppState, number: &str, key: &str, user: Option<&app::ssr::accounts::users::User>) -> Result<i64, ApiError> {
    Ok(access::order_for(&state.db, number, key, user.map(|u| u.id)).await?.0)
}

/// `GET /api/v1/orders/{number}`.
pub async fn show(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    Query(query): Query<OrderKey>,
) -> Result<Json<OrderView>, ApiError> {
    let id = authorized(&state, &number, &query.key, user.as_ref()).await?;
    Ok(Json(order_view::for_buyer(&state.db, &state.shop, id).await?))
}

/// `PUT /api/v1/orders/{number}/cancel`: before anything shipped; the payment is refunded.
pub async fn cancel(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    Query(query): Query<OrderKey>,
) -> Result<Json<OrderView>, ApiError> {
    let id = authorized(&state, &number, &query.key, user.as_ref()).await?;
    let actor = if user.is_some() { "customer" } else { "guest" };
    cancel::cancel(&state.shop, id, actor, "").await?;
    Ok(Json(order_view::for_buyer(&state.db, &state.shop, id).await?))
}

/// A parcel with the order it belongs to.
#[derive(Serialize)]
struct Parcel {
    order: String,
    #[serde(flatten)]
    shipment: ShipmentView,
}

/// `GET /api/v1/shipments/{id}`: a parcel of an order the caller may see.
pub async fn shipment(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(id): Path<String>,
    Query(query): Query<OrderKey>,
) -> Result<impl IntoResponse, ApiError> {
    let not_found = || ApiError(AppError::NotFound("There is no such parcel, or the link is incomplete.".into()));
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let number = access::shipped_in(&state.db, id).await?.ok_or_else(not_found)?;
    let order = authorized(&state, &number, &query.key, user.as_ref()).await.map_err(|_| not_found())?;
    let view = order_view::load(&state.db, order).await?;
    let shipment = view.shipments.into_iter().find(|s| s.id == id).ok_or_else(not_found)?;
    Ok(Json(Parcel { order: number, shipment }))
}
