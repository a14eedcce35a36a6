//! A time limit on every call to the card processor. A call that takes
//! longer is abandoned as [`ProviderError::Unknown`]: the money may or may not
//! have moved, so the caller keeps the payment or refund open and asks again
//! later under the same idempotency key, never as if the provider had said no.

use super::provider::{CardToken, Charge, Outcome, PaymentProvider, ProviderError, Refunded, WebhookError, WebhookEvent};
use crate::domain::money::Money;
use async_trait::async_trait;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How long the shop waits for the card processor's answer by default.
pub const PROVIDER_TIMEOUT: Duration = Duration::from_secs(20);

/// `inner` with each network call limited to `limit`.
pub struct Deadline {
    inner: Arc<dyn PaymentProvider>,
    limit: Duration,
}

impl Deadline {
    pub fn new(inner: Arc<dyn PaymentProvider>, limit: Duration) -> Self {
        Self { inner, limit }
    }

    async fn within<T>(&self, call: impl Future<Output = Result<T, ProviderError>>) -> Result<T, ProviderError> {
        tokio::time::timeout(self.limit, call)
            .await
            .unwrap_or_else(|_| Err(ProviderError::Unknown(format!("no answer within {} s", self.limit.as_secs_f32()))))
    }
}

#[async_trait]
impl PaymentProvider for Deadline {
    fn name(&self) -> &'static str {
        self.inner.name()
    }

    fn tokenize(&self, number: &str, expiry: &str, cvc: &str) -> Result<CardToken, String> {
        self.inner.tokenize(number, expiry, cvc)
    }

    fn hosted(&self) -> Option<&'static str> {
        self.inner.hosted()
    }

    async fn authorize(&self, charge: &Charge<'_>) -> Result<Outcome, ProviderError> {
        self.within(self.inner.authorize(charge)).await
    }

    async fn find(&self, charge: &Charge<'_>) -> Result<Option<Outcome>, ProviderError> {
        self.within(self.inner.find(charge)).await
    }

    async fn capture(&self, reference: &str) -> Result<(), ProviderError> {
        self.within(self.inner.capture(reference)).await
    }

    async fn refund(&self, key: &str, reference: &str, amount: Money) -> Result<Refunded, ProviderError> {
        self.within(self.inner.refund(key, reference, amount)).await
    }

    fn verify_webhook(&self, signature: &str, body: &[u8], now: i64) -> Result<WebhookEvent, WebhookError> {
        self.inner.verify_webhook(signature, body, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;
    use crate::ssr::payments::test_processor::tests::charge;

    /// A processor that answers after `delay`.
    struct Slow(Duration);

    #[async_trait]
    impl PaymentProvider for Slow {
        fn name(&self) -> &'static str {
            "slow"
        }
        fn tokenize(&self, _: &str, _: &str, _: &str) -> Result<CardToken, String> {
            Ok(CardToken { token: "t".into(), description: "d".into() })
        }
        async fn authorize(&self, _: &Charge<'_>) -> Result<Outcome, ProviderError> {
            tokio::time::sleep(self.0).await;
            Ok(Outcome::Authorized { reference: "r".into() })
        }
        async fn find(&self, _: &Charge<'_>) -> Result<Option<Outcome>, ProviderError> {
            tokio::time::sleep(self.0).await;
            Ok(None)
        }
        async fn capture(&self, _: &str) -> Result<(), ProviderError> {
            tokio::time::sleep(self.0).await;
            Ok(())
        }
        async fn refund(&self, _: &str, _: &str, _: Money) -> Result<Refunded, ProviderError> {
            tokio::time::sleep(self.0).await;
            Err(ProviderError::Refused("no".into()))
        }
        fn verify_webhook(&self, _: &str, _: &[u8], _: i64) -> Result<WebhookEvent, WebhookError> {
            Err(WebhookError::Forged)
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_late_answer_is_an_unknown_outcome_and_a_prompt_one_passes_through() {
        let usd = Money::new(100, Currency::Usd);
        let late = Deadline::new(Arc::new(Slow(Duration::from_secs(30))), PROVIDER_TIMEOUT);
        assert!(matches!(late.authorize(&charge("k", "t", usd)).await, Err(ProviderError::Unknown(_))));
        assert!(matches!(late.capture("r").await, Err(ProviderError::Unknown(_))));
        assert!(matches!(late.refund("k", "r", usd).await, Err(ProviderError::Unknown(_))));
        assert!(matches!(late.find(&charge("k", "", usd)).await, Err(ProviderError::Unknown(_))));
        let prompt = Deadline::new(Arc::new(Slow(Duration::from_secs(1))), PROVIDER_TIMEOUT);
        assert_eq!(prompt.authorize(&charge("k", "t", usd)).await, Ok(Outcome::Authorized { reference: "r".into() }));
        assert_eq!(prompt.refund("k", "r", usd).await, Err(ProviderError::Refused("no".into())), "a refusal stays a refusal");
        assert_eq!(prompt.name(), "slow");
    }
}
