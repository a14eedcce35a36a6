//! A category's own picture, for the home page's tiles: admins upload it
//! (checked and resized as product images are, see `images`) or remove it
//! (the generated artwork shows again). Each change reaches every server's
//! caches through the change log and is in the audit log.

use super::images::{forget_unused, keep, read_form, stored_image, Upload};
use super::staff::{catalog_admin, finish_catalog_change};
use crate::domain::catalog::ProductImage;
use crate::error::AppError;
use crate::ssr::accounts::audit::Event;
use leptos::server_fn::codec::MultipartData;
use sqlx::AnyConnection;

const WHAT: &str = "manage categories";

/// Category `id`'s picture, if it has one of its own.
pub async fn image_of(conn: &mut AnyConnection, id: i64) -> Result<Option<ProductImage>, AppError> {
    let row: Option<(String, i64, i64, i64)> =
        sqlx::query_as("SELECT image_url, image_width, image_height, image_webp FROM categories WHERE id = $1 AND image_url <> ''")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(url, width, height, webp)| stored_image(url, String::new(), width, height, webp)))
}

fn no_category() -> AppError {
    AppError::NotFound("There is no such category.".into())
}

/// The name and current picture (URL, has WebP) of category `id`, locked for the change.
async fn category(conn: &mut AnyConnection, id: i64) -> Result<(String, String, bool), AppError> {
    let lock = if super::staff::is_postgres(conn) { " FOR UPDATE" } else { "" };
    let row: Option<(String, String, i64)> = sqlx::query_as(&format!("SELECT name, image_url, image_webp FROM categories WHERE id = $1{lock}"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|(name, url, webp)| (name, url, webp == 1)).ok_or_else(no_category)
}

/// Admins: makes the form's picture its `category`'s own; returns the category's id.
pub async fn upload(data: MultipartData) -> Result<i64, AppError> {
    let state = crate::ssr::state()?;
    let user = catalog_admin(&state.db, WHAT).await?;
    let Upload { owner: id, bytes, .. } = read_form(data, "category").await?;
    category(&mut *state.db.pool.acquire().await?, id).await?;
    let kept = keep(&state, bytes).await?;
    let replace = async {
        let mut tx = state.db.begin_write().await?;
        let (name, before, before_webp) = category(&mut tx, id).await?;
        sqlx::query("UPDATE categories SET image_url = $2, image_width = $3, image_height = $4, image_webp = $5 WHERE id = $1")
            .bind(id)
            .bind(&kept.url)
            .bind(i64::from(kept.width))
            .bind(i64::from(kept.height))
            .bind(i64::from(kept.webp))
            .execute(&mut *tx)
            .await?;
        let (w, h) = kept.original;
        let detail = format!("category {id} “{name}”: picture {} ({w} × {h} px)", kept.url);
        finish_catalog_change(tx, &user, Event::CategoryChanged, &detail).await?;
        Ok::<_, AppError>((before, before_webp))
    };
    match replace.await {
        Ok((before, webp)) => {
            let replaced = before != kept.url;
            kept.settle(&state).await;
            if replaced {
                forget_unused(&state, &[(before, webp)]).await;
            }
            Ok(id)
        }
        Err(error) => {
            forget_unused(&state, &[(kept.url, kept.webp)]).await;
            Err(error)
        }
    }
}

/// Admins: category `id` shows the generated artwork again.
pub async fn remove(id: i64) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let user = catalog_admin(&state.db, WHAT).await?;
    let mut tx = state.db.begin_write().await?;
    let (name, before, webp) = category(&mut tx, id).await?;
    if before.is_empty() {
        return Ok(());
    }
    sqlx::query("UPDATE categories SET image_url = '', image_width = 0, image_height = 0, image_webp = 0 WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    finish_catalog_change(tx, &user, Event::CategoryChanged, &format!("category {id} “{name}”: picture {before} removed")).await?;
    forget_unused(&state, &[(before, webp)]).await;
    Ok(())
}
