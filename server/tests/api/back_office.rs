//! The back office's catalog (issue 18, first part) over HTTP: staff create
//! products as drafts, edit them (a save of an older version is refused),
//! publish them into the shop and search, rename them (the old address
//! answers 301), archive and delete them, and change stock with a reason
//! (the stock is always the ledger's sum, also with checkouts at the same
//! moment). A seller's staff reach only their seller's products; customers
//! and strangers reach none. Every change is in the audit log.

use crate::helpers::{admin, audit_details, eventually, key, place, product_with_stock, signed_up, spawn_app, staff, stock, Browser, Reply, TestApp};
use serde_json::Value;
use std::time::Duration;

/// A brand and a subcategory (id, slug) of the demo catalog.
async fn brand_and_category(app: &TestApp) -> (String, String, String) {
    let (brand,): (i64,) = sqlx::query_as("SELECT id FROM brands ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let (category, slug): (i64, String) =
        sqlx::query_as("SELECT id, slug FROM categories WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    (brand.to_string(), category.to_string(), slug)
}

/// The editor's fields for a product called `name`, with `changes` on top.
fn form<'a>(ids: &'a (String, String, String), name: &'a str, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("input[name]", name),
        ("input[brand]", ids.0.as_str()),
        ("input[category]", ids.1.as_str()),
        ("input[price]", "19.99"),
        ("input[currency]", "USD"),
        ("input[description]", "Hand-planed from one board.\n\nOiled, not varnished."),
    ];
    for (field, value) in changes {
        form.retain(|(f, _)| f != field);
        form.push((field, value));
    }
    form
}

/// Saves the editor (`id` 0 creates); the reply.
async fn save(staff: &mut Browser<'_>, id: i64, version: i64, form: &[(&str, &str)]) -> Reply {
    let (id, version) = (id.to_string(), version.to_string());
    let mut all = vec![("id", id.as_str()), ("version", version.as_str())];
    all.extend_from_slice(form);
    staff.call("admin/products/save", &all).await
}

/// Creates a draft and returns its id.
async fn create(staff: &mut Browser<'_>, form: &[(&str, &str)]) -> i64 {
    let reply = save(staff, 0, 0, form).await;
    assert_eq!(reply.status, 200, "create: {}", reply.body);
    reply.body.trim().parse().expect("the new product's id")
}

async fn product_row(app: &TestApp, id: i64) -> (String, String, i64, i64) {
    sqlx::query_as("SELECT name, slug, version, price_minor FROM products WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap()
}

async fn set_status(staff: &mut Browser<'_>, id: i64, version: i64, status: &str) -> Reply {
    staff.call("admin/products/status", &[("id", &id.to_string()), ("version", &version.to_string()), ("status", status)]).await
}

#[tokio::test]
async fn an_admin_creates_a_draft_publishes_it_and_shoppers_find_it_in_search_within_a_second() {
    let app = spawn_app().await;
    let ids = brand_and_category(&app).await;
    let mut owner = admin(&app, "owner@example.com").await;
    let id = create(&mut owner, &form(&ids, "Zebrawood Serving Board", &[("input[description]", "")])).await;
    let (_, slug, version, price) = product_row(&app, id).await;
    assert_eq!((slug.as_str(), version, price), ("zebrawood-serving-board", 1, 1999));

    // A draft: a preview for staff, not there for shoppers or search.
    assert_eq!(app.page(&format!("/p/{slug}")).await.0, 404);
    let preview = owner.get(&format!("/p/{slug}?preview")).await;
    assert!(preview.status == 200 && preview.body.contains("data-testid=\"preview\""), "{}", preview.status);
    let refused = set_status(&mut owner, id, 1, "active").await;
    assert!(refused.status == 400 && refused.body.contains("To publish this product, add a description."), "{}", refused.body);

    let saved = save(&mut owner, id, 1, &form(&ids, "Zebrawood Serving Board", &[("input[price]", "24.50"), ("input[compare_at]", "29.00")])).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(product_row(&app, id).await.2, 2);
    let published = set_status(&mut owner, id, 2, "active").await;
    assert_eq!(published.status, 200, "{}", published.body);

    let took = eventually(&app, "/search?q=zebrawood", |_, html| html.contains(&format!("/p/{slug}"))).await;
    assert!(took < Duration::from_secs(1), "published product searchable after {took:?}");
    let (status, page) = app.page(&format!("/p/{slug}")).await;
    assert!(status == 200 && page.contains("$24.50") && page.contains("<s>$29.00</s>") && page.contains("you save") && page.contains("$4.50") && !page.contains("data-testid=\"preview\""));
    assert!(page.contains("<p>Oiled, not varnished.</p>"), "paragraphs of the description");

    let created = audit_details(&app, "product-created").await;
    assert!(created[0].contains(&format!("product {id} “Zebrawood Serving Board” created as a draft")), "{created:?}");
    let changed = audit_details(&app, "product-changed").await;
    assert!(changed.iter().any(|d| d.contains("price “19.99 USD” → “24.50 USD”")), "{changed:?}");
    assert!(changed.iter().any(|d| d.contains("status “draft” → “active”")), "{changed:?}");
}

#[tokio::test]
async fn a_save_of_a_version_someone_else_saved_since_is_refused_and_loses_nothing() {
    let app = spawn_app().await;
    let ids = brand_and_category(&app).await;
    let mut first = admin(&app, "first@example.com").await;
    let mut second = admin(&app, "second@example.com").await;
    let id = create(&mut first, &form(&ids, "Walnut Board", &[])).await;
    assert_eq!(save(&mut first, id, 1, &form(&ids, "Walnut Board, Large", &[])).await.status, 200);
    let late = save(&mut second, id, 1, &form(&ids, "Walnut Board, Small", &[])).await;
    assert_eq!(late.status, 409, "{}", late.body);
    assert!(late.body.contains("Someone else saved this product"), "{}", late.body);
    assert_eq!(product_row(&app, id).await.0, "Walnut Board, Large");
    assert_eq!(set_status(&mut second, id, 1, "archived").await.status, 409);
}

#[tokio::test]
async fn a_renamed_product_answers_at_its_old_address_with_301() {
    let app = spawn_app().await;
    let ids = brand_and_category(&app).await;
    let mut owner = admin(&app, "owner@example.com").await;
    let id = create(&mut owner, &form(&ids, "Cedar Crate", &[])).await;
    assert_eq!(set_status(&mut owner, id, 1, "active").await.status, 200);
    assert_eq!(save(&mut owner, id, 2, &form(&ids, "Cedar Crate", &[("input[slug]", "cedar-storage-crate")])).await.status, 200);
    let old = Browser::new(&app).get("/p/cedar-crate?ref=mail").await;
    assert_eq!(old.status, 301);
    assert_eq!(old.headers["location"], "/p/cedar-storage-crate?ref=mail");
    assert_eq!(app.page("/p/cedar-storage-crate").await.0, 200);
    assert_eq!(app.page("/p/no-such-product-at-all").await.0, 404);
}

#[tokio::test]
async fn bad_input_gets_a_clear_message_and_changes_nothing() {
    let app = spawn_app().await;
    let ids = brand_and_category(&app).await;
    let mut owner = admin(&app, "owner@example.com").await;
    let (taken,): (String,) = sqlx::query_as("SELECT slug FROM products ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let (before,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products").fetch_one(&app.db.pool).await.unwrap();
    let long = "x".repeat(201);
    for (changes, says) in [
        (vec![("input[price]", "-5")], "The price cannot be negative."),
        (vec![("input[price]", "")], "Enter the price."),
        (vec![("input[slug]", taken.as_str())], "Another product is already at"),
        (vec![("input[slug]", "Not A Slug")], "The slug may hold only"),
        (vec![("input[category]", "999999")], "Choose the category from the list."),
        (vec![("input[brand]", "abc")], "Choose the brand from the list."),
        (vec![("input[name]", long.as_str())], "Keep the name to one line"),
        (vec![("input[compare_at]", "10.00")], "The compare-at price must be higher"),
        (vec![("input[currency]", "BTC")], "Choose the currency"),
    ] {
        let reply = save(&mut owner, 0, 0, &form(&ids, "Fine Name", &changes)).await;
        assert_eq!(reply.status, 400, "{changes:?}: {}", reply.body);
        assert!(reply.body.contains(says), "{changes:?}: {}", reply.body);
    }
    let (after,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(before, after);
    assert_eq!(owner.call("admin/products/status", &[("id", "1"), ("version", "1"), ("status", "gone")]).await.status, 400);
}

#[tokio::test]
async fn archived_products_leave_the_shop_and_ordered_ones_cannot_be_deleted() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 5, 10).await;
    let (slug,): (String,) = sqlx::query_as("SELECT slug FROM products WHERE id = $1").bind(product).fetch_one(&app.db.pool).await.unwrap();
    let mut buyer = Browser::new(&app);
    buyer.step("cart/add", &[("product", &product.to_string()), ("quantity", "1")]).await;
    let placed = place(&mut buyer, &key("archive"), "buyer@example.com", "").await;
    assert!(placed.status < 400, "{}", placed.body);

    let mut owner = admin(&app, "owner@example.com").await;
    let version = product_row(&app, product).await.2;
    let delete = owner.call("admin/products/delete", &[("id", &product.to_string()), ("version", &version.to_string())]).await;
    assert_eq!(delete.status, 409, "{}", delete.body);
    assert!(delete.body.contains("Archive it"), "{}", delete.body);
    assert_eq!(set_status(&mut owner, product, version, "archived").await.status, 200);

    assert_eq!(app.page(&format!("/p/{slug}")).await.0, 404);
    let add = Browser::new(&app).call("cart/add", &[("product", &product.to_string()), ("quantity", "1")]).await;
    assert_eq!(add.status, 404, "{}", add.body);
    eventually(&app, &format!("/search?q={}", slug.replace('-', "+")), |_, html| !html.contains(&format!("/p/{slug}\""))).await;

    // A product no order holds is deleted for good, with its audit line.
    let ids = brand_and_category(&app).await;
    let fresh = create(&mut owner, &form(&ids, "Short-lived Stool", &[])).await;
    let gone = owner.call("admin/products/delete", &[("id", fresh.to_string().as_str()), ("version", "1")]).await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products WHERE id = $1").bind(fresh).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(left, 0);
    assert!(audit_details(&app, "product-deleted").await[0].contains("Short-lived Stool"));
}

#[tokio::test]
async fn stock_changes_by_hand_are_ledger_lines_and_stock_is_the_ledgers_sum() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 7, 5).await;
    let id = product.to_string();
    let mut owner = admin(&app, "owner@example.com").await;
    let adjust = |delta: &'static str, reason: &'static str| [("id", id.clone()), ("delta", delta.into()), ("reason", reason.into()), ("note", "PO-17".into())];
    for (delta, reason, want, after) in [
        ("+10", "received", 200, 15),
        ("-3", "damaged", 200, 12),
        ("3", "damaged", 400, 12),
        ("-100", "counted", 400, 12),
        ("0", "counted", 400, 12),
        ("ten", "received", 400, 12),
        ("4", "stolen", 400, 12),
        ("-2", "counted", 200, 10),
    ] {
        let form = adjust(delta, reason);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let reply = owner.call("admin/products/adjust-stock", &form).await;
        assert_eq!(reply.status, want, "{delta} {reason}: {}", reply.body);
        assert_eq!(stock(&app, product).await, (after, after), "{delta} {reason}");
    }
    let too_many = owner.call("admin/products/adjust-stock", &[("id", &id), ("delta", "-100"), ("reason", "counted")]).await;
    assert!(too_many.body.contains("There are only 10 in stock"), "{}", too_many.body);

    let ledger: Value = serde_json::from_str(&owner.get(&format!("/api/admin/products/stock?id={id}")).await.body).unwrap();
    assert_eq!(ledger["stock"], 10);
    let lines = ledger["lines"].as_array().unwrap();
    assert_eq!((lines[0]["delta"].as_i64(), lines[0]["balance"].as_i64()), (Some(-2), Some(10)));
    assert_eq!((lines[2]["reason"].as_str(), lines[2]["balance"].as_i64()), (Some("Goods received"), Some(15)));
    assert_eq!((lines[2]["actor"].as_str(), lines[2]["note"].as_str()), (Some("owner@example.com"), Some("PO-17")));
    assert!(audit_details(&app, "stock-adjusted").await[0].contains("stock 5 → 15 (Goods received: PO-17)"));

    // Every variant's stock is rebuilt from its ledger, and every product's is theirs together.
    let (wrong,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM products p WHERE p.stock <> (SELECT COALESCE(SUM(delta), 0) FROM inventory_ledger l WHERE l.product_id = p.id) \
         OR p.stock <> (SELECT COALESCE(SUM(stock), 0) FROM product_variants v WHERE v.product_id = p.id)",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(wrong, 0);
    let (wrong,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM product_variants v WHERE v.stock <> (SELECT COALESCE(SUM(delta), 0) FROM inventory_ledger l WHERE l.variant_id = v.id)",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(wrong, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stock_received_while_shoppers_check_out_loses_no_update() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 9, 20).await;
    let id = product.to_string();
    let mut buyers = Vec::new();
    for _ in 0..8 {
        let mut buyer = Browser::new(&app);
        buyer.step("cart/add", &[("product", &id), ("quantity", "2")]).await;
        buyers.push(buyer);
    }
    let owner = admin(&app, "owner@example.com").await;
    let cookie = owner.cookie.clone();
    let checkouts = buyers.iter_mut().enumerate().map(|(n, buyer)| async move {
        place(buyer, &key("race"), &format!("racer{n}@example.com"), "").await.status
    });
    let receipts = (0..8).map(|_| {
        let (id, cookie) = (id.clone(), cookie.clone());
        let app = &app;
        async move {
            let mut staff = Browser::new(app);
            staff.cookie = cookie;
            staff.call("admin/products/adjust-stock", &[("id", &id), ("delta", "3"), ("reason", "received")]).await.status
        }
    });
    let (placed, received) = tokio::join!(futures::future::join_all(checkouts), futures::future::join_all(receipts));
    assert!(received.iter().all(|s| *s == 200), "{received:?}");
    let sold = placed.iter().filter(|s| **s < 400).count() as i64;
    let (now, ledger) = stock(&app, product).await;
    assert_eq!(now, 20 + 8 * 3 - sold * 2, "placed {placed:?}");
    assert_eq!(now, ledger);
}

#[tokio::test]
async fn a_sellers_staff_reach_only_their_sellers_products() {
    let app = spawn_app().await;
    let sellers: Vec<(i64,)> = sqlx::query_as("SELECT id FROM sellers ORDER BY id LIMIT 2").fetch_all(&app.db.pool).await.unwrap();
    let (mine, theirs) = (sellers[0].0, sellers[1].0);
    let (other,): (i64,) =
        sqlx::query_as("SELECT id FROM products WHERE seller_id = $1 LIMIT 1").bind(theirs).fetch_one(&app.db.pool).await.unwrap();
    let (shops,): (i64,) = sqlx::query_as("SELECT id FROM products WHERE seller_id IS NULL LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let mut packer = staff(&app, "packer@example.com", Some(mine)).await;

    let list: Value = serde_json::from_str(&packer.get("/api/admin/products").await.body).unwrap();
    let (mine_total,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM products WHERE seller_id = $1").bind(mine).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(list["page"]["total_items"].as_i64(), Some(mine_total));
    assert!(list["choices"]["sellers"].as_array().unwrap().is_empty());

    for product in [other, shops] {
        let p = product.to_string();
        let before = product_row(&app, product).await;
        assert_eq!(packer.get(&format!("/api/admin/product?id={p}")).await.status, 404);
        assert_eq!(packer.get(&format!("/api/admin/products/stock?id={p}")).await.status, 404);
        let ids = brand_and_category(&app).await;
        assert_eq!(save(&mut packer, product, before.2, &form(&ids, "Mine Now", &[])).await.status, 404);
        assert_eq!(set_status(&mut packer, product, before.2, "archived").await.status, 404);
        assert_eq!(packer.call("admin/products/adjust-stock", &[("id", p.as_str()), ("delta", "5"), ("reason", "received")]).await.status, 404);
        assert_eq!(packer.call("admin/products/duplicate", &[("id", &p)]).await.status, 404);
        assert_eq!(packer.call("admin/products/delete", &[("id", &p), ("version", &before.2.to_string())]).await.status, 404);
        assert_eq!(product_row(&app, product).await, before, "nothing changed");
    }
    // What they create is their seller's, whatever the form says.
    let ids = brand_and_category(&app).await;
    let theirs_text = theirs.to_string();
    let id = create(&mut packer, &form(&ids, "Packer's Own Mug", &[("input[seller]", &theirs_text)])).await;
    let (seller,): (Option<i64>,) = sqlx::query_as("SELECT seller_id FROM products WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(seller, Some(mine));
}

#[tokio::test]
async fn customers_and_strangers_reach_no_product_function() {
    let app = spawn_app().await;
    let mut shopper = Browser::new(&app);
    signed_up(&mut shopper, "shopper@example.com").await;
    let before = product_row(&app, 1).await;
    for (who, mut browser, want) in [("stranger", Browser::new(&app), 401), ("shopper", shopper, 403)] {
        for path in ["/api/admin/products", "/api/admin/product?id=1", "/api/admin/products/stock?id=1"] {
            assert_eq!(browser.get(path).await.status, want, "{who} GET {path}");
        }
        for (endpoint, form) in [
            ("admin/products/save", vec![("id", "1"), ("version", "1"), ("input[name]", "Mine")]),
            ("admin/products/status", vec![("id", "1"), ("version", "1"), ("status", "archived")]),
            ("admin/products/duplicate", vec![("id", "1")]),
            ("admin/products/delete", vec![("id", "1"), ("version", "1")]),
            ("admin/products/adjust-stock", vec![("id", "1"), ("delta", "5"), ("reason", "received")]),
            ("admin/products/options", vec![("id", "1"), ("version", "1"), ("options", "Size: S, M")]),
            ("admin/products/variant", vec![("id", "1"), ("variant", "1"), ("version", "1"), ("sku", "MINE"), ("price", "1")]),
        ] {
            let reply = browser.call(endpoint, &form).await;
            assert_eq!(reply.status, want, "{who} {endpoint}: {}", reply.body);
        }
    }
    assert_eq!(product_row(&app, 1).await, before);
    let (stock_changes,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM inventory_ledger WHERE reason = 'received'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(stock_changes, 0);
}

#[tokio::test]
async fn the_list_searches_filters_sorts_and_pages() {
    let app = spawn_app().await;
    let ids = brand_and_category(&app).await;
    let mut owner = admin(&app, "owner@example.com").await;
    let id = create(&mut owner, &form(&ids, "Quillwort 50% Planter", &[])).await;
    let get = |path: String| {
        let owner = &owner;
        async move {
            let reply = owner.get(&path).await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.body);
            serde_json::from_str::<Value>(&reply.body).unwrap()
        }
    };
    let found = get("/api/admin/products?q=quillwort".into()).await;
    assert_eq!(found["rows"][0]["id"].as_i64(), Some(id));
    assert_eq!(found["page"]["total_items"], 1);
    assert_eq!(get("/api/admin/products?q=50%25".into()).await["rows"][0]["id"].as_i64(), Some(id), "% is a letter, not a wildcard");
    assert_eq!(get(format!("/api/admin/products?q=%23{id}")).await["rows"][0]["id"].as_i64(), Some(id), "by number");
    let drafts = get("/api/admin/products?status=draft".into()).await;
    assert_eq!(drafts["page"]["total_items"], 1);
    let cheap = get("/api/admin/products?sort=price-asc".into()).await;
    let prices: Vec<i64> = cheap["rows"].as_array().unwrap().iter().map(|r| r["price"]["minor"].as_i64().unwrap()).collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
    let out = get("/api/admin/products?stock=out".into()).await;
    assert!(out["rows"].as_array().unwrap().iter().all(|r| r["stock"].as_i64() == Some(0)));
    let last = get("/api/admin/products?page=999999".into()).await;
    assert_eq!(last["page"]["page"], last["page"]["total_pages"], "clamped to the last page");
    assert_eq!(owner.get("/api/admin/products?sort=sideways").await.status, 400);

    // Each filter selects what it says, and they combine.
    let ids_of = |list: &Value| list["rows"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect::<Vec<_>>();
    let by_brand = get(format!("/api/admin/products?brand={}&q=quillwort", ids.0)).await;
    assert_eq!(ids_of(&by_brand), [id]);
    let (other_brand,): (i64,) = sqlx::query_as("SELECT id FROM brands WHERE id <> $1 ORDER BY id LIMIT 1")
        .bind(ids.0.parse::<i64>().unwrap())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(ids_of(&get(format!("/api/admin/products?brand={other_brand}&q=quillwort")).await).is_empty());
    let (department,): (i64,) =
        sqlx::query_as("SELECT parent_id FROM categories WHERE id = $1").bind(ids.1.parse::<i64>().unwrap()).fetch_one(&app.db.pool).await.unwrap();
    for category in [ids.1.clone(), department.to_string()] {
        let listed = get(format!("/api/admin/products?category={category}&status=draft")).await;
        assert_eq!(ids_of(&listed), [id], "its aisle and its department");
    }
    let (sku,): (String,) = sqlx::query_as("SELECT sku FROM product_variants WHERE product_id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(ids_of(&get(format!("/api/admin/products?q={}", sku.to_lowercase())).await), [id], "by its SKU, in any case");
    let low = get("/api/admin/products?stock=low".into()).await;
    assert!(low["rows"].as_array().unwrap().iter().all(|r| r["stock_state"] == "Low"), "{low}");

    // An admin assigns the product to a seller: the seller filter finds it, and the seller's staff reach it.
    let (seller,): (i64,) = sqlx::query_as("SELECT id FROM sellers ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let (_, _, version, _) = product_row(&app, id).await;
    let seller_text = seller.to_string();
    let mut assigner = admin(&app, "assigner@example.com").await;
    let assigned = save(&mut assigner, id, version, &form(&ids, "Quillwort 50% Planter", &[("input[seller]", seller_text.as_str())])).await;
    assert_eq!(assigned.status, 200, "{}", assigned.body);
    assert_eq!(ids_of(&get(format!("/api/admin/products?seller={seller}&q=quillwort")).await), [id]);
    assert!(ids_of(&get("/api/admin/products?q=quillwort&seller=999999".into()).await).is_empty());
    assert!(audit_details(&app, "product-changed").await.iter().any(|d| d.contains("seller")), "the assignment is in the audit log");
    let packer = staff(&app, "quillwort-packer@example.com", Some(seller)).await;
    assert_eq!(packer.get(&format!("/api/admin/product?id={id}")).await.status, 200, "the seller's staff now reach it");
}

#[tokio::test]
async fn attributes_are_edited_as_lines_and_reach_the_product_page() {
    let app = spawn_app().await;
    let ids = brand_and_category(&app).await;
    let mut owner = admin(&app, "owner@example.com").await;
    let id = create(&mut owner, &form(&ids, "Oak Side Table", &[("input[attributes]", "Material: Oak\nFinish: Oiled")])).await;
    let editor: Value = serde_json::from_str(&owner.get(&format!("/api/admin/product?id={id}")).await.body).unwrap();
    assert_eq!(editor["product"]["input"]["attributes"], "Material: Oak\nFinish: Oiled");
    let preview = owner.get("/p/oak-side-table?preview").await;
    assert!(preview.body.contains("Material") && preview.body.contains("Oiled"), "the page lists the attributes");

    for (bad, says) in [("Material Oak", "line 1"), ("Material: Oak\nmaterial: Ash", "there already")] {
        let refused = save(&mut owner, id, 1, &form(&ids, "Oak Side Table", &[("input[attributes]", bad)])).await;
        assert!(refused.status == 400 && refused.body.contains(says), "{bad:?}: {}", refused.body);
    }
    let saved = save(&mut owner, id, 1, &form(&ids, "Oak Side Table", &[("input[attributes]", "Finish: Waxed\nMaterial: Oak\nWidth: 45 cm")])).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let rows: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT name, value, position FROM product_attributes WHERE product_id = $1 ORDER BY position").bind(id).fetch_all(&app.db.pool).await.unwrap();
    let expected = [("Finish", "Waxed", 0), ("Material", "Oak", 1), ("Width", "45 cm", 2)];
    assert_eq!(rows, expected.map(|(n, v, p)| (n.to_owned(), v.to_owned(), p)).to_vec());
    let changed = audit_details(&app, "product-changed").await;
    assert!(changed[0].contains("attributes “Material: Oak; Finish: Oiled” → “Finish: Waxed; Material: Oak; Width: 45 cm”"), "{changed:?}");
}

/// The ids the list's search for `q` (URL-encoded) finds.
async fn found(staff: &Browser<'_>, q: &str) -> Vec<i64> {
    let reply = staff.get(&format!("/api/admin/products?q={q}")).await;
    assert_eq!(reply.status, 200, "{q}: {}", reply.body);
    let list: Value = serde_json::from_str(&reply.body).unwrap();
    list["rows"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn a_name_search_finds_any_part_of_a_name_and_follows_renames_and_deletes() {
    let app = spawn_app().await;
    let ids = brand_and_category(&app).await;
    let mut owner = admin(&app, "owner@example.com").await;
    let id = create(&mut owner, &form(&ids, "Bryophyte Terrarium", &[])).await;
    for part in ["bryophyte", "YOPHY", "te%20terr", "Terrarium"] {
        assert_eq!(found(&owner, part).await, [id], "{part} is part of the name, in any case");
    }
    assert!(found(&owner, "bryophyte%20%22terrarium%22").await.is_empty(), "quotes are letters too");
    assert!(found(&owner, "ry").await.contains(&id), "two letters are looked for too");

    let version = product_row(&app, id).await.2;
    assert_eq!(save(&mut owner, id, version, &form(&ids, "Moss Garden Jar", &[])).await.status, 200);
    assert!(found(&owner, "bryophyte").await.is_empty(), "the old name is gone from the index");
    assert_eq!(found(&owner, "garden%20j").await, [id]);
    let gone = owner.call("admin/products/delete", &[("id", id.to_string().as_str()), ("version", &(version + 1).to_string())]).await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert!(found(&owner, "moss%20garden").await.is_empty());
}
