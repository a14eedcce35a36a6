//! Migrations on data, not only on an empty schema: a database migrated up
//! to just before variants and filled the way that code wrote it (a product
//! with stock and its ledger, a cart, an order with a parcel and a return)
//! takes the variants migration on both engines, and every product, cart
//! line, order line, parcel, return and ledger line then names the product's
//! default variant, which the code after reads and sells; the columns the
//! back office's list keeps (folded name, low variants) are filled and kept;
//! orders from before taxes by class get their lines' discount and tax;
//! mails about an order name it.

use crate::helpers::fresh_database_url;
use app::ssr::Backend;

/// The first migration that knows variants.
const VARIANTS: &str = "20261205000001";

/// The engine's migration files before [`VARIANTS`], copied into `into`.
fn migrations_before_variants(backend: Backend, into: &std::path::Path) {
    let engine = if backend == Backend::Postgres { "postgres" } else { "sqlite" };
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations").join(engine);
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.as_str() < VARIANTS {
            std::fs::copy(&path, into.join(&name)).unwrap();
        }
    }
}

#[tokio::test]
async fn a_database_filled_before_variants_keeps_its_products_carts_and_orders() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let db = oxcart::db::connect(&url, 2).await.unwrap();
    let old = dir.path().join("old-migrations");
    std::fs::create_dir(&old).unwrap();
    migrations_before_variants(db.backend, &old);
    sqlx::migrate::Migrator::new(old.as_path()).await.unwrap().run(&db.pool).await.unwrap();

    // As the code before variants wrote them.
    for sql in [
        "INSERT INTO categories (id, parent_id, slug, name, created_at) VALUES (1, NULL, 'home', 'Home', 0)",
        "INSERT INTO brands (id, slug, name) VALUES (1, 'oak', 'Oak & Co')",
        "INSERT INTO products (id, slug, name, description, brand_id, category_id, department_id, price_minor, currency, stock, \
             weight_grams, low_stock_threshold, created_at, updated_at, compare_at_minor) \
         VALUES (7, 'oak-stool', 'Oak stool', 'Planed.', 1, 1, 1, 4500, 'USD', 9, 3000, 2, 0, 0, 6000)",
        "INSERT INTO inventory_ledger (product_id, delta, reason, actor, at) VALUES (7, 12, 'opening', 'seed', 0)",
        "INSERT INTO inventory_ledger (product_id, delta, reason, order_id, actor, at) VALUES (7, -3, 'reserved', NULL, 'checkout', 1)",
        "INSERT INTO carts (id, token, updated_at) VALUES (1, 'guest-token', 0)",
        "INSERT INTO cart_items (cart_id, list, product_id, quantity, added_at) VALUES (1, 'cart', 7, 2, 0)",
        "INSERT INTO orders (id, number, idempotency_key, request_hash, email, status, currency, subtotal_minor, discount_minor, \
             shipping_minor, tax_minor, total_minor, shipping_method, ship_to, reserved_until, stock_held, access_token, \
             created_at, updated_at, customer) \
         VALUES (1, 'OX-OLDORDER', 'old-order-key-0001', 'h', 'old@example.com', 'return-requested', 'USD', 13500, 0, 0, 0, \
             13500, 'standard', '{\"id\":0,\"full_name\":\"A\",\"line1\":\"1 Road\",\"line2\":\"\",\"city\":\"Leeds\",\"region\":\"\",\"postal_code\":\"LS1\",\"country\":\"GB\",\"phone\":\"\"}', \
             0, 0, 'secret', 0, 0, 'email:old@example.com')",
        "INSERT INTO order_lines (order_id, product_id, name, unit_price_minor, quantity) VALUES (1, 7, 'Oak stool', 4500, 3)",
        "INSERT INTO shipments (id, order_id, carrier, tracking, shipped_at, delivered_at) VALUES (1, 1, 'DHL', 'T-1', 0, 1)",
        "INSERT INTO shipment_lines (shipment_id, product_id, quantity) VALUES (1, 7, 3)",
        "INSERT INTO returns (id, order_id, status, reason, requested_at, updated_at) VALUES (1, 1, 'requested', 'Wobbly', 2, 2)",
        "INSERT INTO return_lines (return_id, product_id, quantity) VALUES (1, 7, 1)",
        // Taxed at one rate for goods and shipping (20% of 81.00 + 5.00), 9.00 off.
        "INSERT INTO orders (id, number, idempotency_key, request_hash, email, status, currency, subtotal_minor, discount_minor, \
             shipping_minor, tax_minor, total_minor, shipping_method, ship_to, reserved_until, stock_held, access_token, \
             created_at, updated_at, customer) \
         SELECT 2, 'OX-OLDTAXED', 'old-order-key-0002', 'h', email, 'paid', 'USD', 9000, 900, 500, 1720, 10320, 'standard', \
             ship_to, 0, 0, 'secret2', 0, 0, customer FROM orders WHERE id = 1",
        "INSERT INTO order_lines (order_id, product_id, name, unit_price_minor, quantity) VALUES (2, 7, 'Oak stool', 4500, 2)",
        // Mail about the orders (and one that is not), before mails named their order.
        "INSERT INTO outbox_emails (id, to_address, subject, body, created_at, next_attempt_at, sent_at) VALUES \
             (1, 'old@example.com', 'Order OX-OLDORDER confirmed', 'b', 0, 0, 1), \
             (2, 'old@example.com', 'Order OX-OLDTAXED: delivery delayed', 'b', 0, 0, 1), \
             (3, 'old@example.com', 'Your Oxcart account', 'b', 0, 0, 1), \
             (4, 'someone@example.com', 'Order OX-OLDORDER shipped', 'b', 0, 0, 1)",
    ] {
        sqlx::query(sql).execute(&db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    oxcart::db::migrate(&db).await.unwrap();

    // Each order's mails name it; another address's mail with its number does not.
    let mails: Vec<(i64, Option<i64>)> = sqlx::query_as("SELECT id, order_id FROM outbox_emails ORDER BY id").fetch_all(&db.pool).await.unwrap();
    assert_eq!(mails, [(1, Some(1)), (2, Some(2)), (3, None), (4, None)]);

    // Orders placed before taxes by class: each line has its share of the
    // discount and of the goods' tax, shipping its own, at the order's one rate.
    let lines: Vec<(i64, i64, i64, i64)> =
        sqlx::query_as("SELECT order_id, tax_rate_bp, discount_minor, tax_minor FROM order_lines ORDER BY order_id").fetch_all(&db.pool).await.unwrap();
    assert_eq!(lines, [(1, 0, 0, 0), (2, 2000, 900, 1620)]);
    let (shipping_tax, shipping_bp, included): (i64, i64, i64) =
        sqlx::query_as("SELECT shipping_tax_minor, shipping_tax_bp, tax_included FROM orders WHERE id = 2").fetch_one(&db.pool).await.unwrap();
    assert_eq!((shipping_tax, shipping_bp, included), (100, 2000, 0));
    let taxed = app::ssr::orders::view::load(&db, 2).await.unwrap();
    assert_eq!(taxed.taxes, [app::domain::tax::RateTax { rate_bp: 2000, net: 8_600, tax: 1_720 }]);
    let (own,): (i64,) = sqlx::query_as("SELECT low_stock_own FROM product_variants WHERE id = 7").fetch_one(&db.pool).await.unwrap();
    assert_eq!(own, 1, "a threshold other than the old default (3) stays the variant's own");

    let variant: (i64, i64, String, i64, Option<i64>, i64, i64, i64) = sqlx::query_as(
        "SELECT id, product_id, sku, price_minor, compare_at_minor, stock, weight_grams, low_stock_threshold FROM product_variants",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    assert_eq!(variant, (7, 7, "SKU-7".into(), 4500, Some(6000), 9, 3000, 2), "the default variant, with the product's own id");
    let (ledger,): (i64,) = sqlx::query_as("SELECT CAST(SUM(delta) AS BIGINT) FROM inventory_ledger WHERE variant_id = 7")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(ledger, 9, "the ledger explains the variant's stock");
    let (cart,): (i64,) =
        sqlx::query_as("SELECT variant_id FROM cart_items WHERE cart_id = 1").fetch_one(&db.pool).await.unwrap();
    assert_eq!(cart, 7);
    let order = app::ssr::orders::view::load(&db, 1).await.unwrap();
    assert_eq!(order.lines.len(), 1);
    let line = &order.lines[0];
    assert_eq!((line.variant_id, line.product_id, line.sku.as_str(), line.variant.as_str()), (7, 7, "SKU-7", ""));
    assert_eq!(line.unshipped, 0, "the parcel still counts against its line");
    assert_eq!(order.shipments[0].items, [("Oak stool".to_string(), 3)]);
    assert_eq!(order.returns[0].items, [("Oak stool".to_string(), 1, None)]);

    // The code after sells it: the stock moves on the variant and the product follows.
    let mut tx = db.begin_write().await.unwrap();
    app::ssr::inventory::stock::take_stock(&mut tx, 1, 7, 4, "Oak stool", "https://shop.test").await.unwrap();
    tx.commit().await.unwrap();
    let (product, variant): (i64, i64) =
        sqlx::query_as("SELECT p.stock, v.stock FROM products p JOIN product_variants v ON v.product_id = p.id").fetch_one(&db.pool).await.unwrap();
    assert_eq!((product, variant), (5, 5));
    // What the back office's list keeps on the product: the folded name, and
    // its variants at or under their threshold (2) as the stock moves.
    let kept = || async {
        sqlx::query_as::<_, (String, i64)>("SELECT name_folded, low_variants FROM products WHERE id = 7").fetch_one(&db.pool).await.unwrap()
    };
    assert_eq!(kept().await, ("oak stool".to_string(), 0));
    let mut tx = db.begin_write().await.unwrap();
    app::ssr::inventory::stock::take_stock(&mut tx, 1, 7, 3, "Oak stool", "https://shop.test").await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(kept().await, ("oak stool".to_string(), 1), "2 left: low");
    sqlx::query("UPDATE products SET name = 'Oak Stool, Waxed' WHERE id = 7").execute(&db.pool).await.unwrap();
    sqlx::query("UPDATE product_variants SET low_stock_threshold = 1 WHERE id = 7").execute(&db.pool).await.unwrap();
    assert_eq!(kept().await, ("oak stool, waxed".to_string(), 0), "renamed, and a lower threshold: not low");
    if db.backend == Backend::Postgres {
        // New variants do not collide with the ids the migration gave.
        let (next,): (i64,) = sqlx::query_as(
            "INSERT INTO product_variants (product_id, sku, option1, price_minor, created_at) VALUES (7, 'NEW-1', 'Big', 100, 0) RETURNING id",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert!(next > 7);
    }
}
