//! Card processor calls whose answer never came (a timeout, a connection
//! lost after sending): an authorization, a capture or a refund with an
//! unknown outcome is never treated as refused; it stays open and is asked
//! again under the same key or reference, and the money moves once.

use crate::helpers::{key, order_status, product_with_stock, unpaid_order, VISA};
use crate::helpers::{spawn_app, Browser, TestApp};
use crate::helpers::{admin, paid_order, ship_and_deliver};
use app::domain::money::{Currency, Money};
use app::error::AppError;
use app::ssr::payments::pay::{self as payments, Card, Paid};
use app::ssr::Shop;
use app::ssr::payments::provider::{CardToken, Charge, Outcome, PaymentProvider, ProviderError, Refunded, WebhookError, WebhookEvent};
use app::ssr::returns::refunds::{self, Settled};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The server's own test processor behind a network that loses answers: the
/// next `authorize`/`refund` calls counted in `lose_after` are carried out and
/// their answer lost; the next `capture` calls counted in `lose_before` never
/// arrive. Either way the shop hears nothing, as after a timeout.
struct LossyNetwork {
    processor: Arc<dyn PaymentProvider>,
    lose_after: AtomicUsize,
    lose_before: AtomicUsize,
}

fn take(counter: &AtomicUsize) -> bool {
    counter.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok()
}

fn no_answer<T>() -> Result<T, ProviderError> {
    Err(ProviderError::Unknown("no answer within 20 s".into()))
}

#[async_trait::async_trait]
impl PaymentProvider for LossyNetwork {
    fn name(&self) -> &'static str {
        self.processor.name()
    }
    fn tokenize(&self, number: &str, expiry: &str, cvc: &str) -> Result<CardToken, String> {
        self.processor.tokenize(number, expiry, cvc)
    }
    async fn authorize(&self, charge: &Charge<'_>) -> Result<Outcome, ProviderError> {
        let answer = self.processor.authorize(charge).await;
        if take(&self.lose_after) { no_answer() } else { answer }
    }
    async fn find(&self, charge: &Charge<'_>) -> Result<Option<Outcome>, ProviderError> {
        self.processor.find(charge).await
    }
    async fn capture(&self, reference: &str) -> Result<(), ProviderError> {
        if take(&self.lose_before) {
            return no_answer();
        }
        self.processor.capture(reference).await
    }
    async fn refund(&self, key: &str, reference: &str, amount: Money) -> Result<Refunded, ProviderError> {
        let answer = self.processor.refund(key, reference, amount).await;
        if take(&self.lose_after) { no_answer() } else { answer }
    }
    fn verify_webhook(&self, signature: &str, body: &[u8], now: i64) -> Result<WebhookEvent, WebhookError> {
        self.processor.verify_webhook(signature, body, now)
    }
}

/// `app`'s payment side talking to its processor over a [`LossyNetwork`].
fn lossy(app: &TestApp, lose_after: usize, lose_before: usize) -> Shop {
    let network = LossyNetwork {
        processor: app.shop.provider.clone(),
        lose_after: AtomicUsize::new(lose_after),
        lose_before: AtomicUsize::new(lose_before),
    };
    Shop { provider: Arc::new(network), ..app.shop.clone() }
}

/// Dates every payment and refund ten minutes back, past the sweeper's wait.
async fn later(app: &TestApp) {
    sqlx::query("UPDATE payments SET updated_at = updated_at - 600").execute(&app.db.pool).await.unwrap();
    sqlx::query("UPDATE refunds SET updated_at = updated_at - 600").execute(&app.db.pool).await.unwrap();
}

async fn payment_of(app: &TestApp, number: &str) -> (String, Option<String>, Option<i64>) {
    sqlx::query_as(
        "SELECT p.status, p.provider_ref, p.captured_at FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.number = $1",
    )
    .bind(number)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

async fn order_id(app: &TestApp, number: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM orders WHERE number = $1").bind(number).fetch_one(&app.db.pool).await.unwrap();
    id
}

#[tokio::test]
async fn an_authorization_without_an_answer_stays_open_and_is_found_by_its_key_once() {
    let app = spawn_app().await;
    let (_, _, order) = unpaid_order(&app, 11, 2, "lost-answer@example.com").await;
    let id = order_id(&app, &order.0).await;
    let shop = lossy(&app, 1, 0);
    let pay_key = key("pay");
    let card = || Card { number: VISA, expiry: "12/99", cvc: "123" };
    let client = "127.0.0.1".parse().unwrap();

    let Err(AppError::Conflict(message)) = payments::pay(&shop, id, &pay_key, card(), client).await else {
        panic!("an unknown outcome is neither paid nor refused")
    };
    assert!(message.contains("will not be charged twice"), "{message}");
    assert_eq!(payment_of(&app, &order.0).await.0, "processing", "not marked failed: the card may have been charged");
    assert!(
        matches!(
            app.testpay().find(&Charge { key: &pay_key, token: "", amount: Money::new(1, Currency::Usd), order: "", return_url: "", pay_by: 0 }).await,
            Ok(Some(Outcome::Authorized { .. }))
        ),
        "the processor did authorize it"
    );
    assert_eq!(order_status(&app, &order.0).await, "pending-payment");
    assert!(
        matches!(payments::pay(&shop, id, &pay_key, card(), client).await, Err(AppError::Conflict(_))),
        "the same form again waits for the first answer"
    );
    assert!(
        matches!(payments::pay(&shop, id, &key("pay"), card(), client).await, Err(AppError::Conflict(_))),
        "a second payment of the order is refused while the first is open"
    );

    assert_eq!(payments::settle_stuck(&shop, 120).await.unwrap(), 0, "too recent: the answer may still come");
    later(&app).await;
    assert_eq!(payments::settle_stuck(&shop, 120).await.unwrap(), 1);
    assert_eq!(payments::settle_stuck(&shop, 120).await.unwrap(), 0, "finished once");
    let (status, reference, captured) = payment_of(&app, &order.0).await;
    assert_eq!(status, "succeeded");
    assert!(captured.is_some(), "and captured");
    assert_eq!(order_status(&app, &order.0).await, "paid");
    let (amount, taken, _) = app.testpay().money(&reference.unwrap()).unwrap();
    let (total,): (i64,) = sqlx::query_as("SELECT total_minor FROM orders WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!((amount.minor(), taken), (total, true), "one payment of the order's total, taken");
    assert_eq!(payments::pay(&shop, id, &pay_key, card(), client).await.unwrap(), Paid::Yes, "the form replays the outcome");
}

#[tokio::test]
async fn a_capture_without_an_answer_is_asked_again_until_confirmed() {
    let app = spawn_app().await;
    let (_, _, order) = unpaid_order(&app, 12, 2, "capture@example.com").await;
    let id = order_id(&app, &order.0).await;
    let shop = lossy(&app, 0, 1);
    let card = Card { number: VISA, expiry: "12/99", cvc: "123" };
    let paid = payments::pay(&shop, id, &key("pay"), card, "127.0.0.1".parse().unwrap()).await.unwrap();
    assert_eq!(paid, Paid::Yes, "authorized: the order is paid");
    let (status, reference, captured) = payment_of(&app, &order.0).await;
    let reference = reference.unwrap();
    assert_eq!((status.as_str(), captured), ("succeeded", None), "the capture is not confirmed");
    assert!(!app.testpay().money(&reference).unwrap().1, "the capture never arrived");

    assert_eq!(payments::capture_stuck(&shop, 120).await.unwrap(), 0, "too recent");
    later(&app).await;
    assert_eq!(payments::capture_stuck(&shop, 120).await.unwrap(), 1);
    assert!(app.testpay().money(&reference).unwrap().1, "captured");
    assert!(payment_of(&app, &order.0).await.2.is_some());
    assert_eq!(payments::capture_stuck(&shop, 120).await.unwrap(), 0, "asked until confirmed, then never again");
}

#[tokio::test]
async fn a_refund_without_an_answer_stays_reserved_and_the_money_goes_back_once() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 13, 2).await;
    let mut boss = admin(&app, "refunds@example.com").await;
    let order = paid_order(&mut Browser::new(&app), product, "refund-lost@example.com").await;
    ship_and_deliver(&mut boss, &order.0, "L-1").await;
    let id = order_id(&app, &order.0).await;
    let reference = payment_of(&app, &order.0).await.1.unwrap();
    let shop = lossy(&app, 1, 0);

    let outcome = app::ssr::returns::refunds::refund(&shop, id, Some(300), "admin:refunds@example.com", true).await;
    let Err(AppError::Upstream(message)) = outcome else { panic!("the staff member hears it is not done: {outcome:?}") };
    assert!(message.contains("will not be paid twice"), "{message}");
    assert_eq!(app.testpay().money(&reference).unwrap().2, 300, "the processor did refund it");
    let (status,): (String,) = sqlx::query_as("SELECT status FROM refunds").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(status, "pending", "not marked failed");
    let (reserved,): (i64,) = sqlx::query_as("SELECT refunded_minor FROM orders WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(reserved, 300, "the amount stays reserved, so nobody refunds it again meanwhile");
    assert_eq!(order_status(&app, &order.0).await, "delivered");

    assert_eq!(refunds::settle_stuck(&shop, 120).await.unwrap(), 0, "too recent");
    later(&app).await;
    assert_eq!(refunds::settle_stuck(&shop, 120).await.unwrap(), 1);
    assert_eq!(refunds::settle_stuck(&shop, 120).await.unwrap(), 0, "settled once");
    let (status,): (String,) = sqlx::query_as("SELECT status FROM refunds").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(status, "succeeded");
    assert_eq!(app.testpay().money(&reference).unwrap().2, 300, "asked again by its key: refunded once, not twice");
    assert_eq!(order_status(&app, &order.0).await, "partially-refunded");
    let (mails,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM outbox_emails WHERE to_address = 'refund-lost@example.com' AND subject LIKE 'Refund%'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(mails, 1);

    // A refusal is different: the amount is refundable again at once.
    sqlx::query("UPDATE payments SET provider_ref = 'pay_unknown_to_the_processor'").execute(&app.db.pool).await.unwrap();
    let mut tx = app.db.begin_write().await.unwrap();
    let refused = refunds::reserve(&mut tx, id, Some(200), "Goodwill refund.", "admin:refunds@example.com", None).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert_eq!(refunds::send_refund(&app.shop, &refused).await.unwrap(), Settled::Refused);
    let (reserved,): (i64,) = sqlx::query_as("SELECT refunded_minor FROM orders WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(reserved, 300, "the refused 2.00 was given back to refund later");
}
