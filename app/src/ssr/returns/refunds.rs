//! Giving money back, in whole or in part: a staff refund (of a received
//! return's value, or goodwill) and a cancelled order's. A refund is first reserved
//! against the order inside the caller's transaction (a guarded update, so
//! concurrent refunds can never together exceed what was paid), then the
//! provider is asked after the commit (with the refund's id as idempotency
//! key), then the refund is settled once. A refund left pending by a crash
//! in between, or by a provider that did not answer in time, is finished by
//! [`settle_stuck`], which asks again under the same key.

use super::requests::{move_return, open_return, return_value};
use crate::ssr::orders::moves::{load_facts, record};
use crate::ssr::payments::provider::{ProviderError, Refunded};
use crate::domain::money::{Currency, Money};
use crate::domain::orders::{OrderStatus, ReturnStatus};
use crate::domain::payments::PaymentStatus;
use crate::error::AppError;
use crate::ssr::{mail, now, Shop};
use sqlx::AnyConnection;

/// A reserved refund, to carry out with [`send_refund`] after the commit.
#[derive(Debug)]
pub struct Reserved {
    id: i64,
    order: i64,
    payment: i64,
    reference: String,
    pub amount: i64,
    /// The payment's currency: the provider is told amount and currency.
    currency: Currency,
    return_id: Option<i64>,
    actor: String,
}

/// What `order` was paid and how much of it went back already.
pub struct Paid {
    payment: i64,
    pub paid: i64,
    pub refunded: i64,
    pub currency: Currency,
}

impl Paid {
    /// What may still be refunded.
    pub fn left(&self) -> i64 {
        self.paid - self.refunded
    }
}

/// The successful payment of `order` and its refunds so far; `None` if unpaid.
pub async fn paid(conn: &mut AnyConnection, order: i64) -> Result<Option<Paid>, AppError> {
    let row: Option<(i64, i64, i64, String)> = sqlx::query_as(
        "SELECT p.id, p.amount_minor, o.refunded_minor, o.currency FROM payments p JOIN orders o ON o.id = p.order_id \
         WHERE p.order_id = $1 AND p.status IN ('succeeded', 'refunded') ORDER BY p.id DESC LIMIT 1",
    )
    .bind(order)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(payment, paid, refunded, currency)| {
        Ok(Paid { payment, paid, refunded, currency: Currency::parse(&currency).ok_or(AppError::Internal)? })
    })
    .transpose()
}

/// Reserves `amount` (all that is left when `None`) of what `order` was paid.
/// `Ok(None)` when nothing was paid and no amount was asked for; a clear
/// refusal when `amount` is more than is left.
pub async fn reserve(
    conn: &mut AnyConnection,
    order: i64,
    amount: Option<i64>,
    reason: &str,
    actor: &str,
    return_id: Option<i64>,
) -> Result<Option<Reserved>, AppError> {
    let paid = match (paid(conn, order).await?, amount) {
        (Some(paid), _) => paid,
        (None, None) => return Ok(None),
        (None, Some(_)) => return Err(AppError::Conflict("This order was not paid, so there is nothing to refund.".into())),
    };
    if paid.left() <= 0 {
        return match amount {
            None => Ok(None),
            Some(_) => Err(AppError::Conflict("This order has been refunded in full already.".into())),
        };
    }
    let amount = amount.unwrap_or(paid.left());
    // Guarded: a concurrent refund that took the rest first makes this one match no row.
    let taken = sqlx::query(
        "UPDATE orders SET refunded_minor = refunded_minor + $2, updated_at = $4 WHERE id = $1 AND refunded_minor + $2 <= $3",
    )
    .bind(order)
    .bind(amount)
    .bind(paid.paid)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    if amount <= 0 || taken.rows_affected() != 1 {
        return Err(AppError::BadRequest(format!(
            "At most {} can still be refunded on this order.",
            Money::new(paid.left(), paid.currency)
        )));
    }
    let (reference,): (String,) =
        sqlx::query_as("SELECT provider_ref FROM payments WHERE id = $1").bind(paid.payment).fetch_one(&mut *conn).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO refunds (order_id, payment_id, return_id, amount_minor, status, reason, actor, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $7) RETURNING id",
    )
    .bind(order)
    .bind(paid.payment)
    .bind(return_id)
    .bind(amount)
    .bind(reason)
    .bind(actor)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    let currency = paid.currency;
    Ok(Some(Reserved { id, order, payment: paid.payment, reference, amount, currency, return_id, actor: actor.to_owned() }))
}

/// What came of asking the provider for a refund.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settled {
    /// The money went back.
    Sent,
    /// The provider said no (or the refund failed after it took it): the
    /// amount is refundable again.
    Refused,
    /// The provider took it and is still processing it: it stays pending,
    /// its amount reserved, until the provider's refund event (or the
    /// sweeper's next ask under the same key) says how it ended.
    Processing,
    /// No answer in time: the refund stays pending, its amount reserved, and
    /// the sweeper asks again under the same key (it is never sent twice).
    Unknown,
}

/// The idempotency key refund `id` is asked for under, which the provider's
/// refund events name it by.
fn refund_key(id: i64) -> String {
    format!("refund-{id}")
}

/// Asks the provider for a reserved refund and settles it: [`Settled::Sent`]
/// when the money went back (the payment is marked refunded once nothing is
/// left of it, and the order and its return move on, see
/// [`refunded`]); [`Settled::Refused`] when the provider
/// refused, in which case the amount is refundable again and the refund is
/// marked failed with the reason; [`Settled::Unknown`] when it did not answer.
pub async fn send_refund(shop: &Shop, refund: &Reserved) -> Result<Settled, AppError> {
    let amount = Money::new(refund.amount, refund.currency);
    let outcome = shop.provider.refund(&refund_key(refund.id), &refund.reference, amount).await;
    let mut tx = shop.db.begin_write().await?;
    let now = now();
    let settled = match outcome {
        Ok(Refunded::Processing) => {
            let processor = shop.provider.hosted().unwrap_or("The card processor");
            sqlx::query("UPDATE refunds SET message = $2, updated_at = $3 WHERE id = $1 AND status = 'pending'")
                .bind(refund.id)
                .bind(format!("{processor} is processing the refund; it is settled here when {processor} says it went through."))
                .bind(now)
                .execute(&mut *tx)
                .await?;
            Settled::Processing
        }
        Ok(Refunded::Done) => {
            // Guarded: settled once, whoever (the request or the sweeper) gets here first.
            let settled =
                sqlx::query("UPDATE refunds SET status = 'succeeded', updated_at = $2 WHERE id = $1 AND status = 'pending'")
                    .bind(refund.id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            if settled.rows_affected() == 1 {
                let (refunded_status, from) = PaymentStatus::guard(PaymentStatus::refund);
                sqlx::query(&format!(
                    "UPDATE payments SET status = $4, message = 'Refunded in full.', updated_at = $3 WHERE id = $1 \
                     AND status IN ({from}) AND amount_minor <= (SELECT refunded_minor FROM orders WHERE id = $2)"
                ))
                .bind(refund.payment)
                .bind(refund.order)
                .bind(now)
                .bind(refunded_status.key())
                .execute(&mut *tx)
                .await?;
                refunded(&mut tx, &shop.public_url, refund.order, refund.return_id, refund.amount, &refund.actor)
                    .await?;
            }
            Settled::Sent
        }
        Err(ProviderError::Unknown(ref error)) => {
            tracing::warn!(%error, refund = refund.id, "no answer about a refund; asking again later under its key");
            // Still pending and reserved; `updated_at` starts the wait before the next ask.
            sqlx::query("UPDATE refunds SET message = $2, updated_at = $3 WHERE id = $1 AND status = 'pending'")
                .bind(refund.id)
                .bind("The card processor did not answer in time; the refund is asked for again automatically.")
                .bind(now)
                .execute(&mut *tx)
                .await?;
            Settled::Unknown
        }
        Err(ProviderError::Refused(ref error)) => {
            tracing::error!(%error, refund = refund.id, "refund refused by the provider");
            let message = format!("The card processor refused the refund ({error}); staff will retry.");
            mark_failed(&mut tx, (refund.id, "pending"), (refund.order, refund.amount), &message).await?;
            Settled::Refused
        }
    };
    tx.commit().await?;
    Ok(settled)
}

/// Finishes refunds left pending for over `older_than` seconds (the server
/// stopped between reserving one and settling it, or the provider did not
/// answer): asks the provider again under the same key, so money already
/// sent back is not sent twice. Returns how many were asked about.
pub async fn settle_stuck(shop: &Shop, older_than: i64) -> Result<usize, AppError> {
    let stuck: Vec<StuckRow> = sqlx::query_as(&format!("{STUCK} AND r.updated_at < $1 ORDER BY r.id LIMIT 100"))
        .bind(now() - older_than)
        .fetch_all(&shop.db.pool)
        .await?;
    let count = stuck.len();
    for row in stuck {
        send_refund(shop, &reserved(row)?).await?;
    }
    Ok(count)
}

/// Marks refund `id` failed with `message` if it is still `from`, and makes
/// its `amount` of `order` refundable again; whether it did.
async fn mark_failed(
    conn: &mut AnyConnection,
    (id, from): (i64, &str),
    (order, amount): (i64, i64),
    message: &str,
) -> Result<bool, AppError> {
    let now = now();
    let failed = sqlx::query("UPDATE refunds SET status = 'failed', message = $2, updated_at = $3 WHERE id = $1 AND status = $4")
        .bind(id)
        .bind(message)
        .bind(now)
        .bind(from)
        .execute(&mut *conn)
        .await?;
    if failed.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE orders SET refunded_minor = refunded_minor - $2, updated_at = $3 WHERE id = $1")
        .bind(order)
        .bind(amount)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(true)
}

/// A pending refund as the sweeper and refund events read it.
type StuckRow = (i64, i64, i64, String, i64, String, Option<i64>, String);
const STUCK: &str = "SELECT r.id, r.order_id, r.payment_id, p.provider_ref, r.amount_minor, o.currency, r.return_id, r.actor \
     FROM refunds r JOIN payments p ON p.id = r.payment_id JOIN orders o ON o.id = r.order_id WHERE r.status = 'pending'";

fn reserved((id, order, payment, reference, amount, currency, return_id, actor): StuckRow) -> Result<Reserved, AppError> {
    let currency = Currency::parse(&currency).ok_or(AppError::Internal)?;
    Ok(Reserved { id, order, payment, reference, amount, currency, return_id, actor })
}

/// A refund event from the provider (it finished processing one): the
/// refund the shop asked for under `key`, if still pending here, is asked
/// about again and settled by the provider's answer, so what the event
/// says is never taken on trust and events in any order do no harm.
pub async fn settle_by_key(shop: &Shop, key: &str) -> Result<&'static str, AppError> {
    let Some(id) = key.strip_prefix("refund-").and_then(|id| id.parse::<i64>().ok()) else {
        return Ok("ignored"); // not one of the shop's refunds (a void, or made in the provider's dashboard)
    };
    let pending: Option<StuckRow> = sqlx::query_as(&format!("{STUCK} AND r.id = $1")).bind(id).fetch_optional(&shop.db.pool).await?;
    match pending {
        Some(row) => {
            send_refund(shop, &reserved(row)?).await?;
            Ok("applied")
        }
        None => failed_after_success(shop, id).await,
    }
}

/// A refund settled here as sent that the provider now says failed (the
/// buyer's bank sent it back): it no longer counts, its amount is
/// refundable again, and the admins and order managers are mailed to refund
/// the buyer another way or contact them. The order keeps its status.
async fn failed_after_success(shop: &Shop, id: i64) -> Result<&'static str, AppError> {
    let row: Option<(i64, String, i64, String, String)> = sqlx::query_as(
        "SELECT r.order_id, p.provider_ref, r.amount_minor, o.currency, o.number FROM refunds r \
         JOIN payments p ON p.id = r.payment_id JOIN orders o ON o.id = r.order_id WHERE r.id = $1 AND r.status = 'succeeded'",
    )
    .bind(id)
    .fetch_optional(&shop.db.pool)
    .await?;
    let Some((order, reference, amount, currency, number)) = row else { return Ok("ignored") };
    let money = Money::new(amount, Currency::parse(&currency).ok_or(AppError::Internal)?);
    let reason = match shop.provider.refund(&refund_key(id), &reference, money).await {
        Err(ProviderError::Refused(reason)) => reason,
        Err(ProviderError::Unknown(error)) => return Err(AppError::Upstream(error)), // the event comes again
        Ok(_) => return Ok("ignored"),
    };
    tracing::error!(refund = id, %reason, "a refund failed after it was sent");
    let mut tx = shop.db.begin_write().await?;
    let now = now();
    let message = format!("The refund failed after the card processor sent it ({reason}): refund the buyer another way or contact them.");
    if mark_failed(&mut tx, (id, "succeeded"), (order, amount), &message).await? {
        sqlx::query(
            "INSERT INTO outbox_emails (to_address, subject, body, created_at, next_attempt_at) \
             SELECT email, $1, $2, $3, $3 FROM users WHERE disabled_at IS NULL AND role IN ('admin', 'orders')",
        )
        .bind(format!("Refund failed: order {number}"))
        .bind(format!(
            "The refund of {money} for order {number} failed after the card processor sent it ({reason}). \
             The buyer has not got the money back: refund them another way or contact them.\n\n{}/admin/orders/{number}",
            shop.public_url
        ))
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok("applied")
}

/// Staff refund `amount` of `order` (for a received return: its value when
/// `None`; otherwise a goodwill refund of a delivered order). Never more than
/// is left of the payment; the order becomes refunded once nothing is left.
/// Refunds taking an order past the shop's `refund_confirm_above` need
/// `confirmed` (the staff member gave their password again).
pub async fn refund(shop: &Shop, order: i64, amount: Option<i64>, actor: &str, confirmed: bool) -> Result<(), AppError> {
    let mut tx = shop.db.begin_write().await?;
    let status = load_facts(&mut tx, order).await?.status;
    // Checked before anything is reserved: refunds only after delivery.
    status.refund(false).map_err(|e| AppError::Conflict(e.0))?;
    // One at a time: a refund the processor is still working on (or did not
    // answer about) may yet go through, and a second one would pay twice.
    let (waiting,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM refunds WHERE order_id = $1 AND status = 'pending'")
        .bind(order)
        .fetch_one(&mut *tx)
        .await?;
    if waiting > 0 {
        return Err(AppError::Conflict(
            "A refund of this order is still being processed. It settles by itself; refund more once it has.".into(),
        ));
    }
    let received = match status {
        OrderStatus::Returned => Some(open_return(&mut tx, order).await?),
        _ => None,
    };
    let amount = match (amount, received) {
        (Some(amount), _) => amount,
        (None, Some((id, _))) => return_value(&mut tx, order, id).await?,
        (None, None) => return Err(AppError::BadRequest("Enter the amount to refund.".into())),
    };
    // Counted over the order's refunds, so a large refund cannot pass in pieces.
    let paid = paid(&mut tx, order).await?;
    if paid.as_ref().map_or(0, |p| p.refunded).saturating_add(amount) > shop.refund_confirm_above && !confirmed {
        let currency = paid.map_or(crate::domain::money::Currency::Usd, |p| p.currency);
        return Err(AppError::Forbidden(format!(
            "Enter your password to refund more than {} of an order.",
            Money::new(shop.refund_confirm_above, currency)
        )));
    }
    let reason = if received.is_some() { "Returned items." } else { "Goodwill refund." };
    let Some(reserved) = reserve(&mut tx, order, Some(amount), reason, actor, received.map(|(id, _)| id)).await? else {
        return Err(AppError::Conflict("This order was not paid, so there is nothing to refund.".into()));
    };
    tx.commit().await?;
    match send_refund(shop, &reserved).await? {
        Settled::Sent | Settled::Processing => Ok(()),
        Settled::Refused => {
            Err(AppError::Upstream("The card processor refused the refund; nothing was refunded. Try again later.".into()))
        }
        Settled::Unknown => Err(AppError::Upstream(
            "The card processor did not answer in time. The refund stays reserved and is asked for again \
             automatically within a few minutes; it will not be paid twice."
                .into(),
        )),
    }
}

/// What follows a staff refund once the money went back, in the transaction
/// that settles it: its return refunded, the order refunded in part or in
/// full, the buyer mailed. Moves that no longer fit (a cancelled order, whose
/// mail announced the refund already) are skipped, so settling never fails on them.
pub(super) async fn refunded(
    conn: &mut AnyConnection,
    public_url: &str,
    order: i64,
    return_id: Option<i64>,
    amount: i64,
    actor: &str,
) -> Result<(), AppError> {
    let facts = load_facts(conn, order).await?;
    let paid = paid(conn, order).await?.ok_or(AppError::Internal)?;
    let Ok(to) = facts.status.refund(paid.left() == 0) else { return Ok(()) };
    if let Some(id) = return_id {
        let (status,): (String,) = sqlx::query_as("SELECT status FROM returns WHERE id = $1").bind(id).fetch_one(&mut *conn).await?;
        let status = ReturnStatus::parse(&status).ok_or(AppError::Internal)?;
        if let Ok(next) = status.refund() {
            move_return(conn, id, status, next, "").await?;
        }
    }
    let money = Money::new(amount, paid.currency);
    if !record(conn, order, facts.status, to, actor, &format!("Refunded {money}")).await? {
        return Ok(());
    }
    let body = format!(
        "We refunded {money} for order {} to your card. It shows on your statement within a few days.\n\nYour order page: {}",
        facts.number,
        facts.link(public_url)
    );
    mail::enqueue_about(&mut *conn, order, &facts.email, &format!("Refund for order {}", facts.number), &body).await
}
