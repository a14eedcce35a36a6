//! A local stand-in for Stripe's API, on loopback, answering the requests
//! the shop sends as Stripe documents them: Checkout Sessions created and
//! read back, refunds of their Payment Intents, a bearer secret key, and
//! idempotency keys (the same key and parameters replay the first answer;
//! the same key with other parameters is a 400). Tests play the shopper on
//! Stripe's page (`pay`, `expire`) and get the events Stripe would send,
//! signed the way Stripe signs them (`Stripe-Signature: t=…,v1=…`).
//! `garble_next` makes the next answer unreadable after the work is done,
//! as when a connection drops on the way back; `fail_next` makes the next
//! call fail inside Stripe (a 500 that the same key then replays, with
//! `Idempotent-Replayed: true` as on every replay); `forget_keys` is a day
//! passing (Stripe keeps keys for 24 hours); `refund_pending_next` makes the
//! next refund `pending`, which `settle_refund` later ends with its event.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const SECRET_KEY: &str = "sk_test_oxcart_fake";
pub const WEBHOOK_SECRET: &str = "whsec_oxcart_fake";

#[derive(Default)]
struct Books {
    /// Checkout Sessions by id.
    sessions: HashMap<String, Value>,
    /// Idempotency key → (the parameters sent, the answer given).
    answered: HashMap<String, (Vec<(String, String)>, StatusCode, Value)>,
    /// Refunds made: (payment intent, amount, idempotency key), and as Stripe lists them.
    refunds: Vec<(String, i64, String)>,
    refund_objects: Vec<Value>,
    next: u64,
    garble_next: bool,
    fail_next: bool,
    /// The next refund is taken but still processing (`pending`).
    pending_next: bool,
}

/// The stand-in's address and books.
#[derive(Clone)]
pub struct FakeStripe {
    pub base: String,
    books: Arc<Mutex<Books>>,
}

impl FakeStripe {
    pub async fn start() -> Self {
        let books = Arc::new(Mutex::new(Books::default()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let fake = Self { base, books };
        let router = Router::new()
            .route("/v1/checkout/sessions", post(create_session))
            .route("/v1/checkout/sessions/{id}", get(read_session))
            .route("/v1/refunds", post(create_refund).get(list_refunds))
            .with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        fake
    }

    /// The next answer is lost on the way back (the work is still done).
    pub fn garble_next(&self) {
        self.books.lock().unwrap().garble_next = true;
    }

    /// The next call fails inside Stripe: a 500, nothing done, and the 500
    /// is what the same key gets back afterwards.
    pub fn fail_next(&self) {
        self.books.lock().unwrap().fail_next = true;
    }

    /// The next refund is taken but not finished: Stripe answers `pending`.
    pub fn refund_pending_next(&self) {
        self.books.lock().unwrap().pending_next = true;
    }

    /// The refund the shop made under `refund_key` ends `succeeded` or
    /// `failed` (its money available to refund again): its event,
    /// `refund.updated` or `refund.failed`.
    pub fn settle_refund(&self, refund_key: &str, status: &str, now: i64) -> (String, String) {
        let mut books = self.books.lock().unwrap();
        let refund = books.refund_objects.iter_mut().find(|r| r["metadata"]["refund_key"] == refund_key).expect("a refund");
        refund["status"] = json!(status);
        if status == "failed" {
            refund["failure_reason"] = json!("expired_or_canceled_card");
        }
        let object = refund.clone();
        drop(books);
        self.event(if status == "failed" { "refund.failed" } else { "refund.updated" }, object, now)
    }

    /// A day has passed: Stripe no longer knows the idempotency keys it saw.
    pub fn forget_keys(&self) {
        self.books.lock().unwrap().answered.clear();
    }

    pub fn session(&self, id: &str) -> Value {
        self.books.lock().unwrap().sessions[id].clone()
    }

    pub fn sessions(&self) -> usize {
        self.books.lock().unwrap().sessions.len()
    }

    pub fn refunds(&self) -> Vec<(String, i64, String)> {
        self.books.lock().unwrap().refunds.clone()
    }

    /// The shopper pays on Stripe's page (`paid` false: a slow payment
    /// method, still to clear): the `checkout.session.completed` event.
    pub fn pay(&self, id: &str, paid: bool, now: i64) -> (String, String) {
        let mut books = self.books.lock().unwrap();
        let session = books.sessions.get_mut(id).expect("a session");
        session["status"] = json!("complete");
        session["url"] = Value::Null;
        session["payment_status"] = json!(if paid { "paid" } else { "unpaid" });
        session["payment_intent"] = json!(format!("pi_{}", &id[3..]));
        let object = session.clone();
        drop(books);
        self.event("checkout.session.completed", object, now)
    }

    /// A slow payment method clears (or not): its event.
    pub fn settle_later(&self, id: &str, paid: bool, now: i64) -> (String, String) {
        let mut books = self.books.lock().unwrap();
        let session = books.sessions.get_mut(id).expect("a session");
        session["payment_status"] = json!(if paid { "paid" } else { "unpaid" });
        let object = session.clone();
        drop(books);
        let kind = if paid { "checkout.session.async_payment_succeeded" } else { "checkout.session.async_payment_failed" };
        self.event(kind, object, now)
    }

    /// The session's page expired unpaid: its event.
    pub fn expire(&self, id: &str, now: i64) -> (String, String) {
        let mut books = self.books.lock().unwrap();
        let session = books.sessions.get_mut(id).expect("a session");
        session["status"] = json!("expired");
        session["url"] = Value::Null;
        let object = session.clone();
        drop(books);
        self.event("checkout.session.expired", object, now)
    }

    /// A signed event (body, `Stripe-Signature` header) about `object`.
    pub fn event(&self, kind: &str, object: Value, now: i64) -> (String, String) {
        let id = {
            let mut books = self.books.lock().unwrap();
            books.next += 1;
            format!("evt_{}", books.next)
        };
        let body = json!({"id": id, "object": "event", "type": kind, "created": now, "livemode": false,
            "data": {"object": object}})
        .to_string();
        let header = app::ssr::payments::provider::sign(WEBHOOK_SECRET.as_bytes(), now, body.as_bytes());
        (body, header)
    }
}

fn stripe_error(status: StatusCode, kind: &str, message: &str) -> Response {
    (status, Json(json!({"error": {"type": kind, "message": message}}))).into_response()
}

/// Checks the secret key and the idempotency key; replays an answer given
/// under the same key, or makes a new one with `make`.
fn answer(
    fake: &FakeStripe,
    headers: &HeaderMap,
    form: Vec<(String, String)>,
    make: impl FnOnce(&mut Books, &HashMap<String, String>) -> (StatusCode, Value),
) -> Response {
    if let Some(refused) = unauthorized(headers) {
        return refused;
    }
    let Some(key) = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::to_owned) else {
        return stripe_error(StatusCode::BAD_REQUEST, "invalid_request_error", "The shop always sends an Idempotency-Key.");
    };
    let mut books = fake.books.lock().unwrap();
    let fail = books.fail_next && !books.answered.contains_key(&key);
    let (status, body, replayed) = match books.answered.get(&key).cloned() {
        Some((sent, status, body)) if sent == form => (status, body, true),
        Some(_) => {
            return stripe_error(
                StatusCode::BAD_REQUEST,
                "idempotency_error",
                "Keys for idempotent requests can only be used with the same parameters they were first used with.",
            )
        }
        None if fail => {
            books.fail_next = false;
            let body = json!({"error": {"type": "api_error", "message": "An unknown error occurred."}});
            books.answered.insert(key, (form, StatusCode::INTERNAL_SERVER_ERROR, body.clone()));
            (StatusCode::INTERNAL_SERVER_ERROR, body, false)
        }
        None => {
            let fields: HashMap<String, String> = form.iter().cloned().collect();
            let (status, body) = make(&mut books, &fields);
            books.answered.insert(key, (form, status, body.clone()));
            (status, body, false)
        }
    };
    if std::mem::take(&mut books.garble_next) {
        return (StatusCode::OK, "<html>upstream connect error</html>").into_response();
    }
    let replay = if replayed { "true" } else { "false" };
    (status, [("idempotent-replayed", replay)], Json(body)).into_response()
}

/// Stripe's answer to a call without the shop's secret key (or an API
/// version the adapter does not pin), if so.
fn unauthorized(headers: &HeaderMap) -> Option<Response> {
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {SECRET_KEY}")) {
        return Some(stripe_error(StatusCode::UNAUTHORIZED, "invalid_request_error", "Invalid API Key provided."));
    }
    if headers.get("stripe-version").is_none() {
        return Some(stripe_error(StatusCode::BAD_REQUEST, "invalid_request_error", "The shop pins an API version."));
    }
    None
}

async fn create_session(State(fake): State<FakeStripe>, headers: HeaderMap, Form(form): Form<Vec<(String, String)>>) -> Response {
    let base = fake.base.clone();
    answer(&fake, &headers, form, |books, f| {
        let field = |name: &str| f.get(name).cloned().unwrap_or_default();
        let amount = field("line_items[0][price_data][unit_amount]").parse::<i64>().unwrap_or(0);
        let quantity = field("line_items[0][quantity]").parse::<i64>().unwrap_or(0);
        let currency = field("line_items[0][price_data][currency]");
        let expires = field("expires_at").parse::<i64>().unwrap_or(0) - app::ssr::now();
        if field("mode") != "payment" || amount <= 0 || quantity <= 0 || currency.len() != 3 || !field("success_url").starts_with("http") {
            return (StatusCode::BAD_REQUEST, json!({"error": {"type": "invalid_request_error", "message": "Missing or invalid parameters."}}));
        }
        if !(1800..=86_400).contains(&expires) || field("payment_method_types[0]") != "card" {
            return (StatusCode::BAD_REQUEST, json!({"error": {"type": "invalid_request_error", "message": "expires_at must be 30 minutes to 24 hours away (the shop asks for cards)."}}));
        }
        books.next += 1;
        let id = format!("cs_test_{}", books.next);
        let session = json!({
            "id": id, "object": "checkout.session", "mode": "payment", "status": "open", "payment_status": "unpaid",
            "url": format!("{base}/pay/{id}"), "amount_total": amount * quantity, "currency": currency,
            "client_reference_id": field("client_reference_id"), "success_url": field("success_url"),
            "metadata": {"order": field("metadata[order]"), "payment_key": field("metadata[payment_key]")},
            "payment_intent": null,
        });
        books.sessions.insert(id, session.clone());
        (StatusCode::OK, session)
    })
}

async fn read_session(State(fake): State<FakeStripe>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(refused) = unauthorized(&headers) {
        return refused;
    }
    match fake.books.lock().unwrap().sessions.get(&id) {
        Some(session) => Json(session.clone()).into_response(),
        None => stripe_error(StatusCode::NOT_FOUND, "invalid_request_error", &format!("No such checkout.session: '{id}'")),
    }
}

async fn create_refund(State(fake): State<FakeStripe>, headers: HeaderMap, Form(form): Form<Vec<(String, String)>>) -> Response {
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    answer(&fake, &headers, form, |books, f| {
        let intent = f.get("payment_intent").cloned().unwrap_or_default();
        let amount = f.get("amount").and_then(|a| a.parse::<i64>().ok()).unwrap_or(0);
        let paid = books
            .sessions
            .values()
            .find(|s| s["payment_intent"] == json!(intent) && s["payment_status"] == "paid")
            .and_then(|s| s["amount_total"].as_i64());
        let Some(paid) = paid else {
            return (StatusCode::BAD_REQUEST, json!({"error": {"type": "invalid_request_error", "message": format!("No such payment_intent: '{intent}'")}}));
        };
        let refunded: i64 = books
            .refund_objects
            .iter()
            .filter(|r| r["payment_intent"] == json!(intent) && r["status"] != "failed")
            .filter_map(|r| r["amount"].as_i64())
            .sum();
        if amount <= 0 || refunded + amount > paid {
            return (StatusCode::BAD_REQUEST, json!({"error": {"type": "invalid_request_error", "message": "Refund amount is greater than unrefunded amount on charge."}}));
        }
        books.next += 1;
        books.refunds.push((intent.clone(), amount, key));
        let status = if std::mem::take(&mut books.pending_next) { "pending" } else { "succeeded" };
        let refund = json!({"id": format!("re_{}", books.next), "object": "refund", "amount": amount, "payment_intent": intent, "status": status,
            "metadata": {"refund_key": f.get("metadata[refund_key]").cloned().unwrap_or_default()}});
        books.refund_objects.push(refund.clone());
        (StatusCode::OK, refund)
    })
}

async fn list_refunds(State(fake): State<FakeStripe>, headers: HeaderMap, axum::extract::Query(query): axum::extract::Query<HashMap<String, String>>) -> Response {
    if let Some(refused) = unauthorized(&headers) {
        return refused;
    }
    let intent = query.get("payment_intent").cloned().unwrap_or_default();
    let books = fake.books.lock().unwrap();
    let data: Vec<Value> = books.refund_objects.iter().filter(|r| r["payment_intent"] == json!(intent)).cloned().collect();
    Json(json!({"object": "list", "data": data, "has_more": false})).into_response()
}
