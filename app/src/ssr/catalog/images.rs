//! Staff managing a product's images: upload (decoded, checked and resized
//! by `media::process`, kept in the media store), alt text, order and removal.
//! The same reach as the product editor (a seller's staff: their seller's
//! products only); every change is in the audit log and reaches search and
//! the page caches through the product's change feed. An image is named by
//! its URL, so two staff working at once never move or remove the wrong one.

use super::staff::{catalog_staff, reachable, Stored};
use crate::ssr::media::process::{self, Processed};
use crate::domain::catalog::ProductImage;
use crate::domain::media::{files, PREFIX};
use crate::error::AppError;
use crate::ssr::accounts::audit::{record_change, Event};
use crate::ssr::accounts::users::User;
use crate::ssr::{now, AppState};
use leptos::server_fn::codec::MultipartData;
use sqlx::AnyConnection;
use std::sync::OnceLock;
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
    Ok(rows
        .into_iter()
        .map(|(url, alt, width, height, webp)| ProductImage { url, alt, width: dimension(width), height: dimension(height), webp: webp == 1 })
        .collect())
}

fn dimension(stored: i64) -> u32 {
    u32::try_from(stored).unwrap_or(0)
}

/// What the upload form sent.
struct Upload {
    product: i64,
    alt: String,
    bytes: Vec<u8>,
}

fn bad_form() -> AppError {
    AppError::BadRequest("The upload form was not sent whole. Choose the picture again and send it.".into())
}

/// Reads the upload form's fields (`product`, `alt`, `file`), in any order,
/// refusing a file over [`process::MAX_BYTES`] as soon as it grows past it.
async fn read_form(data: MultipartData) -> Result<Upload, AppError> {
    let mut form = data.into_inner().ok_or_else(bad_form)?;
    let (mut product, mut alt, mut bytes) = (None, String::new(), None);
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
            "product" => product = String::from_utf8(value).ok().and_then(|v| v.trim().parse::<i64>().ok()),
            "alt" => alt = String::from_utf8(value).map_err(|_| bad_form())?,
            _ => {}
        }
    }
    let product = product.ok_or_else(bad_form)?;
    let bytes = bytes.filter(|b| !b.is_empty()).ok_or_else(|| AppError::BadRequest("Choose a picture to upload.".into()))?;
    Ok(Upload { product, alt, bytes })
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
fn decoders() -> &'static Semaphore {
    static DECODERS: OnceLock<Semaphore> = OnceLock::new();
    DECODERS.get_or_init(|| Semaphore::new(2))
}

/// Staff: adds the uploaded picture as the product's last image; returns the product's id.
pub async fn upload(data: MultipartData) -> Result<i64, AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let upload = read_form(data).await?;
    let id = upload.product;
    let mut conn = state.db.pool.acquire().await?;
    let product = reachable(&mut conn, reach, id, false).await?;
    let alt = checked_alt(&upload.alt, &product)?;
    let hash = process::hash_of(&upload.bytes);
    room_for_one_more(&mut conn, id, &hash).await?;
    drop(conn);

    let done = {
        let _turn = decoders().acquire().await.map_err(|_| AppError::Internal)?;
        tokio::task::spawn_blocking(move || process::process(&upload.bytes)).await.map_err(|error| {
            tracing::error!(%error, "image processing stopped");
            AppError::Internal
        })??
    };
    for rendition in &done.renditions {
        state.media.put(&rendition.key, rendition.bytes.clone()).await?;
    }
    let url = widest_url(&done);
    let added = add_row(&state, &user, reach, id, &url, &alt, &done).await;
    if added.is_err() {
        forget_unused(&state, &[(url, done.has_webp())]).await;
    }
    added.map(|_| id)
}

/// The URL of `done`'s widest file in its fallback format.
fn widest_url(done: &Processed) -> String {
    let widest = done.renditions.iter().filter(|r| r.format == done.fallback).max_by_key(|r| r.width).expect("at least one width");
    format!("{PREFIX}{}", widest.key)
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

/// Records the processed upload as product `id`'s last image, checking
/// again inside the transaction (another upload may have come first).
async fn add_row(
    state: &AppState,
    user: &User,
    reach: crate::ssr::accounts::Staff,
    id: i64,
    url: &str,
    alt: &str,
    done: &Processed,
) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await?;
    let product = reachable(&mut tx, reach, id, true).await?;
    room_for_one_more(&mut tx, id, &done.hash).await?;
    let (width, height) = done.renditions.iter().map(|r| (r.width, r.height)).max().unwrap_or((done.width, done.height));
    sqlx::query(
        "INSERT INTO product_images (product_id, position, url, alt, width, height, webp) \
         SELECT $1, COALESCE(MAX(position) + 1, 0), $2, $3, $4, $5, $6 FROM product_images WHERE product_id = $1",
    )
    .bind(id)
    .bind(url)
    .bind(alt)
    .bind(i64::from(width))
    .bind(i64::from(height))
    .bind(i64::from(done.has_webp()))
    .execute(&mut *tx)
    .await?;
    let detail = format!("product {id} “{}”: image {url} added ({} × {} px, alt “{alt}”)", product.name, done.width, done.height);
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
async fn image_of(conn: &mut AnyConnection, reach: crate::ssr::accounts::Staff, id: i64, url: &str) -> Result<(Stored, i64, String, bool), AppError> {
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

/// Staff: moves product `id`'s image at `url` one place earlier (`earlier`)
/// or later; the first image is the one cards and search results show.
pub async fn reorder(id: i64, url: &str, earlier: bool) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let mut tx = state.db.begin_write().await?;
    let (product, position, _, _) = image_of(&mut tx, reach, id, url).await?;
    let other = if earlier { position - 1 } else { position + 1 };
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM product_images WHERE product_id = $1 AND position = $2")
        .bind(id)
        .bind(other)
        .fetch_one(&mut *tx)
        .await?;
    if count == 0 {
        return Ok(());
    }
    // Swapped through a free position: the key (product, position) allows no
    // two rows at one place, even for a moment.
    for (from, to) in [(position, ASIDE), (other, position), (ASIDE, other)] {
        sqlx::query("UPDATE product_images SET position = $3 WHERE product_id = $1 AND position = $2")
            .bind(id)
            .bind(from)
            .bind(to)
            .execute(&mut *tx)
            .await?;
    }
    let detail = format!("product {id} “{}”: image {url} moved from place {} to {}", product.name, position + 1, other + 1);
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
/// product shows any more. A failure is logged, not returned: the change
/// that let go of the image has been made.
pub async fn forget_unused(state: &AppState, images: &[(String, bool)]) {
    for (url, webp) in images {
        let used: Result<Option<(i64,)>, sqlx::Error> =
            sqlx::query_as("SELECT product_id FROM product_images WHERE url = $1 LIMIT 1").bind(url).fetch_optional(&state.db.pool).await;
        match used {
            Ok(None) => {
                for file in files(url, *webp) {
                    if let Err(error) = state.media.delete(&file).await {
                        tracing::warn!(%error, file, "an unused media file stays in the store");
                    }
                }
            }
            Ok(Some(_)) => {}
            Err(error) => tracing::warn!(%error, url, "media files kept: could not tell whether they are used"),
        }
    }
}
