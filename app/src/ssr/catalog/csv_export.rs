//! The catalog's CSV export for staff (admins and catalog managers every
//! product, a seller's staff their seller's): one line per variant with its
//! product's fields, read in keyset batches (product, position, variant) so
//! an export of any size never holds the whole catalog.

use crate::domain::catalog_csv::CatalogLine;
use crate::error::AppError;
use crate::ssr::accounts::Staff;
use crate::ssr::Db;

/// Variants read per batch.
const BATCH: i64 = 500;

/// Where a batch ends: (product id, variant position, variant id).
pub type After = (i64, i64, i64);

#[derive(sqlx::FromRow)]
struct Row {
    product_id: i64,
    position: i64,
    variant_id: i64,
    slug: String,
    name: String,
    status: String,
    brand: String,
    category: String,
    tax_class: String,
    currency: String,
    name1: String,
    option1: String,
    name2: String,
    option2: String,
    name3: String,
    option3: String,
    sku: String,
    price_minor: i64,
    compare_at_minor: Option<i64>,
    stock: i64,
    weight_grams: i64,
    low_stock_threshold: i64,
    low_stock_own: i64,
    description: String,
}

/// The next batch of lines after `after` (the start when `None`), and where
/// it ended; `None` at the end.
pub async fn batch(db: &Db, reach: Staff, after: Option<After>) -> Result<(String, Option<After>), AppError> {
    let (product, position, variant) = after.unwrap_or((i64::MIN, i64::MIN, i64::MIN));
    let seller = match reach {
        Staff::Admin => None,
        Staff::Seller(seller) => Some(seller),
    };
    let option = |n: i64| {
        format!("COALESCE((SELECT o.name FROM product_options o WHERE o.product_id = p.id AND o.position = {n}), '') AS name{n}")
    };
    let sql = format!(
        "SELECT v.product_id, v.position, v.id AS variant_id, p.slug, p.name, p.status, b.slug AS brand, c.slug AS category, \
                p.tax_class, p.currency, {o1}, v.option1, {o2}, v.option2, {o3}, v.option3, v.sku, v.price_minor, \
                v.compare_at_minor, v.stock, v.weight_grams, v.low_stock_threshold, v.low_stock_own, p.description \
         FROM product_variants v JOIN products p ON p.id = v.product_id \
         JOIN brands b ON b.id = p.brand_id JOIN categories c ON c.id = p.category_id \
         WHERE (v.product_id > $1 OR (v.product_id = $1 AND (v.position > $2 OR (v.position = $2 AND v.id > $3)))) \
           AND ($4 = 0 OR p.seller_id = $5) \
         ORDER BY v.product_id, v.position, v.id LIMIT $6",
        o1 = option(1),
        o2 = option(2),
        o3 = option(3),
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(product)
        .bind(position)
        .bind(variant)
        .bind(i64::from(seller.is_some()))
        .bind(seller.unwrap_or(0))
        .bind(BATCH)
        .fetch_all(&db.pool)
        .await?;
    let next = (rows.len() as i64 == BATCH).then(|| rows.last().map(|r| (r.product_id, r.position, r.variant_id))).flatten();
    let mut out = String::new();
    for r in rows {
        out.push_str(
            &CatalogLine {
                handle: r.slug,
                name: r.name,
                status: r.status,
                brand: r.brand,
                category: r.category,
                tax_class: r.tax_class,
                currency: r.currency,
                options: [(r.name1, r.option1), (r.name2, r.option2), (r.name3, r.option3)],
                sku: r.sku,
                price_minor: r.price_minor,
                compare_at_minor: r.compare_at_minor,
                stock: r.stock,
                weight_grams: r.weight_grams,
                low_stock_threshold: (r.low_stock_own == 1).then_some(r.low_stock_threshold),
                description: r.description,
            }
            .to_csv(),
        );
    }
    Ok((out, next))
}
