//! The shop's name and logo as every page, page title and mail shows them,
//! read through the catalog cache (every server empties it when the shop's
//! details or logo change, through the change log).

use crate::domain::shop_details::{Brand, ShopDetails};
use crate::error::AppError;
use crate::ssr::cache::TtlCache;
use crate::ssr::db::Db;

/// The shop's name and logo for every page, from the catalog cache (emptied
/// on every server when the details or the logo change).
pub async fn of(cache: &TtlCache<(), Brand>, db: &Db) -> Result<Brand, AppError> {
    cache
        .get_or_try((), || async {
            let (name, url, width, height): (String, String, i64, i64) =
                sqlx::query_as("SELECT shop_name, image_url, image_width, image_height FROM shop_settings WHERE id = 1")
                    .fetch_one(&mut *db.pool.acquire().await?)
                    .await?;
            let size = |n: i64| u32::try_from(n).unwrap_or(0);
            Ok(Brand::new(name, &url, size(width), size(height)))
        })
        .await
}

/// The shop's name for mails and pages, through the cache; "Oxcart" if it cannot be read.
pub async fn shop_name(cache: &TtlCache<(), Brand>, db: &Db) -> String {
    of(cache, db).await.map(|b| b.name).unwrap_or_else(|_| ShopDetails::default().name)
}

/// The shop's name read afresh (the command line, which has no cache).
pub async fn name_in(db: &Db) -> String {
    shop_name(&TtlCache::new(std::time::Duration::ZERO), db).await
}
