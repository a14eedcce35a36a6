//! The back office's settings: prices with or without tax, the low-stock
//! default, tax classes and rates. Admins only; the server checks every call.

use crate::domain::settings::{SettingsInput, SettingsPage, TaxClassInput, TaxRateInput};
use crate::domain::shop_details::DetailsInput;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
const BACK: &str = "/admin/settings";

/// Admins: the settings, tax classes and rates.
#[server(endpoint = "admin/settings", input = GetUrl)]
pub async fn admin_settings() -> Result<SettingsPage, AppError> {
    crate::ssr::settings::admin::page().await
}

/// Admins: saves the settings if still at `version`.
#[server(endpoint = "admin/settings/save")]
pub async fn save_settings(version: i64, input: SettingsInput) -> Result<(), AppError> {
    crate::ssr::settings::admin::save(version, input).await?;
    leptos_axum::redirect(BACK);
    Ok(())
}

/// Admins: saves the shop's details if still at `version`.
#[server(endpoint = "admin/settings/details")]
pub async fn save_shop_details(version: i64, input: DetailsInput) -> Result<(), AppError> {
    crate::ssr::settings::details::save(version, input).await?;
    leptos_axum::redirect(BACK);
    Ok(())
}

/// Admins: replaces the search synonyms list.
#[server(endpoint = "admin/settings/synonyms")]
pub async fn save_synonyms(#[server(default)] synonyms: String) -> Result<(), AppError> {
    crate::ssr::settings::details::save_synonyms(&synonyms).await?;
    leptos_axum::redirect(BACK);
    Ok(())
}

/// Admins: makes the form's picture (`file`; field `shop` is 1) the shop's
/// logo, shown in every page's header; back to the settings.
#[server(endpoint = "admin/settings/logo", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn upload_shop_logo(data: leptos::server_fn::codec::MultipartData) -> Result<(), AppError> {
    crate::ssr::catalog::pictures::upload(crate::ssr::catalog::pictures::Owner::Shop, data).await?;
    leptos_axum::redirect(BACK);
    Ok(())
}

/// Admins: the header shows the shop's name again instead of a logo.
#[server(endpoint = "admin/settings/logo/remove")]
pub async fn remove_shop_logo(id: i64) -> Result<(), AppError> {
    crate::ssr::catalog::pictures::remove(crate::ssr::catalog::pictures::Owner::Shop, id).await?;
    leptos_axum::redirect(BACK);
    Ok(())
}

/// Admins: sets a destination's rate for a tax class.
#[server(endpoint = "admin/settings/rate")]
pub async fn save_tax_rate(input: TaxRateInput) -> Result<(), AppError> {
    crate::ssr::settings::admin::save_rate(input).await?;
    leptos_axum::redirect(BACK);
    Ok(())
}

/// Admins: deletes a destination's rate for a tax class.
#[server(endpoint = "admin/settings/rate/delete")]
pub async fn delete_tax_rate(country: String, #[server(default)] region: String, class: String) -> Result<(), AppError> {
    crate::ssr::settings::admin::delete_rate(country, region, class).await?;
    leptos_axum::redirect(BACK);
    Ok(())
}

/// Admins: adds a tax class.
#[server(endpoint = "admin/settings/class")]
pub async fn add_tax_class(input: TaxClassInput) -> Result<(), AppError> {
    crate::ssr::settings::admin::add_class(input).await?;
    leptos_axum::redirect(BACK);
    Ok(())
}

/// Admins: deletes a tax class no product is in.
#[server(endpoint = "admin/settings/class/delete")]
pub async fn delete_tax_class(code: String) -> Result<(), AppError> {
    crate::ssr::settings::admin::delete_class(code).await?;
    leptos_axum::redirect(BACK);
    Ok(())
}
