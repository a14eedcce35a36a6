//! Real payments through Stripe's hosted Checkout (issue 19), against a
//! local stand-in that answers as Stripe documents (`helpers::stripe`): the
//! shopper is sent to Stripe's page for the order's amount in its currency;
//! the shop takes no card numbers; the signed event pays the order once
//! (duplicates, forgeries, stale and out-of-order events change nothing);
//! slow payment methods and expired pages; an answer lost on the way back is
//! asked again by its idempotency key (no second session), and a call that
//! failed inside Stripe made no page; refunds go back through the Payment
//! Intent once, also when asked again after Stripe forgot the key.

use crate::helpers::stripe::{FakeStripe, SECRET_KEY, WEBHOOK_SECRET};
use crate::helpers::{admin, key, location, newest_mail, order_status, pay, ship_and_deliver, spawn_app_with, stock, unpaid_order, Browser, Reply, TestApp, VISA};
use app::ssr::now;
use oxcart::config::PaymentProvider;
use serde_json::json;

async fn stripe_shop(fake: &FakeStripe) -> TestApp {
    let api = fake.base.clone();
    spawn_app_with(move |config| {
        config.payment_provider = PaymentProvider::Stripe;
        config.stripe_secret_key = SECRET_KEY.into();
        config.stripe_api = api;
        config.webhook_secret = WEBHOOK_SECRET.into();
    })
    .await
}

/// Sends a signed event to the shop's Stripe endpoint: (status, body).
async fn deliver(app: &TestApp, (body, signature): &(String, String)) -> (u16, String) {
    let reply = app
        .client
        .post(format!("{}/webhooks/stripe", app.base))
        .header("stripe-signature", signature)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    (reply.status().as_u16(), reply.text().await.unwrap())
}

/// The pay form as the shop shows it with Stripe: no card fields.
async fn pay_on_stripe(shopper: &mut Browser<'_>, order: &(String, String), form_key: &str) -> Reply {
    shopper.call("checkout/pay", &[("number", &order.0), ("key", &order.1), ("idempotency_key", form_key)]).await
}

/// The Checkout Session a reply sent the shopper to.
fn session_of(fake: &FakeStripe, reply: &Reply) -> String {
    let to = location(reply);
    to.strip_prefix(&format!("{}/pay/", fake.base)).unwrap_or_else(|| panic!("not Stripe's page: {to}")).to_owned()
}

#[tokio::test]
async fn a_shopper_pays_on_stripes_page_and_the_signed_event_pays_the_order_once() {
    let fake = FakeStripe::start().await;
    let app = stripe_shop(&fake).await;
    let (mut shopper, product, order) = unpaid_order(&app, 21, 3, "stripe-buyer@example.com").await;

    let page = shopper.get(&format!("/order/{}?key={}", order.0, order.1)).await.body;
    assert!(page.contains("Pay on Stripe") && !page.contains("card_number"), "no card fields: the card is typed at Stripe");
    let typed = pay(&mut shopper, &order, &key("typed"), VISA).await;
    assert!(typed.status == 400 && typed.body.contains("secure page"), "{} {}", typed.status, typed.body);
    assert_eq!(fake.sessions(), 0);

    let form_key = key("stripe");
    let sent = pay_on_stripe(&mut shopper, &order, &form_key).await;
    let id = session_of(&fake, &sent);
    let (total, currency): (i64, String) =
        sqlx::query_as("SELECT total_minor, currency FROM orders WHERE number = $1").bind(&order.0).fetch_one(&app.db.pool).await.unwrap();
    let session = fake.session(&id);
    assert_eq!((session["amount_total"].as_i64(), session["currency"].as_str()), (Some(total), Some(currency.to_lowercase().as_str())));
    assert_eq!(session["success_url"], format!("https://shop.test/order/{}?key={}", order.0, order.1));
    assert_eq!(location(&pay_on_stripe(&mut shopper, &order, &form_key).await), location(&sent), "a double click is the same page");
    assert_eq!(fake.sessions(), 1);

    // Stripe's event, checked by its signature and age.
    let paid = fake.pay(&id, true, now());
    let forged = (paid.0.replace("\"paid\"", "\"paid\" "), paid.1.clone());
    assert_eq!(deliver(&app, &forged).await.0, 400, "a changed body");
    let stale = fake.event("checkout.session.completed", fake.session(&id), now() - 600);
    assert_eq!(deliver(&app, &stale).await.0, 400, "too old");
    assert_eq!(order_status(&app, &order.0).await, "pending-payment");
    assert_eq!(deliver(&app, &paid).await, (200, "applied".into()));
    assert_eq!(order_status(&app, &order.0).await, "paid");
    assert!(newest_mail(&app, "stripe-buyer@example.com").await.contains("We received your payment"));
    assert_eq!(deliver(&app, &paid).await, (200, "duplicate".into()), "Stripe sends an event again until it hears 2xx");
    let (card, captured): (String, Option<i64>) =
        sqlx::query_as("SELECT card, captured_at FROM payments WHERE provider_ref = $1").bind(&id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(card, "Card, on Stripe");
    assert!(captured.is_some(), "the shop confirmed with Stripe that the session is paid");

    // Out of order: an expiry that arrives after the payment changes nothing.
    let late = fake.event("checkout.session.expired", json!({"id": id, "status": "expired", "payment_status": "unpaid"}), now());
    assert_eq!(deliver(&app, &late).await.0, 200);
    assert_eq!(order_status(&app, &order.0).await, "paid");
    assert_eq!(stock(&app, product).await.0, 2, "the unit stays sold");
}

#[tokio::test]
async fn slow_payment_methods_and_expired_pages() {
    let fake = FakeStripe::start().await;
    let app = stripe_shop(&fake).await;

    // A bank debit: the page is done before the money is; the order is paid when it clears.
    let (mut shopper, _, order) = unpaid_order(&app, 22, 3, "slow@example.com").await;
    let id = session_of(&fake, &pay_on_stripe(&mut shopper, &order, &key("slow")).await);
    assert_eq!(deliver(&app, &fake.pay(&id, false, now())).await.0, 200);
    assert_eq!(order_status(&app, &order.0).await, "pending-payment", "not paid yet");
    assert_eq!(deliver(&app, &fake.settle_later(&id, true, now())).await, (200, "applied".into()));
    assert_eq!(order_status(&app, &order.0).await, "paid");

    // The page expires unpaid: the payment failed, the stock goes back, the shopper may pay again.
    let (mut shopper, product, order) = unpaid_order(&app, 23, 3, "gone@example.com").await;
    assert_eq!(stock(&app, product).await.0, 2);
    let id = session_of(&fake, &pay_on_stripe(&mut shopper, &order, &key("gone")).await);
    assert_eq!(deliver(&app, &fake.expire(&id, now())).await, (200, "applied".into()));
    let (status,): (String,) = sqlx::query_as("SELECT status FROM payments WHERE provider_ref = $1").bind(&id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(status, "failed");
    assert_eq!(stock(&app, product).await.0, 3, "the held unit is back");
    let again = session_of(&fake, &pay_on_stripe(&mut shopper, &order, &key("gone-again")).await);
    assert_ne!(again, id, "a new page for a new attempt");
    assert_eq!(deliver(&app, &fake.pay(&again, true, now())).await.0, 200);
    assert_eq!(order_status(&app, &order.0).await, "paid");
    assert_eq!(stock(&app, product).await.0, 2);
}

#[tokio::test]
async fn an_answer_lost_on_the_way_back_is_asked_again_by_its_key_without_a_second_session() {
    let fake = FakeStripe::start().await;
    let app = stripe_shop(&fake).await;
    let (mut shopper, _, order) = unpaid_order(&app, 24, 3, "lost@example.com").await;
    fake.garble_next();
    let lost = pay_on_stripe(&mut shopper, &order, &key("lost")).await;
    assert!(lost.status == 409 && lost.body.contains("did not answer in time"), "{} {}", lost.status, lost.body);
    assert_eq!(fake.sessions(), 1, "Stripe made the session; the shop did not hear it");
    sqlx::query("UPDATE payments SET updated_at = updated_at - 600").execute(&app.db.pool).await.unwrap();

    assert_eq!(app::ssr::payments::pay::settle_stuck(&app.shop, 120).await.unwrap(), 1);
    assert_eq!(fake.sessions(), 1, "asked again under the same key: the same session");
    let page = shopper.get(&format!("/order/{}?key={}", order.0, order.1)).await.body;
    assert!(page.contains("Continue to Stripe&#x27;s payment page") || page.contains("Continue to Stripe's payment page"), "{page}");
    let (id,): (String,) = sqlx::query_as("SELECT provider_ref FROM payments").fetch_one(&app.db.pool).await.unwrap();
    assert!(page.contains(&format!("{}/pay/{id}", fake.base)), "the link goes to that session's page");
    assert_eq!(deliver(&app, &fake.pay(&id, true, now())).await.0, 200);
    assert_eq!(order_status(&app, &order.0).await, "paid");
}

#[tokio::test]
async fn a_call_that_failed_inside_stripe_made_no_page_and_the_order_can_be_paid_again() {
    let fake = FakeStripe::start().await;
    let app = stripe_shop(&fake).await;
    let (mut shopper, product, order) = unpaid_order(&app, 26, 3, "failed@example.com").await;
    fake.fail_next();
    let failed = pay_on_stripe(&mut shopper, &order, &key("failed")).await;
    assert!(failed.status == 409 && failed.body.contains("did not answer in time"), "{} {}", failed.status, failed.body);
    assert_eq!(stock(&app, product).await.0, 2, "held while the outcome is unknown");
    sqlx::query("UPDATE payments SET updated_at = updated_at - 600").execute(&app.db.pool).await.unwrap();

    // Asked again, Stripe replays its own error: no page was made, nothing can have been paid.
    assert_eq!(app::ssr::payments::pay::settle_stuck(&app.shop, 120).await.unwrap(), 1);
    let (status,): (String,) = sqlx::query_as("SELECT status FROM payments").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(status, "failed");
    assert_eq!((fake.sessions(), stock(&app, product).await.0), (0, 3), "no session; the unit is back");
    let id = session_of(&fake, &pay_on_stripe(&mut shopper, &order, &key("failed-again")).await);
    assert_eq!(deliver(&app, &fake.pay(&id, true, now())).await.0, 200);
    assert_eq!(order_status(&app, &order.0).await, "paid");
}

#[tokio::test]
async fn refunds_go_back_through_the_payment_intent_once() {
    let fake = FakeStripe::start().await;
    let app = stripe_shop(&fake).await;
    let (mut shopper, _, order) = unpaid_order(&app, 25, 3, "refund@example.com").await;
    let id = session_of(&fake, &pay_on_stripe(&mut shopper, &order, &key("refund")).await);
    assert_eq!(deliver(&app, &fake.pay(&id, true, now())).await.0, 200);
    let mut boss = admin(&app, "stripe-refunds@example.com").await;
    ship_and_deliver(&mut boss, &order.0, "S-1").await;
    let (order_id,): (i64,) = sqlx::query_as("SELECT id FROM orders WHERE number = $1").bind(&order.0).fetch_one(&app.db.pool).await.unwrap();

    app::ssr::returns::refunds::refund(&app.shop, order_id, Some(300), "admin:stripe-refunds@example.com", true).await.unwrap();
    let refunds = fake.refunds();
    assert_eq!(refunds.len(), 1);
    assert_eq!((refunds[0].0.as_str(), refunds[0].1), (format!("pi_{}", &id[3..]).as_str(), 300));
    assert!(!refunds[0].2.is_empty(), "under the shop's idempotency key");
    // The same refund sent again (a retry after a crash) is Stripe's first answer, not a second refund.
    let provider = &app.shop.provider;
    let amount = app::domain::money::Money::new(300, app::domain::money::Currency::Usd);
    provider.refund(&refunds[0].2, &id, amount).await.unwrap();
    assert_eq!(fake.refunds().len(), 1);
    // A day later Stripe no longer knows the key: the refund is found by the key it carries.
    fake.forget_keys();
    provider.refund(&refunds[0].2, &id, amount).await.unwrap();
    assert_eq!(fake.refunds().len(), 1, "still one refund");
    // A refund in another currency than the payment's never reaches Stripe.
    let euros = app::domain::money::Money::new(300, app::domain::money::Currency::Eur);
    assert!(provider.refund("other-currency", &id, euros).await.is_err());
    assert_eq!(fake.refunds().len(), 1);
    let (status, amount): (String, i64) =
        sqlx::query_as("SELECT status, amount_minor FROM refunds WHERE order_id = $1").bind(order_id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!((status.as_str(), amount), ("succeeded", 300));
}

#[tokio::test]
async fn a_refund_stripe_is_still_processing_settles_with_its_event_and_a_failed_one_is_refundable_again() {
    let fake = FakeStripe::start().await;
    let app = stripe_shop(&fake).await;
    let (mut shopper, _, order) = unpaid_order(&app, 26, 3, "slow-refund@example.com").await;
    let id = session_of(&fake, &pay_on_stripe(&mut shopper, &order, &key("slow-refund")).await);
    assert_eq!(deliver(&app, &fake.pay(&id, true, now())).await.0, 200);
    let mut boss = admin(&app, "stripe-slow-refunds@example.com").await;
    ship_and_deliver(&mut boss, &order.0, "S-2").await;
    let (order_id,): (i64,) = sqlx::query_as("SELECT id FROM orders WHERE number = $1").bind(&order.0).fetch_one(&app.db.pool).await.unwrap();
    let newest_refund = || async {
        sqlx::query_as::<_, (String, String)>("SELECT status, message FROM refunds WHERE order_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(order_id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    let refunded = || async {
        sqlx::query_as::<_, (i64,)>("SELECT refunded_minor FROM orders WHERE id = $1").bind(order_id).fetch_one(&app.db.pool).await.unwrap().0
    };
    let staff = "admin:stripe-slow-refunds@example.com";

    // Stripe takes the refund but is still processing it: it stays pending, its amount reserved, the order as it was.
    fake.refund_pending_next();
    app::ssr::returns::refunds::refund(&app.shop, order_id, Some(300), staff, true).await.unwrap();
    let (status, message) = newest_refund().await;
    assert_eq!(status, "pending");
    assert!(message.contains("Stripe is processing"), "{message}");
    assert_eq!((order_status(&app, &order.0).await.as_str(), refunded().await), ("delivered", 300));
    // Asked again by the chore (no event yet): still processing, still pending, never sent twice.
    app::ssr::returns::refunds::settle_stuck(&app.shop, -1).await.unwrap();
    assert_eq!((newest_refund().await.0.as_str(), fake.refunds().len()), ("pending", 1));
    // Meanwhile no second refund can start (it could pay twice if the first goes through).
    let twice = app::ssr::returns::refunds::refund(&app.shop, order_id, Some(100), staff, true).await;
    assert!(matches!(twice, Err(app::error::AppError::Conflict(_))), "{twice:?}");
    assert_eq!(fake.refunds().len(), 1);

    // Its event: settled, the order refunded in part, the buyer told; the same event again changes nothing.
    let first_key = fake.refunds()[0].2.clone();
    let done = fake.settle_refund(&first_key, "succeeded", now());
    assert_eq!(deliver(&app, &done).await, (200, "applied".to_owned()));
    assert_eq!(newest_refund().await.0, "succeeded");
    assert_eq!(order_status(&app, &order.0).await, "partially-refunded");
    assert!(newest_mail(&app, "slow-refund@example.com").await.starts_with("We refunded $3.00"));
    assert_eq!(deliver(&app, &done).await.1, "duplicate");

    // A second refund fails at the bank after Stripe took it: the amount is refundable again and staff see why.
    fake.refund_pending_next();
    app::ssr::returns::refunds::refund(&app.shop, order_id, Some(200), staff, true).await.unwrap();
    let second_key = fake.refunds()[1].2.clone();
    assert_eq!(deliver(&app, &fake.settle_refund(&second_key, "failed", now())).await.0, 200);
    let (status, message) = newest_refund().await;
    assert_eq!(status, "failed");
    assert!(message.contains("expired_or_canceled_card"), "{message}");
    assert_eq!(refunded().await, 300, "only the first refund counts");
    // An event for a refund the shop does not know is taken and ignored (Stripe stops retrying it).
    let stranger = fake.event("refund.updated", json!({"id": "re_x", "object": "refund", "status": "succeeded", "metadata": {}}), now());
    assert_eq!(deliver(&app, &stranger).await.0, 200);
    // Staff refund it again, and this time it goes through at once.
    app::ssr::returns::refunds::refund(&app.shop, order_id, Some(200), staff, true).await.unwrap();
    assert_eq!((newest_refund().await.0.as_str(), refunded().await), ("succeeded", 500));

    // Days later the buyer's bank sends that one back: it no longer counts, and the admins are told.
    let third_key = fake.refunds()[2].2.clone();
    assert_eq!(deliver(&app, &fake.settle_refund(&third_key, "failed", now())).await, (200, "applied".to_owned()));
    let (status, message) = newest_refund().await;
    assert_eq!((status.as_str(), refunded().await), ("failed", 300));
    assert!(message.contains("another way"), "{message}");
    let (subject,): (String,) = sqlx::query_as("SELECT subject FROM outbox_emails WHERE to_address = 'stripe-slow-refunds@example.com' ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(subject, format!("Refund failed: order {}", order.0));
}
