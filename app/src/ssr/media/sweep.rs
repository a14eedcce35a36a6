//! Pictures nothing shows any more leave the media store. Every upload is
//! noted in `media_files` before its files are written; the files normally
//! go with the last product or category that shows them, but an upload cut
//! off before its row committed, or a delete the store refused, leaves them
//! behind. The sweep (a background chore, hourly) deletes the files of every
//! noted picture that no product or category shows and that was written more
//! than [`GRACE_SECS`] ago (an upload in flight has written files but not yet
//! its row), then forgets it.

use super::store::ObjectStore;
use crate::domain::media::files;
use crate::error::AppError;
use crate::ssr::Db;

/// How old an unshown picture must be before it is swept.
pub const GRACE_SECS: i64 = 3600;
/// Most pictures one round deletes; the next round goes on.
const ROUND: i64 = 500;

/// Notes the picture whose widest file is `url` before its files are written.
pub async fn note(db: &Db, url: &str, webp: bool) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO media_files (url, webp, written_at) VALUES ($1, $2, $3) \
         ON CONFLICT (url) DO UPDATE SET webp = excluded.webp, written_at = excluded.written_at",
    )
    .bind(url)
    .bind(i64::from(webp))
    .bind(crate::ssr::now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Deletes the files of the pictures written before `before` that nothing
/// shows; how many pictures went. A picture whose files the store would not
/// delete stays noted and is tried again next round.
pub async fn sweep(db: &Db, store: &dyn ObjectStore, before: i64) -> Result<usize, AppError> {
    let unshown: Vec<(String, i64)> = sqlx::query_as(
        "SELECT f.url, f.webp FROM media_files f WHERE f.written_at < $1 \
           AND NOT EXISTS (SELECT 1 FROM product_images i WHERE i.url = f.url) \
           AND NOT EXISTS (SELECT 1 FROM categories c WHERE c.image_url = f.url) \
         ORDER BY f.written_at LIMIT $2",
    )
    .bind(before)
    .bind(ROUND)
    .fetch_all(&db.pool)
    .await?;
    let mut swept = 0;
    'pictures: for (url, webp) in unshown {
        for file in files(&url, webp == 1) {
            if let Err(error) = store.delete(&file).await {
                tracing::warn!(?error, file, "an unshown media file could not be deleted; trying again next round");
                continue 'pictures;
            }
        }
        // Written again meanwhile (the same picture uploaded anew): that
        // upload writes its files again once its row has committed.
        sqlx::query("DELETE FROM media_files WHERE url = $1 AND written_at < $2").bind(&url).bind(before).execute(&db.pool).await?;
        swept += 1;
    }
    Ok(swept)
}
