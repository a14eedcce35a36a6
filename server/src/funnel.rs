//! Marks the shoppers' funnel from the requests that show a step: a product
//! page (rendered, from the page cache, or its data fetched by the browser
//! on the way there) is a look at a product; the checkout page, or its price
//! quote, is the start of checkout; a product's page is also a look at that
//! product, for its popularity. Only successful answers count. Adding
//! to the cart and placing an order are marked by their own server functions.

use app::ssr::accounts::limits::ClientAddr;
use app::ssr::analytics::funnel::{FunnelRecorder, Step};
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The step a request to `path` shows, if any.
fn step_of(method: &Method, path: &str) -> Option<Step> {
    match (method, path) {
        (&Method::GET, p) if p.starts_with("/p/") => Some(Step::Viewed),
        (_, "/api/product") => Some(Step::Viewed),
        (&Method::GET, "/checkout") => Some(Step::Checkout),
        (_, p) if p.starts_with("/api/checkout/quote") => Some(Step::Checkout),
        _ => None,
    }
}

/// The product whose page (or reviews page) `path` is: its slug.
fn product_of<'a>(method: &Method, path: &'a str) -> Option<&'a str> {
    let slug = path.strip_prefix("/p/")?.split('/').next()?;
    (method == Method::GET && !slug.is_empty()).then_some(slug)
}

/// Notes the step of a successful request (and the look at a product).
pub async fn mark(
    State(funnel): State<Arc<FunnelRecorder>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(step) = step_of(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let ip = request.extensions().get::<ClientAddr>().map(|c| c.0);
    let looked_at = product_of(request.method(), request.uri().path()).map(str::to_owned);
    let agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let response = next.run(request).await;
    if let (true, Some(ip)) = (response.status().is_success(), ip) {
        let ip = app::ssr::accounts::limits::client_key(ip);
        funnel.note(step, ip, &agent);
        if let Some(slug) = looked_at.as_deref() {
            funnel.note_look(slug, ip, &agent);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_by_path() {
        assert_eq!(step_of(&Method::GET, "/p/blue-mug"), Some(Step::Viewed));
        assert_eq!(product_of(&Method::GET, "/p/blue-mug"), Some("blue-mug"));
        assert_eq!(product_of(&Method::GET, "/p/blue-mug/reviews"), Some("blue-mug"));
        assert_eq!(product_of(&Method::POST, "/p/blue-mug"), None);
        assert_eq!(product_of(&Method::GET, "/p/"), None);
        assert_eq!(step_of(&Method::POST, "/p/blue-mug"), None);
        assert_eq!(step_of(&Method::POST, "/api/product"), Some(Step::Viewed));
        assert_eq!(step_of(&Method::GET, "/checkout"), Some(Step::Checkout));
        assert_eq!(
            step_of(&Method::GET, "/api/checkout/quote"),
            Some(Step::Checkout)
        );
        assert_eq!(step_of(&Method::GET, "/cart"), None);
    }
}
