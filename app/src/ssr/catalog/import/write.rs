//! Writing one product's import [`Plan`] inside the batch's transaction: a
//! new product with its options and variants, or an existing one's changed
//! fields, new and changed variants; every change of stock a ledger line
//! (opening stock, or a count), the product's price following its cheapest
//! variant, and one audit line per product.

use super::plan::{Plan, ProductRow, VariantRow};
use crate::error::AppError;
use crate::ssr::accounts::audit::{record_change, Event};
use crate::ssr::now;
use sqlx::AnyConnection;

/// Who imports, and which job, for the ledger and the audit log.
pub struct Author<'a> {
    pub job: i64,
    pub user: i64,
    pub email: &'a str,
    pub ip: &'a str,
    /// The seller new products belong to (`None`: the shop itself).
    pub seller: Option<i64>,
}

/// Writes `plan`.
pub async fn write(conn: &mut AnyConnection, plan: &Plan, by: &Author<'_>) -> Result<(), AppError> {
    if let Some((fields, options, variants)) = &plan.create {
        let id = create(conn, fields, variants, by).await?;
        for (position, name) in options.iter().enumerate() {
            sqlx::query("INSERT INTO product_options (product_id, position, name) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(position as i64 + 1)
                .bind(name)
                .execute(&mut *conn)
                .await?;
        }
        for (position, variant) in variants.iter().enumerate() {
            let variant_id = insert_variant(conn, id, position as i64, variant, variant.stock).await?;
            ledger(conn, (id, variant_id), variant.stock, "opening", by).await?;
        }
        crate::ssr::catalog::redirects::Redirects::Products.forget(conn, &fields.slug).await?;
        let detail = format!("CSV import {}: product {id} {}", by.job, plan.audit);
        return record_change(conn, Some(by.user), by.email, Event::ProductCreated, by.ip, &detail).await;
    }
    let Some(id) = plan.product.filter(|_| !plan.audit.is_empty()) else {
        return Ok(());
    };
    if let Some(fields) = &plan.fields {
        sqlx::query(
            "UPDATE products SET name = $2, status = $3, brand_id = $4, category_id = $5, department_id = $6, tax_class = $7, \
                 currency = $8, description = $9 WHERE id = $1",
        )
        .bind(id)
        .bind(&fields.name)
        .bind(fields.status.key())
        .bind(fields.brand_id)
        .bind(fields.category_id)
        .bind(fields.department_id)
        .bind(&fields.tax_class)
        .bind(fields.currency.code())
        .bind(&fields.description)
        .execute(&mut *conn)
        .await?;
    }
    let (last,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(position), 0) FROM product_variants WHERE product_id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    for (n, variant) in plan.new_variants.iter().enumerate() {
        // Stock arrives through the ledger (the product's sum follows it).
        let variant_id = insert_variant(conn, id, last + 1 + n as i64, variant, 0).await?;
        set_stock(conn, (id, variant_id), 0, variant.stock, "opening", by).await?;
    }
    for (variant_id, before, variant) in &plan.changed {
        sqlx::query(
            "UPDATE product_variants SET price_minor = $2, compare_at_minor = $3, weight_grams = $4, low_stock_threshold = $5, \
                 low_stock_own = $6, version = version + 1 WHERE id = $1",
        )
        .bind(variant_id)
        .bind(variant.price_minor)
        .bind(variant.compare_at_minor)
        .bind(variant.weight_grams)
        .bind(variant.low_stock_threshold)
        .bind(i64::from(variant.low_stock_own))
        .execute(&mut *conn)
        .await?;
        set_stock(conn, (id, *variant_id), *before, variant.stock, "counted", by).await?;
    }
    follow_variants(conn, id, plan.one_way).await?;
    let detail = format!("CSV import {}: {}", by.job, plan.audit);
    record_change(conn, Some(by.user), by.email, Event::ProductChanged, by.ip, &detail).await
}

/// Inserts new product `fields` (its price its cheapest variant's, its stock theirs together); its id.
async fn create(conn: &mut AnyConnection, fields: &ProductRow, variants: &[VariantRow], by: &Author<'_>) -> Result<i64, AppError> {
    let cheapest = variants.iter().min_by_key(|v| v.price_minor).ok_or(AppError::Internal)?;
    let first = &variants[0];
    let at = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO products (slug, name, description, brand_id, category_id, department_id, seller_id, price_minor, \
             currency, compare_at_minor, weight_grams, low_stock_threshold, seo_title, seo_description, stock, status, \
             version, created_at, updated_at, tax_class, low_stock_own) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '', '', $13, $14, 1, $15, $15, $16, $17) RETURNING id",
    )
    .bind(&fields.slug)
    .bind(&fields.name)
    .bind(&fields.description)
    .bind(fields.brand_id)
    .bind(fields.category_id)
    .bind(fields.department_id)
    .bind(by.seller)
    .bind(cheapest.price_minor)
    .bind(fields.currency.code())
    .bind(cheapest.compare_at_minor)
    .bind(first.weight_grams)
    .bind(first.low_stock_threshold)
    .bind(variants.iter().map(|v| v.stock).sum::<i64>())
    .bind(fields.status.key())
    .bind(at)
    .bind(&fields.tax_class)
    .bind(i64::from(first.low_stock_own))
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| crate::ssr::catalog::staff::unique_clash(e, "Another product took this handle or SKU meanwhile; import the file again."))?;
    Ok(id)
}

async fn insert_variant(conn: &mut AnyConnection, product: i64, position: i64, v: &VariantRow, stock: i64) -> Result<i64, AppError> {
    let value = |n: usize| v.values.get(n).cloned().unwrap_or_default();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO product_variants (product_id, position, sku, option1, option2, option3, price_minor, compare_at_minor, \
             stock, weight_grams, low_stock_threshold, low_stock_own, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(product)
    .bind(position)
    .bind(&v.sku)
    .bind(value(0))
    .bind(value(1))
    .bind(value(2))
    .bind(v.price_minor)
    .bind(v.compare_at_minor)
    .bind(stock)
    .bind(v.weight_grams)
    .bind(v.low_stock_threshold)
    .bind(i64::from(v.low_stock_own))
    .bind(now())
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| crate::ssr::catalog::staff::unique_clash(e, &format!("Another variant took the SKU {} meanwhile; import the file again.", v.sku)))?;
    Ok(id)
}

/// Sets a variant's stock from `before` (as read in this transaction) to
/// `after`, with its ledger line; a sale that moved it meanwhile is a
/// conflict (the batch is tried again).
async fn set_stock(conn: &mut AnyConnection, (product, variant): (i64, i64), before: i64, after: i64, reason: &str, by: &Author<'_>) -> Result<(), AppError> {
    if before == after {
        return Ok(());
    }
    let done = sqlx::query("UPDATE product_variants SET stock = $3 WHERE id = $1 AND stock = $2")
        .bind(variant)
        .bind(before)
        .bind(after)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict("A sale changed this stock while it was imported: import the file again to set it.".into()));
    }
    ledger(conn, (product, variant), after - before, reason, by).await
}

async fn ledger(conn: &mut AnyConnection, (product, variant): (i64, i64), delta: i64, reason: &str, by: &Author<'_>) -> Result<(), AppError> {
    if delta == 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO inventory_ledger (product_id, variant_id, delta, reason, actor, at, note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(product)
    .bind(variant)
    .bind(delta)
    .bind(reason)
    .bind(by.email)
    .bind(now())
    .bind(format!("CSV import {}", by.job))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The product shows its cheapest variant's price; sold one way, its
/// variant's weight and threshold are its own too.
async fn follow_variants(conn: &mut AnyConnection, product: i64, one_way: bool) -> Result<(), AppError> {
    let cheapest = "FROM product_variants WHERE product_id = $1 ORDER BY price_minor, position, id LIMIT 1";
    let own = if one_way {
        format!(
            ", weight_grams = (SELECT weight_grams {cheapest}), low_stock_threshold = (SELECT low_stock_threshold {cheapest}), \
               low_stock_own = (SELECT low_stock_own {cheapest})"
        )
    } else {
        String::new()
    };
    sqlx::query(&format!(
        "UPDATE products SET price_minor = (SELECT price_minor {cheapest}), compare_at_minor = (SELECT compare_at_minor {cheapest}){own}, \
             version = version + 1, updated_at = $2 WHERE id = $1"
    ))
    .bind(product)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
