//! Taxes and the shop's settings (issues 18 and 19) over HTTP: each product
//! pays its tax class's rate for the destination (a region's own rate
//! first, the standard rate when its class has none there), shipping pays
//! the standard rate, and the invoice shows the tax per rate; an admin sets
//! and deletes rates, adds and deletes classes, switches prices to "tax
//! included" (checkout then takes the tax out instead of adding it) and
//! moves the low-stock default. Bad forms change nothing; only admins may.

use crate::helpers::{admin, audit_details, key, location, order_of, pay, place, product_with_stock, signed_up, spawn_app, staff, Browser, TestApp, VISA};
use serde_json::Value;

async fn price_of(app: &TestApp, product: i64) -> i64 {
    let (price,): (i64,) = sqlx::query_as("SELECT price_minor FROM products WHERE id = $1").bind(product).fetch_one(&app.db.pool).await.unwrap();
    price
}

async fn set_class(app: &TestApp, product: i64, class: &str) {
    sqlx::query("UPDATE products SET tax_class = $2 WHERE id = $1").bind(product).bind(class).execute(&app.db.pool).await.unwrap();
}

/// Tax at `bp` basis points on `amount`, rounded half up (worked out here, not by the shop's code).
fn percent_of(amount: i64, bp: i64) -> i64 {
    (amount * bp + 5_000) / 10_000
}

async fn save_product(owner: &mut Browser<'_>, fields: &[(&str, String)]) -> crate::helpers::Reply {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    owner.call("admin/products/save", &refs).await
}

async fn quote(shopper: &Browser<'_>, country: &str, region: &str) -> Value {
    let reply = shopper.get(&format!("/api/checkout/quote?country={country}&region={region}")).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

#[tokio::test]
async fn each_product_pays_its_class_rate_and_the_invoice_shows_each_rate() {
    let app = spawn_app().await;
    let (book, jacket) = (product_with_stock(&app, 51, 5).await, product_with_stock(&app, 52, 5).await);
    set_class(&app, book, "reduced").await;
    let (book_price, jacket_price) = (price_of(&app, book).await, price_of(&app, jacket).await);
    let mut shopper = Browser::new(&app);
    for product in [book, jacket] {
        shopper.step("cart/add", &[("product", &product.to_string())]).await;
    }

    // To Great Britain: the book at 5%, the jacket and shipping at 20%.
    let gb = quote(&shopper, "GB", "").await;
    let shipping = gb["totals"]["shipping"].as_i64().unwrap();
    let want = percent_of(book_price, 500) + percent_of(jacket_price + shipping, 2000);
    assert_eq!(gb["totals"]["tax"].as_i64(), Some(want), "{gb}");
    assert_eq!(gb["totals"]["total"].as_i64(), Some(book_price + jacket_price + shipping + want));
    let rates: Vec<i64> = gb["taxes"].as_array().unwrap().iter().map(|r| r["rate_bp"].as_i64().unwrap()).collect();
    assert_eq!(rates, [500, 2000]);
    // To California: no reduced rate there, so the book pays the state's standard 7.25%.
    let ca = quote(&shopper, "US", "ca").await;
    let ca_shipping = ca["totals"]["shipping"].as_i64().unwrap();
    assert_eq!(ca["totals"]["tax"].as_i64(), Some(percent_of(book_price + jacket_price + ca_shipping, 725)), "{ca}");

    // The order keeps each line's rate and tax; the invoice shows each rate.
    let order = order_of(&location(&place(&mut shopper, &key("taxes"), "taxes@example.com", "").await));
    let lines: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT l.product_id, l.tax_rate_bp, l.tax_minor FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.number = $1 ORDER BY l.tax_rate_bp",
    )
    .bind(&order.0)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(lines, [(book, 500, percent_of(book_price, 500)), (jacket, 2000, percent_of(jacket_price, 2000))]);
    let (tax, shipping_tax): (i64, i64) = sqlx::query_as("SELECT tax_minor, shipping_tax_minor FROM orders WHERE number = $1")
        .bind(&order.0)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(tax, want);
    assert_eq!(shipping_tax, tax - lines[0].2 - lines[1].2);
    assert!(pay(&mut shopper, &order, &key("taxes-pay"), VISA).await.status < 400);
    let invoice = shopper.get(&format!("/order/{}/invoice?key={}", order.0, order.1)).await;
    assert_eq!(invoice.status, 200);
    assert!(invoice.body.contains("Tax 5% on") && invoice.body.contains("Tax 20% on"), "{}", invoice.body);

    // An admin sets the reduced rate to 0: the next quote charges the book nothing.
    let mut owner = admin(&app, "tax-owner@example.com").await;
    let set = owner.call("admin/settings/rate", &[("input[country]", "gb"), ("input[class]", "reduced"), ("input[rate]", "0")]).await;
    assert_eq!(set.status, 200, "{}", set.body);
    shopper.step("cart/add", &[("product", &book.to_string())]).await;
    let again = quote(&shopper, "GB", "").await;
    let shipping = again["totals"]["shipping"].as_i64().unwrap();
    assert_eq!(again["totals"]["tax"].as_i64(), Some(percent_of(shipping, 2000)), "only shipping is taxed: {again}");
    assert_eq!(audit_details(&app, "tax-rate-saved").await, ["tax rate GB reduced: 5% → 0%"]);
    // Deleted, the book pays Britain's standard rate.
    let gone = owner.call("admin/settings/rate/delete", &[("country", "GB"), ("region", ""), ("class", "reduced")]).await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    let standard = quote(&shopper, "GB", "").await;
    assert_eq!(standard["totals"]["tax"].as_i64(), Some(percent_of(book_price + shipping, 2000)), "{standard}");
    assert_eq!(owner.call("admin/settings/rate/delete", &[("country", "GB"), ("region", ""), ("class", "reduced")]).await.status, 404);
}

#[tokio::test]
async fn prices_with_tax_in_them_keep_their_total_and_the_page_says_so() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 53, 5).await;
    let (slug,): (String,) = sqlx::query_as("SELECT slug FROM products WHERE id = $1").bind(product).fetch_one(&app.db.pool).await.unwrap();
    let (_, page) = app.page(&format!("/p/{slug}")).await;
    assert!(page.contains("Plus tax where it applies"), "tax added by default");

    let mut owner = admin(&app, "gross@example.com").await;
    let settings: Value = serde_json::from_str(&owner.get("/api/admin/settings").await.body).unwrap();
    let version = settings["settings"]["version"].as_i64().unwrap().to_string();
    let saved = owner.call("admin/settings/save", &[("version", &version), ("input[prices_include_tax]", "on"), ("input[low_stock_default]", "3")]).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let stale = owner.call("admin/settings/save", &[("version", &version), ("input[low_stock_default]", "4")]).await;
    assert_eq!(stale.status, 409, "a save over a newer one: {}", stale.body);
    assert!(audit_details(&app, "settings-changed").await[0].contains("prices' tax “added” → “included”"));
    let (_, page) = app.page(&format!("/p/{slug}")).await;
    assert!(page.contains("Tax included"), "the product page says so at once");

    let price = price_of(&app, product).await;
    let mut shopper = Browser::new(&app);
    shopper.step("cart/add", &[("product", &product.to_string()), ("quantity", "2")]).await;
    assert!(shopper.get("/cart").await.body.contains("Tax included"), "the cart says so too");
    let gb = quote(&shopper, "GB", "").await;
    let t = &gb["totals"];
    let shipping = t["shipping"].as_i64().unwrap();
    assert_eq!(t["total"].as_i64(), Some(2 * price + shipping), "the shopper pays the prices shown: {gb}");
    assert_eq!(t["tax_included"], true);
    let gross = 2 * price + shipping;
    let net = (gross * 10_000 + 6_000) / 12_000;
    assert!((t["tax"].as_i64().unwrap() - (gross - net)).abs() <= 1, "a sixth of it is tax: {gb}");

    let order = order_of(&location(&place(&mut shopper, &key("gross"), "gross-buyer@example.com", "").await));
    let (total, included): (i64, i64) =
        sqlx::query_as("SELECT total_minor, tax_included FROM orders WHERE number = $1").bind(&order.0).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!((total, included), (2 * price + shipping, 1));
    let (_, order_page) = app.page(&format!("/order/{}?key={}", order.0, order.1)).await;
    assert!(order_page.contains("Tax included"), "the order says the tax was in the prices");
}

#[tokio::test]
async fn the_low_stock_default_moves_every_threshold_that_follows_it() {
    let app = spawn_app().await;
    let (follows, own) = (product_with_stock(&app, 54, 50).await, product_with_stock(&app, 55, 50).await);
    sqlx::query("UPDATE product_variants SET low_stock_threshold = 9, low_stock_own = 1 WHERE product_id = $1").bind(own).execute(&app.db.pool).await.unwrap();
    let mut owner = admin(&app, "low-default@example.com").await;
    let saved = owner.call("admin/settings/save", &[("version", "1"), ("input[low_stock_default]", "12")]).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let threshold = |product: i64| {
        let pool = app.db.pool.clone();
        async move {
            let (t,): (i64,) = sqlx::query_as("SELECT low_stock_threshold FROM product_variants WHERE product_id = $1").bind(product).fetch_one(&pool).await.unwrap();
            t
        }
    };
    assert_eq!((threshold(follows).await, threshold(own).await), (12, 9));
    assert!(audit_details(&app, "settings-changed").await[0].contains("low-stock default “3” → “12”"));
}

#[tokio::test]
async fn bad_tax_forms_change_nothing_and_only_admins_may() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "tax-rules@example.com").await;
    let before: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tax_rates").fetch_one(&app.db.pool).await.unwrap();
    for (fields, status, says) in [
        (vec![("input[country]", "GB"), ("input[rate]", "101")], 400, "from 0 to 100"),
        (vec![("input[country]", "GBR"), ("input[rate]", "20")], 400, "two-letter code"),
        (vec![("input[country]", "GB"), ("input[rate]", "5,5")], 400, "percentage"),
        (vec![("input[country]", "GB"), ("input[class]", "books"), ("input[rate]", "5")], 400, "from the list"),
    ] {
        let reply = owner.call("admin/settings/rate", &fields).await;
        assert_eq!(reply.status, status, "{fields:?}: {}", reply.body);
        assert!(reply.body.contains(says), "{fields:?}: {}", reply.body);
    }
    assert_eq!(sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM tax_rates").fetch_one(&app.db.pool).await.unwrap(), before);
    let bad_low = owner.call("admin/settings/save", &[("version", "1"), ("input[low_stock_default]", "-1")]).await;
    assert_eq!(bad_low.status, 400, "{}", bad_low.body);

    // Classes: add one, not twice; the standard class and a class in use stay.
    assert_eq!(owner.call("admin/settings/class", &[("input[code]", "books"), ("input[name]", "Books")]).await.status, 200);
    assert_eq!(owner.call("admin/settings/class", &[("input[code]", "books"), ("input[name]", "Books")]).await.status, 409);
    assert_eq!(owner.call("admin/settings/rate", &[("input[country]", "IE"), ("input[class]", "books"), ("input[rate]", "0")]).await.status, 200);
    let standard = owner.call("admin/settings/class/delete", &[("code", "standard")]).await;
    assert_eq!(standard.status, 409, "{}", standard.body);
    let product = product_with_stock(&app, 56, 1).await;
    set_class(&app, product, "books").await;
    let used = owner.call("admin/settings/class/delete", &[("code", "books")]).await;
    assert!(used.status == 409 && used.body.contains("move them"), "{}", used.body);
    set_class(&app, product, "standard").await;
    assert_eq!(owner.call("admin/settings/class/delete", &[("code", "books")]).await.status, 200);
    let (rates,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tax_rates WHERE tax_class = 'books'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(rates, 0, "its rates went with it");
    assert_eq!(owner.call("admin/settings/class/delete", &[("code", "books")]).await.status, 404);
    assert_eq!(audit_details(&app, "tax-class-created").await, ["tax class books “Books” created"]);
    assert_eq!(audit_details(&app, "tax-class-deleted").await.len(), 1);

    // Nobody but an admin: strangers 401, customers and a seller's staff 403.
    let mut shopper = Browser::new(&app);
    signed_up(&mut shopper, "tax-shopper@example.com").await;
    let (seller,): (i64,) = sqlx::query_as("SELECT id FROM sellers ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let packer = staff(&app, "tax-packer@example.com", Some(seller)).await;
    for (who, mut browser, want) in [("stranger", Browser::new(&app), 401), ("shopper", shopper, 403), ("seller's staff", packer, 403)] {
        assert_eq!(browser.get("/api/admin/settings").await.status, want, "{who}");
        for (endpoint, form) in [
            ("admin/settings/save", vec![("version", "1"), ("input[low_stock_default]", "1")]),
            ("admin/settings/rate", vec![("input[country]", "GB"), ("input[rate]", "1")]),
            ("admin/settings/rate/delete", vec![("country", "GB"), ("class", "standard")]),
            ("admin/settings/class", vec![("input[code]", "mine"), ("input[name]", "Mine")]),
            ("admin/settings/class/delete", vec![("code", "zero")]),
        ] {
            let reply = browser.call(endpoint, &form).await;
            assert_eq!(reply.status, want, "{who} {endpoint}: {}", reply.body);
        }
    }
    let (rate,): (i64,) = sqlx::query_as("SELECT rate_bp FROM tax_rates WHERE country = 'GB' AND region = '' AND tax_class = 'standard'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rate, 2000, "nothing changed");
}

#[tokio::test]
async fn the_editor_sets_a_tax_class_and_an_empty_threshold_follows_the_shop_default() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "class-editor@example.com").await;
    let (brand,): (i64,) = sqlx::query_as("SELECT id FROM brands ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let (category,): (i64,) =
        sqlx::query_as("SELECT id FROM categories WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let (brand, category) = (brand.to_string(), category.to_string());
    let form = |id: &str, version: &str, class: &str, low: &str| {
        [("id", id), ("version", version), ("input[name]", "Paperback Atlas"), ("input[brand]", brand.as_str()),
         ("input[category]", category.as_str()), ("input[price]", "12.00"), ("input[currency]", "USD"), ("input[tax_class]", class),
         ("input[low_stock]", low)]
            .map(|(k, v)| (k, v.to_owned()))
    };
    let bogus = save_product(&mut owner, &form("0", "0", "luxury", "")).await;
    assert!(bogus.status == 400 && bogus.body.contains("tax class"), "{}", bogus.body);
    let created = save_product(&mut owner, &form("0", "0", "reduced", "")).await;
    assert_eq!(created.status, 200, "{}", created.body);
    let id: i64 = created.body.trim().parse().unwrap();
    let row = |pool: sqlx::AnyPool| async move {
        sqlx::query_as::<_, (String, i64, i64, i64, i64)>(
            "SELECT p.tax_class, p.low_stock_threshold, p.low_stock_own, v.low_stock_threshold, p.version \
             FROM products p JOIN product_variants v ON v.product_id = p.id WHERE p.id = $1",
        )
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap()
    };
    let (class, threshold, own, variant, _) = row(app.db.pool.clone()).await;
    assert_eq!((class.as_str(), threshold, own, variant), ("reduced", 3, 0, 3), "empty: the shop's default");

    assert_eq!(owner.call("admin/settings/save", &[("version", "1"), ("input[low_stock_default]", "6")]).await.status, 200);
    let (_, threshold, _, variant, version) = row(app.db.pool.clone()).await;
    assert_eq!((threshold, variant), (6, 6), "it follows the default");

    let saved = save_product(&mut owner, &form(&id.to_string(), &version.to_string(), "zero", "2")).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let line = audit_details(&app, "product-changed").await;
    assert!(line[0].contains("low-stock threshold “shop default” → “2”") && line[0].contains("tax class “reduced” → “zero”"), "{line:?}");
    assert_eq!(owner.call("admin/settings/save", &[("version", "2"), ("input[low_stock_default]", "8")]).await.status, 200);
    let (class, threshold, own, variant, _) = row(app.db.pool.clone()).await;
    assert_eq!((class.as_str(), threshold, own, variant), ("zero", 2, 1, 2), "its own threshold stays");
}
