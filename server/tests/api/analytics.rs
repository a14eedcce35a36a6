//! The dashboard (issue 19): a period's revenue, orders, average, units,
//! refunds and returns against the period before, a point a day, the best
//! sellers and the funnel, from closed days summed once and today read live
//! (the two agree with the orders themselves); bad periods and strangers refused.

use crate::helpers::{
    admin, paid_order_of, product_with_stock, ship_and_deliver, spawn_app, staff, Browser, TestApp,
};
use serde_json::Value;

const DAY: i64 = 86_400;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// Moves order `number`'s payment (and its refunds and returns) `days` back.
async fn paid_days_ago(app: &TestApp, number: &str, days: i64) {
    for sql in [
        "UPDATE order_events SET at = at - $2 WHERE order_id = (SELECT id FROM orders WHERE number = $1)",
        "UPDATE refunds SET updated_at = updated_at - $2 WHERE order_id = (SELECT id FROM orders WHERE number = $1)",
    ] {
        sqlx::query(sql).bind(number).bind(days * DAY).execute(&app.db.pool).await.unwrap();
    }
}

async fn total_of(app: &TestApp, number: &str) -> i64 {
    let (total,): (i64,) = sqlx::query_as("SELECT total_minor FROM orders WHERE number = $1")
        .bind(number)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    total
}

async fn slug_of(app: &TestApp, product: i64) -> String {
    let (slug,): (String,) = sqlx::query_as("SELECT slug FROM products WHERE id = $1")
        .bind(product)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    slug
}

#[tokio::test]
async fn the_dashboard_sums_paid_orders_per_day_against_the_period_before() {
    let app = spawn_app().await;
    let (mug, cap) = (
        product_with_stock(&app, 91, 50).await,
        product_with_stock(&app, 92, 50).await,
    );
    let (mug_slug, cap_slug) = (slug_of(&app, mug).await, slug_of(&app, cap).await);

    // Three shoppers look at a product; two put it in the cart; one pays twice.
    let mut buyer = Browser::new(&app);
    let mut browsing = Browser::new(&app);
    let looking = Browser::new(&app);
    for (browser, slug) in [
        (&buyer, &mug_slug),
        (&browsing, &cap_slug),
        (&looking, &mug_slug),
    ] {
        assert_eq!(browser.get(&format!("/p/{slug}")).await.status, 200);
    }
    browsing
        .step("cart/add", &[("product", &cap.to_string())])
        .await;
    let today = paid_order_of(&mut buyer, &[(mug, 3), (cap, 1)], "buyer@example.com").await;
    let earlier = paid_order_of(&mut buyer, &[(mug, 1)], "buyer@example.com").await;
    let long_ago = paid_order_of(&mut Browser::new(&app), &[(cap, 2)], "old@example.com").await;
    // One order paid three days ago (a summed day), one ten days ago (the period before).
    paid_days_ago(&app, &earlier.0, 3).await;
    paid_days_ago(&app, &long_ago.0, 10).await;
    // And one 45 days ago: in a calendar month that a 100-day range holds whole.
    let months_ago = paid_order_of(&mut Browser::new(&app), &[(cap, 2)], "older@example.com").await;
    paid_days_ago(&app, &months_ago.0, 45).await;
    let (t_today, t_earlier, t_long_ago) = (
        total_of(&app, &today.0).await,
        total_of(&app, &earlier.0).await,
        total_of(&app, &long_ago.0).await,
    );

    let mut owner = admin(&app, "figures@example.com").await;
    ship_and_deliver(&mut owner, &today.0, "FIG-1").await;
    let refund = owner
        .call(
            "admin/orders/refund",
            &[("number", &today.0), ("amount", "1.00")],
        )
        .await;
    assert!(refund.status < 400, "{}", refund.body);

    let week = owner.get("/api/admin/analytics?period=7d").await;
    assert_eq!(week.status, 200, "{}", week.body);
    let d = json(&week.body);
    assert_eq!(
        d["period"]["last"].as_i64().unwrap() - d["period"]["first"].as_i64().unwrap(),
        6
    );
    assert_eq!(d["now"]["orders"], 2);
    assert_eq!(
        d["now"]["revenue_minor"].as_i64().unwrap(),
        t_today + t_earlier
    );
    assert_eq!(d["now"]["units"], 5);
    assert_eq!(
        (
            d["now"]["refunds"].as_i64(),
            d["now"]["refunded_minor"].as_i64()
        ),
        (Some(1), Some(100))
    );
    assert_eq!(
        d["before"]["orders"], 1,
        "ten days ago is in the week before"
    );
    assert_eq!(d["before"]["revenue_minor"].as_i64().unwrap(), t_long_ago);
    let days = d["days"].as_array().unwrap();
    assert_eq!(days.len(), 7, "a point a day, empty days too");
    let orders: Vec<i64> = days.iter().map(|p| p["orders"].as_i64().unwrap()).collect();
    assert_eq!(orders, [0, 0, 0, 1, 0, 0, 1]);
    assert_eq!(days[3]["revenue_minor"].as_i64().unwrap(), t_earlier);
    let products = d["products"].as_array().unwrap();
    assert_eq!(
        (products[0]["id"].as_i64(), products[0]["units"].as_i64()),
        (Some(mug), Some(4)),
        "{products:?}"
    );
    assert_eq!(
        (products[1]["id"].as_i64(), products[1]["units"].as_i64()),
        (Some(cap), Some(1))
    );
    assert!(!d["categories"].as_array().unwrap().is_empty());
    let funnel = &d["funnel"];
    // Viewed: the three lookers. Carted and checkout: the buyer and the two
    // whose orders moved back (marks stay on the day they were made); carted
    // also the one still browsing. Paid counts on the payment's day: the
    // buyer today and three days ago.
    let steps: Vec<i64> = ["viewed", "carted", "checkout", "paid"]
        .iter()
        .map(|s| funnel[s].as_i64().unwrap())
        .collect();
    assert_eq!(steps, [3, 4, 3, 2], "{funnel}");

    // Closed days were summed once; the figures read from the sums are the same.
    let (summed,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sales_days")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(summed, 3, "three, ten and 45 days ago");
    let again = json(&owner.get("/api/admin/analytics?period=7d").await.body);
    assert_eq!(
        (&again["now"], &again["before"], &again["products"]),
        (&d["now"], &d["before"], &d["products"])
    );

    // A custom range of just the earlier day, and today alone.
    let first = d["period"]["first"].as_i64().unwrap() + 3;
    let day = app::domain::analytics::day_text(first);
    let one = json(
        &owner
            .get(&format!(
                "/api/admin/analytics?period=custom&from={day}&to={day}"
            ))
            .await
            .body,
    );
    assert_eq!(
        (one["now"]["orders"].as_i64(), one["now"]["units"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(one["products"][0]["id"].as_i64(), Some(mug));
    // A hundred days: a whole month's best sellers come from its monthly sums.
    let (months,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM product_sales_months").fetch_one(&app.db.pool).await.unwrap();
    assert!(months >= 1, "the month 45 days ago was summed");
    let (from, to) = (app::domain::analytics::day_text(first + 3 - 99), app::domain::analytics::day_text(first + 3));
    let hundred = json(&owner.get(&format!("/api/admin/analytics?period=custom&from={from}&to={to}")).await.body);
    assert_eq!(hundred["now"]["orders"].as_i64(), Some(4));
    let top: Vec<(i64, i64)> = hundred["products"].as_array().unwrap().iter().map(|p| (p["id"].as_i64().unwrap(), p["units"].as_i64().unwrap())).collect();
    assert_eq!(top, [(cap, 5), (mug, 4)]);
    let categories: i64 = hundred["categories"].as_array().unwrap().iter().map(|c| c["units"].as_i64().unwrap()).sum();
    assert_eq!(categories, 9);
    let now = json(&owner.get("/api/admin/analytics?period=today").await.body);
    assert_eq!(
        (now["now"]["orders"].as_i64(), now["now"]["units"].as_i64()),
        (Some(1), Some(4))
    );

    for bad in [
        "period=1y",
        "period=custom&from=2026-02-01&to=2026-01-01",
        "period=custom&from=2020-01-01&to=2026-01-01",
        "period=custom&to=2026-01-01",
    ] {
        let reply = owner.get(&format!("/api/admin/analytics?{bad}")).await;
        assert_eq!(reply.status, 400, "{bad}: {}", reply.body);
    }
    assert_eq!(
        Browser::new(&app).get("/api/admin/analytics").await.status,
        401
    );
    assert_eq!(
        buyer.get("/api/admin/analytics").await.status,
        401,
        "a guest shopper"
    );
    let catalog = staff(&app, "catalog-figures@example.com", None).await;
    sqlx::query("UPDATE users SET role = 'catalog' WHERE email = 'catalog-figures@example.com'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        catalog.get("/api/admin/analytics").await.status,
        403,
        "figures are for admins"
    );
    let page = owner.get("/admin/analytics?period=30d").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("data-testid=\"revenue-chart\"") && page.body.contains("<polyline"),
        "the chart is drawn on the server"
    );
}
