//! Shipping zones (issue 19) over HTTP: an admin makes zones of countries
//! and regions with methods (rate, free-above, delivery time); checkout
//! offers the methods of the address's zone (a region's own zone before its
//! country's, that before "everywhere else"), tells an address in no zone
//! that the shop does not ship there, and refuses such an order or a
//! method of another zone. Bad forms change nothing; only admins may.

use crate::helpers::{admin, audit_details, key, product_with_stock, signed_up, spawn_app, Browser, Reply};
use serde_json::Value;

async fn quote(shopper: &Browser<'_>, country: &str, region: &str) -> Value {
    let reply = shopper.get(&format!("/api/checkout/quote?country={country}&region={region}")).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// The methods a quote offers: (code, name, price).
fn offered(quote: &Value) -> Vec<(String, String, i64)> {
    quote["shipping"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["code"].as_str().unwrap().to_owned(), o["name"].as_str().unwrap().to_owned(), o["price"]["minor"].as_i64().expect("price")))
        .collect()
}

async fn place_to(shopper: &mut Browser<'_>, country: &str, region: &str, method: &str) -> Reply {
    let idempotency_key = key("ship");
    shopper
        .call(
            "checkout/place",
            &[("idempotency_key", idempotency_key.as_str()), ("email", "zones@example.com"), ("full_name", "Greta Garbo"),
              ("line1", "1 Strandvägen"), ("city", "Stockholm"), ("postal_code", "114 56"), ("country", country), ("region", region),
              ("method", method), ("promo", "")],
        )
        .await
}

async fn zone(owner: &mut Browser<'_>, id: &str, name: &str, places: &str) -> Reply {
    owner.call("admin/shipping/zone", &[("id", id), ("input[name]", name), ("input[places]", places)]).await
}

#[tokio::test]
async fn checkout_offers_the_methods_of_the_addresss_zone() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "zones@example.com").await;
    let made = zone(&mut owner, "0", "Nordics", "se, NO, dk").await;
    assert_eq!(made.status, 200, "{}", made.body);
    let nordics: i64 = made.body.trim().parse().unwrap();
    let nordics_text = nordics.to_string();
    let courier = owner
        .call("admin/shipping/method", &[("zone", &nordics_text), ("input[name]", "Courier"), ("input[kind]", "flat"),
            ("input[base]", "9.50"), ("input[free_above]", "1000"), ("input[min_days]", "2"), ("input[max_days]", "4")])
        .await;
    assert_eq!(courier.status, 200, "{}", courier.body);
    let california = zone(&mut owner, "0", "California", "US-CA").await;
    let california: String = california.body.trim().to_owned();
    let same_day = owner
        .call("admin/shipping/method", &[("zone", &california), ("input[name]", "Same day"), ("input[base]", "25"), ("input[min_days]", "0"), ("input[max_days]", "0")])
        .await;
    assert_eq!(same_day.status, 200, "{}", same_day.body);

    let product = product_with_stock(&app, 61, 10).await;
    let mut shopper = Browser::new(&app);
    shopper.step("cart/add", &[("product", &product.to_string())]).await;
    let se = offered(&quote(&shopper, "SE", "").await);
    assert_eq!(se, [(format!("courier-{nordics}"), "Courier (2–4 days)".into(), 950)], "only the zone's method");
    let gb = offered(&quote(&shopper, "GB", "").await);
    assert_eq!(gb.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(), ["standard", "express"], "everywhere else");
    assert_eq!(gb[0].1, "Standard (3–5 days)");
    assert_eq!(offered(&quote(&shopper, "US", "ca").await).iter().map(|m| m.1.as_str()).collect::<Vec<_>>(), ["Same day (0 days)"]);
    assert_eq!(offered(&quote(&shopper, "US", "NY").await).len(), 2, "New York is not California");

    // A method of another zone is refused; the zone's own is taken.
    let wrong = place_to(&mut shopper, "SE", "", "express").await;
    assert!(wrong.status == 400 && wrong.body.contains("shipping methods offered"), "{}", wrong.body);
    let placed = place_to(&mut shopper, "SE", "", &format!("courier-{nordics}")).await;
    assert!(placed.status < 400, "{}", placed.body);
    let (method, shipping): (String, i64) =
        sqlx::query_as("SELECT shipping_method, shipping_minor FROM orders ORDER BY id DESC LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!((method, shipping), (format!("courier-{nordics}"), 950));

    // "Everywhere" becomes Britain and the US only: Japan is told, and its order refused.
    let narrowed = zone(&mut owner, "1", "Britain and the US", "GB, US").await;
    assert_eq!(narrowed.status, 200, "{}", narrowed.body);
    shopper.step("cart/add", &[("product", &product.to_string())]).await;
    let jp = quote(&shopper, "JP", "").await;
    assert!(offered(&jp).is_empty());
    assert!(jp["shipping_notice"].as_str().unwrap().contains("We do not ship to JP"), "{jp}");
    let refused = place_to(&mut shopper, "JP", "", "").await;
    assert!(refused.status == 400 && refused.body.contains("We do not ship to JP"), "{}", refused.body);
    assert_eq!(audit_details(&app, "shipping-zone-saved").await.len(), 3);
    assert!(audit_details(&app, "shipping-method-saved").await[0].contains("Courier — Flat $9.50, free from $1,000.00 · 2–4 days"));
}

#[tokio::test]
async fn bad_zone_and_method_forms_change_nothing_and_only_admins_may() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "zone-rules@example.com").await;
    let count = |table: &'static str| {
        let pool = app.db.pool.clone();
        async move { sqlx::query_as::<_, (i64,)>(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&pool).await.unwrap().0 }
    };
    let (zones, methods) = (count("shipping_zones").await, count("shipping_methods").await);
    let everywhere = zone(&mut owner, "0", "Europe", "FR, *").await;
    assert!(everywhere.status == 409 && everywhere.body.contains("everywhere else is already in the zone “Everywhere”"), "{}", everywhere.body);
    for (name, places, says) in [("Europe", "FRA", "is not a place"), ("", "FR", "zone's name"), ("Europe", " , ", "at least one")] {
        let reply = zone(&mut owner, "0", name, places).await;
        assert!(reply.status == 400 && reply.body.contains(says), "{places}: {}", reply.body);
    }
    assert_eq!(zone(&mut owner, "0", "Everywhere", "FR").await.status, 409, "names are unique");
    assert_eq!(zone(&mut owner, "999", "Nowhere", "FR").await.status, 404);
    for (fields, says) in [
        (vec![("zone", "1"), ("input[name]", "Slow"), ("input[base]", "1"), ("input[min_days]", "9"), ("input[max_days]", "3")], "cannot be more"),
        (vec![("zone", "1"), ("input[name]", "Slow"), ("input[base]", "-1")], "Price"),
        (vec![("zone", "1"), ("input[name]", "Slow"), ("input[base]", "1"), ("input[kind]", "air")], "flat or by weight"),
    ] {
        let reply = owner.call("admin/shipping/method", &fields).await;
        assert!(reply.status == 400 && reply.body.contains(says), "{fields:?}: {}", reply.body);
    }
    assert_eq!(owner.call("admin/shipping/method", &[("zone", "999"), ("input[name]", "Slow"), ("input[base]", "1")]).await.status, 404);
    assert_eq!(owner.call("admin/shipping/method", &[("zone", "1"), ("code", "nope"), ("input[name]", "Slow"), ("input[base]", "1")]).await.status, 404);
    assert_eq!(owner.call("admin/shipping/method/delete", &[("code", "nope")]).await.status, 404);
    assert_eq!(owner.call("admin/shipping/zone/delete", &[("id", "999")]).await.status, 404);
    assert_eq!((count("shipping_zones").await, count("shipping_methods").await), (zones, methods), "nothing changed");

    let mut shopper = Browser::new(&app);
    signed_up(&mut shopper, "zone-shopper@example.com").await;
    for (who, mut browser, want) in [("stranger", Browser::new(&app), 401), ("shopper", shopper, 403)] {
        assert_eq!(browser.get("/api/admin/shipping").await.status, want, "{who}");
        for (endpoint, form) in [
            ("admin/shipping/zone", vec![("id", "0"), ("input[name]", "Mine"), ("input[places]", "FR")]),
            ("admin/shipping/zone/delete", vec![("id", "1")]),
            ("admin/shipping/method", vec![("zone", "1"), ("input[name]", "Mine"), ("input[base]", "0")]),
            ("admin/shipping/method/delete", vec![("code", "standard")]),
        ] {
            let reply = browser.call(endpoint, &form).await;
            assert_eq!(reply.status, want, "{who} {endpoint}: {}", reply.body);
        }
    }
    assert_eq!((count("shipping_zones").await, count("shipping_methods").await), (zones, methods));

    // Deleting a zone takes its methods with it.
    assert_eq!(owner.call("admin/shipping/zone/delete", &[("id", "1")]).await.status, 200);
    assert_eq!((count("shipping_zones").await, count("shipping_methods").await), (zones - 1, methods - 2));
    assert_eq!(audit_details(&app, "shipping-zone-deleted").await, ["shipping zone 1 “Everywhere” deleted with its methods"]);
}
