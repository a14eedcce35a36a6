//! Customers in the back office (issue 19): admins and order managers find
//! and view a customer (orders, addresses, cart); admins disable them,
//! export their data (the customer's own download holds the same) and
//! anonymise them on request, keeping their orders without personal data.

use crate::helpers::{
    admin, audit_details, key, location, order_of, paid_order, pay, place, product_with_stock, ship_and_deliver, sign_in_patiently, signed_up, spawn_app, staff, Browser, TestApp, VISA,
};
use serde_json::Value;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

async fn user_id(app: &TestApp, email: &str) -> String {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&app.db.pool).await.unwrap();
    id.to_string()
}

#[tokio::test]
async fn staff_find_a_customer_with_orders_addresses_and_cart_and_admins_export_and_disable() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 95, 5).await;
    let mut shopper = Browser::new(&app);
    signed_up(&mut shopper, "grace@example.com").await;
    let order = paid_order(&mut shopper, product, "grace@example.com").await;
    let saved = shopper
        .call("account/addresses/save", &[("full_name", "Grace Hopper"), ("line1", "1 Navy Way"), ("city", "Arlington"), ("postal_code", "22201"), ("country", "US")])
        .await;
    assert!(saved.status < 400, "{}", saved.body);
    assert!(shopper.call("cart/add", &[("product", &product.to_string()), ("quantity", "2")]).await.status < 400);
    let id = user_id(&app, "grace@example.com").await;

    let mut owner = admin(&app, "crm@example.com").await;
    let list = json(&owner.get("/api/admin/customers?q=GRACE").await.body);
    assert_eq!(list["page"]["total_items"], 1, "{list}");
    assert_eq!(list["rows"][0]["orders"], 1);
    assert_eq!(json(&owner.get("/api/admin/customers?q=crm").await.body)["page"]["total_items"], 0, "staff are not customers");
    assert_eq!(owner.get(&format!("/api/admin/customers?q={}", "x".repeat(101))).await.status, 400);
    let view = json(&owner.get(&format!("/api/admin/customer?id={id}")).await.body);
    assert_eq!(view["orders"][0]["number"], order.0.as_str());
    assert_eq!(view["addresses"][0]["full_name"], "Grace Hopper");
    assert_eq!(view["cart"][0]["quantity"], 2);
    assert_eq!(view["admin"], true);
    let staff_id = user_id(&app, "crm@example.com").await;
    assert_eq!(owner.get(&format!("/api/admin/customer?id={staff_id}")).await.status, 404, "staff are on the people page");

    // Order managers look; only admins act.
    let mut manager = staff(&app, "om-crm@example.com", None).await;
    sqlx::query("UPDATE users SET role = 'orders' WHERE email = 'om-crm@example.com'").execute(&app.db.pool).await.unwrap();
    assert_eq!(json(&manager.get(&format!("/api/admin/customer?id={id}")).await.body)["admin"], false);
    assert_eq!(manager.call("admin/customers/disable", &[("id", &id), ("disabled", "on")]).await.status, 403);
    assert_eq!(manager.get(&format!("/api/admin/customers/export?id={id}")).await.status, 403);
    let (seller,): (i64,) = sqlx::query_as("SELECT id FROM sellers ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let packer = staff(&app, "packer-crm@example.com", Some(seller)).await;
    assert_eq!(packer.get("/api/admin/customers").await.status, 403);
    assert_eq!(shopper.get("/api/admin/customers").await.status, 403);
    assert_eq!(Browser::new(&app).get("/api/admin/customers").await.status, 401);

    // The export holds the orders, addresses and cart, as the customer's own download does.
    let export = owner.get(&format!("/api/admin/customers/export?id={id}")).await;
    assert_eq!(export.status, 200);
    assert!(export.headers["content-disposition"].to_str().unwrap().contains("attachment"));
    let data = json(&export.body);
    assert_eq!(data["orders"][0]["number"], order.0.as_str());
    assert_eq!(data["orders"][0]["lines"].as_array().unwrap().len(), 1);
    assert_eq!(data["addresses"][0]["city"], "Arlington");
    assert_eq!(data["cart"][0]["list"], "cart");
    assert_eq!(audit_details(&app, "customer-data-exported").await, ["grace@example.com"]);
    let own = json(&shopper.get("/api/account/export").await.body);
    assert_eq!(own["orders"][0]["number"], order.0.as_str());
    assert_eq!(own["addresses"].as_array().unwrap().len(), 1);

    // Disabled: signed out at once, sign-in refused; enabled again.
    assert!(owner.call("admin/customers/disable", &[("id", &id), ("disabled", "on")]).await.status < 400);
    assert_eq!(shopper.get("/api/account/orders").await.status, 401);
    let mut again = Browser::new(&app);
    assert_eq!(sign_in_patiently(&mut again, "grace@example.com").await.status, 403);
    assert!(owner.call("admin/customers/disable", &[("id", &id), ("disabled", "")]).await.status < 400);
    assert_eq!(json(&owner.get(&format!("/api/admin/customer?id={id}")).await.body)["disabled"], false);
    assert_eq!(owner.call("admin/customers/disable", &[("id", &staff_id), ("disabled", "on")]).await.status, 404);
}

#[tokio::test]
async fn an_anonymised_customer_leaves_orders_without_personal_data() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 96, 5).await;
    let mut shopper = Browser::new(&app);
    signed_up(&mut shopper, "ada@example.com").await;
    let order = paid_order(&mut shopper, product, "ada@example.com").await;
    // Before her account, Ada bought as a guest with a promo code (her address in capitals).
    let mut guest = Browser::new(&app);
    guest.step("cart/add", &[("product", &product.to_string())]).await;
    let placed = place(&mut guest, &key("ada-guest"), "ADA@Example.com", "WELCOME10").await;
    let guest_order = order_of(&location(&placed));
    assert!(pay(&mut guest, &guest_order, &key("ada-guest-pay"), VISA).await.status < 400);
    let guest_order = guest_order.0;
    let id = user_id(&app, "ada@example.com").await;
    let mut owner = admin(&app, "privacy@example.com").await;
    ship_and_deliver(&mut owner, &guest_order, "ADA-1").await;
    let (used,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM promo_redemptions WHERE customer = 'email:ada@example.com'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(used, 1, "the guest order counts as hers");

    let wrong = owner.call("admin/customers/anonymise", &[("id", &id), ("confirm", "someone@example.com")]).await;
    assert_eq!(wrong.status, 400, "the email typed must be theirs");
    let open = owner.call("admin/customers/anonymise", &[("id", &id), ("confirm", "ada@example.com")]).await;
    assert_eq!(open.status, 409, "{}", open.body);
    assert!(open.body.contains(&order.0), "names the open order: {}", open.body);

    assert!(shopper.call("order/cancel", &[("number", &order.0)]).await.status < 400);
    let (total_before,): (i64,) = sqlx::query_as("SELECT total_minor FROM orders WHERE number = $1").bind(&order.0).fetch_one(&app.db.pool).await.unwrap();
    let done = owner.call("admin/customers/anonymise", &[("id", &id), ("confirm", " ADA@example.com ")]).await;
    assert!(done.status < 400, "{}", done.body);

    let (email, ship_to, user, total): (String, String, Option<i64>, i64) =
        sqlx::query_as("SELECT email, ship_to, user_id, total_minor FROM orders WHERE number = $1").bind(&order.0).fetch_one(&app.db.pool).await.unwrap();
    assert!(email.starts_with("anonymised-") && email.ends_with("@invalid"), "{email}");
    assert_eq!((user, total), (None, total_before), "the order stays for the accounts");
    let address: Value = json(&ship_to);
    assert_eq!(address["full_name"], "Anonymised customer");
    assert_eq!((address["line1"].as_str(), address["phone"].as_str()), (Some(""), Some("")));
    assert!(!address["country"].as_str().unwrap().is_empty(), "the country stays for taxes");
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE email = 'ada@example.com'").fetch_one(&app.db.pool).await.unwrap();
    let (mails,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM outbox_emails WHERE to_address = 'ada@example.com'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!((users, mails), (0, 0));
    assert_eq!(audit_details(&app, "customer-anonymised").await.len(), 1);
    assert!(!audit_details(&app, "customer-anonymised").await[0].contains("ada@"), "no email in the log line");
    let (guest_email, guest_address): (String, String) =
        sqlx::query_as("SELECT email, ship_to FROM orders WHERE number = $1").bind(&guest_order).fetch_one(&app.db.pool).await.unwrap();
    assert!(guest_email.starts_with("anonymised-") && json(&guest_address)["full_name"] == "Anonymised customer", "the guest order too");
    let (kept,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM promo_redemptions WHERE customer LIKE '%ada%'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(kept, 0, "no promo use names her");
    assert_eq!(shopper.get("/api/account/orders").await.status, 401, "signed out: the account is gone");
    assert_eq!(owner.call("admin/customers/anonymise", &[("id", &id), ("confirm", "ada@example.com")]).await.status, 404);
}

#[tokio::test]
async fn a_customers_consents_are_kept_with_their_changes_shown_to_staff_and_in_their_data() {
    let app = spawn_app().await;
    let mut shopper = Browser::new(&app);
    signed_up(&mut shopper, "consent@example.com").await;
    assert_eq!(consents(&shopper).await, serde_json::json!([]), "never asked");
    assert_eq!(Browser::new(&app).get("/api/account/consents").await.status, 401);
    assert_eq!(Browser::new(&app).call("account/consents/save", &[("marketing", "on")]).await.status, 401);

    // Agreed, agreed again (nothing new), then withdrawn: two changes kept, newest first.
    for ticked in [true, true, false] {
        let form: &[(&str, &str)] = if ticked { &[("marketing", "on")] } else { &[] };
        let saved = shopper.call("account/consents/save", form).await;
        assert!(saved.status < 400, "{}", saved.body);
    }
    let history = consents(&shopper).await;
    let changes: Vec<(bool, &str)> = history.as_array().unwrap().iter().map(|c| (c["granted"].as_bool().unwrap(), c["source"].as_str().unwrap())).collect();
    assert_eq!(changes, vec![(false, "account"), (true, "account")]);

    // Staff see them on the customer's page; the customer's download has them.
    let id = user_id(&app, "consent@example.com").await;
    let owner = admin(&app, "consent-admin@example.com").await;
    let view = json(&owner.get(&format!("/api/admin/customer?id={id}")).await.body);
    assert_eq!(view["consents"].as_array().unwrap().len(), 2);
    let page = owner.get(&format!("/admin/customers/{id}")).await;
    assert!(page.body.contains("News and offers by email: withdrawn on"), "{}", page.body);
    let mine = json(&shopper.get("/api/account/export").await.body);
    assert_eq!(mine["consents"], history);

    // Deleting the account deletes them.
    let deleted = shopper.call("account/delete", &[("password", crate::helpers::PASSWORD)]).await;
    assert!(deleted.status < 400, "{}", deleted.body);
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM consents").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(left, 0);
}

/// The signed-in customer's consents as their account page reads them.
async fn consents(browser: &Browser<'_>) -> Value {
    json(&browser.get("/api/account/consents").await.body)
}
