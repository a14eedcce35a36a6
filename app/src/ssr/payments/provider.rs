//! Payment providers: the interface a card processor plugs in through, and
//! the signed webhooks they send (the built-in processors are in
//! [`super::test_processor`]).
//!
//! A real provider implements [`PaymentProvider`] by calling its API (Stripe
//! in [`super::stripe`]): the card is typed on the provider's own page
//! ([`PaymentProvider::hosted`]), never into the shop; `authorize` starts a
//! payment under the shop's idempotency key; `find` looks that payment up
//! again by the key; `capture` and `refund` map to the provider's calls of the
//! same names; `verify_webhook` checks the provider's signature header with
//! the endpoint secret.

use crate::domain::money::Money;
use async_trait::async_trait;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A card as the provider returns it after tokenizing: never the number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardToken {
    pub token: String,
    /// e.g. "Visa ending 4242", for the order page.
    pub description: String,
}

/// What the provider said about a payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The money is held for the shop; capture takes it.
    Authorized { reference: String },
    /// The card holder must confirm with their bank at this URL first; a
    /// webhook tells the result.
    RequiresAction { reference: String, url: String },
    /// Refused; the message is for the shopper.
    Declined { reference: String, message: String },
}

/// A provider call that did not go through.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The provider answered no: nothing happened.
    #[error("{0}")]
    Refused(String),
    /// No answer (a timeout, a connection lost after sending): it may have
    /// happened. Never treated as refused: asked again with the same
    /// idempotency key (or reference) until the provider answers.
    #[error("no answer from the card processor ({0})")]
    Unknown(String),
}

/// Where a refund the provider took stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refunded {
    /// The money went back.
    Done,
    /// Taken, and still being processed (some banks and payment methods):
    /// it ends later, as the provider's refund event or a later ask under
    /// the same key tells.
    Processing,
}

/// A verified webhook event.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WebhookEvent {
    pub id: String,
    /// `payment.succeeded`, `payment.failed`, or `refund.updated` (a refund
    /// the provider was processing ended: `reference` is the shop's key of it).
    pub kind: String,
    pub reference: String,
    pub created: i64,
}

/// Why a webhook was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("missing or malformed signature")]
    Malformed,
    #[error("signature does not match")]
    Forged,
    #[error("event is too old or from the future")]
    Stale,
}

/// A payment the shop asks the provider for.
#[derive(Clone, Copy, Debug)]
pub struct Charge<'a> {
    /// The shop's idempotency key: the same key is always the same payment.
    pub key: &'a str,
    /// The card's token (empty when the provider's own page takes the card).
    pub token: &'a str,
    /// Minor units and currency together: never a bare number, so €100
    /// cannot be charged as $100.
    pub amount: Money,
    /// The order's number, shown on the provider's page and dashboard.
    pub order: &'a str,
    /// Where the provider's page sends the shopper back: the order's page.
    pub return_url: &'a str,
    /// Unix seconds after which the provider's page takes no payment (set
    /// from when the payment started, so a repeated call is the same call).
    pub pay_by: i64,
}

/// How long a provider's payment page stays open: Stripe's shortest (30
/// minutes) and a minute's margin for clocks.
pub const PAY_WITHIN_SECS: i64 = 31 * 60;

/// A card processor.
#[async_trait]
pub trait PaymentProvider: Send + Sync {
    /// The name stored with each payment.
    fn name(&self) -> &'static str;
    /// Whose page the shopper types the card on, when it is the provider's
    /// ("Stripe"): the shop's pay form then has no card fields and takes no
    /// card numbers. `None`: the shop's own form (the test processor).
    fn hosted(&self) -> Option<&'static str> {
        None
    }
    /// Exchanges card details for a token (the shop keeps only the token).
    fn tokenize(&self, number: &str, expiry: &str, cvc: &str) -> Result<CardToken, String>;
    /// Holds the charge's amount on the card, or sends the shopper to the
    /// provider's page to pay it. The same key always gives the same payment:
    /// a retried call never charges twice.
    async fn authorize(&self, charge: &Charge<'_>) -> Result<Outcome, ProviderError>;
    /// What came of the payment authorized with the charge's key now, or
    /// `None` if the provider never received it: how the shop learns the
    /// outcome of a call it stopped waiting for.
    async fn find(&self, charge: &Charge<'_>) -> Result<Option<Outcome>, ProviderError>;
    /// Takes the held money.
    async fn capture(&self, reference: &str) -> Result<(), ProviderError>;
    /// Gives `amount` back, in the payment's currency. The same `key` refunds
    /// once: a call retried after a crash never gives the money back twice
    /// (and answers where that refund stands now).
    async fn refund(&self, key: &str, reference: &str, amount: Money) -> Result<Refunded, ProviderError>;
    /// Checks a webhook's signature and age and reads its event.
    fn verify_webhook(&self, signature: &str, body: &[u8], now: i64) -> Result<WebhookEvent, WebhookError>;
}

/// How old (or how far in the future) a webhook may be, in seconds.
pub const WEBHOOK_TOLERANCE_SECS: i64 = 300;

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
pub fn sign(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    format!("t={timestamp},v1={}", crate::ssr::accounts::hex(&mac.finalize().into_bytes()))
}

/// Checks a [`sign`]ed header and the event's age, and reads the payment event.
pub fn verify(secret: &[u8], header: &str, body: &[u8], now: i64) -> Result<WebhookEvent, WebhookError> {
    verify_signature(secret, header, body, now)?;
    serde_json::from_slice(body).map_err(|_| WebhookError::Malformed)
}

/// Checks a [`sign`]ed header (in constant time) and the event's age. A
/// header may carry several `v1` signatures (Stripe signs with the old and
/// the new secret while one is rolled): one matching is enough.
pub fn verify_signature(secret: &[u8], header: &str, body: &[u8], now: i64) -> Result<(), WebhookError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.extend(crate::ssr::accounts::unhex(v)),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp.filter(|_| !signatures.is_empty()) else { return Err(WebhookError::Malformed) };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    if !signatures.iter().any(|signature| mac.clone().verify_slice(signature).is_ok()) {
        return Err(WebhookError::Forged);
    }
    if (now - timestamp).abs() > WEBHOOK_TOLERANCE_SECS {
        return Err(WebhookError::Stale);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_refuse_forgeries_and_stale_events() {
        let body = br#"{"id":"evt_1","kind":"payment.succeeded","reference":"pay_1","created":1000}"#;
        let header = sign(b"secret", 1000, body);
        assert_eq!(verify(b"secret", &header, body, 1100).unwrap().id, "evt_1");
        assert_eq!(verify(b"other", &header, body, 1100), Err(WebhookError::Forged));
        assert_eq!(verify(b"secret", &header, b"{}", 1100), Err(WebhookError::Forged));
        assert_eq!(verify(b"secret", &header, body, 1000 + WEBHOOK_TOLERANCE_SECS + 1), Err(WebhookError::Stale));
        assert_eq!(verify(b"secret", "v1=zz", body, 1000), Err(WebhookError::Malformed));
    }
}
