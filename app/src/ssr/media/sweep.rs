//! Pictures nothing shows any more leave the media store. Every upload is
//! noted in `media_files` before its files are written; the files normally
//! go with the last product, category or brand that shows them, but an upload cut
//! off before its row committed, or a delete the store refused, leaves them
//! behind. The sweep (a background chore, hourly) deletes the files of every
//! noted picture that no product, category or brand shows and that was written more
//! than [`GRACE_SECS`] ago (an upload in flight has written files but not yet
//! its row), then forgets it.
//!
//! The sweep claims each picture in the database before deleting its files,
//! and an upload of the same picture (same content, same names) waits while
//! a claim is live: otherwise an upload finishing between the sweep's check
//! and its deletes would lose its files for good.

use super::store::ObjectStore;
use crate::domain::media::files;
use crate::error::AppError;
use crate::ssr::Db;
use std::time::Duration;

/// How old an unshown picture must be before it is swept.
pub const GRACE_SECS: i64 = 3600;
/// How long a sweep's claim on a picture holds: well past the few deletes
/// it makes, even at the store's timeout for each.
const CLAIM_SECS: i64 = 600;
/// Most pictures one round deletes; the next round goes on.
const ROUND: i64 = 500;
/// How long an upload waits for a claim on its picture to end.
const WAIT: Duration = Duration::from_secs(10);

/// Notes the picture whose widest file is `url` before its files are
/// written, waiting while the sweep is deleting the same picture's files.
pub async fn note(db: &Db, url: &str, webp: bool) -> Result<(), AppError> {
    let started = std::time::Instant::now();
    loop {
        let now = crate::ssr::now();
        let noted = sqlx::query(
            "INSERT INTO media_files (url, webp, written_at) VALUES ($1, $2, $3) \
             ON CONFLICT (url) DO UPDATE SET webp = excluded.webp, written_at = excluded.written_at, sweeping = NULL \
             WHERE media_files.sweeping IS NULL OR media_files.sweeping < $4",
        )
        .bind(url)
        .bind(i64::from(webp))
        .bind(now)
        .bind(now - CLAIM_SECS)
        .execute(&db.pool)
        .await?;
        if noted.rows_affected() > 0 {
            return Ok(());
        }
        if started.elapsed() >= WAIT {
            return Err(AppError::Conflict("This picture's old files are being tidied away just now; upload it again in a minute.".into()));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The SQL condition "no product, category, brand or shop logo shows the picture whose
/// widest file is `url`" (an SQL expression): the one rule for when files may go.
pub fn unshown(url: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM product_images i WHERE i.url = {url}) \
         AND NOT EXISTS (SELECT 1 FROM categories c WHERE c.image_url = {url}) \
         AND NOT EXISTS (SELECT 1 FROM brands b WHERE b.image_url = {url}) \
         AND NOT EXISTS (SELECT 1 FROM shop_settings s WHERE s.image_url = {url})"
    )
}

/// Deletes the files of the pictures written before `before` that nothing
/// shows; how many pictures went. A picture whose files the store would not
/// delete stays noted, and the round ends there (the store is failing): the
/// next round tries again.
pub async fn sweep(db: &Db, store: &dyn ObjectStore, before: i64) -> Result<usize, AppError> {
    let unshown_here = unshown("media_files.url");
    let unshown: Vec<(String, i64)> =
        sqlx::query_as(&format!("SELECT url, webp FROM media_files WHERE written_at < $1 AND {unshown_here} ORDER BY written_at LIMIT $2"))
            .bind(before)
            .bind(ROUND)
            .fetch_all(&db.pool)
            .await?;
    let mut swept = 0;
    for (url, webp) in unshown {
        // Claimed only while still old and unshown: from here an upload of it waits.
        let now = crate::ssr::now();
        let claimed = sqlx::query(&format!(
            "UPDATE media_files SET sweeping = $2 WHERE url = $1 AND written_at < $3 \
               AND (sweeping IS NULL OR sweeping < $4) AND {unshown_here}"
        ))
        .bind(&url)
        .bind(now)
        .bind(before)
        .bind(now - CLAIM_SECS)
        .execute(&db.pool)
        .await?;
        if claimed.rows_affected() == 0 {
            continue;
        }
        for file in files(&url, webp == 1) {
            if let Err(error) = store.delete(&file).await {
                tracing::warn!(?error, file, "an unshown media file could not be deleted; trying again next round");
                sqlx::query("UPDATE media_files SET sweeping = NULL WHERE url = $1 AND sweeping = $2").bind(&url).bind(now).execute(&db.pool).await?;
                return Ok(swept);
            }
        }
        sqlx::query("DELETE FROM media_files WHERE url = $1 AND sweeping = $2").bind(&url).bind(now).execute(&db.pool).await?;
        swept += 1;
    }
    Ok(swept)
}
