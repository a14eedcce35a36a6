//! The back office's product list: search by name, number, slug or a
//! variant's SKU, filters (category, brand, seller, status, stock state: a
//! product is low when any of its variants is at or under its threshold),
//! sort orders and pages, within the staff member's reach.
//!
//! Fast over 100,000 products (BENCHMARKS.md): a page's ids come from an
//! index walk that reads no product rows (each sort has its index, a deep
//! page skips index entries), and only that page's rows are then joined. A
//! name search finds its hits in a trigram index of the names (FTS5 on
//! SQLite, pg_trgm on PostgreSQL) and counts them as it pages them; a SKU
//! or slug is an indexed lookup; "low" reads the count of low variants the
//! database keeps on each product.

use super::staff::{catalog_staff, choices, seller_of};
use crate::domain::products::{ProductFilter, ProductList, ProductRow, ProductSort, ProductStatus, StockState};
use crate::domain::{Currency, Money, PageInfo, PageRequest};
use crate::error::AppError;
use crate::ssr::db::Backend;
use sqlx::AnyConnection;

/// A value bound to a numbered placeholder of the list's query.
enum Bind {
    Int(i64),
    Text(String),
}

/// `SELECT`'s `WHERE` for `filter` within the reach of `seller` (0: all),
/// and the values of its placeholders.
fn conditions(filter: &ProductFilter, seller: i64, backend: Backend) -> (String, Vec<Bind>) {
    let mut clauses = Vec::new();
    let mut binds = Vec::new();
    let next = |bind: Bind, binds: &mut Vec<Bind>| {
        binds.push(bind);
        format!("${}", binds.len())
    };
    if seller != 0 {
        clauses.push(format!("p.seller_id = {}", next(Bind::Int(seller), &mut binds)));
    }
    let q = filter.q.trim();
    if !q.is_empty() {
        // One list of matching ids, so each part uses its own index.
        let mut hits = vec![match backend {
            // SQLite's trigram index matches a phrase of three characters or more.
            Backend::Sqlite if q.chars().count() >= 3 => {
                let phrase = format!("\"{}\"", q.replace('"', "\"\""));
                format!("SELECT rowid FROM product_names WHERE product_names MATCH {}", next(Bind::Text(phrase), &mut binds))
            }
            _ => {
                let like = format!("%{}%", q.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
                format!("SELECT id FROM products WHERE name_folded LIKE {} ESCAPE '\\'", next(Bind::Text(like), &mut binds))
            }
        }];
        if let Ok(id) = q.trim_start_matches('#').parse::<i64>() {
            hits.push(format!("SELECT id FROM products WHERE id = {}", next(Bind::Int(id), &mut binds)));
        }
        let slug = q.trim_start_matches("/p/").to_lowercase();
        hits.push(format!("SELECT id FROM products WHERE slug = {}", next(Bind::Text(slug), &mut binds)));
        let sku = next(Bind::Text(q.to_uppercase()), &mut binds);
        hits.push(format!("SELECT product_id FROM product_variants WHERE UPPER(sku) = {sku}"));
        clauses.push(format!("p.id IN ({})", hits.join(" UNION ")));
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
        Some(StockState::Low) => clauses.push("p.stock > 0 AND p.low_variants > 0".into()),
        Some(StockState::Plenty) => clauses.push("p.stock > 0 AND p.low_variants = 0".into()),
    }
    let clauses = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
    (clauses, binds)
}

fn order_by(sort: ProductSort) -> &'static str {
    match sort {
        ProductSort::Updated => "p.updated_at DESC, p.id DESC",
        ProductSort::Name => "p.name, p.id",
        ProductSort::PriceLow => "p.price_minor, p.id",
        ProductSort::PriceHigh => "p.price_minor DESC, p.id DESC",
        ProductSort::Stock => "p.stock, p.id",
    }
}

/// A listed product, and how many products the filter selects in all.
type Row = (i64, String, String, String, String, String, i64, String, i64, i64, String, i64, i64);

fn bound<'q, O>(
    mut query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    binds: &[Bind],
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    for bind in binds {
        query = match bind {
            Bind::Int(v) => query.bind(*v),
            Bind::Text(v) => query.bind(v.clone()),
        };
    }
    query
}

/// How many products the filter selects.
async fn count(conn: &mut AnyConnection, clauses: &str, binds: &[Bind]) -> Result<u64, AppError> {
    let sql = format!("SELECT COUNT(*) FROM products p {clauses}");
    let (total,) = bound(sqlx::query_as::<_, (i64,)>(&sql), binds).fetch_one(&mut *conn).await?;
    Ok(total.max(0) as u64)
}

/// The rows of `page`; with `counted`, each row also carries the filter's
/// total (a window over the same scan: no second pass for a search).
async fn page_rows(
    conn: &mut AnyConnection,
    (clauses, binds): (&str, &[Bind]),
    sort: ProductSort,
    page: PageInfo,
    counted: bool,
) -> Result<Vec<Row>, AppError> {
    let order = order_by(sort);
    let total = if counted { "CAST(COUNT(*) OVER () AS BIGINT)" } else { "CAST(0 AS BIGINT)" };
    let sql = format!(
        "SELECT p.id, p.name, p.slug, b.name, c.name, COALESCE(s.name, ''), p.price_minor, p.currency, p.stock, \
                p.low_variants, p.status, p.updated_at, page.total \
         FROM (SELECT p.id, {total} AS total FROM products p {clauses} ORDER BY {order} LIMIT {} OFFSET {}) page \
         JOIN products p ON p.id = page.id JOIN brands b ON b.id = p.brand_id JOIN categories c ON c.id = p.category_id \
         LEFT JOIN sellers s ON s.id = p.seller_id ORDER BY {order}",
        page.limit(),
        page.offset()
    );
    Ok(bound(sqlx::query_as::<_, Row>(&sql), binds).fetch_all(&mut *conn).await?)
}

/// One page of the products `filter` selects.
pub async fn list(filter: ProductFilter) -> Result<ProductList, AppError> {
    let state = crate::ssr::state()?;
    let (_, reach) = catalog_staff(&state.db).await?;
    let mut conn = state.db.pool.acquire().await?;
    let (clauses, binds) = conditions(&filter, seller_of(reach), state.db.backend);
    let query = (clauses.as_str(), binds.as_slice());
    let asked = PageRequest::at(filter.page);
    // A search counts its hits in the scan that finds them; only a page past
    // the last needs the count on its own, to show the last page instead.
    let mut found = None;
    if !filter.q.trim().is_empty() {
        let rows = page_rows(&mut conn, query, filter.sort, asked.resolve(u64::MAX), true).await?;
        match rows.first().map(|row| row.12.max(0) as u64) {
            Some(total) => found = Some((rows, asked.resolve(total))),
            None if asked.number() == 1 => found = Some((rows, asked.resolve(0))),
            None => {}
        }
    }
    let (rows, page) = match found {
        Some(found) => found,
        None => {
            let page = asked.resolve(count(&mut conn, &clauses, &binds).await?);
            (page_rows(&mut conn, query, filter.sort, page, false).await?, page)
        }
    };
    let rows = rows
        .into_iter()
        .map(|(id, name, slug, brand, category, seller, price, currency, stock, low, status, updated_at, _)| ProductRow {
            id,
            name,
            slug,
            brand,
            category,
            seller,
            price: Money::new(price, Currency::parse(&currency).unwrap_or(Currency::Usd)),
            stock,
            stock_state: StockState::of_product(stock, low > 0),
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
        let (sql, binds) = conditions(&filter, 7, Backend::Postgres);
        assert_eq!(
            sql,
            "WHERE p.seller_id = $1 AND p.id IN (SELECT id FROM products WHERE name_folded LIKE $2 ESCAPE '\\' \
             UNION SELECT id FROM products WHERE slug = $3 UNION SELECT product_id FROM product_variants WHERE UPPER(sku) = $4) \
             AND (p.category_id = $5 OR p.department_id = $5) AND p.stock > 0 AND p.low_variants > 0"
        );
        assert!(matches!(&binds[1], Bind::Text(t) if t == "%50\\%\\_off%"));
        assert!(matches!(&binds[3], Bind::Text(t) if t == "50%_OFF"));
        // A number also finds the product with that id; another seller's filter is ignored for a seller's staff.
        let (sql, binds) = conditions(&ProductFilter { q: " #42 ".into(), seller: Some(9), ..Default::default() }, 7, Backend::Postgres);
        assert!(sql.contains("SELECT id FROM products WHERE id = $3") && !sql.contains("$6"), "{sql}");
        assert_eq!(binds.len(), 5, "seller, name, number, slug, SKU");
        // On SQLite a name is looked up as a phrase in the trigram index, quotes doubled;
        // under three characters it is compared with every name.
        let (sql, binds) = conditions(&ProductFilter { q: "12\" \"oak".into(), ..Default::default() }, 0, Backend::Sqlite);
        assert!(sql.starts_with("WHERE p.id IN (SELECT rowid FROM product_names WHERE product_names MATCH $1 UNION"), "{sql}");
        assert!(matches!(&binds[0], Bind::Text(t) if t == "\"12\"\" \"\"oak\""));
        let (sql, _) = conditions(&ProductFilter { q: "ok".into(), ..Default::default() }, 0, Backend::Sqlite);
        assert!(sql.contains("name_folded LIKE $1"), "{sql}");
        // A pasted product path finds its product by slug.
        let (_, binds) = conditions(&ProductFilter { q: "/p/Oak-Stool".into(), ..Default::default() }, 0, Backend::Postgres);
        assert!(matches!(&binds[1], Bind::Text(t) if t == "oak-stool"));
    }
}
