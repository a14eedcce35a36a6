//! The back office's promo codes: the list with their use, saving one (new
//! or changed) and ending one now. Admins only; the server checks every call.

use crate::domain::promos::{PromoInput, PromoRow};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Admins: every promo code with its use.
#[server(endpoint = "admin/promos", input = GetUrl)]
pub async fn admin_promos() -> Result<Vec<PromoRow>, AppError> {
    crate::ssr::pricing::promo_admin::list().await
}

/// Admins: creates promo `input.code` (`new`) or changes it; back to the list.
#[server(endpoint = "admin/promos/save")]
pub async fn save_promo(input: PromoInput, #[server(default)] new: bool) -> Result<String, AppError> {
    let code = crate::ssr::pricing::promo_admin::save(input, new).await?;
    leptos_axum::redirect("/admin/promos");
    Ok(code)
}

/// Admins: promo `code` ends now (orders that used it keep their discount).
#[server(endpoint = "admin/promos/end")]
pub async fn end_promo(code: String) -> Result<(), AppError> {
    crate::ssr::pricing::promo_admin::end_now(code).await?;
    leptos_axum::redirect("/admin/promos");
    Ok(())
}
