//! `POST /webhooks/carrier`: tracking updates from carriers, signed in the
//! `carrier-signature` header (`t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`).
//! 200 when applied or already seen; 401 bad signature; 400 stale or
//! malformed; 404 unknown parcel; 409 when it does not fit the parcel.

use app::ssr::fulfilment::carrier::{self, Refusal};
use app::ssr::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// The header carriers sign tracking webhooks with.
pub const SIGNATURE_HEADER: &str = "carrier-signature";

pub async fn webhook(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    match carrier::webhook(&state.shop, &state.carrier_secret, signature, &body).await {
        Ok(done) => (StatusCode::OK, done).into_response(),
        Err(refusal) => {
            let status = match &refusal {
                Refusal::Signature(_) => StatusCode::UNAUTHORIZED,
                Refusal::Bad(_) => StatusCode::BAD_REQUEST,
                Refusal::UnknownParcel => StatusCode::NOT_FOUND,
                Refusal::Refused(error) => StatusCode::from_u16(error.status()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            };
            tracing::warn!(%refusal, %status, "carrier webhook refused");
            (status, refusal.to_string()).into_response()
        }
    }
}
