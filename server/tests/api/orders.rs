//! After the purchase: order history, cancelling with refund and restock
//! (by the customer, or by an admin with a reason),
//! staff shipping and delivering, and refusals for illegal moves and for
//! other people's orders.
//!
//! Over 400 lines: one suite per domain it proves; each test is a scenario.

use crate::helpers::{key, location, only_variant, order_of, order_status, pay, place, product_with_stock, stock, VISA};
use crate::helpers::{
    admin, make_staff, newest_mail, paid_order, paid_order_of, ship_and_deliver, signed_up, spawn_app, staff, Browser, TestApp,
};

#[tokio::test]
async fn a_customer_cancels_before_shipping_and_gets_stock_back_and_a_refund() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 11, 4).await;
    let mut customer = Browser::new(&app);
    signed_up(&mut customer, "cancel@example.com").await;
    let order = paid_order(&mut customer, product, "").await;
    assert_eq!(stock(&app, product).await, (3, 3));

    let history = customer.get("/api/account/orders").await;
    assert!(history.body.contains(&order.0) && history.body.contains(r#""status":"paid""#), "{}", history.body);
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
    make_staff(&mut admin, "staff@example.com", None).await;
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

#[tokio::test]
async fn an_admin_cancels_a_paid_order_with_a_reason_and_the_shopper_is_refunded_and_told() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 14, 4).await;
    let order = paid_order(&mut Browser::new(&app), product, "told@example.com").await;
    let mut boss = admin(&app, "cancel-boss@example.com").await;
    let send = |reason: &'static str| vec![("number", order.0.as_str()), ("reason", reason)];
    let mut stranger = Browser::new(&app);
    assert_eq!(stranger.call("admin/orders/cancel", &send("mine")).await.status, 401);
    let mut seller = staff(&app, "cancel-seller@example.com", Some(1)).await;
    let refused = seller.call("admin/orders/cancel", &send("not theirs to cancel")).await;
    assert!(refused.status == 403 || refused.status == 404, "{} {}", refused.status, refused.body);
    let empty = boss.call("admin/orders/cancel", &send("  ")).await;
    assert!(empty.status == 400 && empty.body.contains("reason"), "{}", empty.body);
    assert_eq!(order_status(&app, &order.0).await, "paid", "nothing changed");

    let done = boss.call("admin/orders/cancel", &send("The last one was damaged in our warehouse.")).await;
    assert!(done.status < 400, "{} {}", done.status, done.body);
    assert_eq!(order_status(&app, &order.0).await, "cancelled");
    assert_eq!(stock(&app, product).await, (4, 4), "the unit is back on the shelf and in the ledger");
    let (payment,): (String,) = sqlx::query_as("SELECT status FROM payments").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(payment, "refunded");
    let mail = newest_mail(&app, "told@example.com").await;
    assert!(mail.contains("refunded") && mail.contains("Why: The last one was damaged in our warehouse."), "{mail}");
    let (actor, note): (String, String) =
        sqlx::query_as("SELECT actor, note FROM order_events WHERE to_status = 'cancelled'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!((actor.as_str(), note.as_str()), ("admin:cancel-boss@example.com", "The last one was damaged in our warehouse."));
    let again = boss.call("admin/orders/cancel", &send("twice")).await;
    assert_eq!(again.status, 409, "{}", again.body);
}

/// The signed-in owner asks to return `qty` of `product` (sold one way) from order `number`; the status.
async fn ask_return(browser: &mut Browser<'_>, number: &str, product: i64, qty: &str) -> u16 {
    let field = format!("qty[v{}]", only_variant(browser.app, product).await);
    let form = [("number", number), ("reason", "Too small"), (field.as_str(), qty)];
    browser.call("order/return", &form).await.status
}

/// A carrier webhook signed with `secret` at `at`.
async fn carrier_post(app: &TestApp, secret: &[u8], at: i64, body: &serde_json::Value) -> (u16, String) {
    let body = serde_json::to_vec(body).unwrap();
    let reply = app
        .client
        .post(format!("{}/webhooks/carrier", app.base))
        .header("carrier-signature", app::ssr::payments::provider::sign(secret, at, &body))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    (reply.status().as_u16(), reply.text().await.unwrap())
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Reads the event stream until a chunk contains `word` (or 10 s pass).
async fn stream_until(events: &mut reqwest::Response, word: &str) -> bool {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, events.chunk()).await {
        if String::from_utf8_lossy(&chunk).contains(word) {
            return true;
        }
    }
    false
}

#[tokio::test]
async fn parcels_ship_separately_and_carrier_news_reaches_the_open_order_page() {
    let app = spawn_app().await;
    let (a, b) = (product_with_stock(&app, 21, 5).await, product_with_stock(&app, 22, 5).await);
    let mut guest = Browser::new(&app);
    let order = paid_order_of(&mut guest, &[(a, 2), (b, 1)], "parcels@example.com").await;
    let mut admin = admin(&app, "ship-staff@example.com").await;

    // The order page's live stream: only for the buyer.
    let stranger = app.get(&format!("/order/{}/events", order.0)).await;
    assert_eq!(stranger.status(), 404, "no key, no stream");
    let mut events = app.get(&format!("/order/{}/events?key={}", order.0, order.1)).await;
    assert_eq!(events.status(), 200);
    assert!(stream_until(&mut events, "ready").await);

    let field = format!("qty[v{}]", only_variant(&app, a).await);
    let too_many = [("number", order.0.as_str()), ("carrier", "UPS"), ("tracking", "1Z001"), (field.as_str(), "3")];
    assert_eq!(admin.call("admin/orders/ship", &too_many).await.status, 400, "more than was bought");
    let first = [("number", order.0.as_str()), ("carrier", "UPS"), ("tracking", "1Z001"), (field.as_str(), "1")];
    let reply = admin.call("admin/orders/ship", &first).await;
    assert!(reply.status < 400, "{}", reply.body);
    assert_eq!(order_status(&app, &order.0).await, "partially-shipped");
    assert!(stream_until(&mut events, "changed").await, "the open page hears of the parcel");
    let again = admin.call("admin/orders/ship", &[("number", &order.0), ("carrier", "UPS"), ("tracking", "1Z001")]).await;
    assert_eq!(again.status, 409, "a tracking number is on one parcel only: {}", again.body);
    let rest = admin.call("admin/orders/ship", &[("number", &order.0), ("carrier", "UPS"), ("tracking", "1Z002")]).await;
    assert!(rest.status < 400, "{}", rest.body);
    assert_eq!(order_status(&app, &order.0).await, "shipped");
    let lines: Vec<(String, i64)> = sqlx::query_as(
        "SELECT s.tracking, CAST(SUM(l.quantity) AS BIGINT) FROM shipments s JOIN shipment_lines l ON l.shipment_id = s.id \
         GROUP BY s.tracking ORDER BY s.tracking",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(lines, [("1Z001".into(), 1), ("1Z002".into(), 2)], "the second parcel carried what was left");

    // Carrier webhooks: refused unless signed, fresh and about a known parcel.
    let secret = crate::helpers::CARRIER_SECRET.as_bytes();
    let event = |id: &str, tracking: &str, status: &str| {
        serde_json::json!({"id": id, "carrier": "UPS", "tracking": tracking, "status": status, "detail": "Leipzig hub", "at": now()})
    };
    let news = event("evt-1", "1Z001", "in-transit");
    assert_eq!(carrier_post(&app, b"forged", now(), &news).await.0, 401);
    assert_eq!(carrier_post(&app, secret, now() - 3600, &news).await.0, 400, "stale");
    assert_eq!(carrier_post(&app, secret, now(), &event("evt-x", "NOPE", "in-transit")).await.0, 404);
    assert_eq!(carrier_post(&app, secret, now(), &event("evt-y", "1Z001", "teleported")).await.0, 400);
    let unsigned = app.client.post(format!("{}/webhooks/carrier", app.base)).body("{}").send().await.unwrap();
    assert_eq!(unsigned.status(), 401);
    assert_eq!(carrier_post(&app, secret, now(), &news).await, (200, "applied".into()));
    assert_eq!(carrier_post(&app, secret, now(), &news).await, (200, "already applied".into()), "a retry changes nothing");
    let (tracked,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tracking_events").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(tracked, 1);
    assert!(stream_until(&mut events, "changed").await, "tracking news reaches the page too");

    assert_eq!(carrier_post(&app, secret, now(), &event("evt-2", "1Z001", "delivered")).await.0, 200);
    assert_eq!(order_status(&app, &order.0).await, "shipped", "one parcel is still on its way");
    assert_eq!(carrier_post(&app, secret, now(), &event("evt-3", "1Z001", "exception")).await.0, 409, "delivered already");
    assert_eq!(carrier_post(&app, secret, now(), &event("evt-4", "1Z002", "delivered")).await.0, 200);
    assert_eq!(order_status(&app, &order.0).await, "delivered");
    assert!(newest_mail(&app, "parcels@example.com").await.contains("was delivered"));
    let page = guest.get(&format!("/order/{}?key={}", order.0, order.1)).await;
    assert!(page.body.contains("Leipzig hub") && page.body.contains("1Z002"), "the timeline shows the parcels' news");
    let view: serde_json::Value =
        app.get(&format!("/api/v1/orders/{}?key={}", order.0, order.1)).await.json().await.unwrap();
    let parcels = view["shipments"].as_array().unwrap();
    let seen = |n: usize| {
        let items: Vec<i64> = parcels[n]["items"].as_array().unwrap().iter().map(|i| i[1].as_i64().unwrap()).collect();
        let news: Vec<&str> = parcels[n]["events"].as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
        (parcels[n]["tracking"].as_str().unwrap(), items, news)
    };
    assert_eq!(seen(0), ("1Z001", vec![1], vec!["in-transit", "delivered"]), "each parcel shows its own lines and news");
    assert_eq!(seen(1), ("1Z002", vec![1, 1], vec!["delivered"]));
}

#[tokio::test]
async fn a_return_is_approved_received_and_refunded_in_parts_never_beyond_the_payment() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 23, 6).await;
    let mut customer = Browser::new(&app);
    signed_up(&mut customer, "returns@example.com").await;
    let order = paid_order_of(&mut customer, &[(product, 2)], "").await;
    let mut admin = admin(&app, "return-staff@example.com").await;
    assert_eq!(ask_return(&mut customer, &order.0, product, "1").await, 409, "not delivered yet");
    ship_and_deliver(&mut admin, &order.0, "R-1").await;

    assert_eq!(ask_return(&mut customer, &order.0, product, "3").await, 400, "more than was bought");
    assert_eq!(ask_return(&mut customer, &order.0, product, "0").await, 400, "nothing chosen");
    let mut stranger = Browser::new(&app);
    signed_up(&mut stranger, "other-returner@example.com").await;
    assert_eq!(ask_return(&mut stranger, &order.0, product, "1").await, 404, "another customer's order");
    assert_eq!(ask_return(&mut customer, &order.0, product, "1").await, 200);
    assert_eq!(order_status(&app, &order.0).await, "return-requested");
    assert_eq!(ask_return(&mut customer, &order.0, product, "1").await, 409, "returning twice is refused");

    let restock = format!("restock[v{}]", only_variant(&app, product).await);
    let receive = [("number", order.0.as_str()), (restock.as_str(), "0")];
    assert_eq!(admin.call("admin/returns/receive", &receive).await.status, 409, "approval comes first");
    assert_eq!(admin.call("admin/returns/decide", &[("number", &order.0), ("decision", "maybe")]).await.status, 400);
    assert_eq!(customer.call("admin/returns/decide", &[("number", &order.0), ("decision", "approve")]).await.status, 403);
    assert_eq!(admin.call("admin/returns/decide", &[("number", &order.0), ("decision", "approve")]).await.status, 200);
    assert!(newest_mail(&app, "returns@example.com").await.contains("approved"));
    let stock_before = stock(&app, product).await;
    assert_eq!(admin.call("admin/returns/receive", &receive).await.status, 200);
    assert_eq!(order_status(&app, &order.0).await, "returned");
    let (after, ledger) = stock(&app, product).await;
    assert_eq!((after, ledger), stock_before, "the damaged unit was written off: stock unchanged and equal to the ledger");
    let moves: Vec<(i64, String)> = sqlx::query_as(
        "SELECT delta, reason FROM inventory_ledger WHERE product_id = $1 AND reason IN ('returned', 'written-off') ORDER BY id",
    )
    .bind(product)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(moves, [(1, "returned".into()), (-1, "written-off".into())]);

    let (paid, price, quantity, line_discount, line_tax, tax): (i64, i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT o.total_minor, l.unit_price_minor, l.quantity, l.discount_minor, l.tax_minor, o.tax_minor \
         FROM orders o JOIN order_lines l ON l.order_id = o.id WHERE o.number = $1",
    )
    .bind(&order.0)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    // The returned unit's refund is what was paid for it: its price with its share of the tax.
    let cost = app::domain::tax::LineTax { discount: line_discount, tax: line_tax };
    let first = app::domain::tax::refund_for(1, quantity, price * quantity, cost, false);
    assert!(tax > 0 && first > price, "the unit's tax goes back with it: {first} for {price}");
    let too_much = format!("{}.{:02}", (paid + 1) / 100, (paid + 1) % 100);
    let refused = admin.call("admin/orders/refund", &[("number", &order.0), ("amount", &too_much)]).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(refused.body.contains("At most"), "{}", refused.body);
    assert_eq!(admin.call("admin/orders/refund", &[("number", &order.0), ("amount", "-5")]).await.status, 400);
    let refunded = admin.call("admin/orders/refund", &[("number", &order.0)]).await;
    assert!(refunded.status < 400, "the return's value: {}", refunded.body);
    assert_eq!(order_status(&app, &order.0).await, "partially-refunded");
    let rest = paid - first;
    let rest_text = format!("{}.{:02}", rest / 100, rest % 100);
    assert_eq!(admin.call("admin/orders/refund", &[("number", &order.0), ("amount", &rest_text)]).await.status, 200);
    assert_eq!(order_status(&app, &order.0).await, "refunded");
    assert_eq!(admin.call("admin/orders/refund", &[("number", &order.0), ("amount", "0.01")]).await.status, 409, "nothing left");
    let refunds: Vec<(i64, String)> = sqlx::query_as("SELECT amount_minor, status FROM refunds ORDER BY id").fetch_all(&app.db.pool).await.unwrap();
    assert_eq!(refunds, [(first, "succeeded".into()), (rest, "succeeded".into())]);
    let (refunded_total, payment): (i64, String) = sqlx::query_as(
        "SELECT o.refunded_minor, p.status FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.number = $1",
    )
    .bind(&order.0)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((refunded_total, payment.as_str()), (paid, "refunded"));
    let page = customer.get(&format!("/order/{}", order.0)).await;
    assert!(page.body.contains("refunded to your card") && page.body.contains("Too small"), "refund status on the order page");
}

#[tokio::test]
async fn a_returned_item_refunds_what_was_paid_for_it_after_the_discount_with_its_tax() {
    let app = spawn_app().await;
    let (big, small) = (product_with_stock(&app, 31, 3).await, product_with_stock(&app, 32, 3).await);
    for (product, price) in [(big, 2_500), (small, 500)] {
        sqlx::query("UPDATE product_variants SET price_minor = $2 WHERE product_id = $1").bind(product).bind(price).execute(&app.db.pool).await.unwrap();
    }
    let mut customer = Browser::new(&app);
    signed_up(&mut customer, "discounted@example.com").await;
    for product in [big, small] {
        assert!(customer.call("cart/add", &[("product", &product.to_string()), ("quantity", "1")]).await.status < 400);
    }
    let order = order_of(&location(&place(&mut customer, &key("save5"), "", "SAVE5").await));
    assert!(pay(&mut customer, &order, &key("save5-pay"), VISA).await.status < 400);
    let (subtotal, discount, shipping, tax): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT subtotal_minor, discount_minor, shipping_minor, tax_minor FROM orders WHERE number = $1",
    )
    .bind(&order.0)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((subtotal, discount), (3_000, 500), "SAVE5 took $5 off $30");

    let mut admin = admin(&app, "discount-staff@example.com").await;
    ship_and_deliver(&mut admin, &order.0, "D-1").await;
    assert_eq!(ask_return(&mut customer, &order.0, big, "1").await, 200);
    assert_eq!(admin.call("admin/returns/decide", &[("number", &order.0), ("decision", "approve")]).await.status, 200);
    let restock = format!("restock[v{}]", only_variant(&app, big).await);
    assert_eq!(admin.call("admin/returns/receive", &[("number", order.0.as_str()), (restock.as_str(), "1")]).await.status, 200);
    let refunded = admin.call("admin/orders/refund", &[("number", &order.0)]).await;
    assert!(refunded.status < 400, "{}", refunded.body);

    // The $25 item is 25/30 of the goods: of the $25 paid for goods, and of their tax.
    let goods_tax = (tax * 2_500 + (2_500 + shipping) / 2) / (2_500 + shipping);
    let expected = 2_500 * (2_500 + goods_tax) / 3_000;
    let (amount,): (i64,) = sqlx::query_as("SELECT amount_minor FROM refunds").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(amount, expected, "not the $25 list price: tax {tax}, shipping {shipping}");
    assert!(amount < 2_500 + goods_tax, "the discount's share stays with the shop");
}

#[tokio::test]
async fn a_refused_return_leaves_the_order_delivered() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 24, 3).await;
    let mut guest = Browser::new(&app);
    let order = paid_order_of(&mut guest, &[(product, 1)], "refused@example.com").await;
    let mut admin = admin(&app, "refuse-staff@example.com").await;
    ship_and_deliver(&mut admin, &order.0, "F-1").await;
    let field = format!("qty[v{}]", only_variant(&app, product).await);
    let ask = [("number", order.0.as_str()), ("key", order.1.as_str()), ("reason", "Changed my mind"), (field.as_str(), "1")];
    assert_eq!(guest.call("order/return", &ask).await.status, 200, "a guest returns with the order's key");
    let no_key = [("number", order.0.as_str()), ("reason", "x"), (field.as_str(), "1")];
    assert_eq!(Browser::new(&app).call("order/return", &no_key).await.status, 404);
    let reply = admin.call("admin/returns/decide", &[("number", &order.0), ("decision", "reject"), ("note", "Worn items")]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(order_status(&app, &order.0).await, "delivered");
    assert!(newest_mail(&app, "refused@example.com").await.contains("Worn items"));
    assert_eq!(admin.call("admin/returns/decide", &[("number", &order.0), ("decision", "approve")]).await.status, 409, "nothing open");
    let cancel = guest.call("order/cancel", &[("number", &order.0), ("key", &order.1)]).await;
    assert_eq!(cancel.status, 409, "a delivered order cannot be cancelled");
}

#[tokio::test]
async fn invoices_are_issued_once_paid_as_html_and_pdf_for_the_buyer_only() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 25, 3).await;
    let mut guest = Browser::new(&app);
    guest.step("cart/add", &[("product", &product.to_string())]).await;
    let order = order_of(&location(&place(&mut guest, &key("invoice"), "invoice@example.com", "").await));
    let html = format!("/order/{}/invoice?key={}", order.0, order.1);
    assert_eq!(guest.get(&html).await.status, 409, "not paid yet");
    assert!(pay(&mut guest, &order, &key("invoice-pay"), VISA).await.status < 400);

    let page = guest.get(&html).await;
    assert_eq!(page.status, 200);
    let (total,): (i64,) =
        sqlx::query_as("SELECT total_minor FROM orders WHERE number = $1").bind(&order.0).fetch_one(&app.db.pool).await.unwrap();
    let total = format!("${}.{:02}", total / 100, total % 100);
    assert!(page.body.contains(&format!("Invoice {}", order.0)) && page.body.contains(&total), "{}", page.body);
    assert!(page.body.contains("Visa ending 4242"));
    let (name, sku): (String, String) =
        sqlx::query_as("SELECT p.name, v.sku FROM products p JOIN product_variants v ON v.product_id = p.id WHERE p.id = $1")
            .bind(product)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(page.body.contains(&format!("1 × {} · SKU {sku}", name.replace('&', "&amp;"))), "each line names what was bought and its SKU: {}", page.body);
    let pdf = app.client.get(format!("{}/order/{}/invoice.pdf?key={}", app.base, order.0, order.1)).send().await.unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-1.4") && bytes.ends_with(b"%%EOF\n"));
    assert!(String::from_utf8_lossy(&bytes).contains(&total), "the PDF carries the total");

    assert_eq!(app.get(&format!("/order/{}/invoice", order.0)).await.status(), 404, "no key");
    assert_eq!(app.get(&format!("/order/{}/invoice.pdf?key=nope", order.0)).await.status(), 404);
}

#[tokio::test]
async fn packing_comes_between_paid_and_shipped_and_the_order_can_still_be_cancelled() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 31, 5).await;
    let mut admin = admin(&app, "packer@example.com").await;
    let mut guest = Browser::new(&app);
    let first = paid_order(&mut guest, product, "packed@example.com").await;
    let second = paid_order(&mut Browser::new(&app), product, "packed-too@example.com").await;

    let mut customer = Browser::new(&app);
    signed_up(&mut customer, "no-packer@example.com").await;
    assert_eq!(customer.call("admin/orders/pack", &[("number", &first.0)]).await.status, 403);
    for order in [&first, &second] {
        let reply = admin.call("admin/orders/pack", &[("number", &order.0)]).await;
        assert!(reply.status < 400, "{}", reply.body);
        assert_eq!(order_status(&app, &order.0).await, "processing");
    }
    let again = admin.call("admin/orders/pack", &[("number", &first.0)]).await;
    assert_eq!(again.status, 409, "packing twice is refused: {}", again.body);
    let listed = admin.get("/api/admin/orders?status=processing").await;
    assert!(listed.body.contains(&first.0) && listed.body.contains(&second.0), "{}", listed.body);
    let page = guest.get(&format!("/order/{}?key={}", first.0, first.1)).await;
    assert!(page.body.contains("Being packed"), "the buyer sees it");

    let cancel = guest.call("order/cancel", &[("number", &first.0), ("key", &first.1)]).await;
    assert!(cancel.status < 400, "not shipped yet, so still cancellable: {}", cancel.body);
    assert_eq!(order_status(&app, &first.0).await, "cancelled");
    let ship = [("number", second.0.as_str()), ("carrier", "DPD"), ("tracking", "PK-1")];
    assert!(admin.call("admin/orders/ship", &ship).await.status < 400);
    assert_eq!(order_status(&app, &second.0).await, "shipped");
    assert_eq!(stock(&app, product).await, (4, 4), "one unit came back, one left");
    let moves: Vec<(String, String)> =
        sqlx::query_as("SELECT e.from_status, e.to_status FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.number = $1 ORDER BY e.id")
            .bind(&second.0)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let moves: Vec<(&str, &str)> = moves.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert_eq!(moves, [("pending-payment", "paid"), ("paid", "processing"), ("processing", "shipped")]);
}

#[tokio::test]
async fn a_sellers_staff_pack_and_ship_only_their_sellers_items() {
    let app = spawn_app().await;
    let (ours, theirs, alone) =
        (product_with_stock(&app, 41, 5).await, product_with_stock(&app, 42, 5).await, product_with_stock(&app, 43, 5).await);
    let sellers: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, slug FROM sellers ORDER BY id LIMIT 2").fetch_all(&app.db.pool).await.unwrap();
    let ((seller, slug), (other, _)) = (sellers[0].clone(), sellers[1].clone());
    for (product, owner) in [(ours, seller), (theirs, other), (alone, other)] {
        sqlx::query("UPDATE products SET seller_id = $2 WHERE id = $1").bind(product).bind(owner).execute(&app.db.pool).await.unwrap();
    }
    let (product_slug, name): (String, String) =
        sqlx::query_as("SELECT p.slug, s.name FROM products p JOIN sellers s ON s.id = p.seller_id WHERE p.id = $1")
            .bind(ours)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let (_, page) = app.page(&format!("/p/{product_slug}")).await;
    assert!(page.contains(&format!(r#"data-seller="{slug}""#)) && page.contains(&name), "the product page names its seller");
    let mixed = paid_order_of(&mut Browser::new(&app), &[(ours, 2), (theirs, 1)], "mixed@example.com").await;
    let foreign = paid_order(&mut Browser::new(&app), alone, "foreign@example.com").await;

    // The command line links an account to its seller; an unknown seller is refused.
    assert!(app::ssr::accounts::create_staff(&app.db, "new-seller@example.com", Some("no-such-seller"), "https://s.test").await.is_err());
    let link = app::ssr::accounts::create_staff(&app.db, "new-seller@example.com", Some(&slug), "https://s.test").await.unwrap();
    assert!(link.contains("/account/reset?token="));
    let linked: (String, Option<i64>) = sqlx::query_as("SELECT role, seller_id FROM users WHERE email = 'new-seller@example.com'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(linked, ("seller".into(), Some(seller)));

    let mut unlinked = Browser::new(&app);
    signed_up(&mut unlinked, "unlinked@example.com").await;
    sqlx::query("UPDATE users SET role = 'seller' WHERE email = 'unlinked@example.com'").execute(&app.db.pool).await.unwrap();
    let refused = unlinked.get("/api/admin/orders").await;
    assert_eq!(refused.status, 403, "a seller account without a seller: {}", refused.body);

    let mut shipper = staff(&app, "shipper@example.com", Some(seller)).await;
    let list = shipper.get("/api/admin/orders").await;
    assert!(list.body.contains(&mixed.0) && !list.body.contains(&foreign.0), "only orders with their items: {}", list.body);
    assert_eq!(shipper.get(&format!("/api/admin/order?number={}", foreign.0)).await.status, 404);
    let view: serde_json::Value = serde_json::from_str(&shipper.get(&format!("/api/admin/order?number={}", mixed.0)).await.body).unwrap();
    assert_eq!(view["admin"], false);
    let lines: Vec<i64> = view["order"]["lines"].as_array().unwrap().iter().map(|l| l["product_id"].as_i64().unwrap()).collect();
    assert_eq!(lines, [ours], "only their own lines");
    assert!(view["order"]["payment"].is_null(), "the payment is not theirs to see");
    let (price,): (i64,) = sqlx::query_as("SELECT unit_price_minor FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.number = $1 AND l.product_id = $2")
        .bind(&mixed.0)
        .bind(ours)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(view["order"]["totals"]["total"], 2 * price, "their goods' worth, not the buyer's whole total");
    assert!(view["order"]["events"].as_array().unwrap().iter().all(|e| e["note"] == ""), "no notes");

    assert!(shipper.call("admin/orders/pack", &[("number", &mixed.0)]).await.status < 400);
    let field = format!("qty[v{}]", only_variant(&app, theirs).await);
    let not_theirs = [("number", mixed.0.as_str()), ("carrier", "GLS"), ("tracking", "S-1"), (field.as_str(), "1")];
    assert_eq!(shipper.call("admin/orders/ship", &not_theirs).await.status, 400, "another seller's item");
    let reply = shipper.call("admin/orders/ship", &[("number", &mixed.0), ("carrier", "GLS"), ("tracking", "S-1")]).await;
    assert!(reply.status < 400, "{}", reply.body);
    assert_eq!(order_status(&app, &mixed.0).await, "partially-shipped", "their two units left; the other seller's did not");
    let shipped: Vec<(i64, i64)> = sqlx::query_as("SELECT variant_id, quantity FROM shipment_lines").fetch_all(&app.db.pool).await.unwrap();
    assert_eq!(shipped, [(only_variant(&app, ours).await, 2)]);
    let nothing_left = shipper.call("admin/orders/ship", &[("number", &mixed.0), ("carrier", "GLS"), ("tracking", "S-2")]).await;
    assert_eq!(nothing_left.status, 409, "{}", nothing_left.body);

    let news = [("number", mixed.0.as_str()), ("tracking", "S-1"), ("status", "in-transit"), ("detail", "")];
    assert!(shipper.call("admin/orders/track", &news).await.status < 400, "their own parcel");
    let mut admin = admin(&app, "boss@example.com").await;
    assert!(admin.call("admin/orders/ship", &[("number", &mixed.0), ("carrier", "DHL"), ("tracking", "A-1")]).await.status < 400);
    assert_eq!(order_status(&app, &mixed.0).await, "shipped");
    let foreign_parcel = [("number", mixed.0.as_str()), ("tracking", "A-1"), ("status", "in-transit"), ("detail", "")];
    assert_eq!(shipper.call("admin/orders/track", &foreign_parcel).await.status, 404, "not their parcel");
    assert_eq!(shipper.call("admin/orders/deliver", &[("number", &mixed.0)]).await.status, 403, "admins deliver");
    assert_eq!(shipper.call("admin/orders/refund", &[("number", &mixed.0), ("amount", "1")]).await.status, 403, "admins refund");
    let actor: (String,) = sqlx::query_as("SELECT actor FROM order_events WHERE to_status = 'processing'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(actor.0, "seller:shipper@example.com");
}

#[tokio::test]
async fn a_refund_interrupted_by_a_restart_is_finished_once() {
    use app::ssr::returns::refunds;
    let app = spawn_app().await;
    let product = product_with_stock(&app, 61, 3).await;
    let mut admin = admin(&app, "night-shift@example.com").await;
    let order = paid_order(&mut Browser::new(&app), product, "interrupted@example.com").await;
    ship_and_deliver(&mut admin, &order.0, "R-1").await;
    let (id, total): (i64, i64) =
        sqlx::query_as("SELECT id, total_minor FROM orders WHERE number = $1").bind(&order.0).fetch_one(&app.db.pool).await.unwrap();

    // A goodwill refund was reserved, then the server stopped before asking the card processor.
    let mut tx = app.db.begin_write().await.unwrap();
    refunds::reserve(&mut tx, id, Some(300), "Goodwill refund.", "admin:night-shift@example.com", None).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert_eq!(refunds::settle_stuck(&app.shop, 120).await.unwrap(), 0, "too recent: maybe still under way");
    sqlx::query("UPDATE refunds SET updated_at = updated_at - 600").execute(&app.db.pool).await.unwrap();
    assert_eq!(refunds::settle_stuck(&app.shop, 120).await.unwrap(), 1);
    assert_eq!(refunds::settle_stuck(&app.shop, 120).await.unwrap(), 0, "finished once");
    let refund: (String,) = sqlx::query_as("SELECT status FROM refunds").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(refund.0, "succeeded");
    assert_eq!(order_status(&app, &order.0).await, "partially-refunded");
    assert!(newest_mail(&app, "interrupted@example.com").await.contains("We refunded $3.00"));

    // The request and the sweeper both carrying out one refund: the money goes back once.
    let mut tx = app.db.begin_write().await.unwrap();
    let twice = refunds::reserve(&mut tx, id, Some(200), "Goodwill refund.", "admin:night-shift@example.com", None).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert_eq!(refunds::send_refund(&app.shop, &twice).await.unwrap(), refunds::Settled::Sent);
    assert_eq!(refunds::send_refund(&app.shop, &twice).await.unwrap(), refunds::Settled::Sent);
    let (refunded,): (i64,) = sqlx::query_as("SELECT refunded_minor FROM orders WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(refunded, 500);
    let (mails,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox_emails WHERE to_address = 'interrupted@example.com' AND subject LIKE 'Refund%'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(mails, 2, "one mail per refund");
    // The card processor refunded 5.00 in all, so exactly the rest can still go back.
    let rest = format!("{}.{:02}", (total - 500) / 100, (total - 500) % 100);
    let reply = admin.call("admin/orders/refund", &[("number", &order.0), ("amount", &rest)]).await;
    assert!(reply.status < 400, "{} {}", reply.status, reply.body);
    assert_eq!(order_status(&app, &order.0).await, "refunded");
}

#[tokio::test]
async fn the_staff_order_list_is_searched_and_paged_with_no_end() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 71, 200).await;
    let variant = only_variant(&app, product).await;
    let (sku,): (String,) = sqlx::query_as("SELECT sku FROM product_variants WHERE id = $1").bind(variant).fetch_one(&app.db.pool).await.unwrap();
    // Thirty orders as checkout writes them, the oldest first.
    let mut numbers = Vec::new();
    for n in 0..30i64 {
        let number = format!("OX-LIST{n:04}");
        let email = format!("buyer{n}@example.com");
        let ship_to = r#"{"id":0,"full_name":"Ada Lovelace","line1":"1 Road","line2":"","city":"Leeds","region":"","postal_code":"LS1","country":"GB","phone":""}"#;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO orders (number, idempotency_key, request_hash, email, status, currency, subtotal_minor, discount_minor, \
                 shipping_minor, tax_minor, total_minor, shipping_method, ship_to, reserved_until, stock_held, access_token, \
                 created_at, updated_at, customer) \
             VALUES ($1, $2, 'h', $3, 'pending-payment', 'USD', 1000, 0, 0, 0, 1000, 'standard', $4, 0, 0, $2, $5, $5, $3) RETURNING id",
        )
        .bind(&number)
        .bind(format!("list-order-key-{n:04}"))
        .bind(&email)
        .bind(ship_to)
        .bind(1_000 + n)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        // As bought: SKUs keep the case staff typed.
        sqlx::query("INSERT INTO order_lines (order_id, variant_id, product_id, name, sku, unit_price_minor, quantity) VALUES ($1, $2, $3, 'Thing', $4, 1000, 1)")
            .bind(id)
            .bind(variant)
            .bind(product)
            .bind(format!("{sku}-red").to_lowercase())
            .execute(&app.db.pool)
            .await
            .unwrap();
        numbers.push(number);
    }
    let owner = admin(&app, "lister@example.com").await;
    let list = |body: &str| serde_json::from_str::<serde_json::Value>(body).unwrap();
    let first = list(&owner.get("/api/admin/orders").await.body);
    assert_eq!((first["page"]["total_items"].as_u64(), first["page"]["total_pages"].as_u64()), (Some(30), Some(2)));
    assert_eq!(first["rows"][0]["number"], numbers[29].as_str(), "newest first");
    let second = list(&owner.get("/api/admin/orders?page=2").await.body);
    let rows = second["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[5]["number"], numbers[0].as_str(), "the oldest is on the last page");
    assert_eq!(list(&owner.get("/api/admin/orders?page=99").await.body)["page"]["page"], 2, "past the end: the last page");
    assert_eq!(owner.get("/api/admin/orders?page=two").await.status, 400);

    let found = |q: &str| {
        let q = q.to_owned();
        let owner = &owner;
        async move { list(&owner.get(&format!("/api/admin/orders?q={}", app::domain::search::url_encode(&q))).await.body) }
    };
    assert_eq!(found(&numbers[3]).await["page"]["total_items"], 1, "by number");
    assert_eq!(found("BUYER7@").await["rows"][0]["number"], numbers[7].as_str(), "by part of the email, in any case");
    assert_eq!(found("lovelace").await["page"]["total_items"], 30, "by the name on the address");
    assert_eq!(found(&format!("{sku}-RED")).await["page"]["total_items"], 30, "by SKU, in any case");
    assert_eq!(found("100%").await["page"]["total_items"], 0, "LIKE's own characters are letters");
    assert_eq!(found("nobody").await["page"]["total_items"], 0);
    let both = list(&owner.get("/api/admin/orders?status=pending-payment&q=buyer1").await.body);
    assert_eq!(both["page"]["total_items"], 11, "buyer1 and buyer10–19, with the state filter");
    assert_eq!(owner.get(&format!("/api/admin/orders?q={}", "x".repeat(101))).await.status, 400);
    let (_, html) = (0, owner.get("/admin/orders?page=2").await.body);
    assert!(html.contains("Page 2 of 2") && html.contains("30 orders"), "the page says where it is");
}
