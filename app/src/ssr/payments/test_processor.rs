//! The shop's built-in processors: the test card processor, which behaves
//! like a real one in test mode (cards by number, held and captured money,
//! refunds by key, signed webhooks), and `none`, which takes no cards.

use super::provider::{sign, verify, CardToken, Charge, Outcome, PaymentProvider, ProviderError, Refunded, WebhookError, WebhookEvent};
use crate::domain::money::Money;
use async_trait::async_trait;
use std::collections::HashMap;
use std::sync::Mutex;

/// The built-in test processor. Cards behave by number, like a real
/// processor's test mode:
/// - 4242 4242 4242 4242: succeeds
/// - 4000 0000 0000 0002: declined
/// - 4000 0000 0000 9995: declined, insufficient funds
/// - 4000 0027 6000 3184: asks the card holder to confirm at the bank first
///
/// Any other valid card number succeeds. Its state (tokens, payments) lives in
/// memory, as a real processor's lives on its own servers.
pub struct TestProvider {
    secret: Vec<u8>,
    /// Where the shop is, for the "confirm with your bank" page.
    public_url: String,
    state: Mutex<TestState>,
}

#[derive(Default)]
struct TestState {
    /// token → card number's behaviour
    tokens: HashMap<String, Card>,
    /// idempotency key → outcome
    payments: HashMap<String, Outcome>,
    /// reference → (amount, captured, refunded minor units)
    ledger: HashMap<String, (Money, bool, i64)>,
    /// Idempotency keys of the refunds made.
    refunds: std::collections::HashSet<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Card {
    Succeeds,
    Declined,
    InsufficientFunds,
    NeedsConfirmation,
}

impl TestProvider {
    pub fn new(secret: Vec<u8>, public_url: &str) -> Self {
        Self { secret, public_url: public_url.to_owned(), state: Mutex::default() }
    }

    /// The card holder confirmed at the "bank": the payment is authorized and
    /// a signed `payment.succeeded` webhook (body, signature header) is returned
    /// for delivery to the shop.
    pub fn confirm(&self, reference: &str, now: i64) -> Option<(Vec<u8>, String)> {
        let mut state = self.state.lock().ok()?;
        let key = state.payments.iter().find_map(|(key, outcome)| match outcome {
            Outcome::RequiresAction { reference: r, .. } if r == reference => Some(key.clone()),
            _ => None,
        })?;
        state.payments.insert(key, Outcome::Authorized { reference: reference.to_owned() });
        drop(state);
        Some(self.event("payment.succeeded", reference, now))
    }

    /// A signed event about `reference`.
    pub fn event(&self, kind: &str, reference: &str, now: i64) -> (Vec<u8>, String) {
        let event = WebhookEvent {
            id: format!("evt_{}", crate::ssr::accounts::hex(&crate::ssr::accounts::random_bytes::<12>())),
            kind: kind.to_owned(),
            reference: reference.to_owned(),
            created: now,
        };
        let body = serde_json::to_vec(&event).unwrap_or_default();
        let header = sign(&self.secret, now, &body);
        (body, header)
    }

    /// Amount captured and refunded for `reference` (for tests and the admin).
    pub fn money(&self, reference: &str) -> Option<(Money, bool, i64)> {
        self.state.lock().ok()?.ledger.get(reference).copied()
    }
}

/// Luhn checksum of a digit string.
fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    sum % 10 == 0
}

#[async_trait]
impl PaymentProvider for TestProvider {
    fn name(&self) -> &'static str {
        "testpay"
    }

    fn tokenize(&self, number: &str, expiry: &str, cvc: &str) -> Result<CardToken, String> {
        let digits: String = number.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if !(12..=19).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) || !luhn(&digits) {
            return Err("That card number is not valid. Check the digits.".into());
        }
        let (month, year) = expiry
            .trim()
            .split_once('/')
            .and_then(|(m, y)| Some((m.trim().parse::<u32>().ok()?, y.trim().parse::<u32>().ok()?)))
            .filter(|(m, _)| (1..=12).contains(m))
            .ok_or("Enter the expiry date as MM/YY.")?;
        let year = if year < 100 { 2000 + year } else { year };
        let (now_year, now_month, ..) = crate::domain::time::civil(crate::ssr::now());
        if (i64::from(year), i64::from(month)) < (now_year, now_month) {
            return Err("That card has expired.".into());
        }
        let cvc = cvc.trim();
        if !(3..=4).contains(&cvc.len()) || !cvc.bytes().all(|b| b.is_ascii_digit()) {
            return Err("Enter the 3 or 4 digit security code from the back of the card.".into());
        }
        let card = match digits.as_str() {
            "4000000000000002" => Card::Declined,
            "4000000000009995" => Card::InsufficientFunds,
            "4000002760003184" => Card::NeedsConfirmation,
            _ => Card::Succeeds,
        };
        let token = format!("tok_{}", crate::ssr::accounts::hex(&crate::ssr::accounts::random_bytes::<12>()));
        self.state.lock().map_err(|_| "card service unavailable")?.tokens.insert(token.clone(), card);
        let brand = match digits.as_bytes()[0] {
            b'4' => "Visa",
            b'5' => "Mastercard",
            b'3' => "American Express",
            _ => "Card",
        };
        Ok(CardToken { token, description: format!("{brand} ending {}", &digits[digits.len() - 4..]) })
    }

    async fn authorize(&self, &Charge { key, token, amount, .. }: &Charge<'_>) -> Result<Outcome, ProviderError> {
        let mut state = self.state.lock().map_err(|_| ProviderError::Refused("test processor unavailable".into()))?;
        if let Some(outcome) = state.payments.get(key) {
            return Ok(outcome.clone());
        }
        let card = *state.tokens.get(token).ok_or_else(|| ProviderError::Refused("unknown card token".into()))?;
        let reference = format!("pay_{}", crate::ssr::accounts::hex(&crate::ssr::accounts::random_bytes::<12>()));
        let outcome = match card {
            Card::Succeeds => Outcome::Authorized { reference: reference.clone() },
            Card::Declined => Outcome::Declined { reference: reference.clone(), message: "Your card was declined.".into() },
            Card::InsufficientFunds => Outcome::Declined {
                reference: reference.clone(),
                message: "Your card was declined: insufficient funds.".into(),
            },
            Card::NeedsConfirmation => Outcome::RequiresAction {
                reference: reference.clone(),
                url: format!("{}/testpay/confirm/{reference}", self.public_url),
            },
        };
        state.ledger.insert(reference, (amount, false, 0));
        state.payments.insert(key.to_owned(), outcome.clone());
        Ok(outcome)
    }

    async fn find(&self, charge: &Charge<'_>) -> Result<Option<Outcome>, ProviderError> {
        let state = self.state.lock().map_err(|_| ProviderError::Refused("test processor unavailable".into()))?;
        Ok(state.payments.get(charge.key).cloned())
    }

    async fn capture(&self, reference: &str) -> Result<(), ProviderError> {
        let mut state = self.state.lock().map_err(|_| ProviderError::Refused("test processor unavailable".into()))?;
        let entry = state.ledger.get_mut(reference).ok_or_else(|| ProviderError::Refused("unknown payment".into()))?;
        entry.1 = true;
        Ok(())
    }

    async fn refund(&self, key: &str, reference: &str, amount: Money) -> Result<Refunded, ProviderError> {
        let mut state = self.state.lock().map_err(|_| ProviderError::Refused("test processor unavailable".into()))?;
        if state.refunds.contains(key) {
            return Ok(Refunded::Done);
        }
        let entry = state.ledger.get_mut(reference).ok_or_else(|| ProviderError::Refused("unknown payment".into()))?;
        if amount.currency() != entry.0.currency() {
            return Err(ProviderError::Refused("refund currency differs from the payment's".into()));
        }
        if entry.2 + amount.minor() > entry.0.minor() {
            return Err(ProviderError::Refused("refund exceeds the payment".into()));
        }
        entry.2 += amount.minor();
        state.refunds.insert(key.to_owned());
        Ok(Refunded::Done)
    }

    fn verify_webhook(&self, signature: &str, body: &[u8], now: i64) -> Result<WebhookEvent, WebhookError> {
        verify(&self.secret, signature, body, now)
    }
}

/// No card processor (`payments.provider = "none"`): the shop takes no card
/// payments, and says so to the shopper; nothing is ever charged or refunded.
pub struct Disabled;

/// What a shopper is told when the shop takes no cards.
const NO_CARDS: &str = "This shop does not take card payments at the moment.";

#[async_trait]
impl PaymentProvider for Disabled {
    fn name(&self) -> &'static str {
        "none"
    }

    fn tokenize(&self, _: &str, _: &str, _: &str) -> Result<CardToken, String> {
        Err(NO_CARDS.into())
    }

    async fn authorize(&self, _: &Charge<'_>) -> Result<Outcome, ProviderError> {
        Err(ProviderError::Refused(NO_CARDS.into()))
    }

    async fn find(&self, _: &Charge<'_>) -> Result<Option<Outcome>, ProviderError> {
        Ok(None) // nothing was ever sent
    }

    async fn capture(&self, _: &str) -> Result<(), ProviderError> {
        Err(ProviderError::Refused(NO_CARDS.into()))
    }

    async fn refund(&self, _: &str, _: &str, _: Money) -> Result<Refunded, ProviderError> {
        Err(ProviderError::Refused(NO_CARDS.into()))
    }

    fn verify_webhook(&self, _: &str, _: &[u8], _: i64) -> Result<WebhookEvent, WebhookError> {
        Err(WebhookError::Forged)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::money::Currency;

    fn usd(minor: i64) -> Money {
        Money::new(minor, Currency::Usd)
    }

    /// A charge of `amount` under `key` with card `token`.
    pub(crate) fn charge<'a>(key: &'a str, token: &'a str, amount: Money) -> Charge<'a> {
        Charge { key, token, amount, order: "1001", return_url: "http://shop/order/1001?key=k", pay_by: 0 }
    }

    #[tokio::test]
    async fn test_cards_behave_like_a_processor_and_retries_are_the_same_payment() {
        let p = TestProvider::new(b"s".to_vec(), "http://shop");
        assert!(p.tokenize("4242 4242 4242 4241", "12/99", "123").is_err(), "Luhn");
        assert!(p.tokenize("4242424242424242", "13/30", "123").is_err());
        assert!(p.tokenize("4242424242424242", "01/20", "123").unwrap_err().contains("expired"));
        assert!(p.tokenize("4242424242424242", "12/99", "1").is_err());
        let ok = p.tokenize("4242 4242 4242 4242", "12/99", "123").unwrap();
        assert_eq!(ok.description, "Visa ending 4242");
        let first = p.authorize(&charge("key-1", &ok.token, usd(500))).await.unwrap();
        assert!(matches!(first, Outcome::Authorized { .. }));
        assert_eq!(p.authorize(&charge("key-1", &ok.token, usd(500))).await.unwrap(), first, "same key, same payment");
        assert_eq!(p.find(&charge("key-1", "", usd(500))).await.unwrap(), Some(first.clone()), "found again by its key");
        assert_eq!(p.find(&charge("never-sent", "", usd(500))).await.unwrap(), None);
        let declined = p.tokenize("4000000000009995", "12/99", "123").unwrap();
        let Outcome::Declined { message, .. } = p.authorize(&charge("key-2", &declined.token, usd(500))).await.unwrap() else {
            panic!("declined")
        };
        assert!(message.contains("insufficient funds"));
        let three_d = p.tokenize("4000002760003184", "12/99", "123").unwrap();
        let Outcome::RequiresAction { reference, .. } = p.authorize(&charge("key-3", &three_d.token, usd(700))).await.unwrap() else {
            panic!("action")
        };
        let (body, header) = p.confirm(&reference, 5000).unwrap();
        assert_eq!(p.verify_webhook(&header, &body, 5000).unwrap().kind, "payment.succeeded");
        assert!(p.refund("r-1", &reference, usd(800)).await.is_err(), "no refund above the payment");
        p.refund("r-2", &reference, usd(400)).await.unwrap();
        p.refund("r-2", &reference, usd(400)).await.unwrap();
        assert!(p.refund("r-3", &reference, usd(400)).await.is_err(), "the retried r-2 refunded once: 300 left");
        assert!(
            p.refund("r-5", &reference, Money::new(100, Currency::Eur)).await.is_err(),
            "a refund in another currency than the payment's is refused"
        );
        p.refund("r-4", &reference, usd(300)).await.unwrap();
    }

    #[tokio::test]
    async fn authorize_keeps_the_currency_it_was_given() {
        let p = TestProvider::new(b"s".to_vec(), "http://shop");
        let card = p.tokenize("4242424242424242", "12/99", "123").unwrap();
        let Outcome::Authorized { reference } =
            p.authorize(&charge("k", &card.token, Money::new(10_000, Currency::Eur))).await.unwrap()
        else {
            panic!("authorized")
        };
        assert_eq!(p.money(&reference).unwrap().0, Money::new(10_000, Currency::Eur));
    }

    #[tokio::test]
    async fn disabled_takes_no_cards() {
        assert!(Disabled.tokenize("4242424242424242", "12/99", "123").unwrap_err().contains("does not take card"));
        assert!(Disabled.authorize(&charge("k", "t", usd(1))).await.is_err());
        assert_eq!(Disabled.find(&charge("k", "", usd(1))).await.unwrap(), None);
    }
}
