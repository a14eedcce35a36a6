//! Paying an order over JSON.

use super::{ApiError, Caller, Client, IdempotencyKey};
use app::error::AppError;
use app::ssr::orders::access;
use app::ssr::payments::pay::{self as payments, Card, Paid};
use app::ssr::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

/// `POST /api/v1/payments`'s body. The card goes to the payment provider and
/// is never stored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPayment {
    order: String,
    #[serde(default)]
    key: String,
    card_number: String,
    expiry: String,
    cvc: String,
}

/// `POST /api/v1/payments`: 200 paid; 202 when the card holder must confirm
/// with their bank at `action_url`; 402 declined. The same `Idempotency-Key`
/// never charges twice.
pub async fn create(
    State(state): State<AppState>,
    Caller(user): Caller,
    client: Client,
    key: Option<IdempotencyKey>,
    body: Result<Json<NewPayment>, JsonRejection>,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let key = IdempotencyKey::require(key)?;
    let Json(new) = body?;
    let (id, _) = access::order_for(&state.db, &new.order, &new.key, user.map(|u| u.id)).await?;
    let card = Card { number: &new.card_number, expiry: &new.expiry, cvc: &new.cvc };
    match payments::pay(&state.shop, id, &key, card, client.0).await? {
        Paid::Yes => Ok((StatusCode::OK, Json(serde_json::json!({ "status": "succeeded" })))),
        Paid::RequiresAction(url) => {
            Ok((StatusCode::ACCEPTED, Json(serde_json::json!({ "status": "requires-action", "action_url": url }))))
        }
        Paid::Declined(message) => Err(ApiError(AppError::PaymentDeclined(message))),
    }
}
