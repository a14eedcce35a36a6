//! The back office's promo codes (issue 19) over HTTP: an admin creates a
//! code that checkout then takes (with its minimum, start and limits),
//! changes it, ends it now (checkout refuses it from then on, orders that
//! used it keep their discount), and reads each code's use. Bad forms change
//! nothing; only admins may do any of it; every change is in the audit log.

use crate::helpers::{admin, audit_details, key, location, order_of, pay, place, product_with_stock, signed_up, spawn_app, staff, Browser, Reply, VISA};
use serde_json::Value;

async fn save(owner: &mut Browser<'_>, new: bool, fields: &[(&str, &str)]) -> Reply {
    let mut form = vec![("new", if new { "true" } else { "false" })];
    form.extend_from_slice(fields);
    owner.call("admin/promos/save", &form).await
}

async fn promo(owner: &Browser<'_>, code: &str) -> Value {
    let list: Value = serde_json::from_str(&owner.get("/api/admin/promos").await.body).unwrap();
    list.as_array().unwrap().iter().find(|p| p["input"]["code"] == code).cloned().unwrap_or(Value::Null)
}

#[tokio::test]
async fn an_admin_creates_a_code_that_checkout_takes_changes_it_and_ends_it() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "promos@example.com").await;
    let created = save(&mut owner, true, &[("input[code]", " spring15 "), ("input[kind]", "percent"), ("input[amount]", "15"),
        ("input[min_subtotal]", "1"), ("input[max_per_customer]", "1")]).await;
    assert_eq!(created.status, 200, "{}", created.body);
    let listed = promo(&owner, "SPRING15").await;
    assert_eq!(listed["state"], "Active");
    assert_eq!(listed["summary"], "15% off · from $1.00 · 1 per customer");

    // A shopper uses it; the list counts the use, and once paid the order and what it took off.
    let product = product_with_stock(&app, 31, 10).await;
    let mut shopper = Browser::new(&app);
    shopper.step("cart/add", &[("product", &product.to_string()), ("quantity", "2")]).await;
    let placed = place(&mut shopper, &key("spring"), "spring@example.com", "spring15").await;
    let order = order_of(&location(&placed));
    let number = order.0.clone();
    let (discount, subtotal, total): (i64, i64, i64) =
        sqlx::query_as("SELECT discount_minor, subtotal_minor, total_minor FROM orders WHERE number = $1").bind(&number).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(discount, subtotal * 15 / 100, "15% off");
    let used = promo(&owner, "SPRING15").await;
    assert_eq!((used["uses"].as_i64(), used["paid_orders"].as_i64()), (Some(1), Some(0)), "used, not paid yet");
    let paid = pay(&mut shopper, &order, &key("spring-pay"), VISA).await;
    assert!(paid.status < 400, "{} {}", paid.status, paid.body);
    let used = promo(&owner, "SPRING15").await;
    assert_eq!((used["paid_orders"].as_i64(), used["discount_given"].as_i64(), used["revenue"].as_i64()), (Some(1), Some(discount), Some(total)));
    shopper.step("cart/add", &[("product", &product.to_string())]).await;
    let twice = place(&mut shopper, &key("spring-2"), "spring@example.com", "SPRING15").await;
    assert!(twice.status == 400 && twice.body.contains("already used"), "one per customer: {}", twice.body);

    // Changed: a higher minimum applies to the next cart.
    let changed = save(&mut owner, false, &[("input[code]", "SPRING15"), ("input[kind]", "fixed"), ("input[amount]", "5"),
        ("input[min_subtotal]", "100000")]).await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    let mut other = Browser::new(&app);
    other.step("cart/add", &[("product", &product.to_string())]).await;
    let short = place(&mut other, &key("short"), "short@example.com", "SPRING15").await;
    assert!(short.status == 400 && short.body.contains("subtotal of at least"), "{}", short.body);
    let line = audit_details(&app, "promo-changed").await;
    assert!(line[0].contains("offer “15% off” → “$5.00 off”") && line[0].contains("minimum subtotal “1.00” → “100000.00”"), "{line:?}");

    // Ended now: checkout refuses it; the order that used it keeps its discount.
    let ended = owner.call("admin/promos/end", &[("code", "spring15")]).await;
    assert_eq!(ended.status, 200, "{}", ended.body);
    assert_eq!(promo(&owner, "SPRING15").await["state"], "Ended");
    let late = place(&mut other, &key("late"), "late@example.com", "SPRING15").await;
    assert!(late.status == 400 && late.body.contains("expired"), "{}", late.body);
    let (kept,): (i64,) = sqlx::query_as("SELECT discount_minor FROM orders WHERE number = $1").bind(&number).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(kept, discount);
    assert!(audit_details(&app, "promo-created").await[0].contains("SPRING15"));
    assert_eq!(audit_details(&app, "promo-ended").await.len(), 1);
}

#[tokio::test]
async fn bad_promo_forms_and_limits_below_use_change_nothing() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "promo-rules@example.com").await;
    for (fields, says) in [
        (vec![("input[code]", "X"), ("input[kind]", "percent"), ("input[amount]", "10")], "3 to 32"),
        (vec![("input[code]", "HALFPRICE"), ("input[kind]", "percent"), ("input[amount]", "150")], "at most 100"),
        (vec![("input[code]", "MINUS"), ("input[kind]", "fixed"), ("input[amount]", "-5")], "not an amount"),
        (vec![("input[code]", "BACKWARDS"), ("input[kind]", "fixed"), ("input[amount]", "5"), ("input[starts]", "2030-01-02"), ("input[ends]", "2030-01-01")], "after the start"),
        (vec![("input[code]", "WELCOME10"), ("input[kind]", "fixed"), ("input[amount]", "5")], "already"),
    ] {
        let reply = save(&mut owner, true, &fields).await;
        assert!(reply.status >= 400 && reply.body.contains(says), "{fields:?}: {} {}", reply.status, reply.body);
    }
    let (codes,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM promo_codes").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(codes, 2, "the demo's two codes, nothing more");
    let missing = save(&mut owner, false, &[("input[code]", "NOSUCH"), ("input[kind]", "fixed"), ("input[amount]", "5")]).await;
    assert_eq!(missing.status, 404);

    // A limit below the uses it already has is refused.
    let product = product_with_stock(&app, 32, 10).await;
    for n in 0..2 {
        let mut shopper = Browser::new(&app);
        shopper.step("cart/add", &[("product", &product.to_string())]).await;
        let placed = place(&mut shopper, &key(&format!("w{n}")), &format!("w{n}@example.com"), "WELCOME10").await;
        assert!(placed.status < 400, "{}", placed.body);
    }
    let below = save(&mut owner, false, &[("input[code]", "WELCOME10"), ("input[kind]", "percent"), ("input[amount]", "10"), ("input[max_uses]", "1")]).await;
    assert!(below.status == 400 && below.body.contains("used more often"), "{}", below.body);
    let (max,): (Option<i64>,) = sqlx::query_as("SELECT max_uses FROM promo_codes WHERE code = 'WELCOME10'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(max, None);
}

#[tokio::test]
async fn only_admins_manage_promo_codes() {
    let app = spawn_app().await;
    let mut shopper = Browser::new(&app);
    signed_up(&mut shopper, "promo-shopper@example.com").await;
    let seller_staff = staff(&app, "promo-seller@example.com", Some(1)).await;
    for (who, mut browser, want) in [("stranger", Browser::new(&app), 401), ("shopper", shopper, 403), ("seller's staff", seller_staff, 403)] {
        assert_eq!(browser.get("/api/admin/promos").await.status, want, "{who}");
        let save = browser.call("admin/promos/save", &[("new", "true"), ("input[code]", "MINE"), ("input[kind]", "percent"), ("input[amount]", "90")]).await;
        assert_eq!(save.status, want, "{who}: {}", save.body);
        assert_eq!(browser.call("admin/promos/end", &[("code", "WELCOME10")]).await.status, want, "{who}");
    }
    let (codes, ended): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(ends_at) FROM promo_codes").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!((codes, ended), (2, 0));
}

#[tokio::test]
async fn a_code_ended_at_once_saves_again_from_its_own_form_and_a_decimal_comma_is_refused() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "promo-form@example.com").await;
    let comma = save(&mut owner, true, &[("input[code]", "COMMA"), ("input[kind]", "fixed"), ("input[amount]", "5,00")]).await;
    assert!(comma.status == 400 && comma.body.contains("not an amount"), "never $500 off: {}", comma.body);
    let created = save(&mut owner, true, &[("input[code]", "BRIEF"), ("input[kind]", "fixed"), ("input[amount]", "5")]).await;
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(owner.call("admin/promos/end", &[("code", "BRIEF")]).await.status, 200);
    let shown = promo(&owner, "BRIEF").await["input"].clone();
    let field = |name: &str| shown[name].as_str().unwrap().to_owned();
    let (kind, amount, starts, ends) = (field("kind"), field("amount"), field("starts"), field("ends"));
    let again = save(&mut owner, false, &[("input[code]", "BRIEF"), ("input[kind]", &kind), ("input[amount]", &amount), ("input[starts]", &starts), ("input[ends]", &ends)]).await;
    assert_eq!(again.status, 200, "the form as shown saves: {starts} → {ends}: {}", again.body);
    assert_eq!(promo(&owner, "BRIEF").await["state"], "Ended");
    let created = audit_details(&app, "promo-created").await;
    assert!(created[0].contains("uses in all: no limit") && created[0].contains("from "), "{created:?}");
}

/// Two simple products under different top-level categories: (product, its
/// top-level category's handle, its own handle) each.
async fn products_apart(app: &crate::helpers::TestApp) -> ((i64, String, String), (i64, String, String)) {
    let first = product_with_stock(app, 33, 10).await;
    let described = |id: i64| async move {
        let (root, slug): (String, String) = sqlx::query_as(
            "SELECT c.slug, p.slug FROM products p JOIN categories c ON c.id = p.department_id WHERE p.id = $1",
        )
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        (id, root, slug)
    };
    let first = described(first).await;
    for nth in 34..200 {
        let other = described(product_with_stock(app, nth, 10).await).await;
        if other.1 != first.1 {
            return (first, other);
        }
    }
    panic!("the demo catalog has one top-level category only");
}

#[tokio::test]
async fn a_code_for_some_categories_or_products_takes_off_their_lines_only_and_free_shipping_waives_shipping() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "promo-targets@example.com").await;
    let ((a, a_root, _), (b, _, b_handle)) = products_apart(&app).await;

    // Unknown handles are refused and create nothing.
    let unknown = save(&mut owner, true, &[("input[code]", "NOWHERE"), ("input[kind]", "percent"), ("input[amount]", "10"), ("input[categories]", "no-such-category")]).await;
    assert!(unknown.status == 400 && unknown.body.contains("no category with the handle") && unknown.body.contains("no-such-category"), "{}", unknown.body);
    let bad = save(&mut owner, true, &[("input[code]", "NOWHERE"), ("input[kind]", "percent"), ("input[amount]", "10"), ("input[products]", "a/b")]).await;
    assert!(bad.status == 400 && bad.body.contains("not a product handle"), "{}", bad.body);
    let (codes,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM promo_codes WHERE code = 'NOWHERE'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(codes, 0);

    // 20% off one top-level category (its subcategories too): only A's line takes it.
    let created = save(&mut owner, true, &[("input[code]", "AISLE20"), ("input[kind]", "percent"), ("input[amount]", "20"),
        ("input[categories]", &a_root.to_uppercase())]).await;
    assert_eq!(created.status, 200, "{}", created.body);
    assert!(promo(&owner, "AISLE20").await["summary"].as_str().unwrap().ends_with(&format!("only in {a_root}")));
    let mut shopper = Browser::new(&app);
    shopper.step("cart/add", &[("product", &a.to_string())]).await;
    shopper.step("cart/add", &[("product", &b.to_string())]).await;
    let placed = place(&mut shopper, &key("aisle"), "aisle@example.com", "aisle20").await;
    assert!(placed.status < 400, "{}", placed.body);
    let (number, _) = order_of(&location(&placed));
    let lines: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT l.product_id, l.unit_price_minor * l.quantity, l.discount_minor FROM order_lines l JOIN orders o ON o.id = l.order_id \
         WHERE o.number = $1 ORDER BY l.product_id",
    )
    .bind(&number)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let line = |id: i64| *lines.iter().find(|l| l.0 == id).unwrap();
    assert_eq!(line(a).2, line(a).1 * 20 / 100, "A takes 20% off");
    assert_eq!(line(b).2, 0, "B is in another category");
    let (discount,): (i64,) = sqlx::query_as("SELECT discount_minor FROM orders WHERE number = $1").bind(&number).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(discount, line(a).2);

    // A code for product B only does nothing for a cart of A: refused with a reason.
    let only_b = save(&mut owner, true, &[("input[code]", "ONLYB"), ("input[kind]", "fixed"), ("input[amount]", "1"), ("input[products]", &b_handle),
        ("input[min_subtotal]", "0.50")]).await;
    assert_eq!(only_b.status, 200, "{}", only_b.body);
    let mut other = Browser::new(&app);
    other.step("cart/add", &[("product", &a.to_string())]).await;
    let refused = place(&mut other, &key("only-b"), "only-b@example.com", "ONLYB").await;
    assert!(refused.status == 400 && refused.body.contains("does not apply to anything in your cart"), "{}", refused.body);
    let changed = save(&mut owner, false, &[("input[code]", "ONLYB"), ("input[kind]", "fixed"), ("input[amount]", "1"), ("input[products]", &b_handle),
        ("input[categories]", &a_root)]).await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    let audit = audit_details(&app, "promo-changed").await;
    assert!(audit[0].contains(&format!("categories “” → “{a_root}”")), "{audit:?}");

    // Free shipping: every method of the zone costs nothing, the goods keep their price.
    let free = save(&mut owner, true, &[("input[code]", "SHIPFREE"), ("input[kind]", "free_shipping"), ("input[amount]", "")]).await;
    assert_eq!(free.status, 200, "{}", free.body);
    assert_eq!(promo(&owner, "SHIPFREE").await["summary"], "free shipping");
    let quote = |promo: &'static str| {
        let shopper = &other;
        async move {
            let reply = shopper.get(&format!("/api/checkout/quote?country=GB&promo={promo}")).await;
            assert_eq!(reply.status, 200, "{}", reply.body);
            serde_json::from_str::<Value>(&reply.body).unwrap()
        }
    };
    let (paying, waived) = (quote("").await, quote("shipfree").await);
    assert!(paying["totals"]["shipping"].as_i64().unwrap() > 0, "{paying}");
    assert_eq!(waived["totals"]["shipping"], 0);
    assert_eq!(waived["totals"]["discount"], 0);
    assert!(waived["shipping"].as_array().unwrap().iter().all(|o| o["name"].as_str().unwrap().ends_with("free with SHIPFREE")), "{waived}");
    let placed = place(&mut other, &key("ship-free"), "ship-free@example.com", "SHIPFREE").await;
    assert!(placed.status < 400, "{}", placed.body);
    let (number, _) = order_of(&location(&placed));
    let (shipping, discount, total, subtotal): (i64, i64, i64, i64) =
        sqlx::query_as("SELECT shipping_minor, discount_minor, total_minor, subtotal_minor FROM orders WHERE number = $1")
            .bind(&number)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((shipping, discount), (0, 0));
    assert!(total >= subtotal, "tax, if any, on the goods alone");

    // A code for a category that is deleted afterwards applies to nothing, never to the whole cart.
    let aisle = owner.call("admin/categories/save", &[("id", "0"), ("version", "0"), ("input[name]", "Short lived")]).await;
    assert!(aisle.status < 400, "{}", aisle.body);
    let (aisle_id, aisle_version): (i64, i64) =
        sqlx::query_as("SELECT id, version FROM categories WHERE slug = 'short-lived'").fetch_one(&app.db.pool).await.unwrap();
    let gone = save(&mut owner, true, &[("input[code]", "GONE50"), ("input[kind]", "percent"), ("input[amount]", "50"), ("input[categories]", "short-lived")]).await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    let deleted = owner.call("admin/categories/delete", &[("id", &aisle_id.to_string()), ("version", &aisle_version.to_string())]).await;
    assert!(deleted.status < 400, "{}", deleted.body);
    let mut late = Browser::new(&app);
    late.step("cart/add", &[("product", &a.to_string())]).await;
    let refused = place(&mut late, &key("gone"), "gone@example.com", "GONE50").await;
    assert!(refused.status == 400 && refused.body.contains("does not apply to anything"), "{}", refused.body);
}
