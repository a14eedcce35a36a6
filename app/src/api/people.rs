//! The back office's people: staff invited, given a role, disabled,
//! enabled and removed. Admins only; the server checks every call.

use crate::domain::people::PeoplePage;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Admins: every staff member and the sellers to choose from.
#[server(endpoint = "admin/people", input = GetUrl)]
pub async fn admin_people() -> Result<PeoplePage, AppError> {
    crate::ssr::accounts::people::people().await
}

/// Admins: invite `email` as `role` (`admin`, `catalog`, `orders`, or
/// `seller` with `seller`'s id); they get a link to set their password.
#[server(endpoint = "admin/people/invite")]
pub async fn invite_staff(email: String, role: String, #[server(default)] seller: String) -> Result<(), AppError> {
    crate::ssr::accounts::people::invite(email, role, seller).await
}

/// Admins: give staff member `id` another role.
#[server(endpoint = "admin/people/role")]
pub async fn change_staff_role(id: String, role: String, #[server(default)] seller: String) -> Result<(), AppError> {
    crate::ssr::accounts::people::change_role(id, role, seller).await
}

/// Admins: disable (`disabled=on`) or enable staff member `id`.
#[server(endpoint = "admin/people/disable")]
pub async fn disable_staff(id: String, #[server(default)] disabled: String) -> Result<(), AppError> {
    crate::ssr::accounts::people::set_disabled(id, disabled).await
}

/// Admins: staff member `id` is staff no more (their account stays a customer's).
#[server(endpoint = "admin/people/remove")]
pub async fn remove_staff(id: String) -> Result<(), AppError> {
    crate::ssr::accounts::people::remove(id).await
}
