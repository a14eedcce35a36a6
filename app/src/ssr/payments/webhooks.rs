//! The payment provider's webhooks: verified by signature and age, applied
//! at most once per event id, harmless out of order (a failure after a
//! success changes nothing).

use super::pay::succeeded;
use super::provider::WebhookError;
use crate::domain::payments::PaymentStatus;
use crate::error::AppError;
use crate::ssr::{inventory, now, Shop};

/// Why a webhook was not taken.
#[derive(Debug, thiserror::Error)]
pub enum WebhookRefusal {
    #[error("{0}")]
    Signature(#[from] WebhookError),
    #[error("the event could not be applied; retry later")]
    Failed(#[from] AppError),
}

/// Applies a provider event: verified, applied at most once per event id,
/// and harmless out of order (a failure after a success changes nothing).
/// Returns what was done, for the response body.
pub async fn webhook(shop: &Shop, signature: &str, body: &[u8]) -> Result<&'static str, WebhookRefusal> {
    let (db, provider) = (&shop.db, &*shop.provider);
    let event = provider.verify_webhook(signature, body, now())?;
    let seen: Option<(i64,)> = sqlx::query_as("SELECT received_at FROM webhook_events WHERE provider = $1 AND event_id = $2")
        .bind(provider.name())
        .bind(&event.id)
        .fetch_optional(&db.pool)
        .await
        .map_err(AppError::from)?;
    if seen.is_some() {
        return Ok("duplicate");
    }
    let done = match event.kind.as_str() {
        "payment.succeeded" => {
            succeeded(shop, &event.reference).await?;
            "applied"
        }
        "payment.failed" => {
            let (to, from) = PaymentStatus::guard(PaymentStatus::fail);
            let failed: Option<(i64,)> = sqlx::query_as(&format!(
                "UPDATE payments SET status = $4, message = 'Your bank did not confirm the payment.', updated_at = $3 \
                 WHERE provider = $1 AND provider_ref = $2 AND status IN ({from}) RETURNING order_id"
            ))
            .bind(provider.name())
            .bind(&event.reference)
            .bind(now())
            .bind(to.key())
            .fetch_optional(&db.pool)
            .await
            .map_err(AppError::from)?;
            if let Some((order,)) = failed {
                inventory::stock::release(db, order).await?;
            }
            "applied"
        }
        "refund.updated" => crate::ssr::returns::refunds::settle_by_key(shop, &event.reference).await?,
        _ => "ignored",
    };
    sqlx::query("INSERT INTO webhook_events (provider, event_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .bind(provider.name())
        .bind(&event.id)
        .bind(now())
        .execute(&db.pool)
        .await
        .map_err(AppError::from)?;
    Ok(done)
}
