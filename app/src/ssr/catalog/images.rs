//! Staff managing a product's images: upload (decoded, checked and resized
//! by `media::process`, kept in the media store), alt text, order and removal.
//! The same reach as the product editor (a seller's staff: their seller's
//! products only); every change is in the audit log and reaches search and
//! the page caches through the product's change feed. An image is named by
//! its URL, so two staff working at once never move or remove the wrong one.

use super::staff::{catalog_staff, reachable, Stored};
use crate::domain::catalog::ProductImage;
use crate::domain::media::{files, PREFIX};
use crate::domain::taxonomy::Shift;
use crate::error::AppError;
use crate::ssr::accounts::audit::{record_change, Event};
use crate::ssr::accounts::users::User;
use crate::ssr::accounts::Staff;
use crate::ssr::media::process;
use crate::ssr::{now, AppState};
use leptos::server_fn::codec::MultipartData;
use sqlx::AnyConnection;
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

/// Most images one product has.
pub const MAX_IMAGES: i64 = 20;
/// Longest alt text, in characters.
pub const MAX_ALT: usize = 300;
/// Longest text field of the upload form, in bytes.
const MAX_FIELD: usize = 4096;

/// Product `id`'s images in the order its page shows them.
pub async fn of_product<'c, E>(conn: E, id: i64) -> Result<Vec<ProductImage>, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let rows: Vec<(String, String, i64, i64, i64)> =
        sqlx::query_as("SELECT url, alt, width, height, webp FROM product_images WHERE product_id = $1 ORDER BY position")
            .bind(id)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(url, alt, width, height, webp)| stored_image(url, alt, width, height, webp)).collect())
}

/// An image as its row keeps it (sizes and the WebP flag as integers).
pub(super) fn stored_image(url: String, alt: String, width: i64, height: i64, webp: i64) -> ProductImage {
    let dimension = |stored: i64| u32::try_from(stored).unwrap_or(0);
    ProductImage { url, alt, width: dimension(width), height: dimension(height), webp: webp == 1 }
}

/// What an upload form sent: the picture, its alt text, and the id of what
/// it is for (the product or category named by the form's `owner` field).
pub(super) struct Upload {
    pub owner: i64,
    pub alt: String,
    pub bytes: Vec<u8>,
}

fn bad_form() -> AppError {
    AppError::BadRequest("The upload form was not sent whole. Choose the picture again and send it.".into())
}

/// Reads an upload form's fields (`owner`, `alt`, `file`), in any order,
/// refusing a file over [`process::MAX_BYTES`] as soon as it grows past it.
pub(super) async fn read_form(data: MultipartData, owner: &str) -> Result<Upload, AppError> {
    let mut form = data.into_inner().ok_or_else(bad_form)?;
    let (mut id, mut alt, mut bytes) = (None, String::new(), None);
    while let Some(mut field) = form.next_field().await.map_err(|_| bad_form())? {
        let name = field.name().unwrap_or_default().to_owned();
        let most = if name == "file" { process::MAX_BYTES } else { MAX_FIELD };
        let mut value = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| bad_form())? {
            if value.len() + chunk.len() > most {
                return Err(match name.as_str() {
                    "file" => process::too_many_bytes(value.len() + chunk.len()),
                    _ => bad_form(),
                });
            }
            value.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "file" => bytes = Some(value),
            "alt" => alt = String::from_utf8(value).map_err(|_| bad_form())?,
            name if name == owner => id = String::from_utf8(value).ok().and_then(|v| v.trim().parse::<i64>().ok()),
            _ => {}
        }
    }
    let owner = id.ok_or_else(bad_form)?;
    let bytes = bytes.filter(|b| !b.is_empty()).ok_or_else(|| AppError::BadRequest("Choose a picture to upload.".into()))?;
    Ok(Upload { owner, alt, bytes })
}

/// An upload, checked, resized and in the media store.
pub(super) struct Kept {
    /// The widest file's URL, which names all the others.
    pub url: String,
    /// The widest file's size.
    pub width: u32,
    pub height: u32,
    pub webp: bool,
    /// The upright original's size.
    pub original: (u32, u32),
    /// Every file (key, bytes), for [`Kept::settle`].
    files: Vec<(String, Vec<u8>)>,
}

impl Kept {
    /// Writes the files again once the row naming them has committed: a
    /// removal of the same picture elsewhere, which saw no row using them a
    /// moment earlier, may have deleted them since they were first written.
    pub async fn settle(self, state: &AppState) {
        for (key, bytes) in self.files {
            if let Err(error) = state.media.put(&key, bytes).await {
                tracing::error!(%error, key, "an uploaded file could not be written again");
            }
        }
    }
}

/// Decodes, checks and resizes `bytes` off the async runtime (two at a
/// time) and puts every file in the media store, noted first for the sweep.
pub(super) async fn keep(state: &AppState, bytes: Vec<u8>) -> Result<Kept, AppError> {
    // The permit goes with the decoding: a request given up on (the client
    // left) does not let a third decoding start while its own still runs.
    let turn = decoders().clone().acquire_owned().await.map_err(|_| AppError::Internal)?;
    let done = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        process::process(&bytes)
    })
    .await
    .map_err(|error| {
        tracing::error!(%error, "image processing stopped");
        AppError::Internal
    })??;
    let widest = done.renditions.iter().filter(|r| r.format == done.fallback).max_by_key(|r| r.width).ok_or(AppError::Internal)?;
    let (url, width, height, webp) = (format!("{PREFIX}{}", widest.key), widest.width, widest.height, done.has_webp());
    let files: Vec<(String, Vec<u8>)> = done.renditions.into_iter().map(|r| (r.key, r.bytes)).collect();
    // Noted first, so files a crash leaves without their row are swept.
    crate::ssr::media::sweep::note(&state.db, &url, webp).await?;
    // A failed write leaves the files already written: another product may
    // show the same picture, and the sweep deletes them if none does.
    for (key, bytes) in &files {
        state.media.put(key, bytes.clone()).await?;
    }
    Ok(Kept { url, width, height, webp, original: (done.width, done.height), files })
}

/// Alt text as kept: trimmed, at most [`MAX_ALT`] characters; an active
/// product's images must have some.
fn checked_alt(alt: &str, product: &Stored) -> Result<String, AppError> {
    let alt = alt.trim();
    if alt.chars().count() > MAX_ALT {
        return Err(AppError::BadRequest(format!("Alt text is at most {MAX_ALT} characters.")));
    }
    if alt.is_empty() && product.status == "active" {
        return Err(AppError::BadRequest(
            "A product in the shop needs alt text on every image: describe the picture for people who cannot see it.".into(),
        ));
    }
    Ok(alt.to_owned())
}

/// At most two uploads are decoded at once: a 50-megapixel picture takes
/// hundreds of megabytes while it is resized.
fn decoders() -> &'static Arc<Semaphore> {
    static DECODERS: OnceLock<Arc<Semaphore>> = OnceLock::new();
    DECODERS.get_or_init(|| Arc::new(Semaphore::new(2)))
}

/// Staff: adds the uploaded picture as the product's last image; returns the product's id.
pub async fn upload(data: MultipartData) -> Result<i64, AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let Upload { owner: id, alt, bytes } = read_form(data, "product").await?;
    let mut conn = state.db.pool.acquire().await?;
    let product = reachable(&mut conn, reach, id, false).await?;
    let alt = checked_alt(&alt, &product)?;
    let hash = process::hash_of(&bytes);
    room_for_one_more(&mut conn, id, &hash).await?;
    drop(conn);

    let kept = keep(&state, bytes).await?;
    match add_row(&state, &user, reach, id, &hash, &alt, &kept).await {
        Ok(()) => kept.settle(&state).await,
        Err(error) => {
            forget_unused(&state, &[(kept.url, kept.webp)]).await;
            return Err(error);
        }
    }
    Ok(id)
}

/// Refuses a product that has [`MAX_IMAGES`] or already shows the upload `hash`.
async fn room_for_one_more(conn: &mut AnyConnection, id: i64, hash: &str) -> Result<(), AppError> {
    let (count, same): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN url LIKE $2 THEN 1 ELSE 0 END), 0) FROM product_images WHERE product_id = $1",
    )
    .bind(id)
    .bind(format!("{PREFIX}{hash}-%"))
    .fetch_one(&mut *conn)
    .await?;
    if same > 0 {
        return Err(AppError::Conflict("This picture is already one of the product's images.".into()));
    }
    if count >= MAX_IMAGES {
        return Err(AppError::BadRequest(format!("A product has at most {MAX_IMAGES} images; remove one first.")));
    }
    Ok(())
}

/// Records the kept upload `hash` as product `id`'s last image, checking
/// again inside the transaction (another upload may have come first).
async fn add_row(state: &AppState, user: &User, reach: Staff, id: i64, hash: &str, alt: &str, kept: &Kept) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await?;
    let product = reachable(&mut tx, reach, id, true).await?;
    // Again, locked: the product may have been published while the picture was resized.
    checked_alt(alt, &product)?;
    room_for_one_more(&mut tx, id, hash).await?;
    sqlx::query(
        "INSERT INTO product_images (product_id, position, url, alt, width, height, webp) \
         SELECT $1, COALESCE(MAX(position) + 1, 0), $2, $3, $4, $5, $6 FROM product_images WHERE product_id = $1",
    )
    .bind(id)
    .bind(&kept.url)
    .bind(alt)
    .bind(i64::from(kept.width))
    .bind(i64::from(kept.height))
    .bind(i64::from(kept.webp))
    .execute(&mut *tx)
    .await?;
    let (w, h) = kept.original;
    let detail = format!("product {id} “{}”: image {} added ({w} × {h} px, alt “{alt}”)", product.name, kept.url);
    changed(&mut tx, user, id, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Notes a change to product `id`'s images: the audit log, and the product's
/// `updated_at`, whose trigger tells search and every server's page cache.
async fn changed(conn: &mut AnyConnection, user: &User, id: i64, detail: &str) -> Result<(), AppError> {
    let ip = crate::ssr::accounts::checks::client_ip().await.to_string();
    sqlx::query("UPDATE products SET updated_at = $2 WHERE id = $1").bind(id).bind(now()).execute(&mut *conn).await?;
    record_change(conn, Some(user.id), &user.email, Event::ProductChanged, &ip, detail).await?;
    Ok(())
}

/// The image at `url` of product `id`, locked for the change; 404 when the
/// product or the image is not there for this staff member.
async fn image_of(conn: &mut AnyConnection, reach: Staff, id: i64, url: &str) -> Result<(Stored, i64, String, bool), AppError> {
    let product = reachable(conn, reach, id, true).await?;
    let found: Option<(i64, String, i64)> =
        sqlx::query_as("SELECT position, alt, webp FROM product_images WHERE product_id = $1 AND url = $2")
            .bind(id)
            .bind(url)
            .fetch_optional(&mut *conn)
            .await?;
    let (position, alt, webp) = found.ok_or_else(|| AppError::NotFound("That image is not among the product's images any more.".into()))?;
    Ok((product, position, alt, webp == 1))
}

/// Staff: sets the alt text of product `id`'s image at `url`.
pub async fn describe(id: i64, url: &str, alt: &str) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let mut tx = state.db.begin_write().await?;
    let (product, _, before, _) = image_of(&mut tx, reach, id, url).await?;
    let alt = checked_alt(alt, &product)?;
    sqlx::query("UPDATE product_images SET alt = $3 WHERE product_id = $1 AND url = $2")
        .bind(id)
        .bind(url)
        .bind(&alt)
        .execute(&mut *tx)
        .await?;
    let detail = format!("product {id} “{}”: image {url} alt “{before}” → “{alt}”", product.name);
    changed(&mut tx, &user, id, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Positions far above any real one, where a row waits while others move.
const ASIDE: i64 = 1_000_000;

/// Staff: moves product `id`'s image at `url` one place up (earlier) or
/// down, or to a place; the first image is the one cards and search results show.
pub async fn reorder(id: i64, url: &str, shift: Shift) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let mut tx = state.db.begin_write().await?;
    let (product, position, _, _) = image_of(&mut tx, reach, id, url).await?;
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT position FROM product_images WHERE product_id = $1 ORDER BY position").bind(id).fetch_all(&mut *tx).await?;
    let positions: Vec<i64> = rows.into_iter().map(|(p,)| p).collect();
    let Some(order) = shift.apply(&positions, position) else {
        return Err(AppError::BadRequest(shift.refusal("This image", positions.len())));
    };
    // Renumbered through free positions: the key (product, position) allows
    // no two rows at one place, even for a moment. A row already at its new
    // place stays where it is.
    for (place, old) in order.iter().enumerate().filter(|&(place, old)| *old != place as i64) {
        sqlx::query("UPDATE product_images SET position = $3 WHERE product_id = $1 AND position = $2")
            .bind(id)
            .bind(old)
            .bind(ASIDE + place as i64)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE product_images SET position = position - $2 WHERE product_id = $1 AND position >= $2")
        .bind(id)
        .bind(ASIDE)
        .execute(&mut *tx)
        .await?;
    let detail = format!("product {id} “{}”: image {url} moved {}", product.name, shift.said());
    changed(&mut tx, &user, id, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Staff: removes product `id`'s image at `url`; its files go from the
/// store when no other product (a copy) shows them.
pub async fn remove(id: i64, url: &str) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let mut tx = state.db.begin_write().await?;
    let (product, position, _, webp) = image_of(&mut tx, reach, id, url).await?;
    sqlx::query("DELETE FROM product_images WHERE product_id = $1 AND url = $2").bind(id).bind(url).execute(&mut *tx).await?;
    // A variant that showed this picture falls back to the product's first one.
    sqlx::query("UPDATE product_variants SET image_url = NULL WHERE product_id = $1 AND image_url = $2")
        .bind(id)
        .bind(url)
        .execute(&mut *tx)
        .await?;
    // The later images close the gap, in two steps for the same reason as in `reorder`.
    for (shift, from) in [(ASIDE, position), (-ASIDE - 1, ASIDE)] {
        sqlx::query("UPDATE product_images SET position = position + $3 WHERE product_id = $1 AND position > $2")
            .bind(id)
            .bind(from)
            .bind(shift)
            .execute(&mut *tx)
            .await?;
    }
    let detail = format!("product {id} “{}”: image {url} removed", product.name);
    changed(&mut tx, &user, id, &detail).await?;
    tx.commit().await?;
    forget_unused(&state, &[(url.to_owned(), webp)]).await;
    Ok(())
}

/// Deletes from the store the files of each image (URL, has WebP) that no
/// product or category shows any more. A failure is logged, not returned: the change
/// that let go of the image has been made.
pub async fn forget_unused(state: &AppState, images: &[(String, bool)]) {
    for (url, webp) in images {
        let sql = format!("SELECT CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT)", crate::ssr::media::sweep::unshown("$1"));
        let unused: Result<(i64,), sqlx::Error> = sqlx::query_as(&sql).bind(url).fetch_one(&state.db.pool).await;
        match unused {
            Ok((1,)) => {
                for file in files(url, *webp) {
                    if let Err(error) = state.media.delete(&file).await {
                        tracing::warn!(%error, file, "an unused media file stays in the store");
                    }
                }
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, url, "media files kept: could not tell whether they are used"),
        }
    }
}
