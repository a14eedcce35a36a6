//! Writing one product's import [`Plan`] inside the batch's transaction: a
//! new product with its options and variants, or an existing one's changed
//! fields, new and changed variants. What every product of a batch leaves
//! (their stock's ledger lines, opening stock or a count; their price
//! following the cheapest variant; an audit line each; old redirects of the
//! new handles) is gathered in [`Pending`] and written once per batch, in
//! a few statements: a round trip to PostgreSQL costs more than the row.

use super::plan::{Plan, ProductRow, VariantRow};
use crate::error::AppError;
use crate::ssr::accounts::audit::{record_changes, Event};
use crate::ssr::db::{placeholders, values_sql};
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

/// What a batch's products leave to write at its end.
#[derive(Default)]
pub struct Pending {
    /// Products created: their variants' stock is their opening stock.
    created: Vec<i64>,
    /// Their handles, which no old address may hold any more.
    slugs: Vec<String>,
    /// Stock moved on existing products: (product, variant, delta, reason).
    moved: Vec<(i64, i64, i64, &'static str)>,
    /// Products whose variants changed, and whether each is sold one way.
    follow: Vec<(i64, bool)>,
    audit: Vec<(Event, String)>,
}

/// Writes `plan`, leaving the rest to `pending`.
pub async fn write(conn: &mut AnyConnection, plan: &Plan, by: &Author<'_>, pending: &mut Pending) -> Result<(), AppError> {
    if let Some((fields, options, variants)) = &plan.create {
        let id = create(conn, fields, variants, by).await?;
        if !options.is_empty() {
            let sql = values_sql("INSERT INTO product_options (product_id, position, name) VALUES", options.len(), 3);
            let mut insert = sqlx::query(&sql);
            for (position, name) in options.iter().enumerate() {
                insert = insert.bind(id).bind(position as i64 + 1).bind(name);
            }
            insert.execute(&mut *conn).await?;
        }
        insert_variants(conn, id, 0, variants, true).await?;
        pending.created.push(id);
        pending.slugs.push(fields.slug.clone());
        pending.audit.push((Event::ProductCreated, format!("CSV import {}: product {id} {}", by.job, plan.audit)));
        return Ok(());
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
    if !plan.new_variants.is_empty() {
        let (last,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(position), 0) FROM product_variants WHERE product_id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
        // Stock arrives through the ledger: the product's sum follows each change.
        for (variant_id, variant) in insert_variants(conn, id, last + 1, &plan.new_variants, false).await?.into_iter().zip(&plan.new_variants) {
            set_stock(conn, variant_id, 0, variant.stock).await?;
            pending.moved.push((id, variant_id, variant.stock, "opening"));
        }
    }
    for (variant_id, before, v) in &plan.changed {
        // One guarded statement: a sale that moved the stock meanwhile is a conflict.
        let done = sqlx::query(
            "UPDATE product_variants SET price_minor = $2, compare_at_minor = $3, weight_grams = $4, low_stock_threshold = $5, \
                 low_stock_own = $6, stock = $7, version = version + 1 WHERE id = $1 AND stock = $8",
        )
        .bind(variant_id)
        .bind(v.price_minor)
        .bind(v.compare_at_minor)
        .bind(v.weight_grams)
        .bind(v.low_stock_threshold)
        .bind(i64::from(v.low_stock_own))
        .bind(v.stock)
        .bind(before)
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() != 1 {
            return Err(moved_meanwhile());
        }
        pending.moved.push((id, *variant_id, v.stock - before, "counted"));
    }
    pending.follow.push((id, plan.one_way));
    pending.audit.push((Event::ProductChanged, format!("CSV import {}: {}", by.job, plan.audit)));
    Ok(())
}

fn moved_meanwhile() -> AppError {
    AppError::Conflict("A sale changed this stock while it was imported: import the file again to set it.".into())
}

/// Writes what the batch's products left.
pub async fn flush(conn: &mut AnyConnection, pending: Pending, by: &Author<'_>) -> Result<(), AppError> {
    let (at, note) = (now(), format!("CSV import {}", by.job));
    for chunk in pending.created.chunks(1000) {
        let sql = format!(
            "INSERT INTO inventory_ledger (product_id, variant_id, delta, reason, actor, at, note) \
             SELECT product_id, id, stock, 'opening', $1, $2, $3 FROM product_variants WHERE stock > 0 AND product_id IN ({})",
            placeholders(4, chunk.len())
        );
        let mut insert = sqlx::query(&sql).bind(by.email).bind(at).bind(&note);
        for id in chunk {
            insert = insert.bind(*id);
        }
        insert.execute(&mut *conn).await?;
    }
    let moved: Vec<_> = pending.moved.into_iter().filter(|m| m.2 != 0).collect();
    for chunk in moved.chunks(500) {
        let sql = values_sql("INSERT INTO inventory_ledger (product_id, variant_id, delta, reason, actor, at, note) VALUES", chunk.len(), 7);
        let mut insert = sqlx::query(&sql);
        for (product, variant, delta, reason) in chunk {
            insert = insert.bind(*product).bind(*variant).bind(*delta).bind(*reason).bind(by.email).bind(at).bind(&note);
        }
        insert.execute(&mut *conn).await?;
    }
    crate::ssr::catalog::redirects::Redirects::Products.forget_all(conn, &pending.slugs).await?;
    for one_way in [true, false] {
        let ids: Vec<i64> = pending.follow.iter().filter(|f| f.1 == one_way).map(|f| f.0).collect();
        follow_variants(conn, &ids, one_way, at).await?;
    }
    record_changes(conn, Some(by.user), by.email, by.ip, &pending.audit).await
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

/// Inserts `variants` of product `product` from position `first` on, with
/// their stock (`with_stock`, for a new product whose stock is their sum
/// already) or none; their ids, in order.
async fn insert_variants(conn: &mut AnyConnection, product: i64, first: i64, variants: &[VariantRow], with_stock: bool) -> Result<Vec<i64>, AppError> {
    let sql = values_sql(
        "INSERT INTO product_variants (product_id, position, sku, option1, option2, option3, price_minor, compare_at_minor, \
             stock, weight_grams, low_stock_threshold, low_stock_own, created_at) VALUES",
        variants.len(),
        13,
    );
    let mut insert = sqlx::query(&sql);
    for (n, v) in variants.iter().enumerate() {
        let value = |i: usize| v.values.get(i).cloned().unwrap_or_default();
        insert = insert
            .bind(product)
            .bind(first + n as i64)
            .bind(&v.sku)
            .bind(value(0))
            .bind(value(1))
            .bind(value(2))
            .bind(v.price_minor)
            .bind(v.compare_at_minor)
            .bind(if with_stock { v.stock } else { 0 })
            .bind(v.weight_grams)
            .bind(v.low_stock_threshold)
            .bind(i64::from(v.low_stock_own))
            .bind(now());
    }
    insert.execute(&mut *conn).await.map_err(|e| {
        crate::ssr::catalog::staff::unique_clash(e, "Another variant took one of these SKUs meanwhile; import the file again.")
    })?;
    if with_stock {
        return Ok(Vec::new());
    }
    let mut ids = Vec::with_capacity(variants.len());
    for v in variants {
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM product_variants WHERE sku = $1").bind(&v.sku).fetch_one(&mut *conn).await?;
        ids.push(id);
    }
    Ok(ids)
}

/// Sets new variant `variant`'s stock from `before` to `after` (the product's sum follows).
async fn set_stock(conn: &mut AnyConnection, variant: i64, before: i64, after: i64) -> Result<(), AppError> {
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
        return Err(moved_meanwhile());
    }
    Ok(())
}

/// Products `ids` show their cheapest variant's price; sold one way, their
/// variant's weight and threshold are their own too.
async fn follow_variants(conn: &mut AnyConnection, ids: &[i64], one_way: bool, at: i64) -> Result<(), AppError> {
    let cheapest = "FROM product_variants v WHERE v.product_id = products.id ORDER BY v.price_minor, v.position, v.id LIMIT 1";
    let own = if one_way {
        format!(
            ", weight_grams = (SELECT v.weight_grams {cheapest}), low_stock_threshold = (SELECT v.low_stock_threshold {cheapest}), \
               low_stock_own = (SELECT v.low_stock_own {cheapest})"
        )
    } else {
        String::new()
    };
    for chunk in ids.chunks(1000) {
        let sql = format!(
            "UPDATE products SET price_minor = (SELECT v.price_minor {cheapest}), compare_at_minor = (SELECT v.compare_at_minor {cheapest}){own}, \
                 version = version + 1, updated_at = $1 WHERE id IN ({})",
            placeholders(2, chunk.len())
        );
        let mut update = sqlx::query(&sql).bind(at);
        for id in chunk {
            update = update.bind(*id);
        }
        update.execute(&mut *conn).await?;
    }
    Ok(())
}
