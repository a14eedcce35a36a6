//! The back office's dashboard. Admins only; the server checks every call.

use crate::domain::analytics::Dashboard;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Admins: the figures of a period (`period` a preset, or `custom` with `from` and `to`).
#[server(endpoint = "admin/analytics", input = GetUrl)]
pub async fn admin_dashboard(
    #[server(default)] period: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<Dashboard, AppError> {
    crate::ssr::analytics::dashboard::page(period, from, to).await
}
