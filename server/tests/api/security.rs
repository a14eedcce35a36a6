//! The security review's findings (issue 16), each proved over HTTP: staff and
//! account pages never answer 500 to strangers, emailed links do not skip
//! two-step sign-in, oversized bodies get 413, the test card processor exists
//! only when chosen, promoting an account to staff takes every credential
//! away from whoever registered it, old links die with the password, pages
//! carry a nonce CSP and the safety headers, large refunds take the password
//! again, and nobody reaches another's order or address by its id (the IDOR
//! matrix, whose table of routes makes this file a little over 400 lines).
//! Abuse of the shop's rules (promos, hoarding, rate limits) is in `abuse.rs`.

use crate::helpers::{
    make_staff, newest_mail, signed_up, spawn_app, spawn_app_with, staff_code, Browser, TestApp, PASSWORD,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Pages only staff may see, and account pages only their owner may see.
const STAFF_PAGES: [&str; 7] = [
    "/admin/orders",
    "/admin/orders?status=paid",
    "/admin/audit",
    "/admin/orders/OX-NOSUCH",
    "/admin/products",
    "/admin/products/new",
    "/admin/products/1",
];
const ACCOUNT_PAGES: [&str; 2] = ["/account", "/account/orders"];

/// GET `path` with `cookie` (if any): status and body.
async fn page_with(app: &TestApp, path: &str, cookie: Option<&str>) -> (u16, String) {
    let mut request = app.client.get(format!("{}{path}", app.base));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn staff_and_account_pages_answer_strangers_with_401_or_403_never_500() {
    let app = spawn_app().await;
    let mut shopper = Browser::new(&app);
    signed_up(&mut shopper, "shopper@example.com").await;
    let shopper_cookie = shopper.cookie.clone().unwrap();
    // A cookie naming no session (expired, or made up).
    let stale = "__Host-oxcart=AAAAAAAAAAAAAAAAAAAAAA"; // the https test shop's cookie name

    for path in STAFF_PAGES {
        for (who, cookie, want) in [("no cookie", None, 401), ("stale cookie", Some(stale), 401), ("shopper", Some(shopper_cookie.as_str()), 403)] {
            let (status, body) = page_with(&app, path, cookie).await;
            assert_eq!(status, want, "{path} for {who}: {body}");
            assert!(!body.contains("To pack"), "{path} for {who} shows the staff's filters");
            assert!(!body.contains("Something went wrong"), "{path} for {who}");
        }
    }
    for path in ACCOUNT_PAGES {
        for (who, cookie) in [("no cookie", None), ("stale cookie", Some(stale))] {
            let (status, body) = page_with(&app, path, cookie).await;
            assert_eq!(status, 401, "{path} for {who}: {body}");
            assert!(body.contains("/account/sign-in"), "{path} for {who} offers the sign-in page");
        }
        let (status, _) = page_with(&app, path, Some(&shopper_cookie)).await;
        assert_eq!(status, 200, "{path} for its owner");
    }
    // The same through the server functions the pages call.
    assert_eq!(Browser::new(&app).call("admin/audit", &[]).await.status, 401);
    for endpoint in ["/api/admin/orders", "/api/account/orders", "/api/admin/order?number=OX-1"] {
        let reply = Browser::new(&app).get(endpoint).await;
        assert_eq!(reply.status, 401, "{endpoint}: {}", reply.body);
    }
}

#[tokio::test]
async fn a_password_reset_link_does_not_skip_the_code_step() {
    let app = spawn_app_with(|config| config.auth_burst = 100).await;
    let mut admin = Browser::new(&app);
    signed_up(&mut admin, "root@example.com").await;
    make_staff(&mut admin, "root@example.com", None).await;
    assert_eq!(admin.call("admin/audit", &[]).await.status, 200, "signed in with password and code");
    admin.step("account/sign-out", &[]).await;

    let mut thief = Browser::new(&app); // someone who got into the admin's mailbox
    assert_eq!(thief.call("account/forgot", &[("email", "root@example.com")]).await.status, 200);
    let body = newest_mail(&app, "root@example.com").await;
    let token: String = body.split("token=").nth(1).unwrap().chars().take_while(char::is_ascii_hexdigit).collect();
    let reply = thief.call("account/reset", &[("token", &token), ("new", "a brand new pass phrase")]).await;
    assert!(reply.status < 400, "{}", reply.body);
    assert_eq!(reply.headers.get("location").unwrap(), "/account/two-step", "the code is still owed");
    assert_eq!(thief.who().await, None, "the link alone signs nobody in");
    assert_eq!(thief.call("admin/audit", &[]).await.status, 401);
    assert_eq!(thief.get("/api/admin/orders").await.status, 401);
    let (status, body) = page_with(&app, "/admin/orders", thief.cookie.as_deref()).await;
    assert_eq!(status, 401, "{body}");

    // The owner, with the app, finishes the sign-in.
    let reply = thief.call("account/two-step", &[("code", &staff_code(1))]).await;
    assert!(reply.status < 400, "{}", reply.body);
    assert_eq!(thief.who().await.as_deref(), Some("root@example.com"));
    assert_eq!(thief.call("admin/audit", &[]).await.status, 200);
}

#[tokio::test]
async fn a_session_of_a_two_step_account_without_the_code_counts_for_nothing() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    signed_up(&mut browser, "later@example.com").await;
    assert_eq!(browser.who().await.as_deref(), Some("later@example.com"));
    // Two-step sign-in turned on elsewhere: this session never gave a code.
    sqlx::query("UPDATE users SET totp_secret = $1 WHERE email = 'later@example.com'")
        .bind(crate::helpers::STAFF_TOTP_HEX)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(browser.who().await, None);
}

/// POSTs `size` bytes to `path` with a Content-Length: status and body.
async fn post_bytes(app: &TestApp, path: &str, size: usize, content_type: &str) -> (u16, String) {
    let response = app
        .client
        .post(format!("{}{path}", app.base))
        .header("origin", "https://shop.test")
        .header("content-type", content_type)
        .header("idempotency-key", "oversized-0000000001")
        .body(vec![b'a'; size])
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// POSTs `size` bytes to `path` in chunks, with no Content-Length: the status line.
async fn post_chunked(app: &TestApp, path: &str, size: usize) -> String {
    let addr = app.base.trim_start_matches("http://");
    let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: https://shop.test\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'a'; 16 * 1024];
    for _ in 0..size / chunk.len() {
        // The server may answer and stop reading before the end.
        if tcp.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await.is_err()
            || tcp.write_all(&chunk).await.is_err()
            || tcp.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = tcp.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = tcp.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).lines().next().unwrap_or("").to_owned()
}

#[tokio::test]
async fn oversized_bodies_get_413_with_a_sentence_and_the_shop_keeps_working() {
    let app = spawn_app().await;
    for size in [3 << 20, 10 << 20] {
        let (status, body) = post_bytes(&app, "/api/account/sign-in", size, "application/x-www-form-urlencoded").await;
        assert_eq!(status, 413, "{size} bytes to a form: {body}");
        assert!(body.contains("too large"), "{body}");
        let (status, body) = post_bytes(&app, "/api/v1/orders", size, "application/json").await;
        assert_eq!(status, 413, "{size} bytes to the API: {body}");
        let error: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(error["error"]["status"], 413);
        assert!(error["error"]["message"].as_str().unwrap().contains("too large"), "{body}");
    }
    let status = post_chunked(&app, "/api/account/sign-in", 3 << 20).await;
    assert!(status.contains(" 413 "), "a streamed body over the limit: {status}");
    // A body under the limit is read as before, and the shop still answers.
    let (status, _) = post_bytes(&app, "/api/account/sign-in", 1000, "application/x-www-form-urlencoded").await;
    assert_eq!(status, 400, "a small malformed form is a plain bad request");
    assert_eq!(app.page("/").await.0, 200);
}

#[tokio::test]
async fn the_test_card_processor_exists_only_when_it_is_chosen() {
    use oxcart::config::PaymentProvider;
    let app = spawn_app_with(|config| config.payment_provider = PaymentProvider::None).await;
    assert_eq!(app.page("/testpay/confirm/pay_0123456789abcdef01234567").await.0, 404);
    let webhook = app.client.post(format!("{}/webhooks/testpay", app.base)).body("{}").send().await.unwrap();
    assert_eq!(webhook.status(), 404);

    // A production start refuses it unless told so explicitly.
    let dir = tempfile::tempdir().unwrap();
    let url = crate::helpers::fresh_database_url(dir.path()).await;
    let mut config = crate::helpers::test_config(dir.path(), &url);
    let db = oxcart::db::connect(&url, 2).await.unwrap();
    oxcart::db::migrate(&db).await.unwrap();
    (config.production, config.payment_provider, config.allow_test_payments) = (true, PaymentProvider::Test, false);
    let refused = oxcart::start(&config, db.clone()).await.err().expect("refused");
    assert!(refused.contains("OXCART_ALLOW_TEST_PAYMENTS"), "{refused}");
    config.allow_test_payments = true;
    assert!(oxcart::start(&config, db).await.is_ok(), "a demo that says so starts");
}

#[tokio::test]
async fn promoting_an_existing_account_takes_away_its_password_code_and_sessions() {
    let app = spawn_app_with(|config| config.auth_burst = 100).await;
    // Someone registers the owner's address before the owner is made admin,
    // and turns on two-step sign-in with their own app.
    let mut squatter = Browser::new(&app);
    signed_up(&mut squatter, "owner@example.com").await;
    sqlx::query("UPDATE users SET totp_secret = $1 WHERE email = 'owner@example.com'")
        .bind(crate::helpers::STAFF_TOTP_HEX)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let link = app::ssr::accounts::create_staff(&app.db, "owner@example.com", None, "https://shop.test").await.unwrap();

    assert_eq!(squatter.who().await, None, "their session ended");
    let reply = squatter.call("account/sign-in", &[("email", "owner@example.com"), ("password", PASSWORD)]).await;
    assert_eq!(reply.status, 401, "their password no longer works: {}", reply.body);
    let (secret,): (Option<String>,) =
        sqlx::query_as("SELECT totp_secret FROM users WHERE email = 'owner@example.com'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(secret, None, "their authenticator app no longer works");
    let mail = newest_mail(&app, "owner@example.com").await;
    assert!(mail.contains(&link), "the owner is mailed the set-password link: {mail}");

    let mut owner = Browser::new(&app);
    let token = link.split("token=").nth(1).unwrap();
    let reply = owner.call("account/reset", &[("token", token), ("new", "the owner's own phrase")]).await;
    assert!(reply.status < 400, "{}", reply.body);
    assert_eq!(owner.who().await.as_deref(), Some("owner@example.com"));
}

#[tokio::test]
async fn outstanding_reset_links_die_when_the_password_or_the_address_changes() {
    let app = spawn_app_with(|config| config.auth_burst = 100).await;
    let mut browser = Browser::new(&app);
    signed_up(&mut browser, "links@example.com").await;
    let token = |body: String| body.split("token=").nth(1).unwrap().chars().take_while(char::is_ascii_hexdigit).collect::<String>();
    assert_eq!(Browser::new(&app).call("account/forgot", &[("email", "links@example.com")]).await.status, 200);
    let old_link = token(newest_mail(&app, "links@example.com").await);
    let reply = browser.call("account/password", &[("current", PASSWORD), ("new", "another long phrase")]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let reply = Browser::new(&app).call("account/reset", &[("token", &old_link), ("new", "the attacker's phrase")]).await;
    assert_eq!(reply.status, 400, "a link sent before the change is dead: {}", reply.body);

    // The same when the address changes: a link mailed to the old address dies.
    assert_eq!(Browser::new(&app).call("account/forgot", &[("email", "links@example.com")]).await.status, 200);
    let old_link = token(newest_mail(&app, "links@example.com").await);
    let reply = browser.call("account/email", &[("password", "another long phrase"), ("email", "moved@example.com")]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let change = token(newest_mail(&app, "moved@example.com").await);
    let reply = browser.call("account/email/confirm", &[("token", &change)]).await;
    assert!(reply.status < 400, "{} {}", reply.status, reply.body);
    let reply = Browser::new(&app).call("account/reset", &[("token", &old_link), ("new", "the attacker's phrase")]).await;
    assert_eq!(reply.status, 400, "a link mailed to the old address is dead: {}", reply.body);
}

#[tokio::test]
async fn every_visitor_gets_their_own_form_key_even_with_the_page_cache_on() {
    let app = crate::helpers::spawn_app_with_cache(60_000).await;
    let first = app.page("/api/checkout/form-key").await;
    let second = app.page("/api/checkout/form-key").await;
    assert_eq!((first.0, second.0), (200, 200));
    assert_ne!(first.1, second.1, "a cached key would be shared by every shopper");
    // Pages themselves are still cached.
    app.page("/").await;
    assert_eq!(app.get("/").await.headers()["x-cache"], "hit");
}

#[tokio::test]
async fn pages_carry_a_nonce_policy_that_matches_their_scripts_and_the_safety_headers() {
    let app = spawn_app().await;
    for path in ["/", "/search?q=shirt", "/account/sign-in", "/no-such-page"] {
        let response = app.get(path).await;
        let headers = response.headers().clone();
        let html = response.text().await.unwrap();
        let policy = headers["content-security-policy"].to_str().unwrap().to_owned();
        assert!(policy.contains("frame-ancestors 'none'") && policy.contains("object-src 'none'"), "{path}: {policy}");
        assert!(!policy.contains("'unsafe-inline' ") && !policy.contains("script-src 'self' 'unsafe"), "{path}: {policy}");
        let nonce = policy.split("'nonce-").nth(1).and_then(|n| n.split('\'').next()).expect("a script nonce");
        assert!(nonce.len() >= 16, "{nonce}");
        // Every inline script of the page carries the nonce (a JSON-LD data
        // block runs nothing, so the policy does not govern it).
        for script in html.split("<script").skip(1) {
            let tag = script.split('>').next().unwrap();
            if !tag.contains("src=") && !tag.contains(r#"type="application/ld+json""#) {
                assert!(tag.contains(&format!("nonce=\"{nonce}\"")), "{path}: <script{tag}> has no nonce");
            }
        }
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin");
        assert!(headers["strict-transport-security"].to_str().unwrap().contains("max-age="), "the test shop is https");
    }
    let first = app.get("/").await.headers()["content-security-policy"].clone();
    let second = app.get("/").await.headers()["content-security-policy"].clone();
    assert_ne!(first, second, "a fresh nonce per rendered page");
    let api = app.get("/api/v1/openapi.json").await;
    assert!(api.headers()["content-security-policy"].to_str().unwrap().contains("script-src 'none'"));
}

/// Everything about an order and an address that a refused request must leave alone.
async fn footprint(app: &TestApp, number: &str, address: i64) -> (String, i64, i64, i64, i64, String) {
    sqlx::query_as(
        "SELECT o.status, o.updated_at, o.refunded_minor, \
         (SELECT COUNT(*) FROM order_events e WHERE e.order_id = o.id) + (SELECT COUNT(*) FROM payments p WHERE p.order_id = o.id) \
           + (SELECT COUNT(*) FROM returns r WHERE r.order_id = o.id) + (SELECT COUNT(*) FROM tracking_events te JOIN shipments s ON s.id = te.shipment_id WHERE s.order_id = o.id) + (SELECT COUNT(*) FROM shipments s WHERE s.order_id = o.id), \
         (SELECT COUNT(*) FROM addresses), (SELECT line1 FROM addresses WHERE id = $2) FROM orders o WHERE o.number = $1",
    )
    .bind(number)
    .bind(address)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn another_customer_another_sellers_staff_and_strangers_reach_no_order_or_address_by_its_id() {
    use crate::helpers::{key, location, order_of, pay, place, product_with_stock, VISA};
    let app = spawn_app_with(|config| config.auth_burst = 100).await;
    let product = product_with_stock(&app, 43, 5).await;
    let sellers: Vec<(i64, String)> = sqlx::query_as("SELECT id, slug FROM sellers ORDER BY id LIMIT 2").fetch_all(&app.db.pool).await.unwrap();
    sqlx::query("UPDATE products SET seller_id = $2 WHERE id = $1").bind(product).bind(sellers[0].0).execute(&app.db.pool).await.unwrap();

    // The owner: a signed-in customer with an address, and a paid, shipped order.
    let mut owner = Browser::new(&app);
    signed_up(&mut owner, "owner-idor@example.com").await;
    let saved = owner
        .call("account/addresses/save", &[("full_name", "Ada"), ("line1", "1 Owner Street"), ("city", "Leeds"), ("postal_code", "LS1 1AA"), ("country", "gb")])
        .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let address = serde_json::from_str::<serde_json::Value>(&saved.body).unwrap()["id"].as_i64().unwrap();
    assert_eq!(owner.call("cart/add", &[("product", &product.to_string())]).await.status, 200);
    let (number, secret) = order_of(&location(&place(&mut owner, &key("idor"), "", "").await));
    assert!(pay(&mut owner, &(number.clone(), secret.clone()), &key("idor-pay"), VISA).await.status < 400);
    let mut admin = Browser::new(&app);
    signed_up(&mut admin, "idor-admin@example.com").await;
    make_staff(&mut admin, "idor-admin@example.com", None).await;
    let shipped = admin.call("admin/orders/ship", &[("number", &number), ("carrier", "DHL"), ("tracking", "IDOR-1")]).await;
    assert_eq!(shipped.status, 200, "{}", shipped.body);
    let (shipment,): (i64,) = sqlx::query_as("SELECT id FROM shipments").fetch_one(&app.db.pool).await.unwrap();
    let before = footprint(&app, &number, address).await;

    let mut customer = Browser::new(&app);
    signed_up(&mut customer, "other-customer@example.com").await;
    let mut other_staff = Browser::new(&app);
    signed_up(&mut other_staff, "other-seller@example.com").await;
    make_staff(&mut other_staff, "other-seller@example.com", Some(sellers[1].0)).await;
    let mut anonymous = Browser::new(&app);

    let n = number.as_str();
    let id = address.to_string();
    let forms: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("order/cancel", vec![("number", n), ("key", "")]),
        ("order/cancel", vec![("number", n), ("key", "0000000000000000000000000000000000000000000000000000000000000000")]),
        ("order/return", vec![("number", n), ("key", ""), ("reason", "Mine now")]),
        ("checkout/pay", vec![("number", n), ("key", ""), ("idempotency_key", "idor-attacker-000001"), ("card_number", VISA), ("expiry", "12/39"), ("cvc", "123")]),
        ("admin/orders/pack", vec![("number", n)]),
        ("admin/orders/ship", vec![("number", n), ("carrier", "DHL"), ("tracking", "EVIL-1")]),
        ("admin/orders/track", vec![("number", n), ("tracking", "IDOR-1"), ("status", "delivered")]),
        ("admin/orders/deliver", vec![("number", n)]),
        ("admin/returns/decide", vec![("number", n), ("decision", "approve")]),
        ("admin/returns/receive", vec![("number", n)]),
        ("admin/orders/refund", vec![("number", n), ("amount", "1.00")]),
        ("account/addresses/save", vec![("id", &id), ("full_name", "Eve"), ("line1", "2 Evil Road"), ("city", "Leeds"), ("postal_code", "LS1 1AA"), ("country", "gb")]),
        ("account/addresses/delete", vec![("id", &id)]),
    ];
    let gets = [
        format!("/api/order?number={n}"),
        format!("/api/admin/order?number={n}"),
        format!("/order/{n}/invoice"),
        format!("/order/{n}/invoice.pdf"),
        format!("/order/{n}/events"),
        format!("/api/v1/orders/{n}"),
        format!("/api/v1/shipments/{shipment}"),
    ];
    for (who, browser) in [("another customer", &mut customer), ("another seller's staff", &mut other_staff), ("a stranger", &mut anonymous)] {
        for (endpoint, form) in &forms {
            let reply = browser.call(endpoint, form).await;
            assert!(matches!(reply.status, 401 | 403 | 404), "{endpoint} by {who}: {} {}", reply.status, reply.body);
        }
        for path in &gets {
            let reply = browser.get(path).await;
            assert!(matches!(reply.status, 401 | 403 | 404), "GET {path} by {who}: {} {}", reply.status, reply.body);
        }
        let page = browser.get(&format!("/order/{n}")).await;
        assert!(matches!(page.status, 401 | 403 | 404), "the order page by {who}: {}", page.status);
        assert!(!page.body.contains("1 Owner Street") && !page.body.contains("owner-idor@example.com"), "{who} sees the owner's details");
        let mut request = app.client.put(format!("{}/api/v1/orders/{n}/cancel", app.base));
        let mut payment = app.client.post(format!("{}/api/v1/payments", app.base)).header("idempotency-key", "idor-api-payment-0001");
        if let Some(cookie) = &browser.cookie {
            request = request.header("cookie", cookie);
            payment = payment.header("cookie", cookie);
        }
        let status = request.send().await.unwrap().status().as_u16();
        assert!(matches!(status, 401 | 403 | 404), "PUT cancel by {who}: {status}");
        let body = serde_json::json!({"order": n, "key": "", "card_number": VISA, "expiry": "12/39", "cvc": "123"});
        let status = payment.json(&body).send().await.unwrap().status().as_u16();
        assert!(matches!(status, 401 | 403 | 404), "POST payment by {who}: {status}");
    }
    assert_eq!(footprint(&app, &number, address).await, before, "nothing changed");
    // The owner still reaches all of it.
    assert_eq!(owner.get(&format!("/api/order?number={n}")).await.status, 200);
    assert_eq!(owner.get(&format!("/order/{n}/invoice")).await.status, 200);
}

#[tokio::test]
async fn a_large_refund_takes_the_staff_members_password_again() {
    use crate::helpers::{key, location, order_of, pay, place, product_with_stock, VISA};
    let app = spawn_app_with(|config| {
        config.refund_confirm_above = 100; // $1.00
        config.auth_burst = 100;
    })
    .await;
    let product = product_with_stock(&app, 44, 5).await;
    let mut buyer = Browser::new(&app);
    assert_eq!(buyer.call("cart/add", &[("product", &product.to_string())]).await.status, 200);
    let order = order_of(&location(&place(&mut buyer, &key("big-refund"), "big@example.com", "").await));
    assert!(pay(&mut buyer, &order, &key("big-refund-pay"), VISA).await.status < 400);
    let mut admin = Browser::new(&app);
    signed_up(&mut admin, "refunder@example.com").await;
    make_staff(&mut admin, "refunder@example.com", None).await;
    let n = order.0.as_str();
    assert_eq!(admin.call("admin/orders/ship", &[("number", n), ("carrier", "DHL"), ("tracking", "BIG-1")]).await.status, 200);
    assert_eq!(admin.call("admin/orders/deliver", &[("number", n)]).await.status, 200);

    assert_eq!(admin.call("admin/orders/refund", &[("number", n), ("amount", "1.00")]).await.status, 200, "up to $1: no password");
    let refused = admin.call("admin/orders/refund", &[("number", n), ("amount", "1.01")]).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("Enter your password to refund more than $1.00"), "{}", refused.body);
    let piece = admin.call("admin/orders/refund", &[("number", n), ("amount", "0.01")]).await;
    assert_eq!(piece.status, 403, "pieces add up: $1.00 refunded already: {}", piece.body);
    let wrong = admin.call("admin/orders/refund", &[("number", n), ("amount", "1.01"), ("password", "not it")]).await;
    assert_eq!(wrong.status, 400, "{}", wrong.body);
    let (refunded,): (i64,) = sqlx::query_as("SELECT refunded_minor FROM orders WHERE number = $1").bind(n).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(refunded, 100, "the refused refunds took nothing");
    let done = admin.call("admin/orders/refund", &[("number", n), ("amount", "1.01"), ("password", PASSWORD)]).await;
    assert_eq!(done.status, 200, "{}", done.body);
}

#[tokio::test]
async fn a_state_change_without_origin_or_referer_is_refused_but_the_json_api_and_webhooks_work() {
    let app = spawn_app().await;
    let sign_in = |origin: Option<&'static str>| {
        let mut request = app.client.post(format!("{}/api/account/sign-in", app.base));
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let form = [("email", "someone@example.com"), ("password", "whatever it is")];
        async move { request.form(&form).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(sign_in(None).await, 403, "a form post with neither Origin nor Referer");
    assert_eq!(sign_in(Some("http://shop.test")).await, 403, "plain http on an https shop");
    assert_eq!(sign_in(Some("https://shop.test")).await, 401, "the shop's own origin gets an answer");
    let product = crate::helpers::product_with_stock(&app, 49, 5).await;
    let body = serde_json::json!({
        "items": [{"product_id": product, "quantity": 1}], "email": "api-client@example.com",
        "address": {"full_name": "Ada", "line1": "1 Main St", "city": "Arlington", "region": "VA", "postal_code": "22201", "country": "us"}
    });
    let api = app.client.post(format!("{}/api/v1/orders", app.base)).header("idempotency-key", "no-origin-api-client-1").json(&body);
    assert_eq!(api.send().await.unwrap().status(), 201, "a non-browser API client needs no Origin");
    let webhook = app.client.post(format!("{}/webhooks/testpay", app.base)).body("{}").send().await.unwrap();
    assert_eq!(webhook.status(), 400, "a webhook is judged by its signature, not refused for its missing Origin");
}
