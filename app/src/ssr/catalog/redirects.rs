//! Old addresses: a product, category or brand that staff renamed keeps
//! answering at each slug it had, with a 301 to where it is now. Staff's
//! saves remember the old slug (and forget a slug taken back into use); the
//! storefront asks where an unknown slug went.

use crate::domain::Slug;
use crate::error::AppError;
use crate::ssr::db::Db;
use sqlx::AnyConnection;

/// What was renamed, and so which redirects table holds its old slugs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redirects {
    Products,
    Categories,
    Brands,
}

impl Redirects {
    /// The redirects table, its column naming the owner, and the owner's table.
    fn tables(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Products => ("product_redirects", "product_id", "products"),
            Self::Categories => ("category_redirects", "category_id", "categories"),
            Self::Brands => ("brand_redirects", "brand_id", "brands"),
        }
    }

    /// `old` keeps leading to `id` (a 301 from the old address).
    pub(super) async fn remember(self, conn: &mut AnyConnection, old: &str, id: i64) -> Result<(), AppError> {
        let (table, column, _) = self.tables();
        sqlx::query(&format!(
            "INSERT INTO {table} (old_slug, {column}) VALUES ($1, $2) ON CONFLICT (old_slug) DO UPDATE SET {column} = excluded.{column}"
        ))
        .bind(old)
        .bind(id)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// A slug in use is never also a redirect (taking back an old slug).
    pub(super) async fn forget(self, conn: &mut AnyConnection, slug: &str) -> Result<(), AppError> {
        self.forget_all(conn, &[slug.to_owned()]).await
    }

    /// [`Self::forget`] for many slugs at once.
    pub(super) async fn forget_all(self, conn: &mut AnyConnection, slugs: &[String]) -> Result<(), AppError> {
        let (table, _, _) = self.tables();
        for chunk in slugs.chunks(1000) {
            let sql = format!("DELETE FROM {table} WHERE old_slug IN ({})", crate::ssr::db::placeholders(1, chunk.len()));
            let mut query = sqlx::query(&sql);
            for slug in chunk {
                query = query.bind(slug);
            }
            query.execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// Where what was at `slug` before a rename is now, if the shop still
    /// shows it (a product only while it is on sale).
    pub async fn now_at(self, db: &Db, slug: &str) -> Result<Option<String>, AppError> {
        if Slug::parse(slug).is_none() {
            return Ok(None);
        }
        let (table, column, owners) = self.tables();
        let shown = if self == Self::Products { " AND o.status = 'active'" } else { "" };
        let now: Option<(String,)> = sqlx::query_as(&format!(
            "SELECT o.slug FROM {table} r JOIN {owners} o ON o.id = r.{column} WHERE r.old_slug = $1{shown}"
        ))
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?;
        Ok(now.map(|(slug,)| slug))
    }
}
