//! The shop's settings: read by product pages (cached, emptied with the
//! catalog caches when the change log says the shop changed) and by checkout
//! (always from the database, inside its transaction), and edited in the
//! back office with the tax classes and rates (`admin`); the shop's own
//! details and the search synonyms list (`details`); the name and logo
//! every page shows (`brand`).

pub mod admin;
pub mod brand;
pub mod details;

use crate::domain::settings::ShopSettings;
use crate::error::AppError;
use sqlx::AnyConnection;

/// The signed-in admin changing the settings (401 signed out, 403 anyone else).
async fn admin_only() -> Result<crate::ssr::accounts::users::User, AppError> {
    crate::ssr::accounts::signed_in_admin(&crate::ssr::state()?.db, "change the shop's settings").await
}

/// The settings as stored now.
pub async fn current(conn: &mut AnyConnection) -> Result<ShopSettings, AppError> {
    let (included, low_stock_default, version): (i64, i64, i64) =
        sqlx::query_as("SELECT prices_include_tax, low_stock_default, version FROM shop_settings WHERE id = 1")
            .fetch_one(&mut *conn)
            .await?;
    Ok(ShopSettings { prices_include_tax: included == 1, low_stock_default, version })
}

/// The settings as stored now, for a write that copies the low-stock
/// default: on PostgreSQL the row stays share-locked until the transaction
/// ends, so a change of the default waits for it (and then moves what it
/// wrote) or goes first (and it copies the new one). SQLite's write
/// transactions are serial already.
pub async fn for_copying(conn: &mut AnyConnection) -> Result<ShopSettings, AppError> {
    if crate::ssr::db::is_postgres(conn) {
        sqlx::query("SELECT id FROM shop_settings WHERE id = 1 FOR SHARE").execute(&mut *conn).await?;
    }
    current(conn).await
}

/// The settings for a page, from the catalog cache.
pub async fn for_pages() -> Result<ShopSettings, AppError> {
    let state = crate::ssr::state()?;
    state
        .cache
        .settings
        .get_or_try((), || async {
            let mut conn = state.db.pool.acquire().await?;
            current(&mut conn).await
        })
        .await
}
