//! Staff creating and changing products: save (create, or update the version
//! the editor was opened at: a later save by someone else is never
//! overwritten), publish, archive, duplicate and delete (only products no
//! order holds). An old slug keeps redirecting to its product. Every change
//! is written to the audit log, before and after, in the change's transaction.

use super::redirects::Redirects;
use super::staff::{amount_text, attributes_of, catalog_staff, choices, missing, reachable, slug_taken, stale_product, unique_clash, Stored};
use crate::domain::attributes::attributes_text;
use crate::domain::products::{EditedProduct, ProductEditor, ProductFields, ProductInput, ProductStatus};
use crate::error::AppError;
use crate::ssr::accounts::audit::{record_change, summary, Changes, Event};
use crate::ssr::accounts::Staff;
use crate::ssr::now;
use sqlx::AnyConnection;

/// The editor for product `id`, or for a new product when `id` is 0.
pub async fn editor(id: i64) -> Result<ProductEditor, AppError> {
    let state = crate::ssr::state()?;
    let (_, reach) = catalog_staff(&state.db).await?;
    let mut conn = state.db.pool.acquire().await?;
    let product = if id == 0 { None } else { Some(edited(&mut conn, reach, id).await?) };
    let images = if id == 0 { Vec::new() } else { super::images::of_product(&mut *conn, id).await? };
    Ok(ProductEditor { product, images, choices: choices(&mut conn, reach).await?, admin: reach == Staff::Admin })
}

/// Product `id` as the editor shows it.
async fn edited(conn: &mut AnyConnection, reach: Staff, id: i64) -> Result<EditedProduct, AppError> {
    let product = reachable(conn, reach, id, false).await?;
    let (options, variants) = super::variants::for_editor(conn, id).await?;
    let (orders,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM order_lines WHERE product_id = $1").bind(id).fetch_one(&mut *conn).await?;
    Ok(EditedProduct {
        id,
        version: product.version,
        status: product.status(),
        input: ProductInput {
            attributes: crate::domain::attributes::attributes_text(&attributes_of(conn, id).await?),
            ..product.input()
        },
        slug: product.slug.clone(),
        stock: product.stock,
        ordered: orders > 0,
        options,
        variants,
        missing: missing(conn, &product).await?,
    })
}

/// Saves the editor's fields: a new product (as a draft) when `id` is 0,
/// else product `id` if it is still at `version`. Returns the product's id.
pub async fn save(id: i64, version: i64, input: ProductInput) -> Result<i64, AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let mut fields = input.check().map_err(AppError::BadRequest)?;
    if let Staff::Seller(seller) = reach {
        fields.seller_id = Some(seller); // a seller's staff sell as their seller only
    }
    let ip = crate::ssr::accounts::checks::client_ip().await.to_string();
    let mut tx = state.db.begin_write().await?;
    // Another seller's product is not found before anything else is said of it.
    let before = if id == 0 { None } else { Some(reachable(&mut tx, reach, id, true).await?) };
    let department = check_references(&mut tx, &fields).await?;
    if fields.low_stock_threshold.is_none() {
        // It copies the shop's default: a change of the default meanwhile waits (see `for_copying`).
        crate::ssr::settings::for_copying(&mut tx).await?;
    }
    slug_free(&mut tx, fields.slug.as_str(), id).await?;
    let (id, event, detail) = if let Some(before) = before {
        if before.version != version {
            return Err(stale_product());
        }
        update(&mut tx, id, version, &fields, department).await?;
        super::variants::follow_product(&mut tx, id).await?;
        let attributes = write_attributes(&mut tx, id, &fields.attributes).await?;
        if before.slug != fields.slug.as_str() {
            Redirects::Products.remember(&mut tx, &before.slug, id).await?;
        }
        (id, Event::ProductChanged, changes(&before, &fields, attributes.as_deref()))
    } else {
        let id = insert(&mut tx, &fields, department).await.map_err(slug_clash)?;
        super::variants::create_default(&mut tx, id).await?;
        write_attributes(&mut tx, id, &fields.attributes).await?;
        (id, Event::ProductCreated, format!("product {id} “{}” created as a draft", fields.name))
    };
    Redirects::Products.forget(&mut tx, fields.slug.as_str()).await?;
    record_change(&mut tx, Some(user.id), &user.email, event, &ip, &detail).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces product `id`'s attributes with `pairs` if they differ; the
/// attributes before as text when they did.
async fn write_attributes(conn: &mut AnyConnection, id: i64, pairs: &[(String, String)]) -> Result<Option<String>, AppError> {
    let before = attributes_of(conn, id).await?;
    if before == pairs {
        return Ok(None);
    }
    sqlx::query("DELETE FROM product_attributes WHERE product_id = $1").bind(id).execute(&mut *conn).await?;
    for (position, (name, value)) in pairs.iter().enumerate() {
        sqlx::query("INSERT INTO product_attributes (product_id, name, value, position) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(name)
            .bind(value)
            .bind(position as i64)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Some(attributes_text(&before)))
}

/// The category's department (its top-level ancestor), after checking that
/// the brand, category, seller and tax class exist.
async fn check_references(conn: &mut AnyConnection, fields: &ProductFields) -> Result<i64, AppError> {
    let category: Option<(i64, Option<i64>)> = sqlx::query_as("SELECT id, parent_id FROM categories WHERE id = $1")
        .bind(fields.category_id)
        .fetch_optional(&mut *conn)
        .await?;
    let (category, parent) = category.ok_or_else(|| AppError::BadRequest("Choose the category from the list.".into()))?;
    let brand: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM brands WHERE id = $1").bind(fields.brand_id).fetch_optional(&mut *conn).await?;
    brand.ok_or_else(|| AppError::BadRequest("Choose the brand from the list.".into()))?;
    if let Some(seller) = fields.seller_id {
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM sellers WHERE id = $1").bind(seller).fetch_optional(&mut *conn).await?;
        found.ok_or_else(|| AppError::BadRequest("Choose the seller from the list.".into()))?;
    }
    let class: Option<(String,)> =
        sqlx::query_as("SELECT code FROM tax_classes WHERE code = $1").bind(&fields.tax_class).fetch_optional(&mut *conn).await?;
    class.ok_or_else(|| AppError::BadRequest("Choose the tax class from the list.".into()))?;
    Ok(parent.unwrap_or(category))
}

fn clash_message(slug: &str) -> AppError {
    AppError::BadRequest(format!("Another product is already at /p/{slug}. Choose another slug."))
}

/// Refuses a slug another product already has.
async fn slug_free(conn: &mut AnyConnection, slug: &str, id: i64) -> Result<(), AppError> {
    if slug_taken(conn, "products", slug, id).await? {
        return Err(clash_message(slug));
    }
    Ok(())
}

/// A unique-key violation on save: another product took the slug meanwhile.
fn slug_clash(error: sqlx::Error) -> AppError {
    unique_clash(error, "Another product took that slug a moment ago. Choose another slug.")
}

pub(super) use crate::ssr::db::Statement;

/// Binds the editable fields as `$1`…`$14` (in the column order of
/// [`insert`] and [`update`]; an empty threshold takes the shop's default),
/// the time as `$15`, the tax class as `$16` and whether the threshold is
/// the product's own as `$17`.
fn with_fields<'q>(statement: Statement<'q>, f: &'q ProductFields, department: i64) -> Statement<'q> {
    statement
        .bind(f.slug.as_str())
        .bind(&f.name)
        .bind(&f.description)
        .bind(f.brand_id)
        .bind(f.category_id)
        .bind(department)
        .bind(f.seller_id)
        .bind(f.price.minor())
        .bind(f.price.currency().code())
        .bind(f.compare_at_minor)
        .bind(f.weight_grams)
        .bind(f.low_stock_threshold)
        .bind(&f.seo_title)
        .bind(&f.seo_description)
        .bind(now())
        .bind(&f.tax_class)
        .bind(i64::from(f.low_stock_threshold.is_some()))
}

async fn insert(conn: &mut AnyConnection, f: &ProductFields, department: i64) -> Result<i64, sqlx::Error> {
    let row = with_fields(
        sqlx::query(
            "INSERT INTO products (slug, name, description, brand_id, category_id, department_id, seller_id, price_minor, \
                 currency, compare_at_minor, weight_grams, low_stock_threshold, seo_title, seo_description, stock, status, \
                 version, created_at, updated_at, tax_class, low_stock_own) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                 COALESCE($12, (SELECT low_stock_default FROM shop_settings WHERE id = 1)), $13, $14, 0, 'draft', 1, $15, $15, $16, $17) \
             RETURNING id",
        ),
        f,
        department,
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::Row::try_get(&row, 0)
}

async fn update(conn: &mut AnyConnection, id: i64, version: i64, f: &ProductFields, department: i64) -> Result<(), AppError> {
    let done = with_fields(
        sqlx::query(
            "UPDATE products SET slug = $1, name = $2, description = $3, brand_id = $4, category_id = $5, department_id = $6, \
                 seller_id = $7, price_minor = $8, currency = $9, compare_at_minor = $10, weight_grams = $11, \
                 low_stock_threshold = COALESCE($12, (SELECT low_stock_default FROM shop_settings WHERE id = 1)), \
                 seo_title = $13, seo_description = $14, version = version + 1, updated_at = $15, tax_class = $16, low_stock_own = $17 \
             WHERE id = $18 AND version = $19",
        ),
        f,
        department,
    )
    .bind(id)
    .bind(version)
    .execute(&mut *conn)
    .await
    .map_err(slug_clash)?;
    if done.rows_affected() != 1 {
        return Err(stale_product());
    }
    Ok(())
}

/// What a save changed, field by field: `price 10.00 → 12.00; name “a” → “b”`.
fn changes(before: &Stored, after: &ProductFields, attributes_before: Option<&str>) -> String {
    let mut out = Changes::default();
    if let Some(was) = attributes_before {
        out.field("attributes", summary(&was.replace('\n', "; ")), summary(&attributes_text(&after.attributes).replace('\n', "; ")));
    }
    let money = |minor: Option<i64>| minor.map(amount_text).unwrap_or_default();
    out.field("name", before.name.clone(), after.name.clone());
    out.field("slug", before.slug.clone(), after.slug.to_string());
    out.field("description", summary(&before.description), summary(&after.description));
    out.field("brand", before.brand_id.to_string(), after.brand_id.to_string());
    out.field("category", before.category_id.to_string(), after.category_id.to_string());
    out.field("seller", id_text(before.seller_id), id_text(after.seller_id));
    out.field("price", format!("{} {}", amount_text(before.price_minor), before.currency), format!("{} {}", amount_text(after.price.minor()), after.price.currency().code()));
    out.field("compare-at price", money(before.compare_at_minor), money(after.compare_at_minor));
    out.field("weight", before.weight_grams.to_string(), after.weight_grams.to_string());
    let threshold = |own: Option<i64>| own.map_or_else(|| "shop default".to_owned(), |n| n.to_string());
    out.field("low-stock threshold", threshold((before.low_stock_own == 1).then_some(before.low_stock_threshold)), threshold(after.low_stock_threshold));
    out.field("tax class", before.tax_class.clone(), after.tax_class.clone());
    out.field("SEO title", before.seo_title.clone(), after.seo_title.clone());
    out.field("SEO description", summary(&before.seo_description), summary(&after.seo_description));
    format!("product {} “{}”: {}", before.id, before.name, out.text())
}

/// An optional id as text (empty for none).
pub(super) fn id_text(id: Option<i64>) -> String {
    id.map(|i| i.to_string()).unwrap_or_default()
}

/// Publishes, archives or returns to draft product `id` at `version`.
/// Publishing needs what [`missing`] lists.
pub async fn set_status(id: i64, version: i64, status: ProductStatus) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let ip = crate::ssr::accounts::checks::client_ip().await.to_string();
    let mut tx = state.db.begin_write().await?;
    let before = reachable(&mut tx, reach, id, true).await?;
    if before.version != version {
        return Err(stale_product());
    }
    if status == ProductStatus::Active {
        let missing = missing(&mut tx, &before).await?;
        if !missing.is_empty() {
            return Err(AppError::BadRequest(format!("To publish this product, add {}.", missing.join(" and "))));
        }
    }
    sqlx::query("UPDATE products SET status = $3, version = version + 1, updated_at = $4 WHERE id = $1 AND version = $2")
        .bind(id)
        .bind(version)
        .bind(status.key())
        .bind(now())
        .execute(&mut *tx)
        .await?;
    let detail = format!("product {id} “{}”: status “{}” → “{}”", before.name, before.status, status.key());
    record_change(&mut tx, Some(user.id), &user.email, Event::ProductChanged, &ip, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes product `id` at `version`, which no order may hold (archive those).
pub async fn delete(id: i64, version: i64) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let ip = crate::ssr::accounts::checks::client_ip().await.to_string();
    let mut tx = state.db.begin_write().await?;
    let before = reachable(&mut tx, reach, id, true).await?;
    if before.version != version {
        return Err(stale_product());
    }
    let (orders,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM order_lines WHERE product_id = $1").bind(id).fetch_one(&mut *tx).await?;
    if orders > 0 {
        return Err(AppError::Conflict(
            "Orders hold this product, so it stays for their records. Archive it to take it out of the shop.".into(),
        ));
    }
    let images: Vec<(String, bool)> =
        super::images::of_product(&mut *tx, id).await?.into_iter().map(|i| (i.url, i.webp)).collect();
    sqlx::query("DELETE FROM products WHERE id = $1").bind(id).execute(&mut *tx).await?;
    let detail = format!("product {id} “{}” ({}) deleted", before.name, before.slug);
    record_change(&mut tx, Some(user.id), &user.email, Event::ProductDeleted, &ip, &detail).await?;
    tx.commit().await?;
    super::images::forget_unused(&state, &images).await;
    Ok(())
}

/// Copies product `id` into a new draft ("… (copy)", no stock) with its
/// attributes and images; returns the copy's id.
pub async fn duplicate(id: i64) -> Result<i64, AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let ip = crate::ssr::accounts::checks::client_ip().await.to_string();
    let mut tx = state.db.begin_write().await?;
    let original = reachable(&mut tx, reach, id, false).await?;
    let mut slug = String::new();
    for n in 1..=100 {
        let candidate = match n {
            1 => format!("{}-copy", trimmed(&original.slug, 110)),
            n => format!("{}-copy-{n}", trimmed(&original.slug, 110)),
        };
        let taken: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM products WHERE slug = $1").bind(&candidate).fetch_optional(&mut *tx).await?;
        if taken.is_none() {
            slug = candidate;
            break;
        }
    }
    if slug.is_empty() {
        return Err(AppError::Conflict("This product has too many copies already; rename one of them first.".into()));
    }
    let name: String = format!("{} (copy)", trimmed(&original.name, 190));
    let (copy,): (i64,) = sqlx::query_as(
        "INSERT INTO products (slug, name, description, brand_id, category_id, department_id, seller_id, price_minor, \
             currency, compare_at_minor, weight_grams, low_stock_threshold, seo_title, seo_description, stock, status, \
             version, created_at, updated_at, tax_class, low_stock_own) \
         SELECT $2, $3, description, brand_id, category_id, department_id, seller_id, price_minor, currency, \
             compare_at_minor, weight_grams, low_stock_threshold, seo_title, seo_description, 0, 'draft', 1, $4, $4, tax_class, low_stock_own \
         FROM products WHERE id = $1 RETURNING id",
    )
    .bind(id)
    .bind(&slug)
    .bind(&name)
    .bind(now())
    .fetch_one(&mut *tx)
    .await
    .map_err(slug_clash)?;
    sqlx::query(
        "INSERT INTO product_attributes (product_id, name, value, position) \
         SELECT $2, name, value, position FROM product_attributes WHERE product_id = $1",
    )
    .bind(id)
    .bind(copy)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO product_images (product_id, position, url, alt, width, height, webp) \
         SELECT $2, position, url, alt, width, height, webp FROM product_images WHERE product_id = $1",
    )
        .bind(id)
        .bind(copy)
        .execute(&mut *tx)
        .await?;
    super::variants::copy_variants(&mut tx, id, copy).await?;
    Redirects::Products.forget(&mut tx, &slug).await?;
    let detail = format!("product {copy} “{name}” copied from product {id}");
    record_change(&mut tx, Some(user.id), &user.email, Event::ProductCreated, &ip, &detail).await?;
    tx.commit().await?;
    Ok(copy)
}

/// The first `most` characters of `text`, without a trailing hyphen.
fn trimmed(text: &str, most: usize) -> String {
    text.chars().take(most).collect::<String>().trim_end_matches('-').to_owned()
}
