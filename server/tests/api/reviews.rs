//! Reviews and ratings (issue 21) over HTTP: only buyers review (unless the
//! shop allows everyone), reviews wait for a moderator by default, the
//! product's rating is exactly its published reviews' at every step, the
//! verified mark follows delivery, helpful votes count once per shopper,
//! reports and links hold a review, the author edits and deletes it, a
//! deleted account takes its reviews along, and the product page and its
//! JSON-LD show them. Bad input is refused with the right status.

use crate::helpers::{admin, audit_details, paid_order, product_with_stock, ship_and_deliver, signed_up, spawn_app, Browser, Reply, TestApp, PASSWORD};
use serde_json::Value;

/// Product `nth` (see `product_with_stock`) with its demo reviews taken away.
async fn unreviewed(app: &TestApp, nth: i64) -> i64 {
    let product = product_with_stock(app, nth, 10).await;
    sqlx::query("DELETE FROM reviews WHERE product_id = $1").bind(product).execute(&app.db.pool).await.unwrap();
    sqlx::query("UPDATE products SET rating_avg = 0, rating_count = 0 WHERE id = $1").bind(product).execute(&app.db.pool).await.unwrap();
    product
}

async fn slug_of(app: &TestApp, product: i64) -> String {
    let (slug,): (String,) = sqlx::query_as("SELECT slug FROM products WHERE id = $1").bind(product).fetch_one(&app.db.pool).await.unwrap();
    slug
}

/// The product's (rating_avg, rating_count) as stored.
async fn rating(app: &TestApp, product: i64) -> (f64, i64) {
    sqlx::query_as("SELECT rating_avg, rating_count FROM products WHERE id = $1").bind(product).fetch_one(&app.db.pool).await.unwrap()
}

async fn review_id(app: &TestApp, product: i64, email: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT r.id FROM reviews r JOIN users u ON u.id = r.user_id WHERE r.product_id = $1 AND u.email = $2")
        .bind(product)
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    id
}

async fn write(b: &mut Browser<'_>, slug: &str, stars: &str, title: &str, body: &str) -> Reply {
    b.call("reviews/save", &[("slug", slug), ("input[rating]", stars), ("input[title]", title), ("input[body]", body)]).await
}

async fn json(b: &Browser<'_>, path: &str) -> Value {
    let reply = b.get(path).await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// A moderator's decision on review `id` as its page shows it now.
async fn decide(app: &TestApp, moderator: &mut Browser<'_>, id: i64, decision: &str, reason: &str) -> Reply {
    let at: Option<(i64,)> = sqlx::query_as("SELECT updated_at FROM reviews WHERE id = $1").bind(id).fetch_optional(&app.db.pool).await.unwrap();
    let at = at.map_or(0, |(at,)| at).to_string();
    moderator.call("admin/reviews/decide", &[("id", &id.to_string()), ("at", &at), ("decision", decision), ("reason", reason)]).await
}

#[tokio::test]
async fn a_buyer_reviews_the_moderator_publishes_and_the_rating_follows() {
    let app = spawn_app().await;
    let product = unreviewed(&app, 3).await;
    let slug = slug_of(&app, product).await;
    let mut buyer = Browser::new(&app);
    signed_up(&mut buyer, "buyer@example.com").await;

    // Nobody signed in, and a customer who has not bought it, may not review.
    let anonymous = write(&mut Browser::new(&app), &slug, "5", "Great", "Lovely").await;
    assert_eq!(anonymous.status, 401, "{}", anonymous.body);
    let early = write(&mut buyer, &slug, "5", "Great", "Lovely").await;
    assert_eq!(early.status, 403, "{}", early.body);
    assert!(early.body.contains("Only customers who bought"), "{}", early.body);
    let form = json(&buyer, &format!("/api/reviews/form?slug={slug}")).await;
    assert!(form["refusal"].as_str().unwrap().contains("Only customers who bought"), "{form}");

    let (number, _) = paid_order(&mut buyer, product, "buyer@example.com").await;
    let sent = write(&mut buyer, &slug, "4", "  Bright and\nwarm ", "Lights the whole room.\n\nWould buy again.").await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert!(sent.body.contains("moderator"), "every review waits by default: {}", sent.body);
    assert_eq!(rating(&app, product).await, (0.0, 0), "the rating counts published reviews only");
    let form = json(&buyer, &format!("/api/reviews/form?slug={slug}")).await;
    assert_eq!(form["own"]["status"], "Pending");
    assert_eq!(form["own"]["title"], "Bright and warm");
    assert_eq!(json(&Browser::new(&app), &format!("/api/reviews?slug={slug}")).await["reviews"], serde_json::json!([]));

    // The moderator publishes it: the rating is exact in the same step.
    let mut owner = admin(&app, "owner@example.com").await;
    let queue = json(&owner, "/api/admin/reviews").await;
    assert_eq!(queue["waiting"], 1);
    assert_eq!(queue["rows"][0]["email"], "buyer@example.com");
    assert_eq!(queue["rows"][0]["verified"], false, "paid, not yet delivered");
    let id = review_id(&app, product, "buyer@example.com").await;
    assert_eq!(decide(&app, &mut owner, id, "publish", "").await.status, 200);
    assert_eq!(rating(&app, product).await, (4.0, 1));
    assert!(audit_details(&app, "review-published").await[0].contains("Bright and warm"));

    let page = json(&Browser::new(&app), &format!("/api/reviews?slug={slug}")).await;
    assert_eq!(page["stars"], serde_json::json!([0, 0, 0, 1, 0]));
    assert_eq!(page["reviews"][0]["author"], "Ada");
    assert_eq!(page["reviews"][0]["verified"], false);

    // Delivered: the review carries the verified mark; the product page shows it with its JSON-LD.
    ship_and_deliver(&mut owner, &number, "R-1").await;
    let page = json(&Browser::new(&app), &format!("/api/reviews?slug={slug}&sort=newest")).await;
    assert_eq!(page["reviews"][0]["verified"], true);
    let (status, html) = app.page(&format!("/p/{slug}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Bright and warm") && html.contains("Verified purchase"), "the product page shows the review");
    assert!(html.contains("<strong>4.0</strong> out of 5 from 1 review"), "the summary");
    assert!(html.contains(r#""@type":"Review""#) && html.contains(r#""reviewBody":"Lights the whole room.\n\nWould buy again.""#), "JSON-LD");
    let (status, html) = app.page(&format!("/p/{slug}/reviews?sort=lowest")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Reviews of") && html.contains("Would buy again."), "the reviews page");

    // Helpful: once per shopper, never one's own.
    let mut other = Browser::new(&app);
    signed_up(&mut other, "other@example.com").await;
    let voted = other.call("reviews/helpful", &[("id", &id.to_string())]).await;
    assert_eq!((voted.status, voted.body.as_str()), (200, "1"));
    let again = other.call("reviews/helpful", &[("id", &id.to_string())]).await;
    assert_eq!(again.status, 409, "{}", again.body);
    let own = buyer.call("reviews/helpful", &[("id", &id.to_string())]).await;
    assert_eq!(own.status, 400, "{}", own.body);
    assert_eq!(Browser::new(&app).call("reviews/helpful", &[("id", &id.to_string())]).await.status, 401);

    // An edit waits again; turned down, its author reads why; deleted, it is gone.
    assert_eq!(write(&mut buyer, &slug, "2", "Flickers", "It flickers after a week.").await.status, 200);
    assert_eq!(rating(&app, product).await, (0.0, 0), "the edit waits for a moderator");
    assert_eq!(decide(&app, &mut owner, id, "reject", "").await.status, 400, "a reason is needed");
    let stale = owner.call("admin/reviews/decide", &[("id", &id.to_string()), ("at", "1"), ("decision", "publish")]).await;
    assert_eq!(stale.status, 409, "words changed since the moderator read them: {}", stale.body);
    assert_eq!(decide(&app, &mut owner, id, "reject", "Please describe the product, not the delivery.").await.status, 200);
    let form = json(&buyer, &format!("/api/reviews/form?slug={slug}")).await;
    assert_eq!(form["own"]["status"], "Rejected");
    assert_eq!(form["own"]["reason"], "Please describe the product, not the delivery.");
    assert_eq!(decide(&app, &mut owner, id, "publish", "").await.status, 200);
    assert_eq!(rating(&app, product).await, (2.0, 1));
    let answered = owner.call("admin/reviews/answer", &[("id", &id.to_string()), ("reply", "Sorry! We sent a new bulb.")]).await;
    assert_eq!(answered.status, 200, "{}", answered.body);
    let page = json(&Browser::new(&app), &format!("/api/reviews?slug={slug}")).await;
    assert_eq!(page["reviews"][0]["reply"], "Sorry! We sent a new bulb.");
    assert_eq!(page["reviews"][0]["helpful"], 1, "votes outlive an edit");
    let export = json(&buyer, "/api/account/export").await;
    assert_eq!(export["reviews"][0]["title"], "Flickers", "the customer's data holds their reviews");
    assert_eq!(buyer.call("reviews/delete", &[("slug", &slug)]).await.status, 200);
    assert_eq!(rating(&app, product).await, (0.0, 0));
    assert_eq!(buyer.call("reviews/delete", &[("slug", &slug)]).await.status, 404);
}

#[tokio::test]
async fn the_shops_rules_links_banned_words_reports_and_deleted_accounts() {
    let app = spawn_app().await;
    let product = unreviewed(&app, 5).await;
    let slug = slug_of(&app, product).await;
    let mut owner = admin(&app, "rules@example.com").await;
    let version = json(&owner, "/api/admin/reviews").await["policy"]["version"].as_i64().unwrap().to_string();
    let saved = owner
        .call("admin/reviews/rules", &[("version", &version), ("input[banned_words]", "Scam\n rip off ")])
        .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let stale = owner.call("admin/reviews/rules", &[("version", &version), ("input[moderate_all]", "on")]).await;
    assert_eq!(stale.status, 409, "a save over another's: {}", stale.body);
    let policy = json(&owner, "/api/admin/reviews").await["policy"].clone();
    assert_eq!((policy["moderate_all"].as_bool(), policy["buyers_only"].as_bool()), (Some(false), Some(false)));
    assert_eq!(policy["banned_words"], "scam\nrip off");

    // Anyone signed in may review now; a clean review is published at once.
    let mut shoppers = Vec::new();
    for n in 0..5 {
        let mut b = Browser::new(&app);
        signed_up(&mut b, &format!("s{n}@example.com")).await;
        shoppers.push(b);
    }
    let published = write(&mut shoppers[0], &slug, "5", "Perfect", "Does what it says.").await;
    assert!(published.body.contains("published"), "{}", published.body);
    assert_eq!(rating(&app, product).await, (5.0, 1));
    let linked = write(&mut shoppers[1], &slug, "1", "Cheaper elsewhere", "Buy it at cheap-lamps.com instead").await;
    assert!(linked.body.contains("link"), "{}", linked.body);
    let banned = write(&mut shoppers[2], &slug, "1", "What a SCAM", "Total rip-off.").await;
    assert!(banned.body.contains("scam"), "{}", banned.body);
    let rated = write(&mut shoppers[3], &slug, "3", "Fine", "It is fine.").await;
    assert!(rated.body.contains("published"), "{}", rated.body);
    assert_eq!(rating(&app, product).await, (4.0, 2), "held reviews do not count");
    let queue = json(&owner, "/api/admin/reviews").await;
    assert_eq!(queue["waiting"], 2);
    assert!(queue["rows"][0]["reason"].as_str().unwrap().contains("link"), "{queue}");

    // Three reports take a published review back to the moderators.
    let target = review_id(&app, product, "s0@example.com").await.to_string();
    assert_eq!(shoppers[1].call("reviews/report", &[("id", &target), ("why", " ")]).await.status, 400, "a reason is needed");
    for b in shoppers.iter_mut().skip(1).take(3) {
        let reported = b.call("reviews/report", &[("id", &target), ("why", "Off topic")]).await;
        assert_eq!(reported.status, 200, "{}", reported.body);
    }
    assert_eq!(shoppers[4].call("reviews/report", &[("id", &target), ("why", "x")]).await.status, 404, "no longer shown");
    assert_eq!(rating(&app, product).await, (3.0, 1));
    let held = json(&owner, "/api/admin/reviews").await;
    assert!(held["rows"].as_array().unwrap().iter().any(|r| r["reason"] == "Held: reported by 3 shoppers."), "{held}");

    // A deleted account takes its reviews and votes along; the rating follows.
    let deleted = shoppers[3].call("account/delete", &[("password", PASSWORD)]).await;
    assert!(deleted.status < 400, "{}", deleted.body);
    assert_eq!(rating(&app, product).await, (0.0, 0));
    let (left,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM review_reports").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(left, 2, "the deleted shopper's report is gone");
}

#[tokio::test]
async fn bad_review_input_is_refused_with_a_reason() {
    let app = spawn_app().await;
    let product = unreviewed(&app, 7).await;
    let slug = slug_of(&app, product).await;
    let mut buyer = Browser::new(&app);
    signed_up(&mut buyer, "bad@example.com").await;
    paid_order(&mut buyer, product, "bad@example.com").await;
    for (stars, title, body, says) in [
        ("9", "t", "b", "1 to 5"),
        ("", "t", "b", "1 to 5"),
        ("3", "", "b", "title"),
        ("3", "t", "", "few words"),
        ("3", &"x".repeat(121), "b", "120"),
        ("3", "t", &"y".repeat(5001), "5000"),
    ] {
        let reply = write(&mut buyer, &slug, stars, title, body).await;
        assert_eq!(reply.status, 400, "{stars}/{title}: {}", reply.body);
        assert!(reply.body.contains(says), "{}", reply.body);
    }
    assert_eq!(write(&mut buyer, "no-such-product", "3", "t", "b").await.status, 404);
    assert_eq!(Browser::new(&app).get("/api/reviews?slug=no-such-product").await.status, 404);
    let page = json(&Browser::new(&app), &format!("/api/reviews?slug={slug}&sort=nonsense&page=-4")).await;
    assert_eq!((page["sort"].as_str(), page["page"].as_i64()), (Some("Helpful"), Some(1)), "{page}");

    // Only moderators moderate.
    assert_eq!(buyer.get("/api/admin/reviews").await.status, 403);
    assert_eq!(Browser::new(&app).get("/api/admin/reviews").await.status, 401);
    let mut owner = admin(&app, "mod@example.com").await;
    assert_eq!(decide(&app, &mut owner, 999_999, "publish", "").await.status, 404);
    assert_eq!(decide(&app, &mut owner, 1, "maybe", "").await.status, 400);
    let words = "w\n".repeat(6000);
    let huge = owner.call("admin/reviews/rules", &[("version", "1"), ("input[banned_words]", &words)]).await;
    assert_eq!(huge.status, 400, "{}", huge.body);
}

#[tokio::test]
async fn the_demo_catalogs_ratings_are_its_published_reviews() {
    let app = spawn_app().await;
    let rows: Vec<(i64, f64, i64, i64, i64)> = sqlx::query_as(
        "SELECT p.id, p.rating_avg, p.rating_count, \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM reviews r WHERE r.product_id = p.id AND r.status = 'published'), \
         (SELECT CAST(COALESCE(SUM(r.rating), 0) AS BIGINT) FROM reviews r WHERE r.product_id = p.id AND r.status = 'published') \
         FROM products p",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert!(rows.iter().filter(|r| r.2 > 0).count() > rows.len() / 2, "most demo products have reviews");
    for (id, avg, count, reviews, sum) in rows {
        assert_eq!(count, reviews, "product {id}");
        let exact = if reviews == 0 { 0.0 } else { sum as f64 / reviews as f64 };
        assert!((avg - exact).abs() < 1e-9, "product {id}: {avg} against {exact}");
    }
}
