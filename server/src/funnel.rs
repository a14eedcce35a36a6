//! Marks the shoppers' funnel from the requests that show a step: a product
//! page (rendered, from the page cache, or its data fetched by the browser
//! on the way there) is a look at a product; the checkout page, or its price
//! quote, is the start of checkout. Only successful answers count. Adding
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

/// Notes the step of a successful request.
pub async fn mark(
    State(funnel): State<Arc<FunnelRecorder>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(step) = step_of(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let ip = request.extensions().get::<ClientAddr>().map(|c| c.0);
    let agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let response = next.run(request).await;
    if let (true, Some(ip)) = (response.status().is_success(), ip) {
        funnel.note(step, app::ssr::accounts::limits::client_key(ip), &agent);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_by_path() {
        assert_eq!(step_of(&Method::GET, "/p/blue-mug"), Some(Step::Viewed));
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
