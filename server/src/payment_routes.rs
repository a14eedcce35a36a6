//! HTTP side of payments: the providers' webhook endpoints, and the built-in
//! test processor's "confirm with your bank" page (what a real processor
//! hosts on its own site).

use app::ssr::payments::webhooks::{self as payments, WebhookRefusal};
use app::ssr::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;

/// The header the test processor signs its webhooks with.
pub const SIGNATURE_HEADER: &str = "testpay-signature";

/// `POST /webhooks/testpay`: 200 once applied (or already seen), 400 for a
/// bad signature or stale event, 503 when it could not be applied (the
/// provider retries).
pub async fn webhook(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    receive(&state, &headers, SIGNATURE_HEADER, &body).await
}

/// `POST /webhooks/stripe`: Stripe's events, signed in `Stripe-Signature`;
/// answered as [`webhook`] (Stripe retries anything but a 2xx for days).
pub async fn stripe_webhook(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    receive(&state, &headers, "stripe-signature", &body).await
}

async fn receive(state: &AppState, headers: &HeaderMap, signed_in: &str, body: &[u8]) -> Response {
    let signature = headers.get(signed_in).and_then(|v| v.to_str().ok()).unwrap_or("");
    match payments::webhook(&state.shop, signature, body).await {
        Ok(done) => (StatusCode::OK, done).into_response(),
        Err(WebhookRefusal::Signature(error)) => {
            tracing::warn!(%error, "webhook refused");
            (StatusCode::BAD_REQUEST, error.to_string()).into_response()
        }
        Err(error @ WebhookRefusal::Failed(_)) => (StatusCode::SERVICE_UNAVAILABLE, error.to_string()).into_response(),
    }
}

/// `GET /testpay/confirm/{reference}`: the test bank asks the card holder.
pub async fn confirm_page(Path(reference): Path<String>) -> Html<String> {
    let reference: String = reference.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width\"><title>Test bank: confirm your payment</title></head><body>\
         <main style=\"max-width:32rem;margin:3rem auto;font-family:sans-serif\"><h1>Test bank</h1>\
         <p>Oxcart asks you to confirm a card payment (test mode).</p>\
         <form method=\"post\" action=\"/testpay/confirm/{reference}\">\
         <button name=\"answer\" value=\"approve\">Confirm payment</button> \
         <button name=\"answer\" value=\"refuse\">Refuse</button></form></main></body></html>"
    ))
}

#[derive(serde::Deserialize)]
pub struct Answer {
    answer: String,
}

/// `POST /testpay/confirm/{reference}`: the card holder answered; the test
/// processor sends the signed result to the shop's webhook handler and sends
/// the shopper back to their order.
pub async fn confirm(State(state): State<AppState>, Path(reference): Path<String>, Form(answer): Form<Answer>) -> Response {
    let now = app::ssr::now();
    let Some(testpay) = &state.testpay else {
        return (StatusCode::NOT_FOUND, "The test card processor is not in use.").into_response();
    };
    let event = match answer.answer.as_str() {
        "approve" => testpay.confirm(&reference, now),
        _ => Some(testpay.event("payment.failed", &reference, now)),
    };
    let Some((body, signature)) = event else {
        return (StatusCode::NOT_FOUND, "No payment waits for confirmation under this reference.").into_response();
    };
    if let Err(error) = payments::webhook(&state.shop, &signature, &body).await {
        tracing::error!(%error, "test processor could not deliver its webhook");
        return (StatusCode::SERVICE_UNAVAILABLE, "The shop did not answer. Try again.").into_response();
    }
    match app::ssr::orders::access::paid_with(&state.db, &reference).await.ok().flatten() {
        Some((number, key)) => Redirect::to(&format!("/order/{number}?key={key}")).into_response(),
        None => (StatusCode::NOT_FOUND, "Unknown payment.").into_response(),
    }
}
