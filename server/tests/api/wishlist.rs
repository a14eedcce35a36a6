//! Wishlists (issue 21) over HTTP: any variant is saved from the product
//! form (sold out too), a guest's wishlist joins their account's at
//! sign-in, items move to the cart; a read-only share link that ends when
//! sharing stops; mails when a saved item is back in stock or cheaper, one
//! per event even with two sweeps at once, and an unsubscribe link that
//! works without signing in. Bad input is refused with the right status.

use crate::helpers::{admin, newest_mail, product_with_stock, signed_up, spawn_app, Browser, Reply, TestApp};
use app::ssr::wishlist::alerts::sweep;
use serde_json::Value;

async fn save(b: &mut Browser<'_>, product: i64) -> Reply {
    b.call("cart/add", &[("product", &product.to_string()), ("list", "saved")]).await
}

async fn json(b: &Browser<'_>, path: &str) -> Value {
    let reply = b.get(path).await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// Mails to `email` about their wishlist, oldest first.
async fn wishlist_mails(app: &TestApp, email: &str) -> Vec<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM outbox_emails WHERE to_address = $1 AND subject LIKE '%wishlist%' ORDER BY id")
            .bind(email)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    rows.into_iter().map(|(body,)| body).collect()
}

/// Changes product `product`'s prices by `percent` with the back office's bulk action.
async fn price(staff: &mut Browser<'_>, product: i64, percent: &str) {
    let selected = format!("selected[{product}]");
    let reply = staff.call("admin/products/bulk", &[(selected.as_str(), "on"), ("action", "price"), ("percent", percent)]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

async fn adjust(staff: &mut Browser<'_>, product: i64, delta: &str, reason: &str) {
    let reply = staff.call("admin/products/adjust-stock", &[("id", &product.to_string()), ("delta", delta), ("reason", reason)]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[tokio::test]
async fn a_guest_saves_a_sold_out_item_signs_up_and_is_mailed_once_when_it_is_back() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 4, 0).await;
    let mut shopper = Browser::new(&app);

    let refused = shopper.call("cart/add", &[("product", &product.to_string())]).await;
    assert_eq!(refused.status, 400, "a sold-out item cannot go in the cart: {}", refused.body);
    let odd = shopper.call("cart/add", &[("product", &product.to_string()), ("list", "basket")]).await;
    assert_eq!(odd.status, 400, "{}", odd.body);
    let saved = save(&mut shopper, product).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(saved.body.contains("Saved to your wishlist"), "{}", saved.body);
    let guest = json(&shopper, "/api/wishlist").await;
    assert_eq!(guest["items"].as_array().unwrap().len(), 1, "{guest}");
    assert_eq!(guest["alerts"], Value::Null, "a guest has no address to mail: {guest}");
    let page = app.page("/wishlist").await;
    assert_eq!(page.0, 200);

    signed_up(&mut shopper, "wisher@example.com").await;
    let mine = json(&shopper, "/api/wishlist").await;
    assert_eq!(mine["items"][0]["product_id"], product, "the guest's wishlist joined the account's: {mine}");
    assert_eq!(mine["alerts"], true, "{mine}");

    assert_eq!(sweep(&app.shop).await.unwrap(), 0, "still sold out: nothing to say");
    let mut owner = admin(&app, "owner@example.com").await;
    adjust(&mut owner, product, "5", "received").await;
    assert_eq!(sweep(&app.shop).await.unwrap(), 1);
    assert_eq!(sweep(&app.shop).await.unwrap(), 0, "one mail per event");
    let mails = wishlist_mails(&app, "wisher@example.com").await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].contains("is back in stock") && mails[0].contains("https://shop.test/p/"), "{}", mails[0]);
    assert!(mails[0].contains("https://shop.test/wishlist/unsubscribe?token="), "{}", mails[0]);

    // Sold out again, then back: a new event, a new mail.
    adjust(&mut owner, product, "-5", "counted").await;
    assert_eq!(sweep(&app.shop).await.unwrap(), 0);
    adjust(&mut owner, product, "2", "received").await;
    assert_eq!(sweep(&app.shop).await.unwrap(), 1);

    // Move to cart works now it is in stock, and takes it off the wishlist.
    let variant = mine["items"][0]["variant_id"].to_string();
    let moved = shopper.call("cart/move", &[("item", &variant), ("to_saved", "false")]).await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let after = json(&shopper, "/api/wishlist").await;
    assert!(after["items"].as_array().unwrap().is_empty(), "{after}");
    let cart: Value = serde_json::from_str(&shopper.call("cart", &[]).await.body).unwrap();
    assert_eq!(cart["lines"][0]["product_id"], product, "{cart}");
}

#[tokio::test]
async fn a_price_drop_below_the_lowest_seen_is_mailed_once_and_two_sweeps_at_once_send_it_once() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 6, 10).await;
    sqlx::query("UPDATE products SET price_minor = 10000, compare_at_minor = NULL WHERE id = $1").bind(product).execute(&app.db.pool).await.unwrap();
    sqlx::query("UPDATE product_variants SET price_minor = 10000, compare_at_minor = NULL WHERE product_id = $1")
        .bind(product)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let mut shopper = Browser::new(&app);
    signed_up(&mut shopper, "saver@example.com").await;
    assert_eq!(save(&mut shopper, product).await.status, 200);
    let mut owner = admin(&app, "owner@example.com").await;
    price(&mut owner, product, "-10").await; // 100.00 → 90.00
    let (a, b) = tokio::join!(sweep(&app.shop), sweep(&app.shop));
    assert_eq!(a.unwrap() + b.unwrap(), 1, "two sweeps at once claim the drop once");
    let mails = wishlist_mails(&app, "saver@example.com").await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].contains("costs less: $90.00, was $100.00"), "{}", mails[0]);

    price(&mut owner, product, "+20").await; // 108.00: dearer, nothing to say
    assert_eq!(sweep(&app.shop).await.unwrap(), 0);
    price(&mut owner, product, "-10").await; // 97.20: less than before, but not below the 90.00 they were told of
    assert_eq!(sweep(&app.shop).await.unwrap(), 0);
    price(&mut owner, product, "-20").await; // 77.76
    assert_eq!(sweep(&app.shop).await.unwrap(), 1);
    let mails = wishlist_mails(&app, "saver@example.com").await;
    assert!(mails[1].contains("$77.76, was $90.00"), "{}", mails[1]);

    // The customer turns the mails off on their wishlist page: a drop is then claimed, not mailed.
    assert_eq!(shopper.call("wishlist/alerts", &[("on", "false")]).await.status, 200);
    assert_eq!(json(&shopper, "/api/wishlist").await["alerts"], false);
    price(&mut owner, product, "-10").await;
    assert_eq!(sweep(&app.shop).await.unwrap(), 0);
    assert_eq!(shopper.call("wishlist/alerts", &[("on", "true")]).await.status, 200);
    assert_eq!(sweep(&app.shop).await.unwrap(), 0, "an event while the mails were off is not mailed late");
    // A guest cannot set mails.
    assert_eq!(Browser::new(&app).call("wishlist/alerts", &[("on", "false")]).await.status, 401);
}

#[tokio::test]
async fn the_unsubscribe_link_works_without_signing_in_and_a_wrong_one_is_refused() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 7, 0).await;
    let mut shopper = Browser::new(&app);
    signed_up(&mut shopper, "ann@example.com").await;
    assert_eq!(save(&mut shopper, product).await.status, 200);
    let mut owner = admin(&app, "owner@example.com").await;
    adjust(&mut owner, product, "3", "received").await;
    assert_eq!(sweep(&app.shop).await.unwrap(), 1);
    let mail = newest_mail(&app, "ann@example.com").await;
    let token: String = mail.split("unsubscribe?token=").nth(1).unwrap().chars().take_while(char::is_ascii_hexdigit).collect();

    let mut stranger = Browser::new(&app);
    let about = json(&stranger, &format!("/api/wishlist/unsubscribe?token={token}")).await;
    assert_eq!(about["address"], "a••@example.com", "the link shows the address half-hidden: {about}");
    let (status, html) = app.page(&format!("/wishlist/unsubscribe?token={token}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("a••@example.com") && html.contains("noindex"), "{html}");
    let off = stranger.call("wishlist/unsubscribe/set", &[("token", &token)]).await;
    assert_eq!(off.status, 200, "{}", off.body);
    assert!(off.body.contains("No more wishlist mails"), "{}", off.body);
    adjust(&mut owner, product, "-3", "counted").await;
    sweep(&app.shop).await.unwrap();
    adjust(&mut owner, product, "3", "received").await;
    assert_eq!(sweep(&app.shop).await.unwrap(), 0, "unsubscribed: no mail");
    assert_eq!(json(&shopper, "/api/wishlist").await["alerts"], false, "the account page says so too");

    for wrong in ["0".repeat(64), "not-a-token".into(), String::new(), format!("{}'", &token[..63])] {
        let reply = stranger.get(&format!("/api/wishlist/unsubscribe?token={wrong}")).await;
        assert_eq!(reply.status, 404, "{wrong}: {}", reply.body);
        let reply = stranger.call("wishlist/unsubscribe/set", &[("token", &wrong)]).await;
        assert_eq!(reply.status, 404, "{wrong}: {}", reply.body);
    }
    let on = stranger.call("wishlist/unsubscribe/set", &[("token", &token), ("on", "true")]).await;
    assert!(on.body.contains("on again"), "{}", on.body);
}

#[tokio::test]
async fn a_share_link_shows_the_wishlist_read_only_until_sharing_stops() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 8, 4).await;
    let mut shopper = Browser::new(&app);
    signed_up(&mut shopper, "sharer@example.com").await;
    assert_eq!(save(&mut shopper, product).await.status, 200);
    assert_eq!(json(&shopper, "/api/wishlist").await["share_url"], Value::Null);

    let shared = shopper.call("wishlist/share", &[("on", "true")]).await;
    assert_eq!(shared.status, 200, "{}", shared.body);
    let url = json(&shopper, "/api/wishlist").await["share_url"].as_str().unwrap().to_owned();
    let token = url.strip_prefix("https://shop.test/wishlist/shared/").expect("a link to the shared page").to_owned();
    assert_eq!(token.len(), 64);

    let friend = Browser::new(&app);
    let seen = json(&friend, &format!("/api/wishlist/shared?token={token}")).await;
    assert_eq!(seen["owner"], "Ada");
    assert_eq!(seen["items"][0]["product_id"], product, "{seen}");
    let (status, html) = app.page(&format!("/wishlist/shared/{token}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Ada’s wishlist") && html.contains("noindex"), "{html}");
    // The friend's own wishlist is theirs: the link changes nothing.
    assert!(json(&friend, "/api/wishlist").await["items"].as_array().unwrap().is_empty());

    // Sharing again makes a new link and ends the old one; stopping ends it.
    shopper.call("wishlist/share", &[("on", "true")]).await;
    let newer = json(&shopper, "/api/wishlist").await["share_url"].as_str().unwrap().to_owned();
    assert_ne!(newer, url);
    assert_eq!(friend.get(&format!("/api/wishlist/shared?token={token}")).await.status, 404);
    assert_eq!(shopper.call("wishlist/share", &[("on", "false")]).await.status, 200);
    let newer_token = newer.rsplit('/').next().unwrap();
    assert_eq!(friend.get(&format!("/api/wishlist/shared?token={newer_token}")).await.status, 404);
    assert_eq!(app.page(&format!("/wishlist/shared/{newer_token}")).await.0, 404);
    for wrong in ["x", "../../etc/passwd", &"f".repeat(64)] {
        assert_eq!(friend.get(&format!("/api/wishlist/shared?token={wrong}")).await.status, 404, "{wrong}");
    }
}

#[tokio::test]
async fn a_sold_out_product_page_offers_the_wishlist() {
    let app = spawn_app().await;
    let product = product_with_stock(&app, 9, 0).await;
    let (slug,): (String,) = sqlx::query_as("SELECT slug FROM products WHERE id = $1").bind(product).fetch_one(&app.db.pool).await.unwrap();
    let (status, html) = app.page(&format!("/p/{slug}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"data-testid="save-to-wishlist""#), "the form is there for a sold-out product");
    assert!(html.contains(r#"action="/api/cart/add""#) && html.contains(r#"name="list" value="saved""#), "and works without JavaScript");
}
