//! Options and variants (issue 18) over HTTP: staff give a product options
//! and its variants follow (the product's own stock stays with the first);
//! each variant has its SKU, price and stock; a shopper picks one by its
//! option values, buys it, and only that variant's stock goes down; staff
//! restock one variant and read its ledger; search finds a product by a
//! value only one variant has. Bad input changes nothing; a seller's staff
//! reach only their seller's products; a database filled before variants
//! migrates with every product's default variant.

use crate::helpers::{
    admin, audit_details, eventually, key, location, order_of, place, product_version, product_with_stock, spawn_app, staff, variant_version,
    Browser, TestApp,
};
use serde_json::Value;


/// Product `id`'s variants as the editor shows them.
async fn variants(staff: &mut Browser<'_>, id: i64) -> Vec<Value> {
    let editor: Value = serde_json::from_str(&staff.get(&format!("/api/admin/product?id={id}")).await.body).unwrap();
    editor["product"]["variants"].as_array().unwrap().clone()
}

/// (stock, SKU) of each variant of product `id`, in order, and the product's stock.
async fn stocks(app: &TestApp, id: i64) -> (Vec<(i64, String)>, i64) {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT stock, sku FROM product_variants WHERE product_id = $1 ORDER BY position, id")
            .bind(id)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    let (total,): (i64,) = sqlx::query_as("SELECT stock FROM products WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    (rows, total)
}

/// The options form of product `id` as the editor would send it now (at the product's current version).
async fn set_options(app: &TestApp, id: &str, options: &str) -> Vec<(&'static str, String)> {
    let version = product_version(app, id.parse().unwrap()).await.to_string();
    vec![("id", id.to_owned()), ("version", version), ("options", options.to_owned())]
}

/// `form` with the version the editor shows of its variant.
async fn at_version<'a>(app: &TestApp, form: &[(&'a str, &'a str)]) -> Vec<(&'a str, String)> {
    let variant: i64 = form.iter().find(|(k, _)| *k == "variant").map(|(_, v)| v.parse().unwrap()).unwrap();
    let version = match sqlx::query_as::<_, (i64,)>("SELECT version FROM product_variants WHERE id = $1").bind(variant).fetch_optional(&app.db.pool).await.unwrap() {
        Some((v,)) => v,
        None => 1,
    };
    let mut form: Vec<(&str, String)> = form.iter().map(|(k, v)| (*k, v.to_string())).collect();
    form.push(("version", version.to_string()));
    form
}

/// Posts `form` (owned values) to `endpoint`.
async fn post(browser: &mut Browser<'_>, endpoint: &str, form: &[(&str, String)]) -> crate::helpers::Reply {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    browser.call(endpoint, &pairs).await
}

#[tokio::test]
async fn staff_give_a_product_options_and_a_shopper_buys_one_variant() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 3, 5).await;
    let id = product.to_string();
    let mut owner = admin(&app, "variants-owner@example.com").await;

    let reply = post(&mut owner, "admin/products/options", &set_options(&app, &id, "Size: S, M\nColour: Quokkablue, Red").await).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let rows = variants(&mut owner, product).await;
    let titles: Vec<&str> = rows.iter().map(|v| v["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["S / Quokkablue", "S / Red", "M / Quokkablue", "M / Red"]);
    let (each, total) = stocks(&app, product).await;
    assert_eq!(each.iter().map(|(s, _)| *s).collect::<Vec<_>>(), [5, 0, 0, 0], "the product's stock stays with the first");
    assert_eq!(total, 5);
    assert!(each[1].1.ends_with("-S-RED"), "a suggested SKU: {}", each[1].1);
    assert!(audit_details(&app, "product-changed").await.iter().any(|d| d.contains("options none → Size: S, M; Colour: Quokkablue, Red; 4 variants")));

    // Price and stock per variant: M / Red is dearer and gets 3 units received.
    let m_red = rows[3]["id"].as_i64().unwrap().to_string();
    let save = [("id", id.as_str()), ("variant", m_red.as_str()), ("sku", "TEE-M-RED"), ("price", "25.00"), ("weight_grams", "200"), ("low_stock", "1")];
    assert_eq!(post(&mut owner, "admin/products/variant", &at_version(&app, &save).await).await.status, 200);
    let restock = [("id", id.as_str()), ("variant", m_red.as_str()), ("delta", "3"), ("reason", "received"), ("note", "PO-9")];
    let reply = owner.call("admin/products/adjust-stock", &restock).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let without = owner.call("admin/products/adjust-stock", &[("id", id.as_str()), ("delta", "3"), ("reason", "received")]).await;
    assert_eq!(without.status, 400, "several variants: which one? {}", without.body);
    let ledger: Value = serde_json::from_str(&owner.get(&format!("/api/admin/products/stock?id={id}&variant={m_red}")).await.body).unwrap();
    assert_eq!(ledger["stock"], 3);
    assert_eq!(ledger["lines"][0]["note"], "PO-9");
    assert_eq!(stocks(&app, product).await.1, 8, "the product's stock is its variants' sum");

    // The page offers the picker; the address can name a variant.
    let page = Browser::new(&app).get(&format!("/p/{}?variant={m_red}", product_slug(&app, product).await)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"name="option2""#) && page.body.contains("Quokkablue"), "radio groups");
    assert!(page.body.contains("$25.00"), "the named variant's price");

    // A shopper must choose; a combination not sold is refused; the choice is the variant bought.
    let mut shopper = Browser::new(&app);
    let unchosen = shopper.call("cart/add", &[("product", &id)]).await;
    assert_eq!(unchosen.status, 400);
    assert!(unchosen.body.contains("Choose a size and colour first"), "{}", unchosen.body);
    let wrong = shopper.call("cart/add", &[("product", &id), ("option1", "XL"), ("option2", "Red")]).await;
    assert_eq!(wrong.status, 404, "{}", wrong.body);
    let out = shopper.call("cart/add", &[("product", &id), ("option1", "S"), ("option2", "Red")]).await;
    assert_eq!(out.status, 400, "S / Red has no stock: {}", out.body);
    let added = shopper.call("cart/add", &[("product", &id), ("option1", "M"), ("option2", "Red"), ("quantity", "2")]).await;
    assert_eq!(added.status, 200, "{}", added.body);
    let cart: Value = serde_json::from_str(&shopper.call("cart", &[]).await.body).unwrap();
    assert_eq!(cart["lines"][0]["variant"], "M / Red");
    assert_eq!(cart["lines"][0]["unit_price"]["minor"], 2500);
    let placed = place(&mut shopper, &key("variant"), "variant-buyer@example.com", "").await;
    assert!(placed.status < 400, "{}", placed.body);
    let (each, total) = stocks(&app, product).await;
    assert_eq!(each.iter().map(|(s, _)| *s).collect::<Vec<_>>(), [5, 0, 0, 1], "only M / Red went down");
    assert_eq!(total, 6);
    let (number, _) = order_of(&location(&placed));
    let (variant, sku, price): (String, String, i64) = sqlx::query_as(
        "SELECT l.variant, l.sku, l.unit_price_minor FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.number = $1",
    )
    .bind(&number)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!((variant.as_str(), sku.as_str(), price), ("M / Red", "TEE-M-RED", 2500));

    // The back office finds it by a variant's SKU, and lists it as low: a variant is under its threshold.
    let list: Value = serde_json::from_str(&owner.get("/api/admin/products?q=tee-m-red").await.body).unwrap();
    assert_eq!(list["rows"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect::<Vec<_>>(), [product]);
    assert_eq!(list["rows"][0]["stock_state"], "Low", "{list}");
    let low: Value = serde_json::from_str(&owner.get(&format!("/api/admin/products?q=%23{product}&stock=low")).await.body).unwrap();
    assert_eq!(low["rows"].as_array().unwrap().len(), 1, "{low}");

    // Search finds the product by a value only its variants have, within a second.
    let slug = product_slug(&app, product).await;
    let found = eventually(&app, "/search?q=quokkablue", |_, html| html.contains(&format!("/p/{slug}"))).await;
    assert!(found < std::time::Duration::from_secs(1), "found after {found:?}");
}

#[tokio::test]
async fn bad_options_and_variants_get_clear_errors_and_change_nothing() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 4, 2).await;
    let id = product.to_string();
    let mut owner = admin(&app, "variants-guard@example.com").await;
    let before = stocks(&app, product).await;
    let values = |n: i64| (1..=n).map(|n| n.to_string()).collect::<Vec<_>>().join(", ");
    for (options, says) in [
        ("Size S M", "Name: value"),
        ("Size: S, S", "twice"),
        ("A: 1\nB: 1\nC: 1\nD: 1", "at most 3 options"),
        (&format!("Width: {}\nLength: {}\nDepth: 1, 2", values(25), values(20)), "1000 variants"),
    ] {
        let reply = post(&mut owner, "admin/products/options", &set_options(&app, &id, options).await).await;
        assert_eq!(reply.status, 400, "{options}: {}", reply.body);
        assert!(reply.body.contains(says), "{options}: {}", reply.body);
    }
    assert_eq!(stocks(&app, product).await, before, "nothing changed");

    assert_eq!(post(&mut owner, "admin/products/options", &set_options(&app, &id, "Size: S, M").await).await.status, 200);
    let rows = variants(&mut owner, product).await;
    let (s, m) = (rows[0]["id"].as_i64().unwrap().to_string(), rows[1]["id"].as_i64().unwrap().to_string());
    let variant = |variant: &str, sku: &str, price: &str| {
        vec![("id", id.clone()), ("variant", variant.to_owned()), ("sku", sku.to_owned()), ("price", price.to_owned()), ("weight_grams", "100".into()), ("low_stock", "2".into())]
    };
    let call = |form: Vec<(&'static str, String)>| form;
    for (form, status, says) in [
        (call(variant(&s, "A-1", "-5")), 400, "Price"),
        (call(variant(&s, "has space", "5")), 400, "SKU"),
        (call(variant(&s, "A-1", "5")), 200, ""),
        (call(variant(&m, "A-1", "6")), 409, "already has the SKU A-1"),
        (call(variant("999999999", "B-1", "6")), 404, "no such variant"),
    ] {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = post(&mut owner, "admin/products/variant", &at_version(&app, &pairs).await).await;
        assert_eq!(reply.status, status, "{pairs:?}: {}", reply.body);
        assert!(reply.body.contains(says), "{}", reply.body);
    }
    let (price,): (i64,) = sqlx::query_as("SELECT price_minor FROM products WHERE id = $1").bind(product).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(price, 500, "the product shows its cheapest variant");

    // Dropping M is fine (no stock, no orders); dropping S, which holds the stock, is refused.
    assert_eq!(post(&mut owner, "admin/products/options", &set_options(&app, &id, "Size: S").await).await.status, 200);
    let refused = post(&mut owner, "admin/products/options", &set_options(&app, &id, "Size: M").await).await;
    assert_eq!(refused.status, 200, "S takes the value M (relabelled, its stock with it): {}", refused.body);
    assert_eq!(post(&mut owner, "admin/products/options", &set_options(&app, &id, "Size: L, XL").await).await.status, 200);
    let xl = variants(&mut owner, product).await[1]["id"].as_i64().unwrap().to_string();
    let restock = [("id", id.as_str()), ("variant", xl.as_str()), ("delta", "1"), ("reason", "received")];
    assert_eq!(owner.call("admin/products/adjust-stock", &restock).await.status, 200);
    let refused = post(&mut owner, "admin/products/options", &set_options(&app, &id, "").await).await;
    assert_eq!(refused.status, 409, "two variants with stock cannot become one: {}", refused.body);
    assert!(refused.body.contains("XL, which has 1 in stock"), "{}", refused.body);
    assert_eq!(stocks(&app, product).await.1, 3, "the stock is where it was");
    let titles: Vec<String> = variants(&mut owner, product).await.iter().map(|v| v["title"].as_str().unwrap().to_owned()).collect();
    assert_eq!(titles, ["L", "XL"]);
}

#[tokio::test]
async fn two_staff_editing_one_variant_the_second_save_is_refused_and_nothing_is_lost() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 2, 4).await;
    let id = product.to_string();
    let mut first = admin(&app, "variants-first@example.com").await;
    let mut second = admin(&app, "variants-second@example.com").await;
    // Both open the editor: the same product and variant versions.
    let opened = set_options(&app, &id, "Size: S, M").await;
    let stale_options = set_options(&app, &id, "Colour: Red, Blue").await;
    assert_eq!(post(&mut first, "admin/products/options", &opened).await.status, 200);
    let refused = post(&mut second, "admin/products/options", &stale_options).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("Someone else saved this product"), "{}", refused.body);
    let titles: Vec<String> = variants(&mut first, product).await.iter().map(|v| v["title"].as_str().unwrap().to_owned()).collect();
    assert_eq!(titles, ["S", "M"], "the first save stands");

    let rows = variants(&mut first, product).await;
    let (s, shown) = (rows[0]["id"].as_i64().unwrap().to_string(), rows[0]["version"].as_i64().unwrap().to_string());
    assert_eq!(shown, variant_version(&app, s.parse().unwrap()).await.to_string(), "the editor shows the variant's version");
    let form = |sku: &str, price: &str| {
        vec![("id", id.clone()), ("variant", s.clone()), ("version", shown.clone()), ("sku", sku.to_owned()), ("price", price.to_owned()),
             ("weight_grams", "100".to_owned()), ("low_stock", "2".to_owned())]
    };
    assert_eq!(post(&mut first, "admin/products/variant", &form("FIRST-S", "11.00")).await.status, 200);
    let refused = post(&mut second, "admin/products/variant", &form("SECOND-S", "12.00")).await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("Someone else changed the variant S"), "{}", refused.body);
    let (sku, price): (String, i64) = sqlx::query_as("SELECT sku, price_minor FROM product_variants WHERE id = $1")
        .bind(s.parse::<i64>().unwrap())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!((sku.as_str(), price), ("FIRST-S", 1100), "the first save is kept whole");
    // The refused staff member reloads (new version) and saves over it knowingly.
    let fresh = at_version(&app, &[("id", id.as_str()), ("variant", s.as_str()), ("sku", "SECOND-S"), ("price", "12.00"), ("weight_grams", "100"), ("low_stock", "2")]).await;
    assert_eq!(post(&mut second, "admin/products/variant", &fresh).await.status, 200);
    // A bulk price change moves every variant on: an editor opened before it is refused too.
    let before_bulk = variant_version(&app, s.parse().unwrap()).await;
    let checked = format!("selected[{id}]");
    let bulk = first.call("admin/products/bulk", &[(checked.as_str(), "on"), ("action", "price"), ("percent", "10")]).await;
    assert_eq!(bulk.status, 200, "{}", bulk.body);
    assert!(variant_version(&app, s.parse().unwrap()).await > before_bulk, "a bulk price change is a change of the variant");
}

#[tokio::test]
async fn a_hand_count_that_takes_a_variant_to_its_threshold_mails_a_link_to_that_variants_ledger() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 5, 6).await;
    let id = product.to_string();
    let mut owner = admin(&app, "variants-low@example.com").await;
    assert_eq!(post(&mut owner, "admin/products/options", &set_options(&app, &id, "Size: S, M").await).await.status, 200);
    let s = variants(&mut owner, product).await[0]["id"].as_i64().unwrap();
    sqlx::query("UPDATE product_variants SET low_stock_threshold = 3 WHERE product_id = $1").bind(product).execute(&app.db.pool).await.unwrap();
    let mails = || async {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox_emails WHERE to_address = 'variants-low@example.com' AND subject LIKE 'Low stock%'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        n
    };
    // 6 on the shelf (S keeps the product's stock), threshold 3: 6 → 4 stays above, 4 → 2 crosses, 2 → 1 is already under.
    for (delta, alerts) in [("-2", 0), ("-2", 1), ("-1", 1)] {
        let form = [("id", id.clone()), ("variant", s.to_string()), ("delta", delta.to_owned()), ("reason", "counted".to_owned())];
        let reply = post(&mut owner, "admin/products/adjust-stock", &form).await;
        assert_eq!(reply.status, 200, "{delta}: {}", reply.body);
        assert_eq!(mails().await, alerts, "after {delta}");
    }
    let mail = crate::helpers::newest_mail(&app, "variants-low@example.com").await;
    assert!(mail.contains("(S)") && mail.contains("down to 2"), "{mail}");
    assert!(mail.contains(&format!("https://shop.test/admin/products/{product}?variant={s}#stock")), "the variant's own stock and ledger: {mail}");
}

#[tokio::test]
async fn a_sellers_staff_reach_only_their_sellers_variants() {
    let app = spawn_app().await;
    let sellers: Vec<(i64,)> = sqlx::query_as("SELECT id FROM sellers ORDER BY id LIMIT 2").fetch_all(&app.db.pool).await.unwrap();
    let product = product_with_stock(&app, 6, 1).await;
    sqlx::query("UPDATE products SET seller_id = $2 WHERE id = $1").bind(product).bind(sellers[1].0).execute(&app.db.pool).await.unwrap();
    let id = product.to_string();
    let variant = crate::helpers::only_variant(&app, product).await.to_string();
    let mut other = staff(&app, "other-seller@example.com", Some(sellers[0].0)).await;
    assert_eq!(post(&mut other, "admin/products/options", &set_options(&app, &id, "Size: S").await).await.status, 404);
    let save = [("id", id.as_str()), ("variant", variant.as_str()), ("sku", "MINE-1"), ("price", "1"), ("weight_grams", "1"), ("low_stock", "1")];
    assert_eq!(post(&mut other, "admin/products/variant", &at_version(&app, &save).await).await.status, 404);
    let adjust = [("id", id.as_str()), ("variant", variant.as_str()), ("delta", "5"), ("reason", "received")];
    assert_eq!(other.call("admin/products/adjust-stock", &adjust).await.status, 404);
    assert_eq!(other.get(&format!("/api/admin/products/stock?id={id}&variant={variant}")).await.status, 404);
    let mut theirs = staff(&app, "their-seller@example.com", Some(sellers[1].0)).await;
    assert_eq!(post(&mut theirs, "admin/products/variant", &at_version(&app, &save).await).await.status, 200);
    assert_eq!(stocks(&app, product).await.0[0].1, "MINE-1");
}

async fn product_slug(app: &TestApp, id: i64) -> String {
    let (slug,): (String,) = sqlx::query_as("SELECT slug FROM products WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    slug
}
