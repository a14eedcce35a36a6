//! `oxcart seed`: a deterministic demo catalog of any size, written in batches so
//! memory stays flat from 100 to 1,000,000 products.

mod data;
mod reviews;

use crate::splitmix::SplitMix64;
use app::domain::Slug;
use app::ssr::db::placeholders;
use app::ssr::{Backend, Db};
use data::{ADJECTIVES, COLOURS, DEPARTMENTS, SELLERS};
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
    /// Options (name, values) where shops have them: clothes by size and
    /// colour, shoes by size, phones and laptops by storage; none elsewhere.
    pub options: Vec<(&'static str, Vec<&'static str>)>,
    /// At least one; the first has the product's id, price and SKU.
    pub variants: Vec<DemoVariant>,
    /// Published; `rating_avg` and `rating_count` are theirs.
    pub reviews: Vec<reviews::DemoReview>,
}

/// A generated variant: its values (one per option), price and stock.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoVariant {
    pub id: i64,
    pub sku: String,
    pub values: Vec<&'static str>,
    pub price_minor: i64,
    pub stock: i64,
}

/// The options of a product of aisle `a` of department `d` (see [`DemoProduct::options`]).
fn demo_options(d: usize, a: usize, rng: &mut SplitMix64) -> Vec<(&'static str, Vec<&'static str>)> {
    match (DEPARTMENTS[d].name, a) {
        ("Fashion", 0..=3) => {
            let first = rng.below(COLOURS.len() as u64) as usize;
            let second = (first + 1 + rng.below(COLOURS.len() as u64 - 1) as usize) % COLOURS.len();
            vec![("Size", vec!["S", "M", "L", "XL"]), ("Colour", vec![COLOURS[first], COLOURS[second]])]
        }
        ("Fashion", 4) => vec![("Size", vec!["40", "41", "42", "43", "44", "45"])],
        ("Electronics", 0 | 1) => vec![("Storage", vec!["128 GB", "256 GB", "512 GB"])],
        _ => Vec::new(),
    }
}

/// The variants of a product with `options`, its `price_minor` and `stock`
/// shared out between them (storage costs more the more there is).
fn demo_variants(
    id: i64,
    options: &[(&'static str, Vec<&'static str>)],
    price_minor: i64,
    stock: i64,
    rng: &mut SplitMix64,
) -> Vec<DemoVariant> {
    let mut combos: Vec<Vec<&'static str>> = vec![Vec::new()];
    for (_, values) in options {
        combos = combos.into_iter().flat_map(|c| values.iter().map(move |v| [c.clone(), vec![*v]].concat())).collect();
    }
    let count = combos.len() as i64;
    let mut left = stock;
    combos
        .into_iter()
        .enumerate()
        .map(|(k, values)| {
            let k = k as i64;
            // Each variant an uneven share; the last takes what is left, so they sum to `stock`.
            let share = if k == count - 1 { left } else { (left as f64 * (0.2 + rng.unit() * 0.5)).round() as i64 };
            left -= share;
            let step = if options.first().is_some_and(|(name, _)| *name == "Storage") { k * 10_000 } else { 0 };
            let letters: String = values.iter().map(|v| v.chars().filter(char::is_ascii_alphanumeric).collect::<String>()).collect::<Vec<_>>().join("-");
            DemoVariant {
                id: if k == 0 { id } else { MAX_PRODUCTS as i64 + (id - 1) * 100 + k },
                sku: if letters.is_empty() { format!("SKU-{id}") } else { format!("SKU-{id}-{}", letters.to_ascii_uppercase()) },
                values,
                price_minor: price_minor + step,
                stock: share,
            }
        })
        .collect()
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
    // How much shoppers talk of it, and the rating its reviews centre on.
    let buzz = if rng.below(10) == 0 { 0 } else { (rng.unit().powi(3) * 2000.0) as i64 + 1 };
    let mean = if buzz == 0 { 0.0 } else { (30.0 + rng.unit() * 20.0).round() / 10.0 };
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
        rating_avg: 0.0,
        rating_count: 0,
        popularity: buzz * 3 + rng.below(500) as i64,
        created_at: EPOCH - rng.below(730 * 86_400) as i64,
        attributes,
        image_count: 2 + rng.below(3) as i64,
        options: Vec::new(),
        variants: Vec::new(),
        reviews: Vec::new(),
    }
    .with_variants(seed, index, d, a)
    .with_reviews(seed, index, buzz, mean)
}

impl DemoProduct {
    /// Its reviews, from a generator of their own, and the rating they make.
    fn with_reviews(mut self, seed: u64, index: u64, buzz: i64, mean: f64) -> Self {
        let mut rng = product_rng(seed ^ 0x7265_7669_6577_7321, index);
        self.reviews = reviews::generate(&mut rng, buzz, mean, self.created_at, EPOCH);
        (self.rating_avg, self.rating_count) = reviews::rating(&self.reviews);
        self
    }

    /// Its options and variants, from a generator of their own (the
    /// product's other fields stay as they were before variants came).
    /// An option replaces the attribute of its name.
    fn with_variants(mut self, seed: u64, index: u64, d: usize, a: usize) -> Self {
        let mut rng = product_rng(seed ^ 0x7661_7269_616E_7473, index);
        self.options = demo_options(d, a, &mut rng);
        let options = self.options.clone();
        self.attributes.retain(|(name, _)| !options.iter().any(|(o, _)| o == name));
        self.variants = demo_variants(self.id, &options, self.price_minor, self.stock, &mut rng);
        self
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
        "INSERT INTO inventory_ledger (product_id, variant_id, delta, reason, actor, at) \
         SELECT v.product_id, v.id, v.stock, 'opening', 'seed', v.created_at FROM product_variants v",
    )
    .execute(&db.pool)
    .await
    .map_err(|e| format!("could not write the inventory ledger: {e}"))?;
    // Their popularity is the shoppers' interest so far, which decays from
    // today (app/src/ssr/catalog/popularity.rs).
    sqlx::query(&format!(
        "INSERT INTO product_heat (product_id, heat) SELECT id, popularity / {:?} FROM products WHERE popularity > 0",
        app::ssr::catalog::popularity::SCALE
    ))
    .execute(&db.pool)
    .await
    .map_err(|e| format!("could not write the products' popularity: {e}"))?;
    if db.backend == Backend::Postgres {
        for table in ["categories", "brands", "sellers", "products", "product_variants"] {
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
        "DELETE FROM product_heat",
        "DELETE FROM co_purchases",
        // Order events start again from id 1: the chores read them all again.
        "UPDATE popularity_state SET paid_seen = 0",
        "UPDATE co_purchase_state SET paid_seen = 0",
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
        "DELETE FROM review_votes",
        "DELETE FROM review_reports",
        "DELETE FROM reviews",
        "DELETE FROM product_attributes",
        "DELETE FROM product_images",
        "DELETE FROM product_options",
        "DELETE FROM product_variants",
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

    let reviews: Vec<(i64, &reviews::DemoReview)> = batch.iter().flat_map(|p| p.reviews.iter().map(move |r| (p.id, r))).collect();
    for chunk in reviews.chunks(1000) {
        let sql = multi_insert(
            "reviews",
            &["product_id", "author", "rating", "title", "body", "status", "helpful", "created_at", "updated_at"],
            chunk.len(),
        );
        let mut q = sqlx::query(&sql);
        for (product, r) in chunk {
            q = q.bind(*product).bind(&r.author).bind(r.rating).bind(r.title).bind(&r.body).bind("published").bind(r.helpful).bind(r.at).bind(r.at);
        }
        q.execute(&mut *tx).await?;
    }

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

    let options: Vec<(i64, i64, &str)> = batch
        .iter()
        .flat_map(|p| p.options.iter().enumerate().map(|(i, (name, _))| (p.id, i as i64 + 1, *name)))
        .collect();
    if !options.is_empty() {
        let sql = multi_insert("product_options", &["product_id", "position", "name"], options.len());
        let mut q = sqlx::query(&sql);
        for (id, position, name) in options {
            q = q.bind(id).bind(position).bind(name);
        }
        q.execute(&mut *tx).await?;
    }
    // A statement's parameters are limited (SQLite: 32,766): variants go 250 products at a time at most.
    let variants: Vec<(&DemoProduct, i64, &DemoVariant)> =
        batch.iter().flat_map(|p| p.variants.iter().enumerate().map(move |(k, v)| (p, k as i64, v))).collect();
    for chunk in variants.chunks(1000) {
        let sql = multi_insert(
            "product_variants",
            &["id", "product_id", "position", "sku", "option1", "option2", "option3", "price_minor", "stock", "weight_grams", "created_at"],
            chunk.len(),
        );
        let mut q = sqlx::query(&sql);
        for (p, position, v) in chunk {
            let value = |i: usize| v.values.get(i).copied().unwrap_or("");
            q = q
                .bind(v.id)
                .bind(p.id)
                .bind(*position)
                .bind(&v.sku)
                .bind(value(0))
                .bind(value(1))
                .bind(value(2))
                .bind(v.price_minor)
                .bind(v.stock)
                .bind(p.weight_grams)
                .bind(p.created_at);
        }
        q.execute(&mut *tx).await?;
    }
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
            assert_eq!(p.rating_count, p.reviews.len() as i64, "the rating is its reviews'");
            assert!(p.reviews.iter().all(|r| (1..=5).contains(&r.rating) && r.at >= p.created_at && r.at <= EPOCH));
            if p.rating_count > 0 {
                let sum: i64 = p.reviews.iter().map(|r| r.rating).sum();
                assert!((p.rating_avg - sum as f64 / p.rating_count as f64).abs() < 1e-9);
            }
            assert!((2..=4).contains(&p.image_count));
            assert!(p.category_id > DEPARTMENTS.len() as i64 && p.category_id <= 48);
            assert!(p.created_at <= EPOCH);
            assert_eq!(p.variants.iter().map(|v| v.stock).sum::<i64>(), p.stock);
            assert!(p.variants.iter().all(|v| v.stock >= 0 && v.price_minor >= p.price_minor));
            assert_eq!(p.variants[0].id, p.id);
            assert_eq!(p.variants.len(), p.options.iter().map(|(_, v)| v.len()).product::<usize>());
        }
        let reviewed = (0..2000).filter(|i| product(42, *i).rating_count > 0).count();
        assert!((1600..1950).contains(&reviewed), "about nine in ten have reviews: {reviewed}");
        let with_options = (0..2000).filter(|i| !product(42, *i).options.is_empty()).count();
        assert!((200..800).contains(&with_options), "{with_options}");
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
