//! How good "customers who bought this also bought" is, offline: a purchase
//! history with the structure of a real shop's (a product is often bought
//! with its accessories, the same brand's products from the other aisles
//! of its department, and customers come back for more of them, besides
//! popular things), the last order
//! of each customer held out, and the rest learned through the chore that
//! learns the shop's orders (`ssr/recommend/co_purchase.rs`). For each
//! customer, the product page of the first thing they bought recommends ten
//! products (`co_purchase::also_bought`, as the page asks); a hit is one
//! they bought in the held-out order. The baseline recommends the ten
//! products bought most often. Prints both hit rates@10 and fails unless
//! co-purchase beats the baseline.

use app::ssr::recommend::co_purchase;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The API suite's helpers, for a fresh database on the engine under test.
#[allow(dead_code, unused_imports)]
#[path = "api/helpers/mod.rs"]
mod helpers;

const CUSTOMERS: usize = 3_000;

/// A small deterministic random source (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    /// An index below `n`, the first ones far likelier (roughly Zipf's law).
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

#[tokio::test]
async fn co_purchase_beats_popularity_on_held_out_orders() {
    let dir = tempfile::tempdir().unwrap();
    let url = helpers::fresh_database_url(dir.path()).await;
    let db = oxcart::db::connect(&url, 4).await.unwrap();
    oxcart::db::migrate(&db).await.unwrap();
    oxcart::seed::seed(&db, 2_000, 42, false, false).await.unwrap();

    // Products for sale, most popular first, with their department, aisle and brand.
    let products: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT p.id, v.id, p.department_id, p.category_id, p.brand_id FROM products p \
         JOIN product_variants v ON v.id = (SELECT MIN(id) FROM product_variants WHERE product_id = p.id) \
         WHERE p.status = 'active' AND p.stock > 0 ORDER BY p.popularity DESC, p.id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let variant: HashMap<i64, i64> = products.iter().map(|p| (p.0, p.1)).collect();
    // A product's accessories: the same brand's products in the other aisles of its department.
    let mut by_department_brand: BTreeMap<(i64, i64), Vec<(i64, i64)>> = BTreeMap::new();
    for &(id, _, department, category, brand) in &products {
        by_department_brand.entry((department, brand)).or_default().push((id, category));
    }
    let accessories = |id: i64, department: i64, category: i64, brand: i64| -> Vec<i64> {
        by_department_brand[&(department, brand)].iter().filter(|(other, c)| *other != id && *c != category).map(|(o, _)| *o).take(4).collect()
    };

    // Each customer: a first order with a product (popular ones likelier),
    // often with one of its accessories, then two or three more orders, each
    // mostly accessories of it, else something popular.
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut history: Vec<(i64, Vec<Vec<i64>>)> = Vec::with_capacity(CUSTOMERS);
    for _ in 0..CUSTOMERS {
        let &(anchor, _, department, category, brand) = &products[rng.skewed(products.len())];
        let kit = accessories(anchor, department, category, brand);
        let mut first = vec![anchor];
        if !kit.is_empty() && rng.chance(60) {
            first.push(kit[rng.below(kit.len())]);
        }
        let mut orders = vec![first];
        for _ in 0..2 + rng.below(2) {
            let mut order = Vec::new();
            if !kit.is_empty() && rng.chance(70) {
                for _ in 0..1 + rng.below(2) {
                    order.push(kit[rng.below(kit.len())]);
                }
            }
            if order.is_empty() || rng.chance(30) {
                order.push(products[rng.skewed(products.len())].0);
            }
            order.sort_unstable();
            order.dedup();
            orders.push(order);
        }
        history.push((anchor, orders));
    }

    // Every order but each customer's last is paid an hour ago; the chore learns them.
    let at = app::ssr::now() - 3_600;
    let mut bought: HashMap<i64, i64> = HashMap::new();
    let mut tx = db.pool.begin().await.unwrap();
    let mut id = 0i64;
    for (customer, (_, orders)) in history.iter().enumerate() {
        for order in &orders[..orders.len() - 1] {
            id += 1;
            sqlx::query(
                "INSERT INTO orders (id, number, idempotency_key, request_hash, email, status, currency, subtotal_minor, \
                   discount_minor, shipping_minor, tax_minor, total_minor, shipping_method, ship_to, reserved_until, stock_held, \
                   access_token, created_at, updated_at) \
                 VALUES ($1, $2, $2, '', $3, 'delivered', 'USD', 1000, 0, 0, 0, 1000, 'standard', '{}', 0, 0, 'x', $4, $4)",
            )
            .bind(id)
            .bind(format!("EVAL-{id}"))
            .bind(format!("customer{customer}@example.com"))
            .bind(at)
            .execute(&mut *tx)
            .await
            .unwrap();
            sqlx::query("INSERT INTO order_events (order_id, at, actor, from_status, to_status) VALUES ($1, $2, 'payment', 'pending-payment', 'paid')")
                .bind(id)
                .bind(at)
                .execute(&mut *tx)
                .await
                .unwrap();
            for product in order {
                *bought.entry(*product).or_default() += 1;
                sqlx::query(
                    "INSERT INTO order_lines (order_id, variant_id, product_id, name, sku, unit_price_minor, quantity) VALUES ($1, $2, $3, 'x', 'x', 1000, 1)",
                )
                .bind(id)
                .bind(variant[product])
                .bind(*product)
                .execute(&mut *tx)
                .await
                .unwrap();
            }
        }
    }
    tx.commit().await.unwrap();
    let mut learned = 0;
    loop {
        let round = co_purchase::refresh(&db).await.unwrap();
        if round == 0 {
            break;
        }
        learned += round;
    }
    assert_eq!(learned as i64, id, "every paid order learned once");

    // The baseline: the ten products bought most often.
    let mut popular: Vec<(i64, i64)> = bought.iter().map(|(p, n)| (*p, *n)).collect();
    popular.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let popular: Vec<i64> = popular.iter().take(10).map(|(p, _)| *p).collect();

    let mut conn = db.pool.acquire().await.unwrap();
    let (mut co_hits, mut popular_hits) = (0, 0);
    for (anchor, orders) in &history {
        let held_out: HashSet<i64> = orders.last().unwrap().iter().copied().collect();
        // They come back to the page of what they bought first.
        let looking_at = *anchor;
        let recommended = co_purchase::also_bought(&mut conn, looking_at, 10).await.unwrap();
        assert!(recommended.len() <= 10 && !recommended.contains(&looking_at));
        co_hits += usize::from(recommended.iter().any(|p| held_out.contains(p)));
        popular_hits += usize::from(popular.iter().any(|p| held_out.contains(p)));
    }
    let (co, base) = (co_hits as f64 / CUSTOMERS as f64, popular_hits as f64 / CUSTOMERS as f64);
    println!("recommendations on {CUSTOMERS} customers' held-out last orders ({id} orders learned):");
    println!("  hit rate@10, co-purchase:          {co:.3} ({co_hits}/{CUSTOMERS})");
    println!("  hit rate@10, most bought (baseline): {base:.3} ({popular_hits}/{CUSTOMERS})");
    assert!(co > base, "co-purchase {co:.3} does not beat the popularity baseline {base:.3}");
}
