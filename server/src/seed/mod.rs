//! `oxcart seed`: a deterministic demo catalog of any size, written in batches so
//! memory stays flat from 100 to 1,000,000 products.

mod data;

use crate::splitmix::SplitMix64;
use app::domain::Slug;
use app::ssr::db::placeholders;
use app::ssr::{Backend, Db};
use data::{ADJECTIVES, DEPARTMENTS, SELLERS};
use indicatif::{ProgressBar, ProgressStyle};

/// Products written per transaction.
const BATCH: u64 = 250;
/// Largest catalog `seed` will generate.
pub const MAX_PRODUCTS: u64 = 5_000_000;
/// "Now" for the generated catalog (2026-11-01 UTC), so output never depends on the clock.
const EPOCH: i64 = 1_793_491_200;

/// A generated product with everything that goes into the database.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoProduct {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub brand_id: i64,
    pub category_id: i64,
    pub department_id: i64,
    pub seller_id: Option<i64>,
    pub price_minor: i64,
    pub stock: i64,
    pub weight_grams: i64,
    pub rating_avg: f64,
    pub rating_count: i64,
    pub popularity: i64,
    pub created_at: i64,
    pub attributes: Vec<(&'static str, &'static str)>,
    pub image_count: i64,
}

/// The generator for product `index` of the catalog from `seed`.
fn product_rng(seed: u64, index: u64) -> SplitMix64 {
    let mut r = SplitMix64(seed ^ index.wrapping_mul(0xA24B_AED4_963E_E407));
    r.next();
    r
}

fn department_id(d: usize) -> i64 {
    d as i64 + 1
}
fn aisle_id(d: usize, a: usize) -> i64 {
    (DEPARTMENTS.len() + d * 5 + a) as i64 + 1
}
fn brand_id(d: usize, b: usize) -> i64 {
    (d * 5 + b) as i64 + 1
}

/// Product number `index` (0-based) of the catalog generated from `seed`.
pub fn product(seed: u64, index: u64) -> DemoProduct {
    let mut rng = product_rng(seed, index);
    let d = rng.below(DEPARTMENTS.len() as u64) as usize;
    let dept = &DEPARTMENTS[d];
    let a = rng.below(5) as usize;
    let aisle = &dept.aisles[a];
    let b = rng.below(5) as usize;
    let brand = dept.brands[b];
    let noun = rng.pick(aisle.nouns);
    let adjective = rng.pick(ADJECTIVES);
    let model = match rng.below(3) {
        0 => format!("{}{}", (b'A' + rng.below(26) as u8) as char, 2 + rng.below(98)),
        1 => format!("Series {}", 1 + rng.below(9)),
        _ => format!("{}", 100 + rng.below(900)),
    };
    let name = format!("{brand} {adjective} {noun} {model}");
    let slug = format!("{}-{}", Slug::from_title(&name), radix36(index + 1));

    let attributes: Vec<(&str, &str)> = dept.attributes.iter().map(|(k, vs)| (*k, rng.pick(vs))).collect();
    let f1 = rng.pick(dept.features);
    let f2 = dept.features.iter().copied().find(|f| *f != f1 && rng.below(3) == 0).unwrap_or(dept.features[0]);
    let details = attributes.iter().map(|(k, v)| format!("{} {}", k.to_lowercase(), v)).collect::<Vec<_>>().join(", ");
    let closing = rng.pick(&[
        "Free returns within 30 days.",
        "Ships within one working day.",
        "Backed by our price promise.",
        "Rated highly by customers who bought it.",
    ]);
    let description = format!(
        "The {name} combines {f1} with {f2}. Part of {brand}'s {} range, it comes with {details}. {closing}",
        aisle.name.to_lowercase()
    );

    let (lo, hi) = (aisle.price.0 as f64, aisle.price.1 as f64);
    let units = (lo * (hi / lo).powf(rng.unit())).round().max(1.0) as i64;
    let price_minor = if rng.below(4) == 0 { units * 100 } else { units * 100 - 1 };
    let stock = match rng.below(100) {
        0..=6 => 0,
        7..=16 => 1 + rng.below(5) as i64,
        _ => 6 + rng.below(495) as i64,
    };
    let rating_count = if rng.below(10) == 0 { 0 } else { (rng.unit().powi(3) * 2000.0) as i64 + 1 };
    let rating_avg = if rating_count == 0 { 0.0 } else { (30.0 + rng.unit() * 20.0).round() / 10.0 };
    let (wlo, whi) = aisle.weight;
    DemoProduct {
        id: index as i64 + 1,
        slug,
        name,
        description,
        brand_id: brand_id(d, b),
        category_id: aisle_id(d, a),
        department_id: department_id(d),
        seller_id: (rng.below(5) >= 2).then(|| 1 + rng.below(SELLERS.len() as u64) as i64),
        price_minor,
        stock,
        weight_grams: (wlo + rng.below((whi - wlo) as u64) as u32) as i64,
        rating_avg,
        rating_count,
        popularity: rating_count * 3 + rng.below(500) as i64,
        created_at: EPOCH - rng.below(730 * 86_400) as i64,
        attributes,
        image_count: 2 + rng.below(3) as i64,
    }
}

fn radix36(mut n: u64) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).expect("ascii")
}

/// Whether the catalog has no products yet.
pub async fn catalog_is_empty(db: &Db) -> Result<bool, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM (SELECT 1 FROM products LIMIT 1) t")
        .fetch_one(&db.pool)
        .await?;
    Ok(n == 0)
}

/// Writes the taxonomy and `count` products generated from `seed`. Refuses a
/// non-empty catalog unless `replace` is set, in which case it is wiped first.
pub async fn seed(db: &Db, count: u64, seed: u64, replace: bool, progress: bool) -> Result<(), String> {
    if count == 0 || count > MAX_PRODUCTS {
        return Err(format!("--products must be between 1 and {MAX_PRODUCTS}"));
    }
    let empty = catalog_is_empty(db).await.map_err(|e| e.to_string())?;
    if !empty && !replace {
        return Err("the catalog already has products; pass --replace to wipe and reseed it".into());
    }
    if replace {
        wipe(db).await.map_err(|e| format!("could not clear the catalog: {e}"))?;
    }
    insert_taxonomy(db).await.map_err(|e| format!("could not write categories: {e}"))?;

    let bar = progress_bar(count, progress);
    let mut start = 0;
    while start < count {
        let end = (start + BATCH).min(count);
        let batch: Vec<DemoProduct> = (start..end).map(|i| product(seed, i)).collect();
        insert_products(db, &batch).await.map_err(|e| format!("could not write products: {e}"))?;
        bar.inc(end - start);
        start = end;
    }
    bar.finish_and_clear();
    // The ledger explains every unit of stock from the start.
    sqlx::query(
        "INSERT INTO inventory_ledger (product_id, delta, reason, actor, at) \
         SELECT id, stock, 'opening', 'seed', updated_at FROM products",
    )
    .execute(&db.pool)
    .await
    .map_err(|e| format!("could not write the inventory ledger: {e}"))?;
    if db.backend == Backend::Postgres {
        for table in ["categories", "brands", "sellers", "products"] {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            ))
            .execute(&db.pool)
            .await
            .map_err(|e| e.to_string())?;
        }
    }
    tracing::info!(products = count, seed, "demo catalog written");
    Ok(())
}

async fn wipe(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    // Demo orders and carts refer to demo products: they go with them.
    for stmt in [
        "DELETE FROM cart_items",
        "DELETE FROM inventory_ledger",
        "DELETE FROM promo_redemptions",
        "DELETE FROM refunds",
        "DELETE FROM return_lines",
        "DELETE FROM returns",
        "DELETE FROM tracking_events",
        "DELETE FROM shipment_lines",
        "DELETE FROM shipments",
        "DELETE FROM order_events",
        "DELETE FROM payments",
        "DELETE FROM order_lines",
        "DELETE FROM orders",
        "DELETE FROM product_attributes",
        "DELETE FROM product_images",
        "DELETE FROM products",
        "DELETE FROM categories WHERE parent_id IS NOT NULL",
        "DELETE FROM categories",
        "DELETE FROM brands",
        "DELETE FROM sellers",
    ] {
        sqlx::query(stmt).execute(&mut *tx).await?;
    }
    tx.commit().await
}

async fn insert_taxonomy(db: &Db) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    for (d, dept) in DEPARTMENTS.iter().enumerate() {
        sqlx::query("INSERT INTO categories (id, parent_id, slug, name, description, position, created_at) VALUES ($1, NULL, $2, $3, $4, $5, $6)")
            .bind(department_id(d))
            .bind(Slug::from_title(dept.name).to_string())
            .bind(dept.name)
            .bind(dept.description)
            .bind(d as i64)
            .bind(EPOCH)
            .execute(&mut *tx)
            .await?;
        for (b, brand) in dept.brands.iter().enumerate() {
            sqlx::query("INSERT INTO brands (id, slug, name) VALUES ($1, $2, $3)")
                .bind(brand_id(d, b))
                .bind(Slug::from_title(brand).to_string())
                .bind(*brand)
                .execute(&mut *tx)
                .await?;
        }
    }
    for (d, dept) in DEPARTMENTS.iter().enumerate() {
        for (a, aisle) in dept.aisles.iter().enumerate() {
            sqlx::query("INSERT INTO categories (id, parent_id, slug, name, description, position, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(aisle_id(d, a))
                .bind(department_id(d))
                .bind(Slug::from_title(aisle.name).to_string())
                .bind(aisle.name)
                .bind(format!("{} from {}.", aisle.name, dept.brands.join(", ")))
                .bind(a as i64)
                .bind(EPOCH)
                .execute(&mut *tx)
                .await?;
        }
    }
    for (i, name) in SELLERS.iter().enumerate() {
        sqlx::query("INSERT INTO sellers (id, slug, name, created_at) VALUES ($1, $2, $3, $4)")
            .bind(i as i64 + 1)
            .bind(Slug::from_title(name).to_string())
            .bind(*name)
            .bind(EPOCH)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// `INSERT INTO table (columns) VALUES ($1, …), ($n, …), …` for `rows` rows.
fn multi_insert(table: &str, columns: &[&str], rows: usize) -> String {
    let n = columns.len();
    let values = (0..rows)
        .map(|r| format!("({})", placeholders(r * n + 1, n)))
        .collect::<Vec<_>>()
        .join(", ");
    format!("INSERT INTO {table} ({}) VALUES {values}", columns.join(", "))
}

async fn insert_products(db: &Db, batch: &[DemoProduct]) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let sql = multi_insert(
        "products",
        &["id", "slug", "name", "description", "brand_id", "category_id", "department_id", "seller_id", "price_minor", "currency",
          "stock", "weight_grams", "rating_avg", "rating_count", "popularity", "created_at", "updated_at"],
        batch.len(),
    );
    let mut q = sqlx::query(&sql);
    for p in batch {
        q = q
            .bind(p.id)
            .bind(&p.slug)
            .bind(&p.name)
            .bind(&p.description)
            .bind(p.brand_id)
            .bind(p.category_id)
            .bind(p.department_id)
            .bind(p.seller_id)
            .bind(p.price_minor)
            .bind("USD")
            .bind(p.stock)
            .bind(p.weight_grams)
            .bind(p.rating_avg)
            .bind(p.rating_count)
            .bind(p.popularity)
            .bind(p.created_at)
            .bind(p.created_at);
    }
    q.execute(&mut *tx).await?;

    let images: Vec<(i64, i64, String, String)> = batch
        .iter()
        .flat_map(|p| {
            (0..p.image_count).map(move |n| {
                (p.id, n, format!("/media/product/{}-{n}.svg", p.id), format!("{}, view {}", p.name, n + 1))
            })
        })
        .collect();
    let sql = multi_insert("product_images", &["product_id", "position", "url", "alt"], images.len());
    let mut q = sqlx::query(&sql);
    for (id, n, url, alt) in images {
        q = q.bind(id).bind(n).bind(url).bind(alt);
    }
    q.execute(&mut *tx).await?;

    let attrs: Vec<(i64, &str, &str, i64)> = batch
        .iter()
        .flat_map(|p| p.attributes.iter().enumerate().map(|(i, (k, v))| (p.id, *k, *v, i as i64)))
        .collect();
    let sql = multi_insert("product_attributes", &["product_id", "name", "value", "position"], attrs.len());
    let mut q = sqlx::query(&sql);
    for (id, k, v, pos) in attrs {
        q = q.bind(id).bind(k).bind(v).bind(pos);
    }
    q.execute(&mut *tx).await?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_are_deterministic_and_valid() {
        assert_eq!(product(42, 7), product(42, 7));
        assert_ne!(product(42, 7), product(43, 7));
        for i in 0..2000 {
            let p = product(42, i);
            assert!(Slug::parse(&p.slug).is_some(), "{}", p.slug);
            assert!(p.price_minor > 0 && p.stock >= 0);
            assert!((0.0..=5.0).contains(&p.rating_avg));
            assert!((2..=4).contains(&p.image_count));
            assert!(p.category_id > DEPARTMENTS.len() as i64 && p.category_id <= 48);
            assert!(p.created_at <= EPOCH);
        }
    }

    #[test]
    fn slugs_are_unique() {
        let slugs: std::collections::HashSet<String> = (0..5000).map(|i| product(1, i).slug).collect();
        assert_eq!(slugs.len(), 5000);
    }

    #[test]
    fn multi_insert_numbers_every_row() {
        assert_eq!(multi_insert("t", &["a", "b"], 2), "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)");
    }
}

/// A terminal progress bar over `len` products (hidden when `visible` is false).
pub fn progress_bar(len: u64, visible: bool) -> ProgressBar {
    let bar = if visible { ProgressBar::new(len) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} products  {per_sec}  eta {eta}").expect("valid template"),
    );
    bar
}
