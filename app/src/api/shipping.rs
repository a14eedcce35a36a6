//! The back office's shipping zones and methods. Admins only; the server
//! checks every call.

use crate::domain::shipping::{MethodInput, ZoneInput, ZoneRow};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
const BACK: &str = "/admin/shipping";

/// Admins: every zone with its places and methods.
#[server(endpoint = "admin/shipping", input = GetUrl)]
pub async fn admin_shipping() -> Result<Vec<ZoneRow>, AppError> {
    crate::ssr::pricing::shipping_admin::page().await
}

/// Admins: creates a zone (`id` 0) or changes zone `id`; its id.
#[server(endpoint = "admin/shipping/zone")]
pub async fn save_zone(#[server(default)] id: i64, input: ZoneInput) -> Result<i64, AppError> {
    let id = crate::ssr::pricing::shipping_admin::save_zone(id, input).await?;
    leptos_axum::redirect(BACK);
    Ok(id)
}

/// Admins: deletes zone `id` with its methods.
#[server(endpoint = "admin/shipping/zone/delete")]
pub async fn delete_zone(id: i64) -> Result<(), AppError> {
    crate::ssr::pricing::shipping_admin::delete_zone(id).await?;
    leptos_axum::redirect(BACK);
    Ok(())
}

/// Admins: adds a method to zone `zone` (`code` empty) or changes method `code`.
#[server(endpoint = "admin/shipping/method")]
pub async fn save_method(zone: i64, #[server(default)] code: String, input: MethodInput) -> Result<(), AppError> {
    crate::ssr::pricing::shipping_admin::save_method(zone, code, input).await?;
    leptos_axum::redirect(BACK);
    Ok(())
}

/// Admins: deletes shipping method `code`.
#[server(endpoint = "admin/shipping/method/delete")]
pub async fn delete_method(code: String) -> Result<(), AppError> {
    crate::ssr::pricing::shipping_admin::delete_method(code).await?;
    leptos_axum::redirect(BACK);
    Ok(())
}
