//! The back office's product list: search by name, slug, number or a
//! variant's SKU, filters (category, brand, seller, status, stock state: a
//! product is low when any of its variants is at or under its threshold),
//! sort orders and pages, within the staff member's reach.

use super::staff::{catalog_staff, choices, seller_of};
use crate::domain::products::{ProductFilter, ProductList, ProductRow, ProductSort, ProductStatus, StockState};
use crate::domain::{Currency, Money, PageRequest};
use crate::error::AppError;

/// A variant of product `p` at or under its low-stock threshold.
const LOW_VARIANT: &str = "SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.stock <= v.low_stock_threshold";

/// A value bound to a numbered placeholder of the list's query.
enum Bind {
    Int(i64),
    Text(String),
}

/// `SELECT`'s `WHERE` for `filter` within the reach of `seller` (0: all),
/// and the values of its placeholders.
fn conditions(filter: &ProductFilter, seller: i64) -> (String, Vec<Bind>) {
    let mut clauses = Vec::new();
    let mut binds = Vec::new();
    let next = |bind: Bind, binds: &mut Vec<Bind>| {
        binds.push(bind);
        format!("${}", binds.len())
    };
    if seller != 0 {
        clauses.push(format!("p.seller_id = {}", next(Bind::Int(seller), &mut binds)));
    }
    if !filter.q.is_empty() {
        let like = format!("%{}%", filter.q.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let like = next(Bind::Text(like), &mut binds);
        let number = match filter.q.trim_start_matches('#').parse::<i64>() {
            Ok(id) => format!(" OR p.id = {}", next(Bind::Int(id), &mut binds)),
            Err(_) => String::new(),
        };
        let sku = next(Bind::Text(filter.q.trim().to_uppercase()), &mut binds);
        let sku = format!(" OR EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND UPPER(v.sku) = {sku})");
        clauses.push(format!("(LOWER(p.name) LIKE {like} ESCAPE '\\' OR p.slug LIKE {like} ESCAPE '\\'{number}{sku})"));
    }
    if let Some(category) = filter.category {
        let n = next(Bind::Int(category), &mut binds);
        clauses.push(format!("(p.category_id = {n} OR p.department_id = {n})"));
    }
    if let Some(brand) = filter.brand {
        clauses.push(format!("p.brand_id = {}", next(Bind::Int(brand), &mut binds)));
    }
    if let (Some(other), 0) = (filter.seller, seller) {
        clauses.push(format!("p.seller_id = {}", next(Bind::Int(other), &mut binds)));
    }
    if let Some(status) = filter.status {
        clauses.push(format!("p.status = {}", next(Bind::Text(status.key().to_owned()), &mut binds)));
    }
    match filter.stock {
        None => {}
        Some(StockState::Out) => clauses.push("p.stock <= 0".into()),
        Some(StockState::Low) => clauses.push(format!("p.stock > 0 AND EXISTS ({LOW_VARIANT})")),
        Some(StockState::Plenty) => clauses.push(format!("p.stock > 0 AND NOT EXISTS ({LOW_VARIANT})")),
    }
    let clauses = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
    (clauses, binds)
}

fn order_by(sort: ProductSort) -> &'static str {
    match sort {
        ProductSort::Updated => "p.updated_at DESC, p.id DESC",
        ProductSort::Name => "p.name, p.id",
        ProductSort::PriceLow => "p.price_minor, p.id",
        ProductSort::PriceHigh => "p.price_minor DESC, p.id",
        ProductSort::Stock => "p.stock, p.id",
    }
}

type Row = (i64, String, String, String, String, String, i64, String, i64, i64, String, i64);

/// One page of the products `filter` selects.
pub async fn list(filter: ProductFilter) -> Result<ProductList, AppError> {
    let state = crate::ssr::state()?;
    let (_, reach) = catalog_staff(&state.db).await?;
    let mut conn = state.db.pool.acquire().await?;
    let (clauses, binds) = conditions(&filter, seller_of(reach));
    let count_sql = format!("SELECT COUNT(*) FROM products p {clauses}");
    let mut count = sqlx::query_as::<_, (i64,)>(&count_sql);
    for bind in &binds {
        count = match bind {
            Bind::Int(v) => count.bind(*v),
            Bind::Text(v) => count.bind(v.clone()),
        };
    }
    let (total,) = count.fetch_one(&mut *conn).await?;
    let page = PageRequest::at(filter.page).resolve(total.max(0) as u64);
    let rows_sql = format!(
        "SELECT p.id, p.name, p.slug, b.name, c.name, COALESCE(s.name, ''), p.price_minor, p.currency, p.stock, \
                CAST(CASE WHEN EXISTS ({LOW_VARIANT}) THEN 1 ELSE 0 END AS BIGINT), p.status, p.updated_at \
         FROM products p JOIN brands b ON b.id = p.brand_id JOIN categories c ON c.id = p.category_id \
         LEFT JOIN sellers s ON s.id = p.seller_id {clauses} ORDER BY {} LIMIT {} OFFSET {}",
        order_by(filter.sort),
        page.limit(),
        page.offset()
    );
    let mut rows = sqlx::query_as::<_, Row>(&rows_sql);
    for bind in binds {
        rows = match bind {
            Bind::Int(v) => rows.bind(v),
            Bind::Text(v) => rows.bind(v),
        };
    }
    let rows = rows.fetch_all(&mut *conn).await?;
    let rows = rows
        .into_iter()
        .map(|(id, name, slug, brand, category, seller, price, currency, stock, any_low, status, updated_at)| ProductRow {
            id,
            name,
            slug,
            brand,
            category,
            seller,
            price: Money::new(price, Currency::parse(&currency).unwrap_or(Currency::Usd)),
            stock,
            stock_state: StockState::of_product(stock, any_low == 1),
            status: ProductStatus::parse(&status).unwrap_or(ProductStatus::Draft),
            updated_at,
        })
        .collect();
    Ok(ProductList { rows, page, choices: choices(&mut conn, reach).await? })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_numbered_conditions_and_searches_escape_wildcards() {
        let filter = ProductFilter { q: "50%_off".into(), category: Some(4), stock: Some(StockState::Low), ..Default::default() };
        let (sql, binds) = conditions(&filter, 7);
        assert_eq!(
            sql,
            "WHERE p.seller_id = $1 AND (LOWER(p.name) LIKE $2 ESCAPE '\\' OR p.slug LIKE $2 ESCAPE '\\' \
             OR EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND UPPER(v.sku) = $3)) \
             AND (p.category_id = $4 OR p.department_id = $4) AND p.stock > 0 AND EXISTS (SELECT 1 FROM product_variants v \
             WHERE v.product_id = p.id AND v.stock <= v.low_stock_threshold)"
        );
        assert!(matches!(&binds[1], Bind::Text(t) if t == "%50\\%\\_off%"));
        // A number also finds the product with that id; another seller's filter is ignored for a seller's staff.
        let (sql, binds) = conditions(&ProductFilter { q: "#42".into(), seller: Some(9), ..Default::default() }, 7);
        assert!(sql.contains("OR p.id = $3") && !sql.contains("$5"), "{sql}");
        assert_eq!(binds.len(), 4, "seller, name, number, SKU");
    }
}
