//! The signed-in user's saved addresses. Every call works only on the
//! caller's own addresses: another user's id answers as if it did not exist.

use crate::domain::address::Address;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "account/addresses")]
pub async fn my_addresses() -> Result<Vec<Address>, AppError> {
    let (state, user) = server::owner().await?;
    crate::ssr::db::addresses::of_user(&state.db, user).await
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
    use crate::domain::address::MAX_ADDRESSES;
    use crate::ssr::db::addresses;
    let (state, user) = server::owner().await?;
    let address = Address { id, full_name, line1, line2, city, region, postal_code, country, phone }
        .validated()
        .map_err(AppError::BadRequest)?;
    if address.id == 0 {
        if addresses::of_user(&state.db, user).await?.len() >= MAX_ADDRESSES {
            return Err(AppError::BadRequest(format!("You can keep at most {MAX_ADDRESSES} addresses.")));
        }
        let id = addresses::insert(&state.db, user, &address).await?;
        return Ok(Address { id, ..address });
    }
    if !addresses::update(&state.db, user, &address).await? {
        return Err(server::not_yours());
    }
    Ok(address)
}

#[server(endpoint = "account/addresses/delete")]
pub async fn delete_address(id: i64) -> Result<(), AppError> {
    let (state, user) = server::owner().await?;
    if !crate::ssr::db::addresses::delete(&state.db, user, id).await? {
        return Err(server::not_yours());
    }
    Ok(())
}

#[cfg(feature = "ssr")]
mod server {
    use crate::error::AppError;
    use crate::ssr::AppState;

    /// The state and the signed-in user's id.
    pub async fn owner() -> Result<(AppState, i64), AppError> {
        let state = crate::ssr::state()?;
        let session = crate::ssr::auth::session_or_sign_in("manage your addresses").await?;
        let user = crate::ssr::auth::require_user(&session, &state.db, "manage your addresses").await?;
        Ok((state, user.id))
    }

    /// The same answer for someone else's address and one that does not exist.
    pub fn not_yours() -> AppError {
        AppError::NotFound("There is no such address in your account.".into())
    }
}
