//! Popularity from what shoppers do (issue 21) over HTTP: looks at a
//! product's page (once a day per shopper, the browser's own fetch of its
//! data too, robots never) and paid orders heat a product up; its
//! popularity follows, and browsing by popularity with it; the heat halves
//! each week, once however many servers run the chore.

use crate::helpers::{eventually, paid_order, product_links, spawn_app, Browser, TestApp};
use app::ssr::catalog::popularity::refresh;

async fn heat(app: &TestApp, product: i64) -> f64 {
    let row: Option<(f64,)> = sqlx::query_as("SELECT heat FROM product_heat WHERE product_id = $1").bind(product).fetch_optional(&app.db.pool).await.unwrap();
    row.map_or(0.0, |(h,)| h)
}

async fn popularity(app: &TestApp, product: i64) -> i64 {
    let (p,): (i64,) = sqlx::query_as("SELECT popularity FROM products WHERE id = $1").bind(product).fetch_one(&app.db.pool).await.unwrap();
    p
}

/// Sets a product's heat and popularity as if it had always been so.
async fn set(app: &TestApp, product: i64, heat: f64) {
    sqlx::query("DELETE FROM product_heat WHERE product_id = $1").bind(product).execute(&app.db.pool).await.unwrap();
    sqlx::query("INSERT INTO product_heat (product_id, heat) VALUES ($1, $2)").bind(product).bind(heat).execute(&app.db.pool).await.unwrap();
    sqlx::query("UPDATE products SET popularity = $2 WHERE id = $1").bind(product).bind((heat * 10.0).round() as i64).execute(&app.db.pool).await.unwrap();
}

/// Lets the next refresh sync at once (and decay `days` days, if any).
async fn rewind(app: &TestApp, days: i64) {
    sqlx::query("UPDATE popularity_state SET synced_at = 0, decayed_day = decayed_day - $1").bind(days).execute(&app.db.pool).await.unwrap();
}

#[tokio::test]
async fn looks_and_purchases_raise_popularity_and_it_halves_each_week() {
    let app = spawn_app().await;
    // Two in-stock products sold one way, of one category and brand (a brand
    // without characters to escape): `cold`, which shoppers will look at, and `warm`.
    let pair: Vec<(i64, String, String, String)> = sqlx::query_as(
        "WITH simple AS (SELECT p.* FROM products p JOIN brands b ON b.id = p.brand_id WHERE p.status = 'active' AND p.stock > 0 \
             AND b.name NOT LIKE '%&%' AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id)) \
         SELECT p.id, p.slug, c.slug, b.name FROM simple p JOIN categories c ON c.id = p.category_id JOIN brands b ON b.id = p.brand_id \
         WHERE (p.category_id, p.brand_id) = \
             (SELECT category_id, brand_id FROM simple GROUP BY category_id, brand_id HAVING COUNT(*) >= 2 ORDER BY category_id, brand_id LIMIT 1) \
         ORDER BY p.id LIMIT 2",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let ((cold, cold_slug, category, brand), (warm, warm_slug, _, _)) = (pair[0].clone(), pair[1].clone());
    set(&app, cold, 0.0).await;
    set(&app, warm, 10.0).await;
    let listing = format!("/c/{category}?brand={}", brand.replace(' ', "%20"));
    let position = |html: &str, slug: &str| product_links(html).iter().position(|s| s == slug).unwrap_or_else(|| panic!("{slug} is not listed"));
    eventually(&app, &listing, |_, html| position(html, &warm_slug) < position(html, &cold_slug)).await;

    // Twelve shoppers look at `cold`'s page, one of them three times, one
    // fetches its data as the browser does on the way there, and robots look.
    for _ in 0..12 {
        assert_eq!(Browser::new(&app).get(&format!("/p/{cold_slug}")).await.status, 200);
    }
    let again = Browser::new(&app);
    for _ in 0..3 {
        again.get(&format!("/p/{cold_slug}/reviews")).await;
    }
    assert_eq!(Browser::new(&app).call("product", &[("slug", &cold_slug)]).await.status, 200);
    for _ in 0..5 {
        app.client.get(format!("{}/p/{cold_slug}", app.base)).header("user-agent", "Googlebot/2.1").send().await.unwrap();
    }
    app.page("/p/no-such-product").await;
    // The looks are written every few seconds.
    let start = std::time::Instant::now();
    while heat(&app, cold).await < 14.0 {
        assert!(start.elapsed().as_secs() < 20, "the looks never arrived: {}", heat(&app, cold).await);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokio::time::sleep(std::time::Duration::from_secs(6)).await;
    assert_eq!(heat(&app, cold).await, 14.0, "once a day per shopper, robots never");

    // A paid order adds ten looks' worth, once it has settled (a minute).
    let mut buyer = Browser::new(&app);
    let (number, _) = paid_order(&mut buyer, cold, "buyer@example.com").await;
    rewind(&app, 0).await;
    refresh(&app.db).await.unwrap();
    assert_eq!(heat(&app, cold).await, 14.0, "not settled yet");
    sqlx::query("UPDATE order_events SET at = at - 120 WHERE order_id = (SELECT id FROM orders WHERE number = $1)")
        .bind(&number)
        .execute(&app.db.pool)
        .await
        .unwrap();
    rewind(&app, 0).await;
    refresh(&app.db).await.unwrap();
    assert_eq!(heat(&app, cold).await, 24.0);
    assert_eq!((popularity(&app, cold).await, popularity(&app, warm).await), (240, 100));
    refresh(&app.db).await.unwrap();
    assert_eq!(heat(&app, cold).await, 24.0, "each paid order counts once");
    eventually(&app, &listing, |_, html| position(html, &cold_slug) < position(html, &warm_slug)).await;

    // A week later both have halved, once, though two servers ran the chore at once.
    rewind(&app, 7).await;
    let (a, b) = tokio::join!(refresh(&app.db), refresh(&app.db));
    a.unwrap();
    b.unwrap();
    assert_eq!((heat(&app, cold).await, heat(&app, warm).await), (12.0, 5.0));
    assert_eq!((popularity(&app, cold).await, popularity(&app, warm).await), (120, 50));
}
