//! The sitemap search engines read (sitemaps.org): an index naming one file
//! of listing pages (home, categories, brands) and the active products in
//! files of at most [`CHUNK`] addresses, each page with the day it last
//! changed. Read from the database when asked; the page cache keeps the
//! answers until the catalog changes (the change log), like any page.

use crate::domain::time::civil;
use crate::error::AppError;
use crate::ssr::db::Db;

/// Addresses per file: the protocol's limit.
pub const CHUNK: i64 = 50_000;

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;
const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// `YYYY-MM-DD` of Unix seconds (a W3C date).
fn day(secs: i64) -> String {
    let (year, month, day, _, _) = civil(secs);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `text` escaped for XML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

fn entry(out: &mut String, tag: &str, url: &str, changed: Option<i64>) {
    out.push_str(&format!("<{tag}><loc>{}</loc>", escape(url)));
    if let Some(at) = changed.filter(|at| *at > 0) {
        out.push_str(&format!("<lastmod>{}</lastmod>", day(at)));
    }
    out.push_str(&format!("</{tag}>\n"));
}

/// How many product files there are (at least one, empty when there are no
/// products), and when the newest active product changed.
async fn chunks(db: &Db) -> Result<(i64, Option<i64>), AppError> {
    let (count, changed): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MAX(updated_at) FROM products WHERE status = 'active'").fetch_one(&db.pool).await?;
    Ok((((count + CHUNK - 1) / CHUNK).max(1), changed))
}

/// `/sitemap.xml`: the index of the files below.
pub async fn index(db: &Db, public_url: &str) -> Result<String, AppError> {
    let (files, changed) = chunks(db).await?;
    let mut out = format!("{HEAD}\n<sitemapindex xmlns=\"{NS}\">\n");
    entry(&mut out, "sitemap", &format!("{public_url}/sitemap/listings.xml"), changed);
    for n in 1..=files {
        entry(&mut out, "sitemap", &format!("{public_url}/sitemap/products/{n}.xml"), changed);
    }
    out.push_str("</sitemapindex>\n");
    Ok(out)
}

/// The home page, every category and every brand that has active products,
/// each changed when its newest product did.
pub async fn listings(db: &Db, public_url: &str) -> Result<String, AppError> {
    let (_, newest) = chunks(db).await?;
    // A department lists its aisles' products too.
    let categories: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT c.slug, (SELECT MAX(p.updated_at) FROM products p \
                         WHERE p.status = 'active' AND (p.category_id = c.id OR p.department_id = c.id)) \
         FROM categories c ORDER BY c.id",
    )
    .fetch_all(&db.pool)
    .await?;
    let brands: Vec<(String, i64)> = sqlx::query_as(
        "SELECT b.slug, MAX(p.updated_at) FROM brands b JOIN products p ON p.brand_id = b.id \
         WHERE p.status = 'active' GROUP BY b.id, b.slug ORDER BY b.id",
    )
    .fetch_all(&db.pool)
    .await?;
    let mut out = format!("{HEAD}\n<urlset xmlns=\"{NS}\">\n");
    entry(&mut out, "url", &format!("{public_url}/"), newest);
    for (slug, changed) in categories {
        entry(&mut out, "url", &format!("{public_url}/c/{slug}"), changed);
    }
    for (slug, changed) in brands {
        entry(&mut out, "url", &format!("{public_url}/b/{slug}"), Some(changed));
    }
    out.push_str("</urlset>\n");
    Ok(out)
}

/// Product file `n` (from 1): the active products in id order, `None` past the last file.
pub async fn products(db: &Db, public_url: &str, n: i64) -> Result<Option<String>, AppError> {
    let (files, _) = chunks(db).await?;
    if !(1..=files).contains(&n) {
        return Ok(None);
    }
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT slug, updated_at FROM products WHERE status = 'active' ORDER BY id LIMIT $1 OFFSET $2",
    )
    .bind(CHUNK)
    .bind((n - 1) * CHUNK)
    .fetch_all(&db.pool)
    .await?;
    let mut out = String::with_capacity(rows.len() * 120 + 200);
    out.push_str(&format!("{HEAD}\n<urlset xmlns=\"{NS}\">\n"));
    for (slug, changed) in rows {
        entry(&mut out, "url", &format!("{public_url}/p/{slug}"), Some(changed));
    }
    out.push_str("</urlset>\n");
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_escaped_and_dated() {
        let mut out = String::new();
        entry(&mut out, "url", "https://shop.test/search?q=a&b", Some(1_765_000_000));
        entry(&mut out, "url", "https://shop.test/", None);
        assert_eq!(
            out,
            "<url><loc>https://shop.test/search?q=a&amp;b</loc><lastmod>2025-12-06</lastmod></url>\n<url><loc>https://shop.test/</loc></url>\n"
        );
    }
}
