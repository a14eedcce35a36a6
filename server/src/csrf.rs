//! Cross-site request forgery: a request that may change state (any method
//! but GET, HEAD and OPTIONS) must say it comes from this shop: its `Origin`
//! (else its `Referer`) must be the shop's public URL, or the scheme and host
//! it was reached at — never plain http when the shop is served over https.
//! Browsers send `Origin` on every such request, so one with neither header
//! is refused too. Two kinds of caller are not browsers and carry their own
//! proof instead: the JSON API (`/api/v1/`: JSON bodies, which no cross-site
//! form can send, and order keys or idempotency keys) and webhooks
//! (`/webhooks/`: signed by the payment provider or carrier).

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub async fn same_origin_only(State(public_url): State<Arc<str>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || path.starts_with("/api/v1/")
        || path.starts_with("/webhooks/")
        || from_this_site(request.headers(), &public_url)
    {
        return next.run(request).await;
    }
    tracing::warn!(path = request.uri().path(), "cross-site request refused");
    (StatusCode::FORBIDDEN, "This request came from another site, so it was refused. Go back to the shop and try again.")
        .into_response()
}

/// Whether `Origin`, else `Referer`, names this shop (its public URL or the
/// `Host` it was reached at, over https when the shop is); false when the
/// request has neither.
fn from_this_site(headers: &HeaderMap, public_url: &str) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let origin = headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER));
    let Some(origin) = origin else { return false };
    let Ok(origin) = origin.to_str() else { return false };
    let site = |url: &str| -> Option<String> {
        let (scheme, rest) = url.split_once("://")?;
        Some(format!("{scheme}://{}", rest.split('/').next().unwrap_or("")))
    };
    let Some(origin) = site(origin) else { return false };
    let https_only = public_url.starts_with("https://");
    site(public_url).is_some_and(|own| own == origin)
        || origin.strip_prefix("https://") == Some(host)
        || (!https_only && origin.strip_prefix("http://") == Some(host))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (k.clone(), v.parse().unwrap())).collect()
    }

    #[test]
    fn same_site_passes_and_other_sites_do_not() {
        let shop = "https://shop.example";
        assert!(from_this_site(&headers(&[(header::ORIGIN, "https://shop.example")]), shop));
        assert!(from_this_site(&headers(&[(header::REFERER, "https://shop.example/account/sign-in")]), shop));
        assert!(from_this_site(&headers(&[(header::HOST, "127.0.0.1:3000"), (header::ORIGIN, "https://127.0.0.1:3000")]), shop));
        assert!(
            !from_this_site(&headers(&[(header::HOST, "127.0.0.1:3000"), (header::ORIGIN, "http://127.0.0.1:3000")]), shop),
            "plain http on an https shop"
        );
        assert!(!from_this_site(&headers(&[(header::ORIGIN, "http://shop.example")]), shop), "plain http on an https shop");
        let plain = "http://127.0.0.1:3000";
        assert!(from_this_site(&headers(&[(header::HOST, "127.0.0.1:3000"), (header::ORIGIN, "http://127.0.0.1:3000")]), plain));
        assert!(!from_this_site(&headers(&[]), shop), "neither Origin nor Referer");
        assert!(!from_this_site(&headers(&[(header::ORIGIN, "https://evil.example")]), shop));
        assert!(!from_this_site(&headers(&[(header::ORIGIN, "https://shop.example.evil.example")]), shop));
        assert!(!from_this_site(&headers(&[(header::ORIGIN, "null")]), shop));
        assert!(!from_this_site(&headers(&[(header::REFERER, "https://evil.example/shop.example")]), shop));
    }
}
