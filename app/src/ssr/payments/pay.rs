//! Paying for orders through a [`super::provider::PaymentProvider`] (its
//! webhooks are in [`super::webhooks`]). A payment call carries an idempotency key: a retry returns the
//! first attempt's result and never charges again. The schema allows one
//! payment in flight and one successful payment per order; a success that
//! can no longer become a paid order (sold out meanwhile, cancelled) is
//! refunded at once.

use crate::ssr::{inventory, orders};
use super::provider::{CardToken, Charge, Outcome, ProviderError, PAY_WITHIN_SECS};
use crate::domain::money::{Currency, Money};
use crate::domain::orders::OrderStatus;
use crate::domain::payments::{PaymentStatus, PaymentStep};
use crate::error::AppError;
use crate::ssr::db::Db;
use crate::ssr::{mail, now, Shop};
use crate::ssr::orders::access::order_link;

/// What became of a payment attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Paid {
    Yes,
    /// The shopper must confirm with their bank at this URL.
    RequiresAction(String),
    /// Declined, with the provider's message.
    Declined(String),
}

/// Card details as typed; they go to the provider and are never stored.
pub struct Card<'a> {
    pub number: &'a str,
    pub expiry: &'a str,
    pub cvc: &'a str,
}

/// Order facts a payment needs.
#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    number: String,
    status: String,
    total_minor: i64,
    email: String,
    access_token: String,
    currency: String,
}

async fn order(db: &Db, id: i64) -> Result<OrderRow, AppError> {
    sqlx::query_as(
        "SELECT id, number, status, total_minor, email, access_token, currency FROM orders WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| AppError::NotFound("There is no such order.".into()))
}

/// What an earlier attempt with this key came to.
fn replay(status: &str, message: String) -> Result<Paid, AppError> {
    match PaymentStatus::parse(status).ok_or(AppError::Internal)? {
        PaymentStatus::Succeeded => Ok(Paid::Yes),
        PaymentStatus::RequiresAction => Ok(Paid::RequiresAction(message)),
        PaymentStatus::Processing => {
            Err(AppError::Conflict("Your payment is being processed. Reload the page in a moment.".into()))
        }
        PaymentStatus::Declined | PaymentStatus::Failed | PaymentStatus::Refunded => Ok(Paid::Declined(message)),
    }
}

/// Refuses to pay an order that is paid or cancelled.
fn payable(status: &str) -> Result<(), AppError> {
    match status {
        "paid" => Err(AppError::Conflict("This order is already paid.".into())),
        "cancelled" => Err(AppError::BadRequest("This order was cancelled and cannot be paid.".into())),
        _ => Ok(()),
    }
}

/// Pays order `order_id` with `card` under idempotency `key`.
pub async fn pay(shop: &Shop, order_id: i64, key: &str, card: Card<'_>, client: std::net::IpAddr) -> Result<Paid, AppError> {
    let (db, provider) = (&shop.db, &*shop.provider);
    if !orders::place::valid_key(key) {
        return Err(AppError::BadRequest("Reload the page and try again (the form is incomplete).".into()));
    }
    let earlier: Option<(i64, String, String)> =
        sqlx::query_as("SELECT order_id, status, message FROM payments WHERE idempotency_key = $1")
            .bind(key)
            .fetch_optional(&db.pool)
            .await?;
    if let Some((for_order, status, message)) = earlier {
        if for_order != order_id {
            return Err(AppError::Conflict("This payment form was already used for another order.".into()));
        }
        return replay(&status, message);
    }
    let row = order(db, order_id).await?;
    payable(&row.status)?;
    let token = match provider.hosted() {
        // The card is typed on the provider's page, never into the shop.
        Some(page) if !card.number.trim().is_empty() => {
            return Err(AppError::BadRequest(format!(
                "This shop takes cards on {page}'s secure page only: card numbers are not accepted here."
            )))
        }
        Some(page) => CardToken { token: String::new(), description: format!("Card, on {page}") },
        None => provider.tokenize(card.number, card.expiry, card.cvc).map_err(AppError::BadRequest)?,
    };

    let mut tx = db.begin_write().await?;
    // Again under the order's lock: another payment of it may have succeeded
    // since, and this one must not reach the card processor at all.
    orders::place::lock(&mut tx, order_id).await?;
    let (status,): (String,) = sqlx::query_as("SELECT status FROM orders WHERE id = $1").bind(order_id).fetch_one(&mut *tx).await?;
    payable(&status)?;
    crate::ssr::accounts::limits::hit(&mut tx, "payment", client, shop.payment_limit, "payment attempts").await?;
    let now = now();
    let inserted = sqlx::query(
        "INSERT INTO payments (order_id, idempotency_key, provider, card, amount_minor, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(order_id)
    .bind(key)
    .bind(provider.name())
    .bind(&token.description)
    .bind(row.total_minor)
    .bind(PaymentStatus::Processing.key())
    .bind(now)
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AppError::Conflict(
                "A payment for this order is already in progress. Reload the page in a moment.".into(),
            ))
        }
        other => other?,
    };
    // A released order takes its stock again (guarded: a no-op while it holds it).
    inventory::stock::hold_again(&mut tx, order_id, &shop.public_url).await?;
    tx.commit().await?;
    let payment: (i64,) =
        sqlx::query_as("SELECT id FROM payments WHERE idempotency_key = $1").bind(key).fetch_one(&db.pool).await?;
    let payment = payment.0;

    let currency = Currency::parse(&row.currency).ok_or(AppError::Internal)?;
    // The order's own page, where a provider's payment page sends the shopper back.
    let return_url = order_link(&shop.public_url, &row.number, &row.access_token);
    let charge = Charge {
        key,
        token: &token.token,
        amount: Money::new(row.total_minor, currency),
        order: &row.number,
        return_url: &return_url,
        pay_by: now + PAY_WITHIN_SECS,
    };
    match provider.authorize(&charge).await {
        Err(ProviderError::Refused(error)) => {
            tracing::warn!(%error, order = row.number, "payment provider refused the call");
            settle(db, payment, PaymentStatus::fail, None, "The payment service could not take the payment. You were not charged.")
                .await?;
            Err(AppError::Upstream("The payment service could not take the payment. You were not charged; try again.".into()))
        }
        Err(ProviderError::Unknown(error)) => {
            // Maybe charged: the payment stays in flight (its stock held) until
            // `settle_stuck` learns the outcome by the key.
            tracing::warn!(%error, order = row.number, "no answer from the payment provider; asking again by the key later");
            Err(AppError::Conflict(
                "The payment service did not answer in time. Your payment is being checked: reload the page in a few \
                 minutes. You will not be charged twice."
                    .into(),
            ))
        }
        Ok(outcome) => apply(shop, payment, order_id, outcome).await,
    }
}

/// Records what the provider decided about `payment` (of order `order_id`)
/// and acts on it: a decline gives the order's stock back, an authorization
/// pays the order.
async fn apply(shop: &Shop, payment: i64, order_id: i64, outcome: Outcome) -> Result<Paid, AppError> {
    let db = &shop.db;
    match outcome {
        Outcome::Declined { reference, message } => {
            settle(db, payment, PaymentStatus::decline, Some(&reference), &message).await?;
            inventory::stock::release(db, order_id).await?;
            Ok(Paid::Declined(message))
        }
        Outcome::RequiresAction { reference, url } => {
            settle(db, payment, PaymentStatus::require_action, Some(&reference), &url).await?;
            Ok(Paid::RequiresAction(url))
        }
        Outcome::Authorized { reference } => {
            settle(db, payment, PaymentStatus::authorize, Some(&reference), "").await?;
            succeeded(shop, &reference).await?;
            let (status, message): (String, String) =
                sqlx::query_as("SELECT status, message FROM payments WHERE id = $1").bind(payment).fetch_one(&db.pool).await?;
            replay(&status, message)
        }
    }
}

/// Finishes payments left "processing" for over `older_than` seconds (the
/// server stopped while asking the provider). Until then such a payment
/// blocks both another payment of its order and the release of its stock.
/// The provider is asked what came of each, by its idempotency key, and that
/// is recorded as if it had answered at once; a payment the provider never
/// received failed, and its order's stock goes back. A provider that cannot
/// answer now is asked again next time. Returns how many were finished.
pub async fn settle_stuck(shop: &Shop, older_than: i64) -> Result<usize, AppError> {
    let stuck: Vec<(i64, i64, String, i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT p.id, p.order_id, p.idempotency_key, p.amount_minor, o.currency, o.number, o.access_token, p.created_at \
         FROM payments p JOIN orders o ON o.id = p.order_id \
         WHERE p.status = $1 AND p.provider = $2 AND p.updated_at < $3 ORDER BY p.id LIMIT 100",
    )
    .bind(PaymentStatus::Processing.key())
    .bind(shop.provider.name())
    .bind(now() - older_than)
    .fetch_all(&shop.db.pool)
    .await?;
    let mut finished = 0;
    for (payment, order, key, amount, currency, number, access, started) in stuck {
        let return_url = order_link(&shop.public_url, &number, &access);
        let amount = Money::new(amount, Currency::parse(&currency).ok_or(AppError::Internal)?);
        let charge = Charge { key: &key, token: "", amount, order: &number, return_url: &return_url, pay_by: started + PAY_WITHIN_SECS };
        match shop.provider.find(&charge).await {
            Ok(Some(outcome)) => {
                apply(shop, payment, order, outcome).await?;
            }
            Ok(None) => {
                let message = "The payment was interrupted before it reached the card processor. You were not charged.";
                settle(&shop.db, payment, PaymentStatus::fail, None, message).await?;
                inventory::stock::release(&shop.db, order).await?;
            }
            Err(error) => {
                tracing::warn!(%error, payment, "cannot ask the provider about an interrupted payment; asking again later");
                continue;
            }
        }
        finished += 1;
    }
    Ok(finished)
}

/// Records what the provider said about a payment still in flight.
async fn settle(db: &Db, payment: i64, step: PaymentStep, reference: Option<&str>, message: &str) -> Result<(), AppError> {
    let (to, from) = PaymentStatus::guard(step);
    sqlx::query(&format!(
        "UPDATE payments SET status = $2, provider_ref = COALESCE($3, provider_ref), message = $4, updated_at = $5 \
         WHERE id = $1 AND status IN ({from})"
    ))
    .bind(payment)
    .bind(to.key())
    .bind(reference)
    .bind(message)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The provider holds the money for payment `reference`: capture it and mark
/// the order paid, in one transaction with its confirmation mail. If the
/// order can no longer be paid (cancelled, sold out since, or paid by another
/// payment) the money goes back. Safe to call twice.
pub async fn succeeded(shop: &Shop, reference: &str) -> Result<(), AppError> {
    let (db, provider) = (&shop.db, &*shop.provider);
    let found: Option<(i64, i64, String, i64, String)> = sqlx::query_as(
        "SELECT p.id, p.order_id, p.status, p.amount_minor, o.currency FROM payments p JOIN orders o ON o.id = p.order_id \
         WHERE p.provider = $1 AND p.provider_ref = $2",
    )
    .bind(provider.name())
    .bind(reference)
    .fetch_optional(&db.pool)
    .await?;
    let Some((payment, order_id, status, amount, currency)) = found else {
        tracing::warn!(reference, "success for an unknown payment");
        return Ok(());
    };
    if PaymentStatus::parse(&status).ok_or(AppError::Internal)?.succeed().is_err() {
        return Ok(()); // applied already
    }
    let row = order(db, order_id).await?;
    match mark_paid(db, payment, &row, &shop.public_url).await {
        Ok(true) => capture(shop, payment, reference).await,
        Ok(false) => {
            let amount = Money::new(amount, Currency::parse(&currency).ok_or(AppError::Internal)?);
            // Taken is enough here: a refund Stripe is still processing ends on its own.
            provider.refund(&format!("void-{payment}"), reference, amount).await.map_err(|error| {
                tracing::error!(%error, reference, "refund failed");
                AppError::Internal
            })?;
            let (voided, from) = PaymentStatus::guard(PaymentStatus::void);
            sqlx::query(&format!(
                "UPDATE payments SET status = $4, message = $2, updated_at = $3 WHERE id = $1 AND status IN ({from})"
            ))
            .bind(payment)
            .bind("The order could no longer be fulfilled, so the payment was refunded.")
            .bind(now())
            .bind(voided.key())
            .execute(&db.pool)
            .await?;
            let body = format!(
                "We could not complete order {}: an item sold out or the order was cancelled before your payment \
                 arrived. The full amount has been refunded to your card.",
                row.number
            );
            mail::enqueue_about(&db.pool, row.id, &row.email, &format!("Order {} refunded", row.number), &body).await
        }
        Err(error) => Err(error),
    }
}

/// Takes the held money of `payment` and records when. Without an answer
/// (or with a refusal) the payment stays uncaptured and [`capture_stuck`]
/// asks again: capturing is by reference, so asking twice takes it once.
async fn capture(shop: &Shop, payment: i64, reference: &str) -> Result<(), AppError> {
    match shop.provider.capture(reference).await {
        Ok(()) => {
            sqlx::query("UPDATE payments SET captured_at = $2 WHERE id = $1 AND captured_at IS NULL")
                .bind(payment)
                .bind(now())
                .execute(&shop.db.pool)
                .await?;
        }
        Err(error) => tracing::warn!(%error, reference, "capture not confirmed; asking again later"),
    }
    Ok(())
}

/// How long a card authorization lasts at the big processors: captures are
/// asked again until then.
const AUTHORIZATION_SECS: i64 = 7 * 24 * 3600;

/// Captures succeeded payments whose capture has not been confirmed for over
/// `older_than` seconds (no answer in time, a refusal, a restart), while
/// their authorization can still be captured. Returns how many were asked about.
pub async fn capture_stuck(shop: &Shop, older_than: i64) -> Result<usize, AppError> {
    let now = now();
    let waiting: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, provider_ref FROM payments WHERE status = $1 AND captured_at IS NULL AND provider = $2 \
         AND provider_ref IS NOT NULL AND updated_at < $3 AND updated_at > $4 ORDER BY id LIMIT 100",
    )
    .bind(PaymentStatus::Succeeded.key())
    .bind(shop.provider.name())
    .bind(now - older_than)
    .bind(now - AUTHORIZATION_SECS)
    .fetch_all(&shop.db.pool)
    .await?;
    for (payment, reference) in &waiting {
        capture(shop, *payment, reference).await?;
    }
    Ok(waiting.len())
}

/// In one transaction: the payment succeeded, the order is paid (its stock
/// held again if it had been released), the confirmation mail queued.
/// `false` when the order cannot take the payment.
async fn mark_paid(db: &Db, payment: i64, row: &OrderRow, public_url: &str) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    // The order's lock first, as `pay` takes it: a payment of the same order
    // being started meanwhile must not hold the order while waiting on this
    // payment's row (a deadlock on PostgreSQL). With the lock, a release of an
    // expired hold either finished (and `hold_again` below takes the stock
    // again) or waits and then finds the order paid.
    orders::place::lock(&mut tx, row.id).await?;
    let now = now();
    let (succeeded, from) = PaymentStatus::guard(PaymentStatus::succeed);
    let updated = sqlx::query(&format!(
        "UPDATE payments SET status = $3, message = '', updated_at = $2 WHERE id = $1 AND status IN ({from})"
    ))
    .bind(payment)
    .bind(now)
    .bind(succeeded.key())
    .execute(&mut *tx)
    .await;
    match updated {
        // Another payment of this order succeeded first.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(false),
        Err(e) => return Err(e.into()),
        Ok(done) if done.rows_affected() == 0 => return Ok(true),
        Ok(_) => {}
    }
    // Not `row.stock_held`: read before this transaction, it may be stale.
    match inventory::stock::hold_again(&mut tx, row.id, public_url).await {
        Ok(()) => {}
        Err(AppError::Conflict(_)) => return Ok(false),
        Err(other) => return Err(other),
    }
    let pending = OrderStatus::PendingPayment;
    let Ok(paid) = pending.pay() else { return Ok(false) };
    if !crate::ssr::orders::moves::record(&mut tx, row.id, pending, paid, "payment", "").await? {
        return Ok(false);
    }
    let currency = crate::domain::money::Currency::parse(&row.currency).ok_or(AppError::Internal)?;
    let total = crate::domain::money::Money::new(row.total_minor, currency);
    let body = format!(
        "Thank you for your order {number}. We received your payment of {total}.\n\n\
         See your order at any time: {link}\n\nWe will write again when it ships.",
        number = row.number,
        link = order_link(public_url, &row.number, &row.access_token),
    );
    mail::enqueue_about(&mut *tx, row.id, &row.email, &format!("Order {} confirmed", row.number), &body).await?;
    tx.commit().await?;
    Ok(true)
}
