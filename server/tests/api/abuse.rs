//! Abuse of the shop's rules, each limit proved over HTTP: promo codes used
//! once per customer however the address is written and however fast,
//! unpaid orders that hoard stock and burn promo uses, carts without end,
//! and rate limits on placing orders and paying (per client behind trusted
//! proxies, IPv6 by /64, across app servers sharing the database).

use crate::helpers::{spawn_app, spawn_app_with, Browser, TestApp};
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_once_per_customer_promo_is_used_once_however_the_address_is_written_and_however_fast() {
    let app = spawn_app().await;
    let product = crate::helpers::product_with_stock(&app, 40, 100).await;
    let order = |email: String, n: usize| {
        let (client, base) = (app.client.clone(), app.base.clone());
        async move {
            let body = serde_json::json!({
                "items": [{"product_id": product, "quantity": 1}],
                "email": email,
                "address": {"full_name": "Ada", "line1": "1 Main St", "city": "Arlington", "region": "VA",
                            "postal_code": "22201", "country": "us"},
                "shipping_method": "standard",
                "promo": "WELCOME10"
            });
            let response = client
                .post(format!("{base}/api/v1/orders"))
                .header("idempotency-key", format!("welcome-twice-{n:08}-key"))
                .json(&body)
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    // Eight orders at once, one customer under eight spellings of the address.
    let spellings = ["ada@example.com", "Ada+1@example.com", "ada+2@EXAMPLE.com", "ada+shop@example.com",
                     "ADA@example.com", "ada+x@example.com", "ada+y@example.com", "ada+z@example.com"];
    let answers = futures::future::join_all(spellings.iter().enumerate().map(|(n, e)| order(e.to_string(), n))).await;
    let accepted: Vec<_> = answers.iter().filter(|(status, _)| *status == 201 || *status == 200).collect();
    assert_eq!(accepted.len(), 1, "{answers:?}");
    for (status, body) in answers.iter().filter(|(status, _)| *status >= 300) {
        assert_eq!(*status, 400, "{body}");
        assert!(body.contains("already used the promo code"), "{body}");
    }
    let (uses,): (i64,) = sqlx::query_as("SELECT uses FROM promo_codes WHERE code = 'WELCOME10'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(uses, 1);
}

#[tokio::test]
async fn a_guest_holds_stock_with_only_a_few_unpaid_orders_and_a_cancelled_one_gives_its_promo_back() {
    use crate::helpers::{key, location, order_of, place, product_with_stock};
    let app = spawn_app().await;
    let product = product_with_stock(&app, 41, 100).await;
    let mut guest = Browser::new(&app);
    let mut orders = Vec::new();
    for n in 0..app::ssr::orders::place::MAX_UNPAID_ORDERS {
        assert_eq!(guest.call("cart/add", &[("product", &product.to_string())]).await.status, 200);
        let promo = if n == 0 { "WELCOME10" } else { "" };
        let reply = place(&mut guest, &key("hoard"), "hoarder@example.com", promo).await;
        assert!(reply.status < 400, "order {n}: {}", reply.body);
        orders.push(order_of(&location(&reply)));
    }
    let uses = || async {
        sqlx::query_as::<_, (i64,)>("SELECT uses FROM promo_codes WHERE code = 'WELCOME10'").fetch_one(&app.db.pool).await.unwrap().0
    };
    assert_eq!(uses().await, 1);
    assert_eq!(guest.call("cart/add", &[("product", &product.to_string())]).await.status, 200);
    let refused = place(&mut guest, &key("hoard"), "hoarder@example.com", "").await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("unpaid orders"), "{}", refused.body);

    // Cancelling the unpaid order that used the promo frees a place and the promo.
    let (number, secret) = &orders[0];
    let cancelled = guest.call("order/cancel", &[("number", number), ("key", secret)]).await;
    assert!(cancelled.status < 400, "{}", cancelled.body);
    assert_eq!(uses().await, 0, "the cancelled order's promo use is given back");
    let again = place(&mut guest, &key("hoard"), "hoarder@example.com", "WELCOME10").await;
    assert!(again.status < 400, "a place is free and the promo can be used again: {}", again.body);
    assert_eq!(guest.call("cart/add", &[("product", &product.to_string())]).await.status, 200);
    let spelled = place(&mut guest, &key("hoard"), "Hoarder+1@example.com", "").await;
    assert_eq!(spelled.status, 409, "another spelling is the same customer: {}", spelled.body);
    assert_eq!(uses().await, 1);
}

#[tokio::test]
async fn an_expired_unpaid_order_gives_its_promo_back_and_takes_it_again_if_paid_later() {
    use crate::helpers::{key, location, order_of, pay, place, product_with_stock, VISA};
    let app = spawn_app().await;
    let product = product_with_stock(&app, 42, 10).await;
    let mut guest = Browser::new(&app);
    assert_eq!(guest.call("cart/add", &[("product", &product.to_string())]).await.status, 200);
    let order = order_of(&location(&place(&mut guest, &key("late"), "late@example.com", "WELCOME10").await));
    sqlx::query("UPDATE orders SET reserved_until = 0 WHERE number = $1").bind(&order.0).execute(&app.db.pool).await.unwrap();
    assert_eq!(app::ssr::inventory::stock::release_expired(&app.db).await.unwrap(), 1);
    let uses = || async {
        sqlx::query_as::<_, (i64,)>("SELECT uses FROM promo_codes WHERE code = 'WELCOME10'").fetch_one(&app.db.pool).await.unwrap().0
    };
    assert_eq!(uses().await, 0, "an expired hold gives the promo use back");
    let paid = pay(&mut guest, &order, &key("late-pay"), VISA).await;
    assert!(paid.status < 400, "{}", paid.body);
    assert_eq!(uses().await, 1, "paying later takes it again");
    let (redemptions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM promo_redemptions").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(redemptions, 1);
}

#[tokio::test]
async fn a_cart_holds_at_most_fifty_different_items() {
    let app = spawn_app().await;
    let mut guest = Browser::new(&app);
    let ids: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM products p WHERE stock > 0 AND NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id) \
         ORDER BY id LIMIT 51",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(ids.len(), 51);
    for (id,) in &ids[..50] {
        let reply = guest.call("cart/add", &[("product", &id.to_string())]).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let refused = guest.call("cart/add", &[("product", &ids[50].0.to_string())]).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(refused.body.contains("at most 50 different items"), "{}", refused.body);
    let more = guest.call("cart/add", &[("product", &ids[0].0.to_string())]).await;
    assert_eq!(more.status, 200, "more of an item already in the cart is fine: {}", more.body);
}

/// POSTs a one-item guest order to the JSON API as if from `client` (behind
/// the test's trusted proxy): the status and the `Retry-After` header.
async fn api_order_from(app: &TestApp, base: &str, product: i64, client: &str, n: usize) -> (u16, Option<String>) {
    let body = serde_json::json!({
        "items": [{"product_id": product, "quantity": 1}],
        "email": format!("rate{n}@example.com"),
        "address": {"full_name": "Ada", "line1": "1 Main St", "city": "Arlington", "region": "VA",
                    "postal_code": "22201", "country": "us"},
        "shipping_method": "standard"
    });
    let response = app
        .client
        .post(format!("{base}/api/v1/orders"))
        .header("idempotency-key", format!("rate-limited-order-{n:08}"))
        .header("x-forwarded-for", client)
        .json(&body)
        .send()
        .await
        .unwrap();
    let retry = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    (response.status().as_u16(), retry)
}

#[tokio::test]
async fn orders_are_limited_per_client_behind_a_trusted_proxy_and_ipv6_counts_by_its_64() {
    let app = spawn_app_with(|config| {
        config.order_rate = 2;
        config.trusted_proxies = "127.0.0.1".into();
    })
    .await;
    let product = crate::helpers::product_with_stock(&app, 45, 100).await;
    let base = app.base.clone();
    assert_eq!(api_order_from(&app, &base, product, "198.51.100.1", 1).await.0, 201);
    assert_eq!(api_order_from(&app, &base, product, "198.51.100.1", 2).await.0, 201);
    let (status, retry) = api_order_from(&app, &base, product, "198.51.100.1", 3).await;
    assert_eq!(status, 429, "a third order in ten minutes from one client");
    assert!(retry.unwrap().parse::<u64>().unwrap() >= 1);
    assert_eq!(api_order_from(&app, &base, product, "198.51.100.2", 4).await.0, 201, "another client behind the same proxy");
    assert_eq!(api_order_from(&app, &base, product, "2001:db8:7:7::1", 5).await.0, 201);
    assert_eq!(api_order_from(&app, &base, product, "2001:db8:7:7::2", 6).await.0, 201);
    assert_eq!(api_order_from(&app, &base, product, "2001:db8:7:7:ffff::3", 7).await.0, 429, "one IPv6 /64 is one client");
    let (orders,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM orders").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(orders, 5, "refused orders left nothing behind");
}

#[tokio::test]
async fn a_forwarded_address_from_an_untrusted_peer_is_not_believed() {
    let app = spawn_app_with(|config| config.order_rate = 1).await; // no trusted proxy
    let product = crate::helpers::product_with_stock(&app, 46, 100).await;
    let base = app.base.clone();
    assert_eq!(api_order_from(&app, &base, product, "198.51.100.1", 1).await.0, 201);
    assert_eq!(api_order_from(&app, &base, product, "198.51.100.2", 2).await.0, 429, "a client cannot pick its own address");
}

#[tokio::test]
async fn the_order_limit_holds_across_app_servers_sharing_the_database() {
    let app = spawn_app_with(|config| config.order_rate = 2).await;
    let second = crate::helpers::spawn_server_beside(&app, |config| config.order_rate = 2).await;
    let product = crate::helpers::product_with_stock(&app, 47, 100).await;
    assert_eq!(api_order_from(&app, &app.base, product, "-", 1).await.0, 201);
    assert_eq!(api_order_from(&app, &second, product, "-", 2).await.0, 201);
    assert_eq!(api_order_from(&app, &second, product, "-", 3).await.0, 429, "two servers, one count");
    assert_eq!(api_order_from(&app, &app.base, product, "-", 4).await.0, 429);
}

#[tokio::test]
async fn payment_attempts_are_limited_per_client_against_card_testing() {
    use crate::helpers::{key, location, order_of, pay, place, product_with_stock};
    let app = spawn_app_with(|config| config.payment_rate = 3).await;
    let product = product_with_stock(&app, 48, 10).await;
    let mut tester = Browser::new(&app);
    assert_eq!(tester.call("cart/add", &[("product", &product.to_string())]).await.status, 200);
    let order = order_of(&location(&place(&mut tester, &key("card-test"), "tester@example.com", "").await));
    for n in 0..3 {
        let declined = pay(&mut tester, &order, &key("card-test-pay"), "4000000000000002").await;
        assert_eq!(declined.status, 402, "attempt {n}: {}", declined.body);
    }
    let refused = pay(&mut tester, &order, &key("card-test-pay"), "4000000000000002").await;
    assert_eq!(refused.status, 429, "{}", refused.body);
    assert!(refused.body.contains("Too many payment attempts"), "{}", refused.body);
    let (payments,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM payments").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(payments, 3, "the refused attempt never reached the card processor");
}

#[tokio::test]
async fn rate_limit_windows_older_than_a_day_are_forgotten_and_the_current_one_kept() {
    let app = spawn_app().await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    for (client, start) in [("192.0.2.1", now - 2 * 86_400), ("192.0.2.2", now - 600)] {
        sqlx::query("INSERT INTO rate_limits (bucket, client, window_start, hits) VALUES ('order', $1, $2, 3)")
            .bind(client)
            .bind(start)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
    assert_eq!(app::ssr::accounts::limits::forget_old(&app.db).await.unwrap(), 1);
    let left: Vec<(String,)> = sqlx::query_as("SELECT client FROM rate_limits").fetch_all(&app.db.pool).await.unwrap();
    assert_eq!(left, [("192.0.2.2".to_owned(),)], "this window's counter stays");
}
