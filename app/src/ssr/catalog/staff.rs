//! The catalog as the back office sees it: who may manage products (admins
//! every product, a seller's staff their seller's only: another seller's
//! product is "not found", as if it did not exist), a product as stored, and
//! the brands, categories and sellers the forms offer.

use crate::domain::products::{Choice, Choices, ProductInput, ProductStatus};
use crate::error::AppError;
use crate::ssr::accounts::users::User;
use crate::ssr::accounts::Staff;
use crate::ssr::db::Db;
use sqlx::AnyConnection;

/// The signed-in staff member managing the catalog, and their reach.
pub async fn catalog_staff(db: &Db) -> Result<(User, Staff), AppError> {
    crate::ssr::accounts::signed_in_staff(db, crate::ssr::accounts::Area::Catalog, "manage products").await
}

/// The signed-in admin or catalog manager changing what the whole shop
/// shares (categories, brands): 401 without a session, 403 for anyone else,
/// sellers' staff too.
pub async fn catalog_admin(db: &Db, what: &str) -> Result<User, AppError> {
    crate::ssr::accounts::signed_in_manager(db, crate::ssr::accounts::Area::Catalog, what).await
}

/// Notes a change of the catalog's shape for every server (see
/// [`crate::ssr::cache::note_catalog_change`]), records it in the audit log and commits.
pub async fn finish_catalog_change(
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    user: &User,
    event: crate::ssr::accounts::audit::Event,
    detail: &str,
) -> Result<(), AppError> {
    crate::ssr::cache::note_catalog_change(&mut tx).await?;
    crate::ssr::accounts::commit_audited(tx, user, event, detail).await
}

/// Whether another row of `table` (`products`, `categories`) than `id` has `slug`.
pub(super) async fn slug_taken(conn: &mut AnyConnection, table: &'static str, slug: &str, id: i64) -> Result<bool, AppError> {
    let taken: Option<(i64,)> = sqlx::query_as(&format!("SELECT id FROM {table} WHERE slug = $1 AND id <> $2"))
        .bind(slug)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(taken.is_some())
}

/// A unique-key violation (someone took the slug a moment ago) as a 400
/// saying `message`; any other error as it is.
pub(super) fn unique_clash(error: sqlx::Error, message: &str) -> AppError {
    match error.as_database_error() {
        Some(e) if e.is_unique_violation() => AppError::BadRequest(message.to_owned()),
        _ => error.into(),
    }
}

/// A foreign-key violation on delete (a product was put in the category or
/// given the brand meanwhile) as a 409; any other error as it is.
pub(super) fn still_used(error: sqlx::Error) -> AppError {
    match error.as_database_error() {
        Some(e) if e.is_foreign_key_violation() => {
            AppError::Conflict("A product was just put in it, so it was not deleted. Reload the page.".into())
        }
        _ => error.into(),
    }
}

/// The seller whose products `reach` covers; 0 for an admin's (all).
pub fn seller_of(reach: Staff) -> i64 {
    match reach {
        Staff::Admin => 0,
        Staff::Seller(seller) => seller,
    }
}

/// Whether the signed-in user of this request manages product `id` (to see
/// it as a draft): an admin, or its seller's staff.
pub async fn may_preview(db: &Db, id: i64) -> bool {
    let Ok((_, reach)) = catalog_staff(db).await else { return false };
    let Ok(mut conn) = db.pool.acquire().await else { return false };
    reachable(&mut conn, reach, id, false).await.is_ok()
}

/// A product as stored, with everything the editor shows.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Stored {
    pub id: i64,
    pub version: i64,
    pub status: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub brand_id: i64,
    pub category_id: i64,
    pub seller_id: Option<i64>,
    pub price_minor: i64,
    pub currency: String,
    pub compare_at_minor: Option<i64>,
    pub weight_grams: i64,
    pub low_stock_threshold: i64,
    pub seo_title: String,
    pub seo_description: String,
    pub stock: i64,
    pub tax_class: String,
    /// 0: the threshold follows the shop's low-stock default.
    pub low_stock_own: i64,
}

impl Stored {
    pub fn status(&self) -> ProductStatus {
        ProductStatus::parse(&self.status).unwrap_or(ProductStatus::Draft)
    }

    /// Its threshold as the editor shows it: empty when it follows the shop's default.
    pub fn low_stock_text(&self) -> String {
        if self.low_stock_own == 1 { self.low_stock_threshold.to_string() } else { String::new() }
    }

    /// The product's fields as the editor's form holds them.
    pub fn input(&self) -> ProductInput {
        ProductInput {
            name: self.name.clone(),
            slug: self.slug.clone(),
            description: self.description.clone(),
            brand: self.brand_id.to_string(),
            category: self.category_id.to_string(),
            seller: self.seller_id.map(|s| s.to_string()).unwrap_or_default(),
            price: amount_text(self.price_minor),
            compare_at: self.compare_at_minor.map(amount_text).unwrap_or_default(),
            currency: self.currency.clone(),
            weight_grams: self.weight_grams.to_string(),
            low_stock: self.low_stock_text(),
            tax_class: self.tax_class.clone(),
            seo_title: self.seo_title.clone(),
            seo_description: self.seo_description.clone(),
            attributes: String::new(), // read apart: see [`attributes_of`]
        }
    }
}

/// `1250` → `"12.50"`, as a person types an amount.
pub fn amount_text(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

/// Product `id` if `reach` covers it (locked for the transaction on
/// PostgreSQL); "not found" otherwise.
pub async fn reachable(conn: &mut AnyConnection, reach: Staff, id: i64, lock: bool) -> Result<Stored, AppError> {
    let lock = if lock && is_postgres(conn) { " FOR UPDATE" } else { "" };
    let found: Option<Stored> = sqlx::query_as(&format!(
        "SELECT id, version, status, name, slug, description, brand_id, category_id, seller_id, price_minor, currency, \
                compare_at_minor, weight_grams, low_stock_threshold, seo_title, seo_description, stock, tax_class, low_stock_own \
         FROM products WHERE id = $1 AND ($2 = 0 OR seller_id = $2){lock}"
    ))
    .bind(id)
    .bind(seller_of(reach))
    .fetch_optional(&mut *conn)
    .await?;
    found.ok_or_else(|| AppError::NotFound("There is no such product.".into()))
}

pub(super) use crate::ssr::db::is_postgres;

/// What keeps `product` from being published, as phrases ("a description").
pub async fn missing(conn: &mut AnyConnection, product: &Stored) -> Result<Vec<String>, AppError> {
    let mut missing = Vec::new();
    if product.description.trim().is_empty() {
        missing.push("a description".to_owned());
    }
    let (no_alt,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM product_images WHERE product_id = $1 AND TRIM(alt) = ''")
        .bind(product.id)
        .fetch_one(&mut *conn)
        .await?;
    if no_alt > 0 {
        missing.push("alt text for every image".to_owned());
    }
    Ok(missing)
}

/// Product `id`'s attributes in the order its page shows them.
pub async fn attributes_of(conn: &mut AnyConnection, id: i64) -> Result<Vec<(String, String)>, AppError> {
    Ok(sqlx::query_as("SELECT name, value FROM product_attributes WHERE product_id = $1 ORDER BY position, name")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?)
}

/// The brands, categories ("Department › Aisle") and, for admins, sellers.
pub async fn choices(conn: &mut AnyConnection, reach: Staff) -> Result<Choices, AppError> {
    let rows = |rows: Vec<(i64, String)>| rows.into_iter().map(|(id, name)| Choice { id, name }).collect::<Vec<_>>();
    let brands = sqlx::query_as("SELECT id, name FROM brands ORDER BY name, id").fetch_all(&mut *conn).await?;
    let categories = sqlx::query_as(
        "SELECT c.id, CASE WHEN d.id IS NULL THEN c.name ELSE d.name || ' › ' || c.name END \
         FROM categories c LEFT JOIN categories d ON d.id = c.parent_id \
         ORDER BY COALESCE(d.position, c.position), COALESCE(d.name, c.name), c.parent_id IS NOT NULL, c.position, c.name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let sellers = match reach {
        Staff::Admin => sqlx::query_as("SELECT id, name FROM sellers ORDER BY name, id").fetch_all(&mut *conn).await?,
        Staff::Seller(_) => Vec::new(),
    };
    let tax_classes = sqlx::query_as("SELECT code, name FROM tax_classes ORDER BY position, code").fetch_all(&mut *conn).await?;
    let low_stock_default = crate::ssr::settings::current(conn).await?.low_stock_default;
    Ok(Choices { brands: rows(brands), categories: rows(categories), sellers: rows(sellers), tax_classes, low_stock_default })
}

/// The refusal of a product save made over someone else's (optimistic
/// concurrency), for the editor and the options form alike.
pub fn stale_product() -> AppError {
    AppError::Conflict(
        "Someone else saved this product after you opened it, so your changes were not saved. \
         Copy what you typed, reload the page to see their version, and make your changes again."
            .into(),
    )
}
