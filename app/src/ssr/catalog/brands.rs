//! Admins managing brands: the list with product counts, the editor (name,
//! slug, description, SEO title and description; its picture is in
//! `pictures`), create, change (a save of an older version is refused) and
//! delete (only a brand no product carries); a renamed brand answers at its
//! old address with a 301. Every change is in the audit log and the change
//! log, so search facets, product pages and the brand's page follow within
//! a poll.

use super::images::forget_unused;
use super::pictures::{image_of, own_picture, Owner};
use super::redirects::Redirects;
use super::staff::{catalog_admin, is_postgres, still_used, unique_clash};
use crate::ssr::cache::note_catalog_change;
use crate::domain::taxonomy::{BrandInput, BrandRow, EditedBrand};
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

/// A brand as stored.
#[derive(sqlx::FromRow)]
struct Stored {
    version: i64,
    name: String,
    slug: String,
    description: String,
    seo_title: String,
    seo_description: String,
}

/// Brand `id` (locked on PostgreSQL when `lock`), or 404.
async fn stored(conn: &mut AnyConnection, id: i64, lock: bool) -> Result<Stored, AppError> {
    let lock = if lock && is_postgres(conn) { " FOR UPDATE" } else { "" };
    let found: Option<Stored> = sqlx::query_as(&format!(
        "SELECT version, name, slug, description, seo_title, seo_description FROM brands WHERE id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    found.ok_or_else(|| AppError::NotFound("There is no such brand.".into()))
}

/// Brand `id` as its editor shows it.
pub async fn editor(id: i64) -> Result<EditedBrand, AppError> {
    let state = crate::ssr::state()?;
    catalog_admin(&state.db, WHAT).await?;
    let mut conn = state.db.pool.acquire().await?;
    let brand = stored(&mut conn, id, false).await?;
    let (products,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products WHERE brand_id = $1").bind(id).fetch_one(&mut *conn).await?;
    Ok(EditedBrand {
        id,
        version: brand.version,
        input: BrandInput {
            name: brand.name,
            slug: brand.slug.clone(),
            details: true,
            description: brand.description,
            seo_title: brand.seo_title,
            seo_description: brand.seo_description,
        },
        slug: brand.slug,
        products,
        image: image_of(&mut conn, Owner::Brand, id).await?,
    })
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
    let before = if id == 0 { None } else { Some(stored(&mut tx, id, true).await?) };
    if before.as_ref().is_some_and(|b| b.version != version) {
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
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO brands (slug, name, description, seo_title, seo_description, version) \
                 VALUES ($1, $2, $3, $4, $5, 1) RETURNING id",
            )
            .bind(fields.slug.as_str())
            .bind(&fields.name)
            .bind(fields.description.clone().unwrap_or_default())
            .bind(fields.seo_title.clone().unwrap_or_default())
            .bind(fields.seo_description.clone().unwrap_or_default())
            .fetch_one(&mut *tx)
            .await
            .map_err(clash)?;
            (id, Event::BrandCreated, format!("brand {id} “{}” ({}) created", fields.name, fields.slug.as_str()))
        }
        Some(before) => {
            // A field the form left out keeps its value.
            let description = fields.description.clone().unwrap_or_else(|| before.description.clone());
            let seo_title = fields.seo_title.clone().unwrap_or_else(|| before.seo_title.clone());
            let seo_description = fields.seo_description.clone().unwrap_or_else(|| before.seo_description.clone());
            sqlx::query(
                "UPDATE brands SET name = $3, slug = $4, description = $5, seo_title = $6, seo_description = $7, \
                     version = version + 1 WHERE id = $1 AND version = $2",
            )
            .bind(id)
            .bind(version)
            .bind(&fields.name)
            .bind(fields.slug.as_str())
            .bind(&description)
            .bind(&seo_title)
            .bind(&seo_description)
            .execute(&mut *tx)
            .await
            .map_err(clash)?;
            let mut out = Changes::default();
            out.field("name", before.name.clone(), fields.name.clone());
            if before.slug != fields.slug.as_str() {
                Redirects::Brands.remember(&mut tx, &before.slug, id).await?;
            }
            out.field("slug", before.slug, fields.slug.to_string());
            out.field("description", before.description, description);
            out.field("SEO title", before.seo_title, seo_title);
            out.field("SEO description", before.seo_description, seo_description);
            (id, Event::BrandChanged, format!("brand {id} “{}”: {}", before.name, out.text()))
        }
    };
    Redirects::Brands.forget(&mut tx, fields.slug.as_str()).await?;
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
    let Stored { version: stored_version, name, slug, .. } = stored(&mut tx, id, true).await?;
    if stored_version != version {
        return Err(stale());
    }
    let (products,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM products WHERE brand_id = $1").bind(id).fetch_one(&mut *tx).await?;
    if products > 0 {
        return Err(AppError::Conflict(format!("{products} product(s) carry “{name}”. Give them another brand first.")));
    }
    let picture = own_picture(&mut tx, Owner::Brand, id).await?;
    sqlx::query("DELETE FROM brands WHERE id = $1").bind(id).execute(&mut *tx).await.map_err(still_used)?;
    note_catalog_change(&mut tx).await?;
    record_change(&mut tx, Some(user.id), &user.email, Event::BrandDeleted, &ip, &format!("brand {id} “{name}” ({slug}) deleted")).await?;
    tx.commit().await?;
    forget_unused(&state, picture.as_slice()).await;
    Ok(())
}
