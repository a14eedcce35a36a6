//! The back office's customers: the list, one customer, disabling, their
//! data on request and anonymising. Admins and order managers see
//! customers; only admins change them. The server checks every call.

use crate::domain::customers::MyData;
use crate::domain::customers::{CustomerList, CustomerView};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Page `page` of the customers whose email or name holds `q`, newest first.
#[server(endpoint = "admin/customers", input = GetUrl)]
pub async fn admin_customers(#[server(default)] q: String, #[server(default)] page: String) -> Result<CustomerList, AppError> {
    crate::ssr::customers::list(q, page).await
}

/// Customer `id`: account, orders, addresses, cart.
#[server(endpoint = "admin/customer", input = GetUrl)]
pub async fn admin_customer(id: String) -> Result<CustomerView, AppError> {
    crate::ssr::customers::view(id).await
}

/// Admins: disable (`disabled=on`) or enable customer `id`.
#[server(endpoint = "admin/customers/disable")]
pub async fn disable_customer(id: String, #[server(default)] disabled: String) -> Result<(), AppError> {
    crate::ssr::customers::set_disabled(id, disabled).await
}

/// Admins: everything the shop holds about customer `id`, as a JSON download.
#[server(endpoint = "admin/customers/export", input = GetUrl)]
pub async fn export_customer(id: String) -> Result<MyData, AppError> {
    crate::ssr::customers::data::export(id).await
}

/// Admins: anonymise customer `id` (`confirm` is their email): the account
/// goes, their orders stay without personal data.
#[server(endpoint = "admin/customers/anonymise")]
pub async fn anonymise_customer(id: String, #[server(default)] confirm: String) -> Result<(), AppError> {
    crate::ssr::customers::data::anonymise(id, confirm).await
}
