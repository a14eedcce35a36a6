//! People (issue 19): admins invite staff by email in a role (a link to
//! set the password; two-step sign-in before the back office opens),
//! change roles, disable, enable and remove them, and never leave the shop
//! without an admin; catalog and order managers reach their own area only.

use crate::helpers::{
    admin, audit_details, newest_mail, paid_order, product_with_stock, sign_in_patiently, signed_up, spawn_app, staff, Browser, TestApp,
    PASSWORD,
};

/// A signed-in staff member with two-step sign-in, in `role`.
async fn staff_as<'a>(app: &'a TestApp, email: &str, role: &str) -> Browser<'a> {
    let browser = staff(app, email, None).await;
    sqlx::query("UPDATE users SET role = $2 WHERE email = $1").bind(email).bind(role).execute(&app.db.pool).await.unwrap();
    browser
}

async fn role_of(app: &TestApp, email: &str) -> (String, Option<i64>, Option<i64>) {
    sqlx::query_as("SELECT role, seller_id, disabled_at FROM users WHERE email = $1").bind(email).fetch_one(&app.db.pool).await.unwrap()
}

async fn id_of(app: &TestApp, email: &str) -> String {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&app.db.pool).await.unwrap();
    id.to_string()
}

#[tokio::test]
async fn managers_reach_their_own_area_and_nothing_else() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 91, 5).await;
    let order = paid_order(&mut Browser::new(&app), product, "managed@example.com").await;
    let mut catalog = staff_as(&app, "cm@example.com", "catalog").await;
    let mut orders = staff_as(&app, "om@example.com", "orders").await;

    assert_eq!(catalog.get("/api/admin/products").await.status, 200);
    assert_eq!(catalog.get(&format!("/api/admin/product?id={product}")).await.status, 200);
    let category = catalog.call("admin/categories/save", &[("id", "0"), ("version", "0"), ("input[name]", "Managed")]).await;
    assert!(category.status < 400, "catalog managers edit the category tree: {}", category.body);
    for path in ["/api/admin/orders", "/api/admin/settings", "/api/admin/people", "/api/admin/promos", "/admin/orders.csv"] {
        assert_eq!(catalog.get(path).await.status, 403, "{path}");
    }

    assert_eq!(orders.get("/api/admin/orders").await.status, 200);
    let view = orders.get(&format!("/api/admin/order?number={}", order.0)).await;
    assert!(view.body.contains(r#""admin":true"#), "order managers do what admins do with orders: {}", view.body);
    let cancelled = orders.call("admin/orders/cancel", &[("number", &order.0), ("reason", "Out of stock")]).await;
    assert!(cancelled.status < 400, "{}", cancelled.body);
    for path in ["/api/admin/products", "/api/admin/settings", "/api/admin/people", "/api/admin/categories"] {
        assert_eq!(orders.get(path).await.status, 403, "{path}");
    }
    let refused = orders.call("admin/categories/save", &[("id", "0"), ("version", "0"), ("input[name]", "Nope")]).await;
    assert_eq!(refused.status, 403);
}

#[tokio::test]
async fn an_admin_invites_staff_who_set_a_password_and_need_two_step_sign_in() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "owner@example.com").await;
    let invited = owner.call("admin/people/invite", &[("email", " New.Manager@Example.com "), ("role", "orders"), ("seller", "")]).await;
    assert!(invited.status < 400, "{}", invited.body);
    assert_eq!(role_of(&app, "new.manager@example.com").await, ("orders".into(), None, None));
    let mail = newest_mail(&app, "new.manager@example.com").await;
    assert!(mail.contains("/account/reset?token=") && mail.contains("order manager"), "{mail}");
    assert_eq!(audit_details(&app, "staff-invited").await, ["new.manager@example.com invited as order manager"]);

    // The link sets the password; the back office then asks for two-step sign-in.
    let token: String = mail.split("token=").nth(1).unwrap().chars().take_while(char::is_ascii_hexdigit).collect();
    let mut manager = Browser::new(&app);
    let reset = manager.call("account/reset", &[("token", &token), ("new", PASSWORD)]).await;
    assert!(reset.status < 400, "{}", reset.body);
    let signed = manager.call("account/sign-in", &[("email", "new.manager@example.com"), ("password", PASSWORD)]).await;
    assert!(signed.status < 400, "{}", signed.body);
    let list = manager.get("/api/admin/orders").await;
    assert_eq!(list.status, 403);
    assert!(list.body.contains("two-step"), "{}", list.body);

    let again = owner.call("admin/people/invite", &[("email", "new.manager@example.com"), ("role", "catalog")]).await;
    assert_eq!(again.status, 409, "already staff: {}", again.body);
    for (email, role, seller) in [("x@example.com", "owner", ""), ("x@example.com", "customer", ""), ("x@example.com", "seller", ""), ("x@example.com", "seller", "999999"), ("not an email", "admin", "")] {
        let reply = owner.call("admin/people/invite", &[("email", email), ("role", role), ("seller", seller)]).await;
        assert_eq!(reply.status, 400, "{email} {role} {seller}: {}", reply.body);
    }
    let mut customer = Browser::new(&app);
    signed_up(&mut customer, "shopper@example.com").await;
    assert_eq!(customer.call("admin/people/invite", &[("email", "y@example.com"), ("role", "admin")]).await.status, 403);
    assert_eq!(Browser::new(&app).call("admin/people/invite", &[("email", "y@example.com"), ("role", "admin")]).await.status, 401);
    let mut catalog = staff_as(&app, "cm2@example.com", "catalog").await;
    assert_eq!(catalog.call("admin/people/invite", &[("email", "y@example.com"), ("role", "admin")]).await.status, 403);

    // A seller's staff are invited with their seller.
    let (seller,): (i64,) = sqlx::query_as("SELECT id FROM sellers ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let reply = owner.call("admin/people/invite", &[("email", "packer@example.com"), ("role", "seller"), ("seller", &seller.to_string())]).await;
    assert!(reply.status < 400, "{}", reply.body);
    assert_eq!(role_of(&app, "packer@example.com").await, ("seller".into(), Some(seller), None));
    let page: serde_json::Value = serde_json::from_str(&owner.get("/api/admin/people").await.body).unwrap();
    let emails: Vec<&str> = page["staff"].as_array().unwrap().iter().map(|m| m["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["cm2@example.com", "new.manager@example.com", "owner@example.com", "packer@example.com"]);
}

#[tokio::test]
async fn disabled_staff_are_signed_out_and_the_last_admin_stays() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "boss@example.com").await;
    // A second admin who has not turned on two-step sign-in yet: not one who can run the shop.
    let mut second = admin(&app, "second@example.com").await;
    sqlx::query("UPDATE users SET totp_secret = NULL WHERE email = 'second@example.com'").execute(&app.db.pool).await.unwrap();
    let catalog = staff_as(&app, "cm@example.com", "catalog").await;
    let cm = id_of(&app, "cm@example.com").await;

    let disabled = owner.call("admin/people/disable", &[("id", &cm), ("disabled", "on")]).await;
    assert!(disabled.status < 400, "{}", disabled.body);
    assert_eq!(catalog.get("/api/admin/products").await.status, 401, "their session ended");
    let mut again = Browser::new(&app);
    let refused = sign_in_patiently(&mut again, "cm@example.com").await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("disabled"), "{}", refused.body);
    assert!(owner.call("admin/people/disable", &[("id", &cm), ("disabled", "")]).await.status < 400);
    let back = sign_in_patiently(&mut again, "cm@example.com").await;
    assert!(back.status < 400, "enabled again: {}", back.body);

    assert!(owner.call("admin/people/role", &[("id", &cm), ("role", "orders")]).await.status < 400);
    assert_eq!(role_of(&app, "cm@example.com").await.0, "orders");
    assert!(owner.call("admin/people/remove", &[("id", &cm)]).await.status < 400);
    assert_eq!(role_of(&app, "cm@example.com").await.0, "customer", "the account stays, as a customer's");
    assert_eq!(owner.call("admin/people/remove", &[("id", &cm)]).await.status, 404, "not staff any more");
    assert_eq!(owner.call("admin/people/role", &[("id", "nobody"), ("role", "orders")]).await.status, 400);

    // The only admin cannot step down, nor disable or remove themselves.
    let me = id_of(&app, "boss@example.com").await;
    let alone = owner.call("admin/people/role", &[("id", &me), ("role", "orders")]).await;
    assert_eq!(alone.status, 409, "{}", alone.body);
    assert_eq!(owner.call("admin/people/disable", &[("id", &me), ("disabled", "on")]).await.status, 409);
    assert_eq!(owner.call("admin/people/remove", &[("id", &me)]).await.status, 409);
    // Once the second admin has two-step sign-in, the first may step down.
    sqlx::query("UPDATE users SET totp_secret = $1 WHERE email = 'second@example.com'")
        .bind(crate::helpers::STAFF_TOTP_HEX)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let stepped = owner.call("admin/people/role", &[("id", &me), ("role", "orders")]).await;
    assert!(stepped.status < 400, "{}", stepped.body);
    let second_id = id_of(&app, "second@example.com").await;
    assert_eq!(second.call("admin/people/role", &[("id", &second_id), ("role", "catalog")]).await.status, 409, "now the last");
    let changes = audit_details(&app, "role-changed").await;
    assert!(changes.iter().any(|d| d == "boss@example.com: Admin → Order manager"), "{changes:?}");
    assert_eq!(audit_details(&app, "account-disabled").await, ["cm@example.com"]);
}
