//! Reading products from the database in the shape of search documents.

use super::schema::Fields;
use crate::error::AppError;
use crate::ssr::db::{placeholders, Db};
use std::collections::HashMap;
use tantivy::schema::Facet;
use tantivy::TantivyDocument;

/// Everything the index holds about one product.
#[derive(Clone, Debug)]
pub struct ProductDoc {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub brand: String,
    pub department: (String, String),
    pub aisle: (String, String),
    pub price_minor: i64,
    pub currency: String,
    pub stock: i64,
    pub rating_avg: f64,
    pub rating_count: i64,
    pub popularity: i64,
    pub created_at: i64,
    pub image: String,
    pub attributes: Vec<(String, String)>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    slug: String,
    name: String,
    description: String,
    brand: String,
    dept_slug: String,
    dept_name: String,
    aisle_slug: String,
    aisle_name: String,
    price_minor: i64,
    currency: String,
    stock: i64,
    rating_avg: f64,
    rating_count: i64,
    popularity: i64,
    created_at: i64,
    image: String,
}

const SELECT: &str = "SELECT p.id, p.slug, p.name, p.description, b.name AS brand, \
     d.slug AS dept_slug, d.name AS dept_name, c.slug AS aisle_slug, c.name AS aisle_name, \
     p.price_minor, p.currency, p.stock, p.rating_avg, p.rating_count, p.popularity, p.created_at, \
     COALESCE(i.url, '') AS image \
     FROM products p JOIN brands b ON b.id = p.brand_id \
     JOIN categories c ON c.id = p.category_id JOIN categories d ON d.id = p.department_id \
     LEFT JOIN product_images i ON i.product_id = p.id AND i.position = 0";

/// Up to `limit` products with ids above `after`, in id order.
pub async fn batch_after(db: &Db, after: i64, limit: i64) -> Result<Vec<ProductDoc>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} WHERE p.id > $1 AND p.status = 'active' ORDER BY p.id LIMIT $2"))
        .bind(after)
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    let (Some(first), Some(last)) = (rows.first().map(|r| r.id), rows.last().map(|r| r.id)) else {
        return Ok(Vec::new());
    };
    let attrs: Vec<(i64, String, String)> = sqlx::query_as(&facet_values(|t| format!("{t}.product_id >= $1 AND {t}.product_id <= $2")))
    .bind(first)
    .bind(last)
    .fetch_all(&db.pool)
    .await?;
    Ok(assemble(rows, attrs))
}

/// The products among `ids` that still exist and are on sale (drafts and
/// archived products leave the index).
pub async fn by_ids(db: &Db, ids: &[i64]) -> Result<Vec<ProductDoc>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(1, ids.len());
    let rows_sql = format!("{SELECT} WHERE p.status = 'active' AND p.id IN ({list})");
    let attrs_sql = facet_values(|t| format!("{t}.product_id IN ({list})"));
    let mut rows = sqlx::query_as::<_, Row>(&rows_sql);
    let mut attrs = sqlx::query_as::<_, (i64, String, String)>(&attrs_sql);
    for id in ids {
        rows = rows.bind(*id);
        attrs = attrs.bind(*id);
    }
    Ok(assemble(rows.fetch_all(&db.pool).await?, attrs.fetch_all(&db.pool).await?))
}

/// The attributes and option values (every value some variant has: a
/// search for "red" finds a product whose only red thing is a variant) of
/// the products `which` (a condition on the table it is given) selects, as
/// (product, name, value) in their order. An option replaces an attribute
/// of the same name.
fn facet_values(which: impl Fn(&str) -> String) -> String {
    let (a, o) = (which("a"), which("o"));
    format!(
        "SELECT product_id, name, value FROM ( \
             SELECT a.product_id, a.name, a.value, a.position AS pos FROM product_attributes a WHERE {a} \
                 AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = a.product_id AND o.name = a.name) \
             UNION \
             SELECT o.product_id, o.name, CASE o.position WHEN 1 THEN v.option1 WHEN 2 THEN v.option2 ELSE v.option3 END, \
                 1000 + o.position FROM product_options o JOIN product_variants v ON v.product_id = o.product_id WHERE {o} \
         ) t ORDER BY product_id, pos, name, value"
    )
}

fn assemble(rows: Vec<Row>, attrs: Vec<(i64, String, String)>) -> Vec<ProductDoc> {
    let mut by_product: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    for (id, name, value) in attrs {
        by_product.entry(id).or_default().push((name, value));
    }
    rows.into_iter()
        .map(|r| ProductDoc {
            attributes: by_product.remove(&r.id).unwrap_or_default(),
            id: r.id,
            slug: r.slug,
            name: r.name,
            description: r.description,
            brand: r.brand,
            department: (r.dept_slug, r.dept_name),
            aisle: (r.aisle_slug, r.aisle_name),
            price_minor: r.price_minor,
            currency: r.currency,
            stock: r.stock,
            rating_avg: r.rating_avg,
            rating_count: r.rating_count,
            popularity: r.popularity,
            created_at: r.created_at,
            image: r.image,
        })
        .collect()
}

impl ProductDoc {
    /// The tantivy document for this product.
    pub fn to_document(&self, f: &Fields) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_u64(f.id, self.id as u64);
        doc.add_text(f.slug, &self.slug);
        doc.add_text(f.name, &self.name);
        doc.add_text(f.brand, &self.brand);
        doc.add_text(f.description, &self.description);
        doc.add_facet(f.brand_facet, Facet::from_path([self.brand.as_str()]));
        let (dept, aisle) = (&self.department, &self.aisle);
        doc.add_text(f.category, &dept.1);
        if aisle.0 == dept.0 {
            doc.add_facet(f.category_facet, Facet::from_path([dept.0.as_str()]));
        } else {
            doc.add_text(f.category, &aisle.1);
            doc.add_facet(f.category_facet, Facet::from_path([dept.0.as_str(), aisle.0.as_str()]));
        }
        for (name, value) in &self.attributes {
            doc.add_text(f.attributes, value);
            doc.add_facet(f.attribute_facet, Facet::from_path([name.as_str(), value.as_str()]));
        }
        doc.add_u64(f.price, self.price_minor.max(0) as u64);
        doc.add_text(f.currency, &self.currency);
        doc.add_f64(f.rating, self.rating_avg);
        doc.add_u64(f.rating_count, self.rating_count.max(0) as u64);
        doc.add_u64(f.in_stock, u64::from(self.stock > 0));
        doc.add_u64(f.popularity, self.popularity.max(0) as u64);
        doc.add_f64(f.boost, popularity_boost(self.popularity));
        doc.add_i64(f.created, self.created_at);
        doc.add_text(f.image, &self.image);
        doc
    }
}

/// Relevance with a light popularity boost: popular products win ties and
/// near-ties, never over a clearly better match.
fn popularity_boost(popularity: i64) -> f64 {
    1.0 + (popularity.max(0) as f64).ln_1p() / 40.0
}
