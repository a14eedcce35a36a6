//! The order desk (issue 19): the staff's list filtered by payment, day and
//! seller; the same selection as CSV (batches, formula-proof cells, a
//! seller's staff seeing their own goods); staff notes and the shopper's
//! mails sent again; ticked orders packed at once and their packing slips;
//! refusals for strangers, customers and sellers' staff.

use crate::helpers::{
    admin, audit_details, location, newest_mail, only_variant, paid_order, paid_order_of, place, product_with_stock, signed_up,
    spawn_app, staff, key, order_of, order_status, Browser, TestApp,
};
use serde_json::Value;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn numbers(list: &Value) -> Vec<String> {
    list["rows"].as_array().unwrap().iter().map(|r| r["number"].as_str().unwrap().to_owned()).collect()
}

/// Gives `product` to the first seller and `other` to the second; their ids.
async fn two_sellers(app: &TestApp, product: i64, other: i64) -> (i64, i64) {
    let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM sellers ORDER BY id LIMIT 2").fetch_all(&app.db.pool).await.unwrap();
    for (p, s) in [(product, ids[0].0), (other, ids[1].0)] {
        sqlx::query("UPDATE products SET seller_id = $2 WHERE id = $1").bind(p).bind(s).execute(&app.db.pool).await.unwrap();
    }
    (ids[0].0, ids[1].0)
}

#[tokio::test]
async fn the_list_filters_by_payment_day_and_seller_and_exports_the_same_as_csv() {
    let app = spawn_app().await;
    let (ours, theirs) = (product_with_stock(&app, 81, 10).await, product_with_stock(&app, 82, 10).await);
    let (seller, other) = two_sellers(&app, ours, theirs).await;
    let paid = paid_order_of(&mut Browser::new(&app), &[(ours, 2)], "paid@example.com").await;
    let foreign = paid_order(&mut Browser::new(&app), theirs, "foreign@example.com").await;
    let mut waiting = Browser::new(&app);
    waiting.call("cart/add", &[("product", &ours.to_string()), ("quantity", "1")]).await;
    let unpaid = order_of(&location(&place(&mut waiting, &key("unpaid"), "unpaid@example.com", "").await));
    // An address a spreadsheet would run as a formula.
    sqlx::query("UPDATE orders SET email = '=cmd|'' /C calc''!A0@example.com' WHERE number = $1").bind(&unpaid.0).execute(&app.db.pool).await.unwrap();
    // One order placed long ago, for the day filter.
    sqlx::query("UPDATE orders SET created_at = 1795392000 + 3600 WHERE number = $1").bind(&foreign.0).execute(&app.db.pool).await.unwrap();

    let owner = admin(&app, "desk@example.com").await;
    let list = |path: String| {
        let owner = &owner;
        async move { json(&owner.get(&path).await.body) }
    };
    assert_eq!(numbers(&list("/api/admin/orders?payment=paid".into()).await).len(), 2);
    assert_eq!(numbers(&list("/api/admin/orders?payment=awaiting".into()).await), [unpaid.0.clone()]);
    assert!(numbers(&list("/api/admin/orders?payment=refunded".into()).await).is_empty());
    assert_eq!(numbers(&list("/api/admin/orders?from=2026-11-23&to=2026-11-23".into()).await), [foreign.0.clone()], "one day, UTC");
    assert_eq!(numbers(&list("/api/admin/orders?to=2026-11-22".into()).await).len(), 0);
    assert_eq!(numbers(&list(format!("/api/admin/orders?seller={other}")).await), [foreign.0.clone()]);
    let mine = list(format!("/api/admin/orders?seller={seller}&payment=paid")).await;
    assert_eq!(numbers(&mine), [paid.0.clone()]);
    assert_eq!(mine["rows"][0]["items"], 2);
    assert_eq!(mine["rows"][0]["payment"], "Paid");
    assert!(mine["sellers"].as_array().unwrap().len() >= 2, "admins choose among the sellers");
    for bad in ["payment=free", "from=yesterday", "from=2026-11-24&to=2026-11-23", "seller=x", "status=lost"] {
        let reply = owner.get(&format!("/api/admin/orders?{bad}")).await;
        assert_eq!(reply.status, 400, "{bad}: {}", reply.body);
    }

    // The CSV holds the same selection, every column a spreadsheet can read.
    let csv = owner.get(&format!("/admin/orders.csv?seller={seller}")).await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(csv.headers["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"orders-"));
    let lines: Vec<&str> = csv.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("Order,Placed (UTC),Status,Payment,Email,Name"), "{}", lines[0]);
    assert_eq!(lines.len(), 3, "a header and our seller's two orders: {}", csv.body);
    assert!(lines.iter().any(|l| l.starts_with(&format!("{},", paid.0)) && l.contains(",Paid,paid@example.com,")), "{}", csv.body);
    assert!(csv.body.contains(",'=cmd|' /C calc'!A0@example.com,"), "a formula is written as text: {}", csv.body);
    // Compressed as browsers ask for it: the stream ends once, whoever polls it.
    let gzip = owner.get_with("/admin/orders.csv", &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!((gzip.status, gzip.headers.get("content-encoding").map(|v| v.to_str().unwrap().to_owned())), (200, Some("gzip".into())));
    assert_eq!(Browser::new(&app).get("/admin/orders.csv").await.status, 401);
    let mut customer = Browser::new(&app);
    signed_up(&mut customer, "nosy@example.com").await;
    assert_eq!(customer.get("/admin/orders.csv").await.status, 403);
    assert_eq!(owner.get("/admin/orders.csv?payment=free").await.status, 400);

    // A seller's staff: their own seller only, and their goods' worth.
    let shipper = staff(&app, "seller-desk@example.com", Some(seller)).await;
    assert_eq!(shipper.get(&format!("/api/admin/orders?seller={other}")).await.status, 403);
    assert_eq!(shipper.get("/admin/orders.csv?payment=paid").await.status, 403, "payments are not theirs to see");
    let theirs_csv = shipper.get("/admin/orders.csv").await;
    assert_eq!(theirs_csv.status, 200);
    assert!(!theirs_csv.body.contains(&foreign.0) && theirs_csv.body.contains(&paid.0), "{}", theirs_csv.body);
    let (price,): (i64,) = sqlx::query_as("SELECT unit_price_minor FROM order_lines WHERE product_id = $1 LIMIT 1")
        .bind(ours)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let row = theirs_csv.body.lines().find(|l| l.starts_with(&paid.0)).unwrap();
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(cells[3], "", "no payment for a seller's staff");
    assert_eq!(cells[13], app::domain::order_desk::csv_amount(2 * price), "their goods as the total: {row}");
}

#[tokio::test]
async fn an_export_reads_every_order_in_batches_newest_first() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 83, 5).await;
    let order = paid_order(&mut Browser::new(&app), product, "batch@example.com").await;
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM orders WHERE number = $1").bind(&order.0).fetch_one(&app.db.pool).await.unwrap();
    // 1,200 copies of it, with some sharing a second (the batches' boundary).
    sqlx::query(
        "INSERT INTO orders (number, idempotency_key, request_hash, user_id, email, status, currency, subtotal_minor, discount_minor, \
             shipping_minor, tax_minor, total_minor, promo_code, shipping_method, ship_to, reserved_until, stock_held, access_token, \
             created_at, updated_at, customer) \
         SELECT 'OX-B' || CAST(n.k AS TEXT), 'batch-' || CAST(n.k AS TEXT), request_hash, user_id, email, status, currency, subtotal_minor, \
             discount_minor, shipping_minor, tax_minor, total_minor, promo_code, shipping_method, ship_to, reserved_until, 0, access_token, \
             1795392000 + n.k / 3, updated_at, customer \
         FROM orders, (WITH RECURSIVE c(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM c WHERE k < 1200) SELECT k FROM c) n WHERE orders.id = $1",
    )
    .bind(id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let owner = admin(&app, "batches@example.com").await;
    let csv = owner.get("/admin/orders.csv").await;
    assert_eq!(csv.status, 200);
    let rows: Vec<&str> = csv.body.split("\r\n").skip(1).filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 1201, "every order once");
    let mut seen: Vec<&str> = rows.iter().map(|r| r.split(',').next().unwrap()).collect();
    assert_eq!(seen[0], order.0, "newest first");
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 1201, "none twice across batches");
    let list = json(&owner.get("/api/admin/orders?page=51").await.body);
    assert_eq!(list["page"]["total_pages"], 51);
}

#[tokio::test]
async fn staff_write_notes_the_shopper_never_sees_and_admins_send_mails_again() {
    let app = spawn_app().await;
    let (ours, theirs) = (product_with_stock(&app, 84, 5).await, product_with_stock(&app, 85, 5).await);
    let (seller, _) = two_sellers(&app, ours, theirs).await;
    let mut shopper = Browser::new(&app);
    let order = paid_order_of(&mut shopper, &[(ours, 1), (theirs, 1)], "noted@example.com").await;
    let mut owner = admin(&app, "noter@example.com").await;
    let mut shipper = staff(&app, "seller-noter@example.com", Some(seller)).await;

    let added = owner.call("admin/orders/note", &[("number", &order.0), ("body", "Called the buyer:\r\nleave at the door")]).await;
    assert!(added.status < 400, "{}", added.body);
    assert!(shipper.call("admin/orders/note", &[("number", &order.0), ("body", "Our half packed")]).await.status < 400);
    for (body, why) in [("   ", "empty"), (&*"x".repeat(2001), "too long")] {
        assert_eq!(owner.call("admin/orders/note", &[("number", &order.0), ("body", body)]).await.status, 400, "{why}");
    }
    assert_eq!(owner.call("admin/orders/note", &[("number", "OX-NOTHERE"), ("body", "x")]).await.status, 404);
    assert_eq!(shopper.call("admin/orders/note", &[("number", &order.0), ("body", "x")]).await.status, 401);

    let view = json(&owner.get(&format!("/api/admin/order?number={}", order.0)).await.body);
    let notes: Vec<(&str, &str)> =
        view["notes"].as_array().unwrap().iter().map(|n| (n["author"].as_str().unwrap(), n["body"].as_str().unwrap())).collect();
    assert_eq!(notes, [("admin:noter@example.com", "Called the buyer:\nleave at the door"), ("seller:seller-noter@example.com", "Our half packed")]);
    let theirs_view = json(&shipper.get(&format!("/api/admin/order?number={}", order.0)).await.body);
    assert_eq!(theirs_view["notes"].as_array().unwrap().len(), 1, "a seller's staff read their own seller's notes");
    assert!(theirs_view["mails"].as_array().unwrap().is_empty(), "and no mails");
    let (_, page) = app.page(&format!("/order/{}?key={}", order.0, order.1)).await;
    assert!(!page.contains("leave at the door"), "the shopper never sees a note");
    assert_eq!(audit_details(&app, "order-note-added").await.len(), 2);

    // The confirmation was sent about this order; it goes again to the order's address.
    let mails = view["mails"].as_array().unwrap();
    assert_eq!(mails.len(), 1, "{view}");
    assert_eq!(mails[0]["subject"], format!("Order {} confirmed", order.0));
    let mail = mails[0]["id"].as_i64().unwrap().to_string();
    assert_eq!(shipper.call("admin/orders/resend", &[("number", &order.0), ("mail", &mail)]).await.status, 403);
    let resent = owner.call("admin/orders/resend", &[("number", &order.0), ("mail", &mail)]).await;
    assert!(resent.status < 400, "{}", resent.body);
    let (copies,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox_emails WHERE to_address = 'noted@example.com' AND subject LIKE 'Order % confirmed'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(copies, 2);
    assert!(newest_mail(&app, "noted@example.com").await.contains("Thank you for your order"));
    let view = json(&owner.get(&format!("/api/admin/order?number={}", order.0)).await.body);
    assert_eq!(view["mails"].as_array().unwrap().len(), 2);
    assert!(view["notes"][2]["body"].as_str().unwrap().starts_with("Sent \"Order "), "{view}");
    assert_eq!(audit_details(&app, "order-mail-resent").await.len(), 1);
    // Another order's mail, or none at all, is not this order's.
    let other = paid_order(&mut Browser::new(&app), ours, "other@example.com").await;
    assert_eq!(owner.call("admin/orders/resend", &[("number", &other.0), ("mail", &mail)]).await.status, 404);
    assert_eq!(owner.call("admin/orders/resend", &[("number", &order.0), ("mail", "first")]).await.status, 400);
}

#[tokio::test]
async fn ticked_orders_are_packed_at_once_and_get_packing_slips() {
    let app = spawn_app().await;
    let (ours, theirs) = (product_with_stock(&app, 86, 5).await, product_with_stock(&app, 87, 5).await);
    let (seller, _) = two_sellers(&app, ours, theirs).await;
    let first = paid_order_of(&mut Browser::new(&app), &[(ours, 2), (theirs, 1)], "slip1@example.com").await;
    let second = paid_order(&mut Browser::new(&app), theirs, "slip2@example.com").await;
    let mut waiting = Browser::new(&app);
    waiting.call("cart/add", &[("product", &theirs.to_string()), ("quantity", "1")]).await;
    let unpaid = order_of(&location(&place(&mut waiting, &key("unpaid-slip"), "slip3@example.com", "").await));

    let mut owner = admin(&app, "packer@example.com").await;
    let pick = |n: &str| format!("pick[{n}]");
    let (a, b, c) = (pick(&first.0), pick(&second.0), pick(&unpaid.0));
    let reply = owner.call("admin/orders/bulk-pack", &[(&a, "on"), (&b, "on"), (&c, "on")]).await;
    assert!(reply.status < 400, "{}", reply.body);
    assert_eq!(location(&reply), format!("/admin/orders?status=processing&packed=2&refused={}", unpaid.0));
    assert_eq!((order_status(&app, &first.0).await, order_status(&app, &second.0).await), ("processing".into(), "processing".into()));
    assert_eq!(order_status(&app, &unpaid.0).await, "pending-payment", "not paid: left alone");
    assert_eq!(owner.call("admin/orders/bulk-pack", &[("status", "paid")]).await.status, 400, "nothing ticked");
    assert_eq!(Browser::new(&app).call("admin/orders/bulk-pack", &[(&a, "on")]).await.status, 401);

    let slips = owner.get(&format!("/admin/packing-slips?{}=on&{}=on&{}=on&pick[OX-NOTHERE]=on", urlish(&a), urlish(&b), urlish(&c))).await;
    assert_eq!(slips.status, 200, "{}", slips.body);
    assert_eq!(slips.body.matches(r#"data-testid="slip""#).count(), 3);
    assert_eq!(slips.body.matches("Do not pack").count(), 1, "the unpaid order is not to be packed");
    let (sku,): (String,) = sqlx::query_as("SELECT sku FROM product_variants WHERE id = $1").bind(only_variant(&app, ours).await).fetch_one(&app.db.pool).await.unwrap();
    assert!(slips.body.contains(&sku) && slips.body.contains("Not found, or not yours: OX-NOTHERE"), "{}", slips.body);
    assert!(!slips.body.contains('$'), "no prices on a slip");
    let shipper = staff(&app, "slip-seller@example.com", Some(seller)).await;
    let theirs_slips = shipper.get(&format!("/admin/packing-slips?{}=on&{}=on", urlish(&a), urlish(&b))).await;
    assert_eq!(theirs_slips.body.matches(r#"data-testid="slip""#).count(), 1, "only orders holding their items");
    let (their_sku,): (String,) = sqlx::query_as("SELECT sku FROM product_variants WHERE id = $1").bind(only_variant(&app, theirs).await).fetch_one(&app.db.pool).await.unwrap();
    assert!(theirs_slips.body.contains(&sku) && !theirs_slips.body.contains(&their_sku), "only their items");
    assert_eq!(Browser::new(&app).get(&format!("/admin/packing-slips?{}=on", urlish(&a))).await.status, 401);
    assert_eq!(owner.get("/admin/packing-slips").await.status, 400);
}

/// A `pick[…]` key for a URL's query string.
fn urlish(key: &str) -> String {
    key.replace('[', "%5B").replace(']', "%5D")
}
