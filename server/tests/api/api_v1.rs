//! The versioned JSON API: the order operations the design names, with the
//! same authorization as the pages and JSON errors with the right status.

use crate::helpers::{key, product_with_stock, stock};
use crate::helpers::{make_staff, signed_up, spawn_app, Browser, TestApp};
use serde_json::{json, Value};

/// Sends `method path` with a JSON `body` and optional idempotency key: (status, JSON body).
async fn send(app: &TestApp, method: reqwest::Method, path: &str, idempotency: Option<&str>, body: Option<&Value>) -> (u16, Value) {
    let mut request = app.client.request(method, format!("{}{path}", app.base));
    if let Some(k) = idempotency {
        request = request.header("idempotency-key", k);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}")))
}

fn new_order(product: i64, quantity: i64) -> Value {
    json!({
        "items": [{"product_id": product, "quantity": quantity}],
        "email": "api@example.com",
        "address": {"full_name": "Grace Hopper", "line1": "1 Navy Way", "city": "Arlington", "region": "VA",
                    "postal_code": "22201", "country": "us"},
        "shipping_method": "standard"
    })
}

fn card(order: &str, key: &str, number: &str) -> Value {
    json!({"order": order, "key": key, "card_number": number, "expiry": "12/39", "cvc": "123"})
}

#[tokio::test]
async fn the_openapi_document_names_every_operation() {
    let app = spawn_app().await;
    let (status, doc) = send(&app, reqwest::Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    for (path, method) in [
        ("/api/v1/orders", "post"),
        ("/api/v1/orders/{number}", "get"),
        ("/api/v1/orders/{number}/cancel", "put"),
        ("/api/v1/payments", "post"),
        ("/api/v1/shipments/{id}", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    let (status, body) = send(&app, reqwest::Method::GET, "/api/v1/nothing", None, None).await;
    assert_eq!((status, body["error"]["status"].as_i64()), (404, Some(404)));
}

#[tokio::test]
async fn an_api_client_orders_pays_once_and_cancels_with_a_refund() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 31, 5).await;
    let post = reqwest::Method::POST;
    let idem = key("api-order");

    let (status, body) = send(&app, post.clone(), "/api/v1/orders", None, Some(&new_order(product, 2))).await;
    assert_eq!(status, 400, "no idempotency key: {body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("Idempotency-Key"));
    for (bad, why) in [
        (new_order(product, 0), "quantity 0"),
        (new_order(product, 100), "quantity 100"),
        (new_order(i64::MAX, 1), "unknown product"),
        (json!({"items": [], "address": {}}), "no items"),
        (json!({"items": "many"}), "wrong type"),
        (json!({"surprise": true}), "unknown field"),
        (json!({"items": [{"product_id": product, "quantity": 1}], "email": "not-an-email",
                "address": {"full_name": "G", "line1": "1", "city": "A", "postal_code": "1", "country": "us"}}), "bad email"),
    ] {
        let (status, body) = send(&app, post.clone(), "/api/v1/orders", Some(&key("bad")), Some(&bad)).await;
        assert_eq!(status, 400, "{why}: {body}");
        assert!(body["error"]["message"].is_string(), "{why}");
    }
    let garbage = app.client.post(format!("{}/api/v1/orders", app.base)).header("idempotency-key", key("x"))
        .header("content-type", "application/json").body("{not json").send().await.unwrap();
    assert_eq!(garbage.status(), 400);
    assert_eq!(stock(&app, product).await, (5, 5), "nothing was reserved");

    let (status, created) = send(&app, post.clone(), "/api/v1/orders", Some(&idem), Some(&new_order(product, 2))).await;
    assert_eq!(status, 201, "{created}");
    let (number, secret) = (created["order"]["number"].as_str().unwrap().to_owned(), created["key"].as_str().unwrap().to_owned());
    assert_eq!(created["order"]["status"], "pending-payment");
    assert_eq!(created["order"]["lines"][0]["quantity"], 2);
    let (status, again) = send(&app, post.clone(), "/api/v1/orders", Some(&idem), Some(&new_order(product, 2))).await;
    assert_eq!((status, again["order"]["number"].as_str()), (201, Some(number.as_str())), "a retry is the same order");
    let (status, _) = send(&app, post.clone(), "/api/v1/orders", Some(&idem), Some(&new_order(product, 1))).await;
    assert_eq!(status, 409, "the same key with other items");
    assert_eq!(stock(&app, product).await, (3, 3), "held once");

    let get = reqwest::Method::GET;
    assert_eq!(send(&app, get.clone(), &format!("/api/v1/orders/{number}"), None, None).await.0, 404, "no key");
    assert_eq!(send(&app, get.clone(), &format!("/api/v1/orders/{number}?key=wrong"), None, None).await.0, 404);
    let (status, order) = send(&app, get.clone(), &format!("/api/v1/orders/{number}?key={secret}"), None, None).await;
    assert_eq!((status, order["totals"]["total"].is_i64()), (200, true), "{order}");

    let pay_key = key("api-pay");
    let (status, body) = send(&app, post.clone(), "/api/v1/payments", Some(&key("declined")), Some(&card(&number, &secret, "4000000000000002"))).await;
    assert_eq!(status, 402, "declined: {body}");
    let (status, body) = send(&app, post.clone(), "/api/v1/payments", Some(&pay_key), Some(&card(&number, "wrong", "4242424242424242"))).await;
    assert_eq!(status, 404, "paying someone else's order: {body}");
    for _ in 0..2 {
        let (status, body) = send(&app, post.clone(), "/api/v1/payments", Some(&pay_key), Some(&card(&number, &secret, "4242424242424242"))).await;
        assert_eq!((status, body["status"].as_str()), (200, Some("succeeded")), "{body}");
    }
    let (charges,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM payments WHERE status = 'succeeded'").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(charges, 1, "a retried payment charges once");

    let put = reqwest::Method::PUT;
    assert_eq!(send(&app, put.clone(), &format!("/api/v1/orders/{number}/cancel"), None, None).await.0, 404);
    let (status, cancelled) = send(&app, put.clone(), &format!("/api/v1/orders/{number}/cancel?key={secret}"), None, None).await;
    assert_eq!((status, cancelled["status"].as_str()), (200, Some("cancelled")), "{cancelled}");
    assert_eq!(cancelled["refunds"][0]["status"], "succeeded");
    assert_eq!(stock(&app, product).await, (5, 5), "stock back");
    assert_eq!(send(&app, put, &format!("/api/v1/orders/{number}/cancel?key={secret}"), None, None).await.0, 409);
}

#[tokio::test]
async fn an_api_client_orders_one_variant_by_id_and_the_order_names_it() {
    let app = spawn_app().await;
    // A demo product sold in several variants, and one of them given stock.
    let (product, variant, title_values): (i64, i64, String) = sqlx::query_as(
        "SELECT v.product_id, v.id, v.option1 FROM product_variants v JOIN products p ON p.id = v.product_id \
         WHERE p.status = 'active' AND (SELECT COUNT(*) FROM product_variants w WHERE w.product_id = p.id) > 1 ORDER BY v.id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE product_variants SET stock = 4 WHERE id = $1").bind(variant).execute(&app.db.pool).await.unwrap();
    let (other,): (i64,) = sqlx::query_as("SELECT id FROM product_variants WHERE product_id <> $1 ORDER BY id LIMIT 1")
        .bind(product)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let post = reqwest::Method::POST;
    let mut order = new_order(product, 1);
    let (status, body) = send(&app, post.clone(), "/api/v1/orders", Some(&key("which")), Some(&order)).await;
    assert_eq!(status, 400, "several variants and none named: {body}");
    order["items"][0]["variant_id"] = json!(other);
    let (status, body) = send(&app, post.clone(), "/api/v1/orders", Some(&key("theirs")), Some(&order)).await;
    assert_eq!(status, 400, "another product's variant: {body}");
    order["items"][0]["variant_id"] = json!(variant);
    let (status, created) = send(&app, post, "/api/v1/orders", Some(&key("mine")), Some(&order)).await;
    assert_eq!(status, 201, "{created}");
    let line = &created["order"]["lines"][0];
    let (sku,): (String,) = sqlx::query_as("SELECT sku FROM product_variants WHERE id = $1").bind(variant).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!((line["variant_id"].as_i64(), line["sku"].as_str()), (Some(variant), Some(sku.as_str())), "{line}");
    assert!(line["variant"].as_str().unwrap().contains(&title_values), "the line names its options: {line}");
    let (left,): (i64,) = sqlx::query_as("SELECT stock FROM product_variants WHERE id = $1").bind(variant).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(left, 3, "only that variant's stock is held");
}

#[tokio::test]
async fn a_signed_in_owner_sees_their_parcels_and_nobody_else_does() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 32, 5).await;
    let mut owner = Browser::new(&app);
    signed_up(&mut owner, "api-owner@example.com").await;
    let cookie = owner.cookie.clone().unwrap();
    let mut body = new_order(product, 1);
    body.as_object_mut().unwrap().remove("email");
    let created: Value = app.client.post(format!("{}/api/v1/orders", app.base)).header("cookie", &cookie)
        .header("idempotency-key", key("owner")).json(&body).send().await.unwrap().json().await.unwrap();
    let number = created["order"]["number"].as_str().unwrap().to_owned();
    assert_eq!(created["order"]["email"], "api-owner@example.com", "the account's address by default");
    let paid = app.client.post(format!("{}/api/v1/payments", app.base)).header("cookie", &cookie)
        .header("idempotency-key", key("owner-pay")).json(&card(&number, "", "4242424242424242")).send().await.unwrap();
    assert_eq!(paid.status(), 200, "the owner pays without the key");
    make_staff(&mut owner, "api-owner@example.com", None).await;
    let cookie = owner.cookie.clone().unwrap();
    assert_eq!(owner.call("admin/orders/ship", &[("number", &number), ("carrier", "DHL"), ("tracking", "API-1")]).await.status, 200);
    let (shipment,): (i64,) = sqlx::query_as("SELECT id FROM shipments").fetch_one(&app.db.pool).await.unwrap();

    let parcel: Value = app.client.get(format!("{}/api/v1/shipments/{shipment}", app.base)).header("cookie", &cookie)
        .send().await.unwrap().json().await.unwrap();
    assert_eq!((parcel["tracking"].as_str(), parcel["order"].as_str()), (Some("API-1"), Some(number.as_str())), "{parcel}");
    let get = reqwest::Method::GET;
    assert_eq!(send(&app, get.clone(), &format!("/api/v1/shipments/{shipment}"), None, None).await.0, 404, "signed out, no key");
    assert_eq!(send(&app, get.clone(), "/api/v1/shipments/abc", None, None).await.0, 404);
    assert_eq!(send(&app, get, "/api/v1/shipments/999999", None, None).await.0, 404);
}

/// Orders arriving together are placed in one transaction: a refused order
/// (no stock left) rolls back alone, and the same key sent many times at
/// once still makes one order.
// Multi-threaded: the server handles the buyers on several threads at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn orders_placed_together_are_each_placed_or_refused_on_their_own() {
    let app = spawn_app().await;
    let (scarce, plenty) = (product_with_stock(&app, 51, 3).await, product_with_stock(&app, 52, 100).await);
    let post = reqwest::Method::POST;
    let same_key = key("together");
    let mut requests = Vec::new();
    for n in 0..30 {
        let (mut body, idempotency) = match n % 3 {
            0 => (new_order(scarce, 1), key("scarce")),
            1 => (new_order(plenty, 2), key("plenty")),
            _ => (new_order(plenty, 1), same_key.clone()),
        };
        if n % 3 != 2 {
            // Different buyers (one buyer may hold only a few unpaid orders).
            body["email"] = json!(format!("api{n}@example.com"));
        }
        let (app, post) = (&app, post.clone());
        requests.push(async move { (n % 3, send(app, post, "/api/v1/orders", Some(&idempotency), Some(&body)).await) });
    }
    let replies = futures::future::join_all(requests).await;
    let placed = |kind| replies.iter().filter(|(k, (status, _))| *k == kind && *status == 201).count();
    assert_eq!(placed(0), 3, "exactly the three units in stock");
    assert!(replies.iter().filter(|(k, _)| *k == 0).all(|(_, (s, _))| *s == 201 || *s == 409), "the rest: out of stock");
    assert_eq!(placed(1), 10, "orders of a product in stock are never refused for their neighbours");
    let numbers: std::collections::HashSet<&str> =
        replies.iter().filter(|(k, _)| *k == 2).map(|(_, (s, b))| { assert_eq!(*s, 201, "{b}"); b["order"]["number"].as_str().unwrap() }).collect();
    assert_eq!(numbers.len(), 1, "one key, one order");
    assert_eq!(stock(&app, scarce).await, (0, 0));
    assert_eq!(stock(&app, plenty).await, (100 - 20 - 1, 100 - 20 - 1), "stock equals the ledger");
    let (orders,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM orders").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(orders, 3 + 10 + 1);
    assert!(app.order_placer.counts().one_by_one >= 7, "every refusal sent its group the savepoint way");
}

/// Orders that are all accepted never take the savepoint way: their groups
/// are placed whole (the desk's fast path).
#[tokio::test]
async fn accepted_orders_are_placed_in_whole_groups() {
    let app = spawn_app().await;
    let plenty = product_with_stock(&app, 53, 100).await;
    let requests = (0..20).map(|n| {
        let (app, mut body) = (&app, new_order(plenty, 1));
        body["email"] = json!(format!("whole{n}@example.com"));
        async move { send(app, reqwest::Method::POST, "/api/v1/orders", Some(&key("whole")), Some(&body)).await.0 }
    });
    assert!(futures::future::join_all(requests).await.iter().all(|s| *s == 201));
    let counts = app.order_placer.counts();
    assert_eq!((counts.together, counts.one_by_one), (20, 0));
    assert_eq!(stock(&app, plenty).await, (80, 80));
}
