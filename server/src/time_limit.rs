//! How long a request may take before it is answered 408: 30 seconds, and
//! five minutes for an image upload (15 MB from a phone on a slow network).

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

const USUAL: Duration = Duration::from_secs(30);
const UPLOAD: Duration = Duration::from_secs(300);

pub async fn limit(request: Request, next: Next) -> Response {
    let most = if crate::body_limit::is_upload(request.uri().path()) { UPLOAD } else { USUAL };
    match tokio::time::timeout(most, next.run(request)).await {
        Ok(response) => response,
        Err(_) => (StatusCode::REQUEST_TIMEOUT, "That took too long to answer. Please try again.").into_response(),
    }
}
