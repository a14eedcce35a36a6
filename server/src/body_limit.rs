//! Request body limits: forms and JSON are small, so a body over
//! [`MAX_BODY`] is refused with 413 and a sentence a person understands,
//! before any handler or server function reads it (they would otherwise
//! answer 400 or 503 "Transport"). Bodies that announce their length are
//! checked from the header; streamed (chunked) ones are read up to the limit.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};

/// The largest body any route takes: forms and JSON. No route takes uploads
/// yet; one that does gets its own, larger limit.
pub const MAX_BODY: usize = 64 * 1024;

pub async fn limit(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let length = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    match length {
        Some(length) if length > MAX_BODY as u64 => return too_large(request.uri().path()),
        // hyper reads no more than the announced length.
        Some(_) => return next.run(request).await,
        None if !headers.contains_key(header::TRANSFER_ENCODING) => return next.run(request).await,
        None => {}
    }
    let (parts, body) = request.into_parts();
    match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => next.run(Request::from_parts(parts, Body::from(collected.to_bytes()))).await,
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => too_large(parts.uri.path()),
        Err(error) => {
            tracing::info!(%error, "request body could not be read");
            (StatusCode::BAD_REQUEST, "The request body could not be read. Please try again.").into_response()
        }
    }
}

/// 413 in the form the route answers errors in.
fn too_large(path: &str) -> Response {
    let error = AppError::TooLarge(format!(
        "That request is too large: the shop takes at most {} KiB at once. Shorten what you sent and try again.",
        MAX_BODY / 1024
    ));
    if path.starts_with("/api/v1/") {
        crate::api_v1::ApiError(error).into_response()
    } else if path.starts_with("/api/") {
        // Server functions answer errors as the JSON of AppError.
        let body = serde_json::to_string(&error).unwrap_or_default();
        (StatusCode::PAYLOAD_TOO_LARGE, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    } else {
        (StatusCode::PAYLOAD_TOO_LARGE, error.to_string()).into_response()
    }
}
