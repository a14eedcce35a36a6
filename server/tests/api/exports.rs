//! CSV exports of the back office (issue 19): the catalog, one line per
//! variant with its product's fields, read in batches (a seller's staff get
//! their seller's products); the orders with their lines, under the order
//! list's filter (a seller's staff their own lines, no discounts or tax).

use crate::helpers::{admin, paid_order_of, product_with_stock, signed_up, spawn_app, staff, Browser};

/// The CSV's lines after the header, split into cells (no cell here holds a comma or quote).
fn cells(body: &str) -> Vec<Vec<String>> {
    body.split("\r\n").skip(1).filter(|l| !l.is_empty()).map(|l| l.split(',').map(str::to_owned).collect()).collect()
}

#[tokio::test]
async fn the_catalog_exports_every_variant_with_its_product_in_batches() {
    let app = spawn_app().await;
    let owner = admin(&app, "catalog-export@example.com").await;
    let csv = owner.get("/admin/products.csv").await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(csv.headers["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"products-"));
    let header = csv.body.split("\r\n").next().unwrap();
    assert_eq!(header, app::domain::catalog_csv::COLUMNS.join(","));
    // Descriptions hold commas and line breaks: count lines by their SKUs instead.
    let (variants,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM product_variants").fetch_one(&app.db.pool).await.unwrap();
    assert!(variants > 500, "more than one batch: {variants}");
    let skus: Vec<(String,)> = sqlx::query_as("SELECT sku FROM product_variants").fetch_all(&app.db.pool).await.unwrap();
    for (sku,) in skus.iter().step_by(37) {
        assert_eq!(csv.body.matches(&format!(",{sku},")).count(), 1, "{sku} once");
    }
    // A product with options names them beside each variant's values.
    let (slug, option, value, sku, price, stock): (String, String, String, String, i64, i64) = sqlx::query_as(
        "SELECT p.slug, o.name, v.option1, v.sku, v.price_minor, v.stock FROM product_variants v \
         JOIN products p ON p.id = v.product_id JOIN product_options o ON o.product_id = p.id AND o.position = 1 \
         ORDER BY v.id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let line = csv.body.split("\r\n").find(|l| l.starts_with(&format!("{slug},")) && l.contains(&format!(",{sku},"))).unwrap();
    let money = app::domain::order_desk::csv_amount(price);
    assert!(line.contains(&format!(",{option},{value},")) && line.contains(&format!(",{sku},{money},")), "{line}");
    assert!(line.contains(&format!(",{stock},")), "{line}");

    // A seller's staff: their own products only.
    let (seller, mine): (i64, i64) =
        sqlx::query_as("SELECT seller_id, COUNT(*) FROM products WHERE seller_id IS NOT NULL GROUP BY seller_id ORDER BY seller_id LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let (their_variants,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM product_variants v JOIN products p ON p.id = v.product_id WHERE p.seller_id = $1",
    )
    .bind(seller)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let shipper = staff(&app, "seller-export@example.com", Some(seller)).await;
    let theirs = shipper.get("/admin/products.csv").await;
    assert_eq!(theirs.status, 200);
    let (slugs,): (String,) = sqlx::query_as("SELECT MIN(slug) FROM products WHERE seller_id <> $1").bind(seller).fetch_one(&app.db.pool).await.unwrap();
    assert!(!theirs.body.contains(&format!("\r\n{slugs},")), "another seller's product");
    assert!(mine > 0 && their_variants > 0);

    assert_eq!(Browser::new(&app).get("/admin/products.csv").await.status, 401);
    let mut customer = Browser::new(&app);
    signed_up(&mut customer, "export-nosy@example.com").await;
    assert_eq!(customer.get("/admin/products.csv").await.status, 403);
}

#[tokio::test]
async fn orders_export_with_their_lines_under_the_lists_filter() {
    let app = spawn_app().await;
    let (mug, cap) = (product_with_stock(&app, 71, 10).await, product_with_stock(&app, 72, 10).await);
    let order = paid_order_of(&mut Browser::new(&app), &[(mug, 2), (cap, 1)], "lines@example.com").await;
    let skus: Vec<(String, i64)> = sqlx::query_as(
        "SELECT l.sku, l.quantity FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.number = $1 ORDER BY l.sku",
    )
    .bind(&order.0)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let owner = admin(&app, "lines-export@example.com").await;
    let csv = owner.get("/admin/order-lines.csv?q=lines%40example.com").await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv.body.starts_with("Order,Placed (UTC),Status,Email,SKU,Product,Variant,Quantity,Unit price,Discount,Tax,Currency\r\n"));
    let rows = cells(&csv.body);
    assert_eq!(rows.len(), 2, "{}", csv.body);
    for (row, (sku, quantity)) in rows.iter().zip(&skus) {
        assert_eq!((&row[0], &row[4], row[7].parse::<i64>().unwrap()), (&order.0, sku, *quantity));
        assert_eq!(row[9], "0.00", "admins see the line's discount");
    }
    assert_eq!(owner.get("/admin/order-lines.csv?payment=free").await.status, 400);
    assert_eq!(Browser::new(&app).get("/admin/order-lines.csv").await.status, 401);

    // A seller's staff: the lines of their own products, without the buyer's discounts or tax.
    let (seller,): (i64,) = sqlx::query_as("SELECT id FROM sellers ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    sqlx::query("UPDATE products SET seller_id = $2 WHERE id = $1").bind(mug).bind(seller).execute(&app.db.pool).await.unwrap();
    sqlx::query("UPDATE products SET seller_id = NULL WHERE id = $1").bind(cap).execute(&app.db.pool).await.unwrap();
    let shipper = staff(&app, "seller-lines@example.com", Some(seller)).await;
    let theirs = shipper.get("/admin/order-lines.csv").await;
    assert_eq!(theirs.status, 200);
    let rows = cells(&theirs.body);
    let (mug_sku,): (String,) = sqlx::query_as("SELECT sku FROM product_variants WHERE product_id = $1").bind(mug).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(rows.iter().map(|r| r[4].clone()).collect::<Vec<_>>(), [mug_sku], "{}", theirs.body);
    assert_eq!((rows[0][9].as_str(), rows[0][10].as_str()), ("", ""));
}
