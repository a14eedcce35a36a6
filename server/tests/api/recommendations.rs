//! "Customers who bought this also bought" (issue 21) over HTTP: learned from
//! paid orders only, each once (two servers' chores at once too), only once
//! they have settled; shown on the product page most often first, and only
//! what is for sale; the cart suggests what its products are bought with.

use crate::helpers::{key, paid_order_of, place, product_with_stock, spawn_app, Browser, TestApp};
use app::ssr::recommend::co_purchase::refresh;
use serde_json::Value;

async fn slug_of(app: &TestApp, product: i64) -> String {
    let (slug,): (String,) = sqlx::query_as("SELECT slug FROM products WHERE id = $1").bind(product).fetch_one(&app.db.pool).await.unwrap();
    slug
}

async fn pair(app: &TestApp, a: i64, b: i64) -> Option<i64> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT orders FROM co_purchases WHERE product_id = $1 AND other_id = $2").bind(a).bind(b).fetch_optional(&app.db.pool).await.unwrap();
    row.map(|(n,)| n)
}

#[tokio::test]
async fn what_was_bought_together_in_paid_orders_shows_on_the_product_page() {
    let app = spawn_app().await;
    let [a, b, c, d] = [10, 11, 12, 13].map(|nth| product_with_stock(&app, nth, 20));
    let [a, b, c, d] = [a.await, b.await, c.await, d.await];
    // The chore learned the demo shop's history first: start from nothing.
    refresh(&app.db).await.unwrap();
    sqlx::query("DELETE FROM co_purchases").execute(&app.db.pool).await.unwrap();
    for (n, items) in [vec![a, b], vec![a, b, c], vec![a, c], vec![a, b]].into_iter().enumerate() {
        let lines: Vec<(i64, i64)> = items.into_iter().map(|p| (p, 1)).collect();
        paid_order_of(&mut Browser::new(&app), &lines, &format!("buyer{n}@example.com")).await;
    }
    // An order placed and not paid teaches nothing.
    let mut window = Browser::new(&app);
    window.step("cart/add", &[("product", &a.to_string())]).await;
    window.step("cart/add", &[("product", &d.to_string())]).await;
    let placed = place(&mut window, &key("unpaid"), "window@example.com", "").await;
    assert!(placed.status < 400, "{}", placed.body);

    assert_eq!(refresh(&app.db).await.unwrap(), 0, "orders paid less than a minute ago wait");
    sqlx::query("UPDATE order_events SET at = at - 120").execute(&app.db.pool).await.unwrap();
    let (one, two) = tokio::join!(refresh(&app.db), refresh(&app.db));
    assert_eq!(one.unwrap() + two.unwrap(), 4, "each paid order once, though two chores ran at once");
    assert_eq!(refresh(&app.db).await.unwrap(), 0);
    assert_eq!((pair(&app, a, b).await, pair(&app, b, a).await, pair(&app, a, c).await), (Some(3), Some(3), Some(2)));
    assert_eq!((pair(&app, b, c).await, pair(&app, a, d).await), (Some(1), None));

    let slugs = |detail: &Value| -> Vec<String> {
        detail["also_bought"].as_array().unwrap().iter().map(|card| card["slug"].as_str().unwrap().to_owned()).collect()
    };
    let (sa, sb, sc) = (slug_of(&app, a).await, slug_of(&app, b).await, slug_of(&app, c).await);
    let reply = Browser::new(&app).call("product", &[("slug", &sa)]).await;
    let detail: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(slugs(&detail), [sb.clone(), sc.clone()], "most often first");
    let (status, html) = app.page(&format!("/p/{sa}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"data-testid="also-bought""#) && html.contains(&format!("/p/{sb}")), "the page shows them");

    // The cart suggests what its products are bought with, not what it holds.
    let mut shopper = Browser::new(&app);
    shopper.step("cart/add", &[("product", &a.to_string())]).await;
    let cart: Value = serde_json::from_str(&shopper.call("cart", &[]).await.body).unwrap();
    let suggested: Vec<&str> = cart["suggestions"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(suggested, [sb.as_str(), sc.as_str()], "{cart}");
    shopper.step("cart/add", &[("product", &b.to_string())]).await;
    let cart: Value = serde_json::from_str(&shopper.call("cart", &[]).await.body).unwrap();
    let suggested: Vec<&str> = cart["suggestions"].as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(suggested, [sc.as_str()], "a and b are bought with c (2 + 1 orders), and both are in the cart: {cart}");

    // Sold out: not recommended.
    product_with_stock(&app, 11, 0).await;
    let reply = Browser::new(&app).call("product", &[("slug", &sa)]).await;
    let detail: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(slugs(&detail), [sc]);
}
