//! Stripe, through hosted Checkout Sessions: the shopper pays on Stripe's
//! own page (so the card never reaches the shop, and paying works without
//! JavaScript), Stripe's signed webhooks tell the shop the result, and
//! refunds go back through the session's Payment Intent. Every call that
//! changes something carries the shop's idempotency key, and the amount
//! always travels with its currency (and is checked on the way back).
//!
//! Calls: `POST /v1/checkout/sessions` (cards, open until the charge's
//! `pay_by`), `GET /v1/checkout/sessions/{id}`, `GET` and `POST /v1/refunds`,
//! form-encoded with the secret key as a bearer token and a pinned API version.
//! Webhooks: the `Stripe-Signature` header (`t=…,v1=…`, any `v1` may match,
//! five minutes' tolerance) over the raw body.

use super::provider::{verify_signature, CardToken, Charge, Outcome, PaymentProvider, ProviderError, Refunded, WebhookError, WebhookEvent};
use crate::domain::money::Money;
use async_trait::async_trait;
use serde_json::Value;
use std::time::Duration;

/// Stripe's API, reached at `api` (`https://api.stripe.com`; a local server
/// in tests) with the shop's secret key.
pub struct Stripe {
    client: reqwest::Client,
    api: String,
    secret_key: String,
    webhook_secret: Vec<u8>,
}

/// What the shop's pay form calls Stripe's page.
const PAGE: &str = "Stripe";

impl Stripe {
    pub fn new(api: &str, secret_key: &str, webhook_secret: &[u8]) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| format!("cannot make an HTTP client for Stripe: {e}"))?;
        Ok(Self {
            client,
            api: api.trim_end_matches('/').to_owned(),
            secret_key: secret_key.to_owned(),
            webhook_secret: webhook_secret.to_vec(),
        })
    }

    /// Sends `request` (with the secret key and the API version the adapter
    /// reads) and reads Stripe's answer. Not sent at all is a refusal;
    /// sent without an answer back is an unknown outcome.
    async fn call(&self, request: reqwest::RequestBuilder) -> Result<Answer, ProviderError> {
        let response = request.bearer_auth(&self.secret_key).header("Stripe-Version", API_VERSION).send().await.map_err(|error| {
            if error.is_connect() {
                // Never sent: nothing can have happened.
                ProviderError::Refused(format!("cannot reach Stripe: {error}"))
            } else {
                ProviderError::Unknown(format!("no answer from Stripe: {error}"))
            }
        })?;
        let status = response.status().as_u16();
        let replayed = response.headers().get("idempotent-replayed").is_some_and(|v| v.as_bytes() == b"true");
        let unreadable = |error: String| ProviderError::Unknown(format!("unreadable answer from Stripe: {error}"));
        let bytes = response.bytes().await.map_err(|error| unreadable(error.to_string()))?;
        let body: Value = serde_json::from_slice(&bytes).map_err(|error| unreadable(error.to_string()))?;
        Ok(Answer { status, replayed, body })
    }

    /// [`Self::call`], with Stripe's "no" (a 4xx other than 409 and 429) as a
    /// refusal, and a 5xx, a 409 (the same key still in flight) or a 429 as
    /// an unknown outcome.
    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Value, ProviderError> {
        self.call(request).await?.judged()
    }

    fn post(&self, path: &str, key: &str, form: &[(&str, String)]) -> reqwest::RequestBuilder {
        self.client.post(format!("{}{path}", self.api)).header("Idempotency-Key", key).form(form)
    }

    async fn session(&self, id: &str) -> Result<Value, ProviderError> {
        stripe_id(id, "a Checkout Session")?;
        self.send(self.client.get(format!("{}/v1/checkout/sessions/{id}", self.api))).await
    }

    /// Creates the charge's Checkout Session, or (the same key again) gets
    /// back the one created first: Stripe answers a repeated key with the
    /// first answer.
    async fn create(&self, charge: &Charge<'_>) -> Result<Answer, ProviderError> {
        self.call(self.post("/v1/checkout/sessions", charge.key, &session_form(charge))).await
    }
}

/// The Stripe API version whose answers and events the adapter reads.
const API_VERSION: &str = "2024-06-20";

/// An answer of Stripe's: its status, whether it replays the first answer
/// given under the same idempotency key, and its body.
struct Answer {
    status: u16,
    replayed: bool,
    body: Value,
}

impl Answer {
    fn judged(self) -> Result<Value, ProviderError> {
        if (200..300).contains(&self.status) {
            return Ok(self.body);
        }
        let message = self.body["error"]["message"].as_str().unwrap_or("no message").to_owned();
        match self.status {
            409 | 429 | 500.. => Err(ProviderError::Unknown(format!("Stripe answered {}: {message}", self.status))),
            status => Err(ProviderError::Refused(format!("Stripe refused ({status}): {message}"))),
        }
    }
}

/// The form that creates a Checkout Session for `charge`: one line, the
/// order, for its whole amount; back to the order's page either way.
fn session_form(charge: &Charge<'_>) -> Vec<(&'static str, String)> {
    vec![
        ("mode", "payment".into()),
        ("line_items[0][quantity]", "1".into()),
        ("line_items[0][price_data][currency]", charge.amount.currency().code().to_ascii_lowercase()),
        ("line_items[0][price_data][unit_amount]", charge.amount.minor().to_string()),
        ("line_items[0][price_data][product_data][name]", format!("Order {}", charge.order)),
        ("success_url", charge.return_url.to_owned()),
        ("cancel_url", charge.return_url.to_owned()),
        ("client_reference_id", charge.order.to_owned()),
        ("metadata[order]", charge.order.to_owned()),
        ("metadata[payment_key]", charge.key.to_owned()),
        ("payment_intent_data[metadata][order]", charge.order.to_owned()),
        // Cards only: their outcome is known at once, while the order's stock is held.
        ("payment_method_types[0]", "card".into()),
        ("expires_at", charge.pay_by.to_string()),
    ]
}

/// Refuses a session whose amount or currency is not the charge's.
fn same_amount(session: &Value, amount: Money) -> Result<(), ProviderError> {
    let currency = session["currency"].as_str().unwrap_or("");
    if session["amount_total"].as_i64() != Some(amount.minor()) || !currency.eq_ignore_ascii_case(amount.currency().code()) {
        return Err(ProviderError::Refused(format!(
            "Stripe's session is for {} {currency}, not {amount}",
            session["amount_total"]
        )));
    }
    Ok(())
}

/// What a Checkout Session says of its payment; `back` is where a shopper
/// goes when there is no page of Stripe's to go to.
fn outcome(session: &Value, back: &str) -> Result<Outcome, ProviderError> {
    let reference = session["id"].as_str().ok_or_else(|| ProviderError::Unknown("a session without an id".into()))?.to_owned();
    Ok(match (session["status"].as_str(), session["payment_status"].as_str()) {
        (Some("complete"), Some("paid")) => Outcome::Authorized { reference },
        (Some("expired"), _) => Outcome::Declined {
            reference,
            message: "The payment page expired before the payment was made. You were not charged.".into(),
        },
        _ => Outcome::RequiresAction { reference, url: session["url"].as_str().unwrap_or(back).to_owned() },
    })
}

#[async_trait]
impl PaymentProvider for Stripe {
    fn name(&self) -> &'static str {
        "stripe"
    }

    fn hosted(&self) -> Option<&'static str> {
        Some(PAGE)
    }

    fn tokenize(&self, _: &str, _: &str, _: &str) -> Result<CardToken, String> {
        Err(format!("This shop takes cards on {PAGE}'s secure page only."))
    }

    async fn authorize(&self, charge: &Charge<'_>) -> Result<Outcome, ProviderError> {
        let session = self.create(charge).await?.judged()?;
        same_amount(&session, charge.amount)?;
        outcome(&session, charge.return_url)
    }

    /// The session the key created (asked for again under the same key, so a
    /// create that never arrived is made now, and the shopper can still pay),
    /// as it is now.
    ///
    /// Stripe keeps the first answer to a key, errors included: a replayed
    /// 5xx means the first call made no page, so nothing can have been paid.
    async fn find(&self, charge: &Charge<'_>) -> Result<Option<Outcome>, ProviderError> {
        let answer = self.create(charge).await?;
        if answer.replayed && answer.status >= 500 {
            return Ok(None);
        }
        let created = answer.judged()?;
        same_amount(&created, charge.amount)?;
        let id = created["id"].as_str().unwrap_or("");
        Ok(Some(outcome(&self.session(id).await?, charge.return_url)?))
    }

    /// Checkout takes the money when the shopper pays: capturing confirms it was.
    async fn capture(&self, reference: &str) -> Result<(), ProviderError> {
        let session = self.session(reference).await?;
        match session["payment_status"].as_str() {
            Some("paid") => Ok(()),
            other => Err(ProviderError::Refused(format!("session {reference} is not paid ({other:?})"))),
        }
    }

    async fn refund(&self, key: &str, reference: &str, amount: Money) -> Result<Refunded, ProviderError> {
        let session = self.session(reference).await?;
        let currency = session["currency"].as_str().unwrap_or("");
        if !currency.eq_ignore_ascii_case(amount.currency().code()) {
            return Err(ProviderError::Refused(format!("refund in {} of a payment in {currency}", amount.currency().code())));
        }
        let intent = match &session["payment_intent"] {
            Value::String(id) => id.clone(),
            Value::Object(intent) => intent.get("id").and_then(Value::as_str).unwrap_or("").to_owned(),
            _ => String::new(),
        };
        if intent.is_empty() {
            return Err(ProviderError::Refused(format!("session {reference} has no payment to refund")));
        }
        stripe_id(&intent, "a Payment Intent")?;
        // Stripe forgets an idempotency key after a day: a refund asked for
        // again later is first looked for by the key it carries, so it is never made twice.
        let made = self.send(self.client.get(format!("{}/v1/refunds?payment_intent={intent}&limit=100", self.api))).await?;
        if let Some(earlier) = made["data"].as_array().and_then(|list| list.iter().find(|r| r["metadata"]["refund_key"] == key)) {
            return refund_outcome(earlier);
        }
        let form = [
            ("payment_intent", intent),
            ("amount", amount.minor().to_string()),
            ("metadata[session]", reference.to_owned()),
            ("metadata[refund_key]", key.to_owned()),
        ];
        refund_outcome(&self.send(self.post("/v1/refunds", key, &form)).await?)
    }

    fn verify_webhook(&self, signature: &str, body: &[u8], now: i64) -> Result<WebhookEvent, WebhookError> {
        verify_signature(&self.webhook_secret, signature, body, now)?;
        event(body)
    }
}

/// What a refund's status says: given, still processing, or refused (or
/// failed after Stripe took it).
fn refund_outcome(refund: &Value) -> Result<Refunded, ProviderError> {
    match refund["status"].as_str() {
        Some("succeeded") => Ok(Refunded::Done),
        Some("pending" | "requires_action") => Ok(Refunded::Processing),
        other => Err(ProviderError::Refused(format!(
            "Stripe did not refund ({other:?}: {})",
            refund["failure_reason"].as_str().unwrap_or("no reason given")
        ))),
    }
}

/// The shop's reading of a (verified) Stripe event: a Checkout Session paid
/// (at once, or later for slow payment methods), or failed or expired; a
/// refund that changed (`refund.updated`, `refund.failed`, and the older
/// `charge.refund.updated`), named by the shop's key in its metadata;
/// anything else is passed on under its own type, for the shop to ignore.
fn event(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let event: Value = serde_json::from_slice(body).map_err(|_| WebhookError::Malformed)?;
    let (Some(id), Some(kind), Some(created)) = (event["id"].as_str(), event["type"].as_str(), event["created"].as_i64()) else {
        return Err(WebhookError::Malformed);
    };
    let object = &event["data"]["object"];
    let paid = object["payment_status"].as_str() == Some("paid");
    let kind = match kind {
        "checkout.session.completed" if paid => "payment.succeeded",
        "checkout.session.async_payment_succeeded" => "payment.succeeded",
        "checkout.session.async_payment_failed" | "checkout.session.expired" => "payment.failed",
        "refund.updated" | "refund.failed" | "charge.refund.updated" => "refund.updated",
        other => other,
    };
    let reference = match kind {
        "refund.updated" => object["metadata"]["refund_key"].as_str(),
        _ => object["id"].as_str(),
    };
    Ok(WebhookEvent { id: id.to_owned(), kind: kind.to_owned(), reference: reference.unwrap_or("").to_owned(), created })
}

/// Refuses what is not shaped like a Stripe object id (letters, digits and
/// underscores), before it goes into a URL's path or query.
fn stripe_id(id: &str, what: &str) -> Result<(), ProviderError> {
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(ProviderError::Refused(format!("{id:?} is not {what} id")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;
    use crate::ssr::payments::provider::sign;
    use serde_json::json;

    #[test]
    fn a_session_is_asked_for_the_whole_order_in_its_currency_and_read_back() {
        let charge = Charge {
            key: "k-1",
            token: "",
            amount: Money::new(12_345, Currency::Eur),
            order: "1042",
            return_url: "https://shop/order/1042?key=s",
            pay_by: 1_800_001_860,
        };
        let form = session_form(&charge);
        let field = |name: &str| form.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
        assert_eq!(field("line_items[0][price_data][currency]"), Some("eur"));
        assert_eq!(field("line_items[0][price_data][unit_amount]"), Some("12345"));
        assert_eq!(field("success_url"), Some("https://shop/order/1042?key=s"));
        assert_eq!(field("metadata[payment_key]"), Some("k-1"));
        assert_eq!((field("expires_at"), field("payment_method_types[0]")), (Some("1800001860"), Some("card")));

        let open = json!({"id": "cs_1", "status": "open", "payment_status": "unpaid", "url": "https://pay/cs_1", "amount_total": 12345, "currency": "eur"});
        same_amount(&open, charge.amount).unwrap();
        assert!(same_amount(&open, Money::new(12_345, Currency::Usd)).is_err(), "the currency too");
        assert!(same_amount(&open, Money::new(12_346, Currency::Eur)).is_err());
        assert_eq!(outcome(&open, "b").unwrap(), Outcome::RequiresAction { reference: "cs_1".into(), url: "https://pay/cs_1".into() });
        let paid = json!({"id": "cs_1", "status": "complete", "payment_status": "paid", "url": null});
        assert_eq!(outcome(&paid, "b").unwrap(), Outcome::Authorized { reference: "cs_1".into() });
        let slow = json!({"id": "cs_1", "status": "complete", "payment_status": "unpaid", "url": null});
        assert_eq!(outcome(&slow, "b").unwrap(), Outcome::RequiresAction { reference: "cs_1".into(), url: "b".into() });
        assert!(matches!(outcome(&json!({"id": "cs_1", "status": "expired"}), "b").unwrap(), Outcome::Declined { .. }));
    }

    #[test]
    fn webhooks_are_checked_by_any_v1_signature_and_read_as_payment_events() {
        let stripe = Stripe::new("http://127.0.0.1:9", "sk_test_x", b"whsec_test").unwrap();
        let body = json!({"id": "evt_1", "type": "checkout.session.completed", "created": 1000,
            "data": {"object": {"id": "cs_9", "payment_status": "paid"}}})
        .to_string();
        let signed = sign(b"whsec_test", 1000, body.as_bytes());
        let read = stripe.verify_webhook(&signed, body.as_bytes(), 1010).unwrap();
        assert_eq!((read.kind.as_str(), read.reference.as_str()), ("payment.succeeded", "cs_9"));
        // A rolled secret: Stripe signs with both, one v1 each.
        let old = sign(b"whsec_old", 1000, body.as_bytes());
        let both = format!("{},{}", old, signed.split(',').nth(1).unwrap());
        assert_eq!(stripe.verify_webhook(&both, body.as_bytes(), 1010).unwrap().id, "evt_1");
        assert_eq!(stripe.verify_webhook(&old, body.as_bytes(), 1010), Err(WebhookError::Forged));
        assert_eq!(stripe.verify_webhook(&signed, body.as_bytes(), 1400), Err(WebhookError::Stale));

        let read = |kind: &str, status: &str| {
            let body = json!({"id": "evt_2", "type": kind, "created": 1, "data": {"object": {"id": "cs_9", "payment_status": status}}});
            event(body.to_string().as_bytes()).unwrap().kind
        };
        assert_eq!(read("checkout.session.completed", "unpaid"), "checkout.session.completed", "paid later, or not");
        assert_eq!(read("checkout.session.async_payment_succeeded", "paid"), "payment.succeeded");
        assert_eq!(read("checkout.session.async_payment_failed", "unpaid"), "payment.failed");
        assert_eq!(read("checkout.session.expired", "unpaid"), "payment.failed");
        assert_eq!(event(b"{\"id\": 1}"), Err(WebhookError::Malformed));

        // A refund's events name it by the shop's key.
        for kind in ["refund.updated", "refund.failed", "charge.refund.updated"] {
            let body = json!({"id": "evt_3", "type": kind, "created": 1,
                "data": {"object": {"id": "re_1", "object": "refund", "status": "failed", "metadata": {"refund_key": "refund-7"}}}});
            let read = event(body.to_string().as_bytes()).unwrap();
            assert_eq!((read.kind.as_str(), read.reference.as_str()), ("refund.updated", "refund-7"), "{kind}");
        }
    }

    #[test]
    fn a_refund_is_done_processing_or_refused_by_its_status() {
        let status = |s: &str| refund_outcome(&json!({"status": s, "failure_reason": "lost_or_stolen_card"}));
        assert_eq!(status("succeeded").unwrap(), Refunded::Done);
        assert_eq!(status("pending").unwrap(), Refunded::Processing);
        assert_eq!(status("requires_action").unwrap(), Refunded::Processing);
        for bad in ["failed", "canceled"] {
            assert!(matches!(status(bad), Err(ProviderError::Refused(why)) if why.contains("lost_or_stolen_card")), "{bad}");
        }
    }
}
