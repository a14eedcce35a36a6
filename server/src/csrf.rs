//! Cross-site request forgery: a request that may change state (any method
//! but GET, HEAD and OPTIONS) is refused when the browser says it comes from
//! another site. Browsers send `Origin` (or at least `Referer`) on such
//! requests; a request with neither carries no browser's cookies by accident.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub async fn same_origin_only(State(public_url): State<Arc<str>>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || from_this_site(request.headers(), &public_url)
    {
        return next.run(request).await;
    }
    tracing::warn!(path = request.uri().path(), "cross-site request refused");
    (StatusCode::FORBIDDEN, "This request came from another site, so it was refused. Go back to the shop and try again.")
        .into_response()
}

/// Whether `Origin`, else `Referer`, names this shop (its public URL or the
/// `Host` it was reached at); true when the browser sent neither.
fn from_this_site(headers: &HeaderMap, public_url: &str) -> bool {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let origin = headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER));
    let Some(origin) = origin else { return true };
    let Ok(origin) = origin.to_str() else { return false };
    let site = |url: &str| -> Option<String> {
        let (scheme, rest) = url.split_once("://")?;
        Some(format!("{scheme}://{}", rest.split('/').next().unwrap_or("")))
    };
    let Some(origin) = site(origin) else { return false };
    site(public_url).is_some_and(|own| own == origin)
        || origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
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
        assert!(from_this_site(&headers(&[(header::HOST, "127.0.0.1:3000"), (header::ORIGIN, "http://127.0.0.1:3000")]), shop));
        assert!(from_this_site(&headers(&[]), shop), "no browser context");
        assert!(!from_this_site(&headers(&[(header::ORIGIN, "https://evil.example")]), shop));
        assert!(!from_this_site(&headers(&[(header::ORIGIN, "https://shop.example.evil.example")]), shop));
        assert!(!from_this_site(&headers(&[(header::ORIGIN, "null")]), shop));
        assert!(!from_this_site(&headers(&[(header::REFERER, "https://evil.example/shop.example")]), shop));
    }
}
