//! Carriers' tracking webhooks: signed like payment webhooks (HMAC-SHA256
//! over "timestamp.body", five minutes' tolerance), each event applied once.

use super::tracking::track;
use crate::ssr::payments::provider::{verify_signature, WebhookError};
use crate::domain::orders::ParcelStatus;
use crate::error::AppError;
use crate::ssr::Shop;

/// A tracking update as a carrier posts it.
#[derive(Debug, serde::Deserialize, serde::Serialize)]
pub struct CarrierEvent {
    /// The carrier's id for this event (a retried delivery repeats it).
    pub id: String,
    pub carrier: String,
    pub tracking: String,
    /// `in-transit`, `out-for-delivery`, `delivered` or `exception`.
    pub status: String,
    #[serde(default)]
    pub detail: String,
    /// When it happened, in Unix seconds.
    pub at: i64,
}

/// Why a tracking webhook was not applied; each maps to its HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// 401: missing or wrong signature.
    #[error("{0}")]
    Signature(WebhookError),
    /// 400: stale, unreadable or nonsensical event.
    #[error("{0}")]
    Bad(String),
    /// 404: no parcel has this carrier and tracking number.
    #[error("no parcel with that carrier and tracking number")]
    UnknownParcel,
    /// 409 and the like: the update does not fit the parcel (already delivered).
    #[error("{0}")]
    Refused(AppError),
}

/// Checks, deduplicates and applies one tracking webhook.
pub async fn webhook(shop: &Shop, secret: &[u8], signature: &str, body: &[u8]) -> Result<&'static str, Refusal> {
    verify_signature(secret, signature, body, crate::ssr::now()).map_err(|e| match e {
        WebhookError::Stale => Refusal::Bad(e.to_string()),
        other => Refusal::Signature(other),
    })?;
    let event: CarrierEvent = serde_json::from_slice(body)
        .map_err(|_| Refusal::Bad("the event is not JSON of the documented shape".into()))?;
    let status = ParcelStatus::reported(&event.status)
        .ok_or_else(|| Refusal::Bad(format!("unknown status {:?}", event.status.chars().take(40).collect::<String>())))?;
    if event.id.is_empty() || event.id.len() > 200 || event.detail.chars().count() > 500 {
        return Err(Refusal::Bad("the event id (1–200 characters) or detail (at most 500) is out of range".into()));
    }
    let shipment: Option<(i64,)> = sqlx::query_as("SELECT id FROM shipments WHERE carrier = $1 AND tracking = $2")
        .bind(&event.carrier)
        .bind(&event.tracking)
        .fetch_optional(&shop.db.pool)
        .await
        .map_err(|e| Refusal::Refused(e.into()))?;
    let (shipment,) = shipment.ok_or(Refusal::UnknownParcel)?;
    let detail: String = event.detail.chars().filter(|c| !c.is_control()).collect();
    match track(shop, shipment, status, &detail, event.at, "carrier", Some(&event.id)).await {
        Ok(true) => Ok("applied"),
        Ok(false) => Ok("already applied"),
        Err(error) => Err(Refusal::Refused(error)),
    }
}
