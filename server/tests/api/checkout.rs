//! The money path through HTTP: cart, checkout, stock, payments and
//! webhooks, including 200 buyers racing for 10 units.
//!
//! Over 400 lines: one suite per domain it proves; each test is a scenario.

use crate::helpers::{
    key, location, newest_mail, only_variant, order_of, order_status, pay, place, product_with_stock, stock,
    signed_up, spawn_app, spawn_app_with, Browser, TestApp, PASSWORD, VISA,
};

const DECLINED: &str = "4000000000000002";
const NEEDS_CONFIRMATION: &str = "4000002760003184";

#[tokio::test]
async fn a_guest_buys_and_a_retry_never_orders_or_charges_twice() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 0, 5).await;
    let mut shopper = Browser::new(&app);
    let reply = shopper.call("cart/add", &[("product", &product.to_string()), ("quantity", "2")]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let cart = shopper.call("cart", &[]).await;
    assert!(cart.body.contains(r#""quantity":2"#), "{}", cart.body);

    let k = key("order");
    let first = place(&mut shopper, &k, "guest@example.com", "").await;
    let path = location(&first);
    let again = place(&mut shopper, &k, "guest@example.com", "").await;
    assert_eq!(location(&again), path, "the same key gives the same order");
    let other = place(&mut shopper, &k, "someone@example.com", "").await;
    assert_eq!(other.status, 409, "a reused key with other contents is refused");
    let (orders,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM orders").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(orders, 1);
    assert_eq!(stock(&app, product).await, (3, 3), "two units held, and the ledger agrees");

    let order = order_of(&path);
    let (total, tax, shipping): (i64, i64, i64) =
        sqlx::query_as("SELECT total_minor, tax_minor, shipping_minor FROM orders WHERE number = $1")
            .bind(&order.0)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert!(tax > 0, "GB is taxed at 20%");
    assert!(total > shipping + tax);

    let p = key("pay");
    let paid = pay(&mut shopper, &order, &p, VISA).await;
    assert!(paid.status < 400, "{} {}", paid.status, paid.body);
    let twice = pay(&mut shopper, &order, &p, VISA).await;
    assert!(twice.status < 400, "a retried payment answers like the first");
    let another = pay(&mut shopper, &order, &key("pay"), VISA).await;
    assert_eq!(another.status, 409, "a paid order takes no second payment");
    assert_eq!(order_status(&app, &order.0).await, "paid");
    let (payments, amount): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), MAX(amount_minor) FROM payments WHERE status = 'succeeded'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((payments, amount), (1, total));
    let (card,): (String,) = sqlx::query_as("SELECT card FROM payments").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(card, "Visa ending 4242", "only the card's description is kept");
    let (mails,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox_emails WHERE to_address = 'guest@example.com'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(mails, 1, "one confirmation");

    // The order page opens with its key, not without (404, like a wrong number).
    let (status, html) = app.page(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains(&order.0) && html.contains("Paid"));
    assert_eq!(app.page(&format!("/order/{}", order.0)).await.0, 404);
    assert_eq!(app.page(&format!("/order/{}?key=wrong", order.0)).await.0, 404);
}

#[tokio::test]
async fn a_declined_card_releases_the_stock_and_a_retry_can_pay() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 1, 1).await;
    let mut shopper = Browser::new(&app);
    shopper.step("cart/add", &[("product", &product.to_string())]).await;
    let order = order_of(&location(&place(&mut shopper, &key("order"), "dee@example.com", "").await));
    assert_eq!(stock(&app, product).await, (0, 0));
    let declined = pay(&mut shopper, &order, &key("pay"), DECLINED).await;
    assert_eq!(declined.status, 402);
    assert!(declined.body.contains("declined"), "{}", declined.body);
    assert_eq!(stock(&app, product).await, (1, 1), "released");
    let paid = pay(&mut shopper, &order, &key("pay"), VISA).await;
    assert!(paid.status < 400, "{}", paid.body);
    assert_eq!(order_status(&app, &order.0).await, "paid");
    assert_eq!(stock(&app, product).await, (0, 0), "held again and sold");
    let bad = pay(&mut shopper, &order, &key("pay"), "1234").await;
    assert_eq!(bad.status, 409, "already paid");
}

#[tokio::test]
async fn bad_quantities_and_codes_get_clear_errors_and_change_nothing() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 2, 4).await;
    let mut shopper = Browser::new(&app);
    let id = product.to_string();
    let item = only_variant(&app, product).await.to_string();
    for quantity in ["0", "-1", "1.5", "9223372036854775808", "abc", "100"] {
        let reply = shopper.call("cart/add", &[("product", &id), ("quantity", quantity)]).await;
        assert_eq!(reply.status, 400, "{quantity}: {}", reply.body);
        assert!(reply.body.contains("whole number"), "{}", reply.body);
    }
    assert_eq!(shopper.call("cart/add", &[("product", "999999999")]).await.status, 404);
    assert_eq!(shopper.call("cart/add", &[("product", "x")]).await.status, 400);
    // More than the stock is capped, with a message; a price sent along is ignored.
    let reply = shopper.call("cart/add", &[("product", &id), ("quantity", "9"), ("price", "1")]).await;
    assert!(reply.status == 200 && reply.body.contains("Only 4 available"), "{} {}", reply.status, reply.body);
    let reply = shopper.call("cart/quantity", &[("item", &item), ("quantity", "5")]).await;
    assert_eq!(reply.status, 400);
    let no_key = place(&mut shopper, "short", "a@example.com", "").await;
    assert_eq!(no_key.status, 400);
    let unknown = place(&mut shopper, &key("o"), "a@example.com", "NOPE").await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.body.contains("does not exist"));
    let bad_address = shopper
        .call("checkout/place", &[("idempotency_key", &key("o")), ("email", "a@example.com"), ("full_name", "A"),
            ("line1", "x"), ("city", "y"), ("postal_code", "<script>"), ("country", "GB")])
        .await;
    assert_eq!(bad_address.status, 400, "{}", bad_address.body);
    // A session that expired (or was never there) mid-checkout: a clear answer, nothing placed.
    let mut expired = Browser::new(&app);
    expired.cookie = Some("__Host-oxcart=expired-session-id".into());
    let reply = place(&mut expired, &key("o"), "late@example.com", "").await;
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("Your cart is empty"), "{}", reply.body);
    assert_eq!(stock(&app, product).await, (4, 4), "nothing reserved by refused requests");
    let (orders,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM orders").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(orders, 0);

    // WELCOME10 works once per customer.
    assert_eq!(shopper.call("cart/quantity", &[("item", &item), ("quantity", "1")]).await.status, 200);
    let first = place(&mut shopper, &key("o"), "promo@example.com", "welcome10").await;
    assert!(first.status < 400, "{}", first.body);
    let (discount,): (i64,) = sqlx::query_as("SELECT discount_minor FROM orders").fetch_one(&app.db.pool).await.unwrap();
    assert!(discount > 0);
    shopper.step("cart/add", &[("product", &id)]).await;
    let second = place(&mut shopper, &key("o"), "promo@example.com", "WELCOME10").await;
    assert_eq!(second.status, 400);
    assert!(second.body.contains("already used"), "{}", second.body);
}

#[tokio::test]
async fn bank_confirmation_arrives_by_signed_webhook_and_forgeries_are_refused() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 3, 3).await;
    let mut shopper = Browser::new(&app);
    shopper.step("cart/add", &[("product", &product.to_string())]).await;
    let order = order_of(&location(&place(&mut shopper, &key("order"), "3ds@example.com", "").await));
    let reply = pay(&mut shopper, &order, &key("pay"), NEEDS_CONFIRMATION).await;
    let bank = location(&reply);
    assert!(bank.contains("/testpay/confirm/pay_"), "{bank}");
    assert_eq!(order_status(&app, &order.0).await, "pending-payment");

    let forged = app
        .client
        .post(format!("{}/webhooks/testpay", app.base))
        .header("testpay-signature", format!("t={},v1={}", app_now(), "00".repeat(32)))
        .body(r#"{"id":"evt_x","kind":"payment.succeeded","reference":"pay_x","created":0}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 400);
    let unsigned = app.client.post(format!("{}/webhooks/testpay", app.base)).body("{}").send().await.unwrap();
    assert_eq!(unsigned.status(), 400);

    let path = bank.split_once("://").map_or(bank.as_str(), |(_, rest)| &rest[rest.find('/').unwrap()..]).to_owned();
    let confirmed = shopper.client
        .post(format!("{}{path}", app.base))
        .header("origin", "https://shop.test")
        .form(&[("answer", "approve")])
        .send()
        .await
        .unwrap();
    assert!(confirmed.status().is_redirection(), "{}", confirmed.status());
    assert_eq!(order_status(&app, &order.0).await, "paid");
    let (events,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM webhook_events").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(events, 1, "the event id is remembered");
}

fn app_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[tokio::test]
async fn a_guest_cart_joins_the_users_cart_at_sign_in_capped_by_stock() {
    let app = spawn_app().await;
    let (a, b) = (product_with_stock(&app, 4, 3).await, product_with_stock(&app, 5, 5).await);
    let mut phone = Browser::new(&app);
    signed_up(&mut phone, "merge@example.com").await;
    phone.step("cart/add", &[("product", &a.to_string()), ("quantity", "2")]).await;

    let mut laptop = Browser::new(&app);
    laptop.step("cart/add", &[("product", &a.to_string()), ("quantity", "2")]).await;
    laptop.step("cart/add", &[("product", &b.to_string())]).await;
    laptop.step("cart/move", &[("item", &only_variant(&app, b).await.to_string()), ("to_saved", "true")]).await;
    let reply = laptop.call("account/sign-in", &[("email", "merge@example.com"), ("password", PASSWORD)]).await;
    assert!(reply.status < 400, "{}", reply.body);

    let cart: serde_json::Value = serde_json::from_str(&laptop.call("cart", &[]).await.body).unwrap();
    let quantity = |list: &str, id: i64| {
        cart[list].as_array().unwrap().iter().find(|l| l["product_id"] == id).map(|l| l["quantity"].as_i64().unwrap())
    };
    assert_eq!(quantity("lines", a), Some(3), "2 + 2, capped by the 3 in stock");
    assert_eq!(quantity("saved", b), Some(1), "the saved list comes along");
    assert!(cart["notices"][0].as_str().unwrap().contains("only 3"), "{cart}");
    let phone_cart = phone.call("cart", &[]).await.body;
    assert!(phone_cart.contains(r#""quantity":3"#), "the same cart on every device: {phone_cart}");
    let (carts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM carts").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(carts, 1, "the guest cart is gone");
}

#[tokio::test]
async fn abandoned_guest_carts_are_deleted_and_members_carts_stay() {
    use app::ssr::cart::{delete_abandoned, ABANDONED_SECS};
    let app = spawn_app().await;
    let product = product_with_stock(&app, 2, 5).await.to_string();
    let (mut gone, mut recent, mut member) = (Browser::new(&app), Browser::new(&app), Browser::new(&app));
    signed_up(&mut member, "keeps@example.com").await;
    for shopper in [&mut gone, &mut recent, &mut member] {
        assert_eq!(shopper.call("cart/add", &[("product", &product)]).await.status, 200);
    }
    let long_ago = app::ssr::now() - ABANDONED_SECS - 60;
    sqlx::query("UPDATE carts SET updated_at = $1 WHERE id <> (SELECT MAX(id) FROM carts WHERE user_id IS NULL)")
        .bind(long_ago)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(delete_abandoned(&app.db).await.unwrap(), 1, "only the old guest cart");
    assert_eq!(delete_abandoned(&app.db).await.unwrap(), 0);
    let lines = |body: String| serde_json::from_str::<serde_json::Value>(&body).unwrap()["lines"].as_array().unwrap().len();
    assert_eq!(lines(gone.call("cart", &[]).await.body), 0, "the abandoned cart is empty");
    assert_eq!(lines(recent.call("cart", &[]).await.body), 1, "a recent guest cart stays");
    assert_eq!(lines(member.call("cart", &[]).await.body), 1, "a member's cart stays however old");
    let (orphans,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cart_items WHERE cart_id NOT IN (SELECT id FROM carts)")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(orphans, 0, "its lines went with it");
    assert_eq!(gone.call("cart/add", &[("product", &product)]).await.status, 200, "a new cart starts");
}

/// The first add makes the cart and its line in one transaction: a refused
/// add (unknown product) leaves no empty cart behind.
#[tokio::test]
async fn a_refused_first_add_makes_no_cart() {
    let app = spawn_app().await;
    let carts = || async { sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM carts").fetch_one(&app.db.pool).await.unwrap().0 };
    let mut shopper = Browser::new(&app);
    assert_eq!(shopper.call("cart/add", &[("product", "999999999")]).await.status, 404);
    assert_eq!(carts().await, 0);
    let product = product_with_stock(&app, 1, 3).await.to_string();
    assert_eq!(shopper.call("cart/add", &[("product", &product)]).await.status, 200);
    assert_eq!(shopper.call("cart/add", &[("product", &product)]).await.status, 200);
    assert_eq!(carts().await, 1, "one cart, kept by the session");
    let cart: serde_json::Value = serde_json::from_str(&shopper.call("cart", &[]).await.body).unwrap();
    assert_eq!(cart["lines"][0]["quantity"], 2);
}

/// A payment the server stopped waiting for (killed between recording
/// "processing" and hearing the provider) is finished by the sweeper: the
/// provider is asked by the payment's key. Never received: the payment failed,
/// the stock goes back and the shopper can pay again. Authorized: the order
/// is paid, once.
#[tokio::test]
async fn payments_a_crash_left_processing_are_finished_from_the_providers_records() {
    use app::ssr::payments::pay::settle_stuck;
    let app = spawn_app().await;
    let product = product_with_stock(&app, 7, 4).await;
    let long_ago = app::ssr::now() - 600;
    let mut orders = Vec::new();
    for n in 0..2 {
        let mut shopper = Browser::new(&app);
        shopper.step("cart/add", &[("product", &product.to_string()), ("quantity", "2")]).await;
        let order = order_of(&location(&place(&mut shopper, &key("order"), &format!("crash{n}@example.com"), "").await));
        let (id, total): (i64, i64) =
            sqlx::query_as("SELECT id, total_minor FROM orders WHERE number = $1").bind(&order.0).fetch_one(&app.db.pool).await.unwrap();
        // What `pay` writes before it calls the provider, dated before the crash.
        let payment_key = key("crashed-pay");
        sqlx::query(
            "INSERT INTO payments (order_id, idempotency_key, provider, card, amount_minor, status, created_at, updated_at) \
             VALUES ($1, $2, 'testpay', 'Visa ending 4242', $3, 'processing', $4, $4)",
        )
        .bind(id)
        .bind(&payment_key)
        .bind(total)
        .bind(long_ago)
        .execute(&app.db.pool)
        .await
        .unwrap();
        orders.push((shopper, order, payment_key, total));
    }
    // The second payment reached the provider and was authorized before the crash.
    let provider = &app.shop.provider;
    let card = provider.tokenize(VISA, "12/99", "123").unwrap();
    let total = app::domain::money::Money::new(orders[1].3, app::domain::money::Currency::Usd);
    let charge = app::ssr::payments::provider::Charge { key: &orders[1].2, token: &card.token, amount: total, order: "", return_url: "", pay_by: 0 };
    provider.authorize(&charge).await.unwrap();
    assert_eq!(stock(&app, product).await, (0, 0));
    assert_eq!(app::ssr::inventory::stock::release_expired(&app.db).await.unwrap(), 0);

    assert_eq!(settle_stuck(&app.shop, 120).await.unwrap(), 2);
    assert_eq!(settle_stuck(&app.shop, 120).await.unwrap(), 0, "finished once");
    let pool = &app.db.pool;
    let status = |key: String| async move {
        sqlx::query_as::<_, (String,)>("SELECT status FROM payments WHERE idempotency_key = $1")
            .bind(key)
            .fetch_one(pool)
            .await
            .unwrap()
            .0
    };
    assert_eq!(status(orders[0].2.clone()).await, "failed");
    assert_eq!(order_status(&app, &orders[0].1 .0).await, "pending-payment");
    assert_eq!(status(orders[1].2.clone()).await, "succeeded");
    assert_eq!(order_status(&app, &orders[1].1 .0).await, "paid");
    assert!(newest_mail(&app, "crash1@example.com").await.contains("We received your payment"));
    assert_eq!(stock(&app, product).await, (2, 2), "the unpaid order's two units are back");

    let (mut shopper, order, ..) = orders.remove(0);
    assert!(pay(&mut shopper, &order, &key("pay-again"), VISA).await.status < 400, "it can be paid again");
    assert_eq!(order_status(&app, &order.0).await, "paid");
    assert_eq!(stock(&app, product).await, (0, 0));
}

#[tokio::test]
async fn unpaid_orders_give_their_stock_back_when_the_hold_expires() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 6, 2).await;
    let mut shopper = Browser::new(&app);
    shopper.step("cart/add", &[("product", &product.to_string()), ("quantity", "2")]).await;
    let order = order_of(&location(&place(&mut shopper, &key("order"), "slow@example.com", "").await));
    assert_eq!(stock(&app, product).await, (0, 0));
    assert_eq!(app::ssr::inventory::stock::release_expired(&app.db).await.unwrap(), 0, "still within its hold");
    sqlx::query("UPDATE orders SET reserved_until = 0").execute(&app.db.pool).await.unwrap();
    assert_eq!(app::ssr::inventory::stock::release_expired(&app.db).await.unwrap(), 1);
    assert_eq!(app::ssr::inventory::stock::release_expired(&app.db).await.unwrap(), 0, "released once");
    assert_eq!(stock(&app, product).await, (2, 2));
    let paid = pay(&mut shopper, &order, &key("pay"), VISA).await;
    assert!(paid.status < 400, "paying later takes the stock again: {}", paid.body);
    assert_eq!(stock(&app, product).await, (0, 0));
    assert_eq!(order_status(&app, &order.0).await, "paid");
}

/// Posts a webhook event signed with `secret` at time `at`.
async fn send_event(app: &TestApp, secret: &[u8], at: i64, id: &str, kind: &str, reference: &str) -> (u16, String) {
    let body = format!(r#"{{"id":"{id}","kind":"{kind}","reference":"{reference}","created":{at}}}"#);
    let signature = app::ssr::payments::provider::sign(secret, at, body.as_bytes());
    let reply = app
        .client
        .post(format!("{}/webhooks/testpay", app.base))
        .header("testpay-signature", signature)
        .body(body)
        .send()
        .await
        .unwrap();
    (reply.status().as_u16(), reply.text().await.unwrap())
}

#[tokio::test]
async fn webhooks_apply_once_in_any_order_and_stale_ones_are_refused() {
    let secret = b"whsec_test_secret";
    let app = spawn_app_with(|config| config.webhook_secret = String::from_utf8_lossy(secret).into_owned()).await;
    let product = product_with_stock(&app, 7, 3).await;
    let mut shopper = Browser::new(&app);
    shopper.step("cart/add", &[("product", &product.to_string())]).await;
    let order = order_of(&location(&place(&mut shopper, &key("order"), "hook@example.com", "").await));
    let setup = pay(&mut shopper, &order, &key("pay"), NEEDS_CONFIRMATION).await;
    assert!(setup.status < 400, "setup: {} {}", setup.status, setup.body);
    let (reference,): (String,) = sqlx::query_as("SELECT provider_ref FROM payments").fetch_one(&app.db.pool).await.unwrap();
    let now = app_now();

    assert_eq!(send_event(&app, secret, now - 3600, "evt_old", "payment.succeeded", &reference).await.0, 400, "stale");
    assert_eq!(send_event(&app, b"wrong", now, "evt_1", "payment.succeeded", &reference).await.0, 400, "forged");
    assert_eq!(order_status(&app, &order.0).await, "pending-payment", "refused events change nothing");
    assert_eq!(send_event(&app, secret, now, "evt_1", "payment.succeeded", &reference).await, (200, "applied".into()));
    assert_eq!(send_event(&app, secret, now, "evt_1", "payment.succeeded", &reference).await, (200, "duplicate".into()));
    // A failure that arrives after the success (out of order) changes nothing.
    assert_eq!(send_event(&app, secret, now, "evt_2", "payment.failed", &reference).await.0, 200);
    assert_eq!(order_status(&app, &order.0).await, "paid");
    let (status,): (String,) = sqlx::query_as("SELECT status FROM payments").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(status, "succeeded");
    assert_eq!(send_event(&app, secret, now, "evt_3", "payment.succeeded", "pay_unknown").await.0, 200, "unknown payments are acknowledged");
    let (mails,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox_emails WHERE to_address = 'hook@example.com'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(mails, 1, "one confirmation however often the event comes");
}

#[tokio::test]
async fn falling_to_the_threshold_tells_the_admins() {
    let app = spawn_app().await;
    app::ssr::accounts::create_staff(&app.db, "stock-admin@example.com", None, "https://shop.test").await.unwrap();
    let product = product_with_stock(&app, 8, 5).await;
    let mut shopper = Browser::new(&app);
    shopper.step("cart/add", &[("product", &product.to_string())]).await;
    let setup = place(&mut shopper, &key("order"), "a@example.com", "").await;
    assert!(setup.status < 400, "setup: {} {}", setup.status, setup.body);
    let alerts = || async {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox_emails WHERE subject LIKE 'Low stock:%'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        n
    };
    assert_eq!(alerts().await, 0, "4 left, above the threshold of 3");
    shopper.step("cart/add", &[("product", &product.to_string())]).await;
    let setup = place(&mut shopper, &key("order"), "a@example.com", "").await;
    assert!(setup.status < 400, "setup: {} {}", setup.status, setup.body);
    let mail = newest_mail(&app, "stock-admin@example.com").await;
    assert!(mail.contains("down to 3"), "{mail}");
    let link = format!("https://shop.test/admin/products/{product}");
    assert!(mail.contains(&link), "a link a mail client can open, to the product's page: {mail}");
    shopper.step("cart/add", &[("product", &product.to_string())]).await;
    let setup = place(&mut shopper, &key("order"), "a@example.com", "").await;
    assert!(setup.status < 400, "setup: {} {}", setup.status, setup.body);
    assert_eq!(alerts().await, 1, "told once when crossing, not at every sale below");
}

#[tokio::test]
async fn a_signed_in_shopper_delivers_to_a_saved_address_but_never_to_anothers() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 9, 5).await;
    let mut ann = Browser::new(&app);
    signed_up(&mut ann, "ann.saved@example.com").await;
    let home = [("full_name", "Ann Example"), ("line1", "1 Park Row"), ("city", "Leeds"), ("postal_code", "ls1 1aa"), ("country", "gb")];
    let saved: serde_json::Value = serde_json::from_str(&ann.call("account/addresses/save", &home).await.body).unwrap();
    let id = saved["id"].as_i64().unwrap().to_string();
    let mut ben = Browser::new(&app);
    signed_up(&mut ben, "ben.saved@example.com").await;
    for shopper in [&mut ann, &mut ben] {
        shopper.step("cart/add", &[("product", &product.to_string())]).await;
    }
    let form = |k: &str| vec![("idempotency_key", k.to_owned()), ("address_id", id.clone()), ("method", "standard".into())];
    let refused = ben.call("checkout/place", &form(&key("o")).iter().map(|(a, b)| (*a, b.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(refused.status, 404, "another user's address is not found: {}", refused.body);
    let placed = ann.call("checkout/place", &form(&key("o")).iter().map(|(a, b)| (*a, b.as_str())).collect::<Vec<_>>()).await;
    let order = order_of(&location(&placed));
    let (email, ship_to, tax): (String, String, i64) =
        sqlx::query_as("SELECT email, ship_to, tax_minor FROM orders WHERE number = $1").bind(&order.0).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(email, "ann.saved@example.com", "the account's address gets the receipt");
    assert!(ship_to.contains("1 Park Row") && ship_to.contains("LS1 1AA"), "{ship_to}");
    assert!(tax > 0, "taxed for the saved address's country (GB)");
    // Ben's own order page is not Ann's: without the key, only the owner sees it.
    let path = format!("/api/order?number={}", order.0);
    assert_eq!(ben.get(&path).await.status, 404);
    assert_eq!(ann.get(&path).await.status, 200);
}

/// Rounds of the race below (the issue asks for at least 20).
const ROUNDS: i64 = 20;
const BUYERS: usize = 200;
const UNITS: i64 = 10;

// Multi-threaded: the server handles the buyers on several threads at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_buyers_for_ten_units_never_oversell() {
    let app = spawn_app().await;
    for round in 0..ROUNDS {
        let product = product_with_stock(&app, 10 + round, UNITS).await;
        let id = product.to_string();
        // Every buyer fills a cart first (stock is not taken by carts).
        let mut buyers = Vec::new();
        for _ in 0..BUYERS {
            let mut b = Browser::new(&app);
            let reply = b.call("cart/add", &[("product", &id)]).await;
            assert_eq!(reply.status, 200, "{}", reply.body);
            buyers.push(b);
        }
        // Then all of them check out and pay at once.
        let tasks = buyers.into_iter().enumerate().map(|(n, mut b)| async move {
            let reply = place(&mut b, &key("race"), &format!("buyer{n}@example.com"), "").await;
            if reply.status >= 400 {
                assert_eq!(reply.status, 409, "a sold-out item is a conflict, never a 500: {}", reply.body);
                return false;
            }
            let order = order_of(&location(&reply));
            let paid = pay(&mut b, &order, &key("pay"), VISA).await;
            assert!(paid.status < 400, "{}", paid.body);
            true
        });
        let won = futures::future::join_all(tasks).await.into_iter().filter(|w| *w).count();
        assert_eq!(won as i64, UNITS, "round {round}: exactly {UNITS} orders");
        assert_eq!(stock(&app, product).await, (0, 0), "round {round}: stock 0 and the ledger agrees");
    }
    let (orders, paid): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), CAST(SUM(CASE WHEN status = 'paid' THEN 1 ELSE 0 END) AS BIGINT) FROM orders")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((orders, paid), (ROUNDS * UNITS, ROUNDS * UNITS));
    let (unmatched,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM orders o WHERE (SELECT COUNT(*) FROM payments p WHERE p.order_id = o.id AND p.status = 'succeeded') <> 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(unmatched, 0, "every order paid exactly once");
}

#[tokio::test]
async fn search_hears_of_stock_changes_only_when_they_cross_zero() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 13, 5).await;
    let changes = || async {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM search_changes WHERE product_id = $1")
            .bind(product)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        n
    };
    let pool = app.db.pool.clone();
    let set = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query(sql).bind(product).execute(&pool).await.unwrap() }
    };
    let before = changes().await;
    // A variant's stock moves the product's total (a trigger), and that is what search watches.
    set("UPDATE product_variants SET stock = 4 WHERE product_id = $1").await;
    assert_eq!(changes().await, before, "a sale that leaves stock is not news to search");
    set("UPDATE product_variants SET stock = 0 WHERE product_id = $1").await;
    assert_eq!(changes().await, before + 1, "sold out");
    set("UPDATE product_variants SET stock = 3 WHERE product_id = $1").await;
    assert_eq!(changes().await, before + 2, "back in stock");
    set("UPDATE products SET name = name || ' (new)' WHERE id = $1").await;
    assert_eq!(changes().await, before + 3, "other columns as before");
}

#[tokio::test]
async fn a_sellers_product_falling_to_the_threshold_tells_its_sellers_staff_too() {
    let app = spawn_app().await;
    let sellers: Vec<(i64, String)> = sqlx::query_as("SELECT id, slug FROM sellers ORDER BY id LIMIT 2").fetch_all(&app.db.pool).await.unwrap();
    let mine = sellers[0].0;
    app::ssr::accounts::create_staff(&app.db, "stock-admin@example.com", None, "https://shop.test").await.unwrap();
    app::ssr::accounts::create_staff(&app.db, "mine@example.com", Some(&sellers[0].1), "https://shop.test").await.unwrap();
    app::ssr::accounts::create_staff(&app.db, "theirs@example.com", Some(&sellers[1].1), "https://shop.test").await.unwrap();
    let (product,): (i64,) = sqlx::query_as(
        "SELECT id FROM products p WHERE seller_id = $1 AND status = 'active' \
         AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id) ORDER BY id LIMIT 1",
    )
    .bind(mine)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE product_variants SET stock = 4, low_stock_threshold = 3 WHERE product_id = $1").bind(product).execute(&app.db.pool).await.unwrap();
    let mut shopper = Browser::new(&app);
    shopper.step("cart/add", &[("product", &product.to_string())]).await;
    let setup = place(&mut shopper, &key("order"), "a@example.com", "").await;
    assert!(setup.status < 400, "setup: {} {}", setup.status, setup.body);
    let told: Vec<(String,)> =
        sqlx::query_as("SELECT to_address FROM outbox_emails WHERE subject LIKE 'Low stock:%' ORDER BY to_address").fetch_all(&app.db.pool).await.unwrap();
    let told: Vec<&str> = told.iter().map(|(t,)| t.as_str()).collect();
    assert_eq!(told, ["mine@example.com", "stock-admin@example.com"], "the admins and this seller's staff, not another seller's");
}
