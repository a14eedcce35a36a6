//! Shop helpers several suites share: products with a known stock, the
//! stock and its ledger, checkout and payment through the server functions,
//! orders paid, staff signed in with two steps, parcels shipped.

use super::{make_staff, signed_up, Browser, Reply, TestApp};

pub const VISA: &str = "4242 4242 4242 4242";

/// The `nth` product sold one way (without options, so its one variant is
/// what a cart gets), with `stock` units (the ledger records the change),
/// and its id.
pub async fn product_with_stock(app: &TestApp, nth: i64, stock: i64) -> i64 {
    let (id, variant, had): (i64, i64, i64) = sqlx::query_as(
        "SELECT p.id, v.id, v.stock FROM products p JOIN product_variants v ON v.product_id = p.id \
         WHERE NOT EXISTS (SELECT 1 FROM product_options o WHERE o.product_id = p.id) ORDER BY p.id LIMIT 1 OFFSET $1",
    )
    .bind(nth)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE product_variants SET stock = $2 WHERE id = $1").bind(variant).bind(stock).execute(&app.db.pool).await.unwrap();
    sqlx::query(
        "INSERT INTO inventory_ledger (product_id, variant_id, delta, reason, actor, at) VALUES ($1, $2, $3, 'adjusted', 'test', 0)",
    )
    .bind(id)
    .bind(variant)
    .bind(stock - had)
    .execute(&app.db.pool)
    .await
    .unwrap();
    id
}

/// The one variant of product `product` (sold one way).
pub async fn only_variant(app: &TestApp, product: i64) -> i64 {
    let (id,): (i64,) =
        sqlx::query_as("SELECT id FROM product_variants WHERE product_id = $1").bind(product).fetch_one(&app.db.pool).await.unwrap();
    id
}

/// The version the editor would show of variant `variant`.
pub async fn variant_version(app: &TestApp, variant: i64) -> i64 {
    let (version,): (i64,) =
        sqlx::query_as("SELECT version FROM product_variants WHERE id = $1").bind(variant).fetch_one(&app.db.pool).await.unwrap();
    version
}

/// The version the editor would show of product `product`.
pub async fn product_version(app: &TestApp, product: i64) -> i64 {
    let (version,): (i64,) = sqlx::query_as("SELECT version FROM products WHERE id = $1").bind(product).fetch_one(&app.db.pool).await.unwrap();
    version
}

pub async fn stock(app: &TestApp, product: i64) -> (i64, i64) {
    sqlx::query_as(
        "SELECT stock, (SELECT CAST(COALESCE(SUM(delta), 0) AS BIGINT) FROM inventory_ledger WHERE product_id = $1) FROM products WHERE id = $1",
    )
    .bind(product)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

/// A fresh idempotency key (unique within the test run).
pub fn key(label: &str) -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    format!("{label}-key-{:016}", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

/// Places the cart's order to a London address; the reply redirects to the order page.
pub async fn place(browser: &mut Browser<'_>, idempotency_key: &str, email: &str, promo: &str) -> Reply {
    browser
        .call(
            "checkout/place",
            &[
                ("idempotency_key", idempotency_key),
                ("email", email),
                ("full_name", "Ada Lovelace"),
                ("line1", "12 St James's Square"),
                ("city", "London"),
                ("postal_code", "SW1Y 4JH"),
                ("country", "gb"),
                ("method", "standard"),
                ("promo", promo),
            ],
        )
        .await
}

/// A new shopper's unpaid order of one unit of the `nth` product, which has
/// `stock` units: (the shopper, the product, the order's number and key).
pub async fn unpaid_order<'a>(app: &'a TestApp, nth: i64, stock: i64, email: &str) -> (Browser<'a>, i64, (String, String)) {
    let product = product_with_stock(app, nth, stock).await;
    let mut shopper = Browser::new(app);
    shopper.step("cart/add", &[("product", &product.to_string())]).await;
    let order = order_of(&location(&place(&mut shopper, &key("order"), email, "").await));
    (shopper, product, order)
}

/// The card processor's reference of order `number`'s payment.
pub async fn payment_reference(app: &TestApp, number: &str) -> String {
    let (reference,): (String,) =
        sqlx::query_as("SELECT p.provider_ref FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.number = $1")
            .bind(number)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    reference
}

/// The order page path a reply redirected to.
pub fn location(reply: &Reply) -> String {
    let location = reply.headers.get("location").unwrap_or_else(|| panic!("{} {}", reply.status, reply.body));
    location.to_str().unwrap().to_owned()
}

/// (number, key) of an order page path `/order/NUMBER?key=KEY`.
pub fn order_of(path: &str) -> (String, String) {
    let rest = path.strip_prefix("/order/").expect(path);
    let (number, key) = rest.split_once("?key=").expect(path);
    (number.to_owned(), key.to_owned())
}

pub async fn pay(browser: &mut Browser<'_>, order: &(String, String), idempotency_key: &str, card: &str) -> Reply {
    browser
        .call(
            "checkout/pay",
            &[
                ("number", &order.0),
                ("key", &order.1),
                ("idempotency_key", idempotency_key),
                ("card_number", card),
                ("expiry", "12/39"),
                ("cvc", "123"),
            ],
        )
        .await
}

pub async fn order_status(app: &TestApp, number: &str) -> String {
    let (status,): (String,) =
        sqlx::query_as("SELECT status FROM orders WHERE number = $1").bind(number).fetch_one(&app.db.pool).await.unwrap();
    status
}

/// A paid order of one unit of `product` for `browser`: (number, key).
pub async fn paid_order(browser: &mut Browser<'_>, product: i64, email: &str) -> (String, String) {
    paid_order_of(browser, &[(product, 1)], email).await
}

/// A paid order of `items` (product, quantity) for `browser`: (number, key).
pub async fn paid_order_of(browser: &mut Browser<'_>, items: &[(i64, i64)], email: &str) -> (String, String) {
    for (product, quantity) in items {
        let added = browser.call("cart/add", &[("product", &product.to_string()), ("quantity", &quantity.to_string())]).await;
        assert!(added.status < 400, "{}", added.body);
    }
    let order = order_of(&location(&place(browser, &key("order"), email, "").await));
    let paid = pay(browser, &order, &key("pay"), VISA).await;
    assert!(paid.status < 400, "{}", paid.body);
    order
}

/// A signed-in admin with two-step sign-in on.
pub async fn admin<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    staff(app, email, None).await
}

/// Staff ship order `number` in one parcel with `tracking`, then deliver it;
/// both steps must answer 200.
pub async fn ship_and_deliver(staff: &mut Browser<'_>, number: &str, tracking: &str) {
    let shipped = staff.call("admin/orders/ship", &[("number", number), ("carrier", "DHL"), ("tracking", tracking)]).await;
    assert_eq!(shipped.status, 200, "ship: {}", shipped.body);
    let delivered = staff.call("admin/orders/deliver", &[("number", number)]).await;
    assert_eq!(delivered.status, 200, "deliver: {}", delivered.body);
}

/// A signed-in staff member with two-step sign-in on (see [`make_staff`]).
pub async fn staff<'a>(app: &'a TestApp, email: &str, seller: Option<i64>) -> Browser<'a> {
    let mut staff = Browser::new(app);
    signed_up(&mut staff, email).await;
    make_staff(&mut staff, email, seller).await;
    staff
}

/// The details of the audit log's `event` entries, oldest first.
pub async fn audit_details(app: &TestApp, event: &str) -> Vec<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT detail FROM audit_log WHERE event = $1 ORDER BY id").bind(event).fetch_all(&app.db.pool).await.unwrap();
    rows.into_iter().map(|(d,)| d).collect()
}

/// Repeats `GET path` until `done` holds (at most 5 s); how long it took.
pub async fn eventually(app: &TestApp, path: &str, done: impl Fn(u16, &str) -> bool) -> std::time::Duration {
    let start = std::time::Instant::now();
    loop {
        let (status, html) = app.page(path).await;
        if done(status, &html) {
            return start.elapsed();
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "{path}: never happened ({status})");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
