//! Security headers on every response: no MIME sniffing, no framing, a
//! referrer that leaves out paths on other sites, HSTS when the shop is
//! served over HTTPS, and a Content-Security-Policy. Pages get theirs, with
//! the request's script nonce, from the app's shell (`app::page_policy`);
//! every other response (JSON, assets, the invoice and test bank pages) gets
//! [`OTHER_POLICY`], which runs no script at all.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The policy of responses that are not app pages: no script, inline styles
/// allowed (the invoice has its own), nothing may frame them.
pub const OTHER_POLICY: &str = "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Two years, the preload list's minimum.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// Middleware; `https` says whether the shop's public URL is https.
pub async fn add(State(https): State<bool>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(OTHER_POLICY));
    }
    if https {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    response
}
