//! After the purchase: order history, cancelling with refund and restock,
//! staff shipping and delivering, and refusals for illegal moves and for
//! other people's orders.

use crate::checkout::{key, location, order_of, order_status, pay, place, product_with_stock, stock, VISA};
use crate::helpers::{newest_mail, signed_up, spawn_app, Browser, TestApp};

/// A paid order of one unit of `product` for `browser`: (number, key).
async fn paid_order(browser: &mut Browser<'_>, product: i64, email: &str) -> (String, String) {
    browser.call("cart/add", &[("product", &product.to_string())]).await;
    let order = order_of(&location(&place(browser, &key("order"), email, "").await));
    let paid = pay(browser, &order, &key("pay"), VISA).await;
    assert!(paid.status < 400, "{}", paid.body);
    order
}

/// Makes the signed-in user of `browser` an admin with two-step sign-in on.
async fn make_admin(app: &TestApp, email: &str) {
    sqlx::query("UPDATE users SET role = 'admin', totp_secret = '3132333435363738393031323334353637383930' WHERE email = $1")
        .bind(email)
        .execute(&app.db.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_customer_cancels_before_shipping_and_gets_stock_back_and_a_refund() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 11, 4).await;
    let mut customer = Browser::new(&app);
    signed_up(&mut customer, "cancel@example.com").await;
    let order = paid_order(&mut customer, product, "").await;
    assert_eq!(stock(&app, product).await, (3, 3));

    let history = customer.get("/api/account/orders").await;
    assert!(history.body.contains(&order.0) && history.body.contains("Paid"), "{}", history.body);
    let mut stranger = Browser::new(&app);
    signed_up(&mut stranger, "stranger@example.com").await;
    assert!(!stranger.get("/api/account/orders").await.body.contains(&order.0), "only one's own orders");
    let reply = stranger.call("order/cancel", &[("number", &order.0)]).await;
    assert_eq!(reply.status, 404, "another customer's order is not found");
    assert_eq!(Browser::new(&app).get("/api/account/orders").await.status, 401);

    let reply = customer.call("order/cancel", &[("number", &order.0)]).await;
    assert!(reply.status < 400, "{} {}", reply.status, reply.body);
    assert_eq!(order_status(&app, &order.0).await, "cancelled");
    assert_eq!(stock(&app, product).await, (4, 4), "the unit is back on the shelf and in the ledger");
    let (payment,): (String,) = sqlx::query_as("SELECT status FROM payments").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(payment, "refunded");
    assert!(newest_mail(&app, "cancel@example.com").await.contains("refunded"));
    let again = customer.call("order/cancel", &[("number", &order.0)]).await;
    assert_eq!(again.status, 409, "cancelling twice is refused: {}", again.body);
    let events: Vec<(String, String)> = sqlx::query_as("SELECT to_status, actor FROM order_events ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(events, [("paid".into(), "payment".into()), ("cancelled".into(), "customer".into())]);
}

#[tokio::test]
async fn staff_ship_and_deliver_and_a_shipped_order_cannot_be_cancelled() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 12, 4).await;
    let mut guest = Browser::new(&app);
    let order = paid_order(&mut guest, product, "parcel@example.com").await;
    let ship = [("number", order.0.as_str()), ("carrier", "DHL"), ("tracking", "JD014600006281230")];

    let mut customer = Browser::new(&app);
    signed_up(&mut customer, "not-staff@example.com").await;
    assert_eq!(customer.call("admin/orders/ship", &ship).await.status, 403);
    assert_eq!(Browser::new(&app).call("admin/orders/ship", &ship).await.status, 401);
    let mut admin = Browser::new(&app);
    signed_up(&mut admin, "staff@example.com").await;
    make_admin(&app, "staff@example.com").await;
    let early = admin.call("admin/orders/deliver", &[("number", &order.0)]).await;
    assert_eq!(early.status, 409, "not shipped yet: {}", early.body);
    let bad = admin.call("admin/orders/ship", &[("number", &order.0), ("carrier", ""), ("tracking", "x")]).await;
    assert_eq!(bad.status, 400);
    let reply = admin.call("admin/orders/ship", &ship).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(order_status(&app, &order.0).await, "shipped");
    assert!(newest_mail(&app, "parcel@example.com").await.contains("JD014600006281230"));

    let cancel = guest.call("order/cancel", &[("number", &order.0), ("key", &order.1)]).await;
    assert_eq!(cancel.status, 409, "{}", cancel.body);
    assert!(cancel.body.contains("cannot be cancelled"), "{}", cancel.body);
    assert_eq!(stock(&app, product).await, (3, 3), "nothing changed");
    assert_eq!(admin.call("admin/orders/ship", &ship).await.status, 409, "shipping twice is refused");

    assert_eq!(admin.call("admin/orders/deliver", &[("number", &order.0)]).await.status, 200);
    assert_eq!(order_status(&app, &order.0).await, "delivered");
    let page = guest.get(&format!("/order/{}?key={}", order.0, order.1)).await;
    assert!(page.body.contains("Delivered") && page.body.contains("DHL JD014600006281230"), "timeline and parcel on the page");
    assert_eq!(admin.call("admin/orders/ship", &[("number", "OX-NOTHERE"), ("carrier", "DHL"), ("tracking", "1")]).await.status, 404);
}
