//! `/api/v1`: the versioned JSON API for mobile and third-party clients,
//! described by the OpenAPI document at `/api/v1/openapi.json`. The same
//! rules as the pages decide who may do what: an order is the signed-in
//! owner's (session cookie) or anyone's holding its key (`?key=`, from the
//! order mail or the create response). Errors are JSON:
//! `{"error": {"status": 404, "message": "..."}}`.

mod orders;
mod payments;

use app::error::AppError;
use app::ssr::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};

/// The OpenAPI 3.1 document, kept beside the code it describes.
const OPENAPI: &str = include_str!("openapi.json");

/// The API's routes, to nest under `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/orders", post(orders::create))
        .route("/orders/{number}", get(orders::show))
        .route("/orders/{number}/cancel", put(orders::cancel))
        .route("/payments", post(payments::create))
        .route("/shipments/{id}", get(orders::shipment))
        .fallback(|| async { ApiError(AppError::NotFound("No such API endpoint; see /api/v1/openapi.json.".into())) })
}

async fn openapi() -> impl IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], OPENAPI)
}

/// An error as the API answers it.
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        Self(error)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        Self(AppError::BadRequest(format!("The request body is not what this endpoint takes: {}", rejection.body_text())))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::json!({ "error": { "status": status.as_u16(), "message": self.0.to_string() } });
        let mut response = (status, Json(body)).into_response();
        if let AppError::TooManyRequests { retry_after, .. } = self.0 {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, retry_after.into());
        }
        response
    }
}

/// The signed-in user's id, if the request carries a live session.
pub struct Caller(pub Option<app::ssr::accounts::users::User>);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(session) = parts.extensions.get::<tower_sessions::Session>() else { return Ok(Self(None)) };
        Ok(Self(app::ssr::accounts::current_user(session, &state.db).await?))
    }
}

/// The client's address, as the server worked it out behind trusted proxies
/// (`crate::client_addr`); unspecified if unknown.
pub struct Client(pub std::net::IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let client = parts.extensions.get::<app::ssr::accounts::limits::ClientAddr>();
        Ok(Self(client.map_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED), |c| c.0)))
    }
}

/// The `Idempotency-Key` header, required on calls that create things.
pub struct IdempotencyKey(pub String);

impl OptionalFromRequestParts<AppState> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Option<Self>, Self::Rejection> {
        Ok(key_header(&parts.headers).map(Self))
    }
}

fn key_header(headers: &HeaderMap) -> Option<String> {
    headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(|v| v.trim().to_owned())
}

impl IdempotencyKey {
    /// The key, checked: 16–100 letters, digits, `-` or `_`.
    pub fn require(key: Option<Self>) -> Result<String, ApiError> {
        match key {
            Some(Self(key)) if app::ssr::orders::place::valid_key(&key) => Ok(key),
            _ => Err(ApiError(AppError::BadRequest(
                "Send an Idempotency-Key header of 16 to 100 letters, digits, '-' or '_' (a UUID fits).".into(),
            ))),
        }
    }
}

/// `?key=` on order URLs.
#[derive(serde::Deserialize)]
pub struct OrderKey {
    #[serde(default)]
    pub key: String,
}
