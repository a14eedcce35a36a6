//! The own picture of a category (its page; a department's also its home
//! page tile), of a brand (its page) or of the shop (its logo, in every
//! page's header): admins upload it (checked and resized as product images
//! are, see `images`) or remove it. The three tables keep it in the same
//! columns. Each change reaches every server's caches
//! through the change log and is in the audit log.

use super::images::{forget_unused, keep, read_form, stored_image, Upload};
use super::staff::{catalog_admin, finish_catalog_change};
use crate::domain::catalog::ProductImage;
use crate::error::AppError;
use crate::ssr::accounts::audit::Event;
use leptos::server_fn::codec::MultipartData;
use sqlx::AnyConnection;

/// Whose picture: a category's or a brand's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    Category,
    Brand,
    /// The shop's logo (`shop_settings`, row 1).
    Shop,
}

impl Owner {
    fn table(self) -> &'static str {
        match self {
            Self::Category => "categories",
            Self::Brand => "brands",
            Self::Shop => "shop_settings",
        }
    }

    fn name_column(self) -> &'static str {
        if self == Self::Shop { "shop_name" } else { "name" }
    }

    /// Its word in forms (the upload's id field) and audit lines.
    pub fn word(self) -> &'static str {
        match self {
            Self::Category => "category",
            Self::Brand => "brand",
            Self::Shop => "shop",
        }
    }

    fn event(self) -> Event {
        match self {
            Self::Category => Event::CategoryChanged,
            Self::Brand => Event::BrandChanged,
            Self::Shop => Event::SettingsChanged,
        }
    }

    /// The staff member who may change it: a catalog manager or an admin
    /// (the shop's logo: an admin only); 401 signed out, 403 anyone else.
    async fn changer(self, db: &crate::ssr::db::Db) -> Result<crate::ssr::accounts::users::User, AppError> {
        match self {
            Self::Category => catalog_admin(db, "manage categories").await,
            Self::Brand => catalog_admin(db, "manage brands").await,
            Self::Shop => crate::ssr::accounts::signed_in_admin(db, "change the shop's settings").await,
        }
    }

    fn missing(self) -> AppError {
        AppError::NotFound(format!("There is no such {}.", self.word()))
    }
}

/// `owner` `id`'s picture, if it has one of its own.
pub async fn image_of(conn: &mut AnyConnection, owner: Owner, id: i64) -> Result<Option<ProductImage>, AppError> {
    let row: Option<(String, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT image_url, image_width, image_height, image_webp FROM {} WHERE id = $1 AND image_url <> ''",
        owner.table()
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(url, width, height, webp)| stored_image(url, String::new(), width, height, webp)))
}

/// The name and current picture (URL, has WebP) of `owner` `id`, locked for the change.
async fn locked(conn: &mut AnyConnection, owner: Owner, id: i64) -> Result<(String, String, bool), AppError> {
    let lock = if super::staff::is_postgres(conn) { " FOR UPDATE" } else { "" };
    let row: Option<(String, String, i64)> =
        sqlx::query_as(&format!("SELECT {}, image_url, image_webp FROM {} WHERE id = $1{lock}", owner.name_column(), owner.table()))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|(name, url, webp)| (name, url, webp == 1)).ok_or_else(|| owner.missing())
}

/// `owner` `id`'s own picture (its address, and whether it has WebP files),
/// read before the row is deleted so that its files can go after.
pub(super) async fn own_picture(conn: &mut AnyConnection, owner: Owner, id: i64) -> Result<Option<(String, bool)>, AppError> {
    let (_, url, webp) = locked(conn, owner, id).await?;
    Ok((!url.is_empty()).then_some((url, webp)))
}

/// Admins: makes the form's picture its `owner`'s own (the form names it
/// by [`Owner::word`]); returns the owner's id.
pub async fn upload(owner: Owner, data: MultipartData) -> Result<i64, AppError> {
    let state = crate::ssr::state()?;
    let user = owner.changer(&state.db).await?;
    let Upload { owner: id, bytes, .. } = read_form(data, owner.word()).await?;
    locked(&mut *state.db.pool.acquire().await?, owner, id).await?;
    let kept = keep(&state, bytes).await?;
    let replace = async {
        let mut tx = state.db.begin_write().await?;
        let (name, before, before_webp) = locked(&mut tx, owner, id).await?;
        sqlx::query(&format!(
            "UPDATE {} SET image_url = $2, image_width = $3, image_height = $4, image_webp = $5 WHERE id = $1",
            owner.table()
        ))
        .bind(id)
        .bind(&kept.url)
        .bind(i64::from(kept.width))
        .bind(i64::from(kept.height))
        .bind(i64::from(kept.webp))
        .execute(&mut *tx)
        .await?;
        let (w, h) = kept.original;
        let detail = format!("{} {id} “{name}”: picture {} ({w} × {h} px)", owner.word(), kept.url);
        finish_catalog_change(tx, &user, owner.event(), &detail).await?;
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

/// Admins: `owner` `id` has no picture of its own any more (a category
/// shows its generated artwork again).
pub async fn remove(owner: Owner, id: i64) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let user = owner.changer(&state.db).await?;
    let mut tx = state.db.begin_write().await?;
    let (name, before, webp) = locked(&mut tx, owner, id).await?;
    if before.is_empty() {
        return Ok(());
    }
    sqlx::query(&format!("UPDATE {} SET image_url = '', image_width = 0, image_height = 0, image_webp = 0 WHERE id = $1", owner.table()))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let detail = format!("{} {id} “{name}”: picture {before} removed", owner.word());
    finish_catalog_change(tx, &user, owner.event(), &detail).await?;
    forget_unused(&state, &[(before, webp)]).await;
    Ok(())
}
