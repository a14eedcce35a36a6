//! Admins managing brands: the list with product counts, create, rename
//! (name and slug; a save of an older version is refused) and delete (only
//! a brand no product carries). Every change is in the audit log and the
//! change log, so search facets and product pages follow within a poll.

use super::staff::{catalog_admin, is_postgres, note_catalog_change, still_used, unique_clash};
use crate::domain::taxonomy::{BrandInput, BrandRow};
use crate::error::AppError;
use crate::ssr::accounts::audit::{record_change, Changes, Event};
use sqlx::AnyConnection;

const WHAT: &str = "manage brands";

/// Every brand by name, with how many products carry it.
pub async fn list() -> Result<Vec<BrandRow>, AppError> {
    let state = crate::ssr::state()?;
    catalog_admin(&state.db, WHAT).await?;
    let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
        "SELECT b.id, b.version, b.name, b.slug, COALESCE(n.products, 0) FROM brands b \
         LEFT JOIN (SELECT brand_id, COUNT(*) AS products FROM products GROUP BY brand_id) n ON n.brand_id = b.id \
         ORDER BY b.name, b.id",
    )
    .fetch_all(&state.db.pool)
    .await?;
    Ok(rows.into_iter().map(|(id, version, name, slug, products)| BrandRow { id, version, name, slug, products }).collect())
}

/// Brand `id`'s version, name and slug (locked on PostgreSQL), or 404.
async fn stored(conn: &mut AnyConnection, id: i64) -> Result<(i64, String, String), AppError> {
    let lock = if is_postgres(conn) { " FOR UPDATE" } else { "" };
    let found: Option<(i64, String, String)> =
        sqlx::query_as(&format!("SELECT version, name, slug FROM brands WHERE id = $1{lock}")).bind(id).fetch_optional(&mut *conn).await?;
    found.ok_or_else(|| AppError::NotFound("There is no such brand.".into()))
}

fn stale() -> AppError {
    AppError::Conflict("Someone else changed this brand after you opened the page, so nothing was saved. Reload the page and try again.".into())
}

/// Creates a brand (`id` 0) or renames brand `id` if still at `version`; its id.
pub async fn save(id: i64, version: i64, input: BrandInput) -> Result<i64, AppError> {
    let state = crate::ssr::state()?;
    let user = catalog_admin(&state.db, WHAT).await?;
    let fields = input.check().map_err(AppError::BadRequest)?;
    let ip = crate::ssr::accounts::checks::client_ip().await.to_string();
    let mut tx = state.db.begin_write().await?;
    let before = if id == 0 { None } else { Some(stored(&mut tx, id).await?) };
    if before.as_ref().is_some_and(|(v, _, _)| *v != version) {
        return Err(stale());
    }
    let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM brands WHERE (slug = $1 OR LOWER(name) = LOWER($2)) AND id <> $3")
        .bind(fields.slug.as_str())
        .bind(&fields.name)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(AppError::BadRequest(format!("There is a brand called “{}” (or at “{}”) already.", fields.name, fields.slug.as_str())));
    }
    let clash = |error: sqlx::Error| unique_clash(error, "Another brand took that slug a moment ago. Choose another.");
    let (id, event, detail) = match before {
        None => {
            let (id,): (i64,) = sqlx::query_as("INSERT INTO brands (slug, name, version) VALUES ($1, $2, 1) RETURNING id")
                .bind(fields.slug.as_str())
                .bind(&fields.name)
                .fetch_one(&mut *tx)
                .await
                .map_err(clash)?;
            (id, Event::BrandCreated, format!("brand {id} “{}” ({}) created", fields.name, fields.slug.as_str()))
        }
        Some((_, name, slug)) => {
            sqlx::query("UPDATE brands SET name = $3, slug = $4, version = version + 1 WHERE id = $1 AND version = $2")
                .bind(id)
                .bind(version)
                .bind(&fields.name)
                .bind(fields.slug.as_str())
                .execute(&mut *tx)
                .await
                .map_err(clash)?;
            let mut out = Changes::default();
            out.field("name", name.clone(), fields.name.clone());
            out.field("slug", slug, fields.slug.to_string());
            (id, Event::BrandChanged, format!("brand {id} “{name}”: {}", out.text()))
        }
    };
    note_catalog_change(&mut tx).await?;
    record_change(&mut tx, Some(user.id), &user.email, event, &ip, &detail).await?;
    tx.commit().await?;
    Ok(id)
}

/// Deletes brand `id` at `version`; only one no product carries.
pub async fn delete(id: i64, version: i64) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let user = catalog_admin(&state.db, WHAT).await?;
    let ip = crate::ssr::accounts::checks::client_ip().await.to_string();
    let mut tx = state.db.begin_write().await?;
    let (stored_version, name, slug) = stored(&mut tx, id).await?;
    if stored_version != version {
        return Err(stale());
    }
    let (products,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM products WHERE brand_id = $1").bind(id).fetch_one(&mut *tx).await?;
    if products > 0 {
        return Err(AppError::Conflict(format!("{products} product(s) carry “{name}”. Give them another brand first.")));
    }
    sqlx::query("DELETE FROM brands WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(still_used)?;
    note_catalog_change(&mut tx).await?;
    record_change(&mut tx, Some(user.id), &user.email, Event::BrandDeleted, &ip, &format!("brand {id} “{name}” ({slug}) deleted")).await?;
    tx.commit().await?;
    Ok(())
}
