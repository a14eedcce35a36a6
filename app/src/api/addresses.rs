//! The signed-in user's saved addresses. Every call works only on the
//! caller's own addresses: another user's id answers as if it did not exist.

use crate::domain::address::Address;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "account/addresses")]
pub async fn my_addresses() -> Result<Vec<Address>, AppError> {
    crate::ssr::accounts::addresses::mine().await
}

/// Saves a new address (`id` 0 or absent) or changes one of the caller's.
#[server(endpoint = "account/addresses/save")]
#[allow(clippy::too_many_arguments)]
pub async fn save_address(
    #[server(default)] id: i64,
    full_name: String,
    line1: String,
    #[server(default)] line2: String,
    city: String,
    #[server(default)] region: String,
    postal_code: String,
    country: String,
    #[server(default)] phone: String,
) -> Result<Address, AppError> {
    let address = Address { id, full_name, line1, line2, city, region, postal_code, country, phone };
    crate::ssr::accounts::addresses::save(address).await
}

#[server(endpoint = "account/addresses/delete")]
pub async fn delete_address(id: i64) -> Result<(), AppError> {
    crate::ssr::accounts::addresses::forget(id).await
}
