//! True races: the server runs on a multi-threaded runtime, so two requests
//! (or a request and a background chore) run at the same time on different
//! threads and interleave inside their transactions, not only at await
//! points. Each race runs for several rounds; every round must end in one
//! consistent outcome, and the money and the stock move once.

use crate::helpers::{key, location, order_status, pay, payment_reference, product_with_stock, stock, unpaid_order, VISA};
use crate::helpers::{signed_up, spawn_app, Browser, TestApp};
use crate::helpers::{admin, paid_order, ship_and_deliver};

const ROUNDS: i64 = 6;

/// A second tab of `browser`: the same cookie, its own connection.
fn tab<'a>(browser: &Browser<'a>) -> Browser<'a> {
    Browser { app: browser.app, client: reqwest::Client::new(), cookie: browser.cookie.clone() }
}

async fn count(app: &TestApp, sql: &str, number: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).bind(number).fetch_one(&app.db.pool).await.unwrap();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_payments_of_one_order_with_different_keys_charge_it_once() {
    let app = spawn_app().await;
    for round in 0..ROUNDS {
        let (shopper, product, order) = unpaid_order(&app, 30 + round, 1, &format!("tabs{round}@example.com")).await;
        let (mut one, mut two) = (tab(&shopper), tab(&shopper));
        let (key_one, key_two) = (key("tab-one"), key("tab-two"));
        let (a, b) = tokio::join!(pay(&mut one, &order, &key_one, VISA), pay(&mut two, &order, &key_two, VISA));
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert!(statuses[0] < 400 && statuses[1] == 409, "round {round}: one pays, the other is told: {} {} / {} {}", a.status, a.body, b.status, b.body);
        assert_eq!(order_status(&app, &order.0).await, "paid");
        let charged = count(
            &app,
            "SELECT COUNT(*) FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.number = $1 AND p.provider_ref IS NOT NULL",
            &order.0,
        )
        .await;
        assert_eq!(charged, 1, "round {round}: one payment reached the card processor");
        assert_eq!(stock(&app, product).await, (0, 0));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_full_refunds_at_once_give_the_money_back_once() {
    let app = spawn_app().await;
    let boss = admin(&app, "two-refunds@example.com").await;
    for round in 0..ROUNDS {
        let product = product_with_stock(&app, 40 + round, 1).await;
        let order = paid_order(&mut Browser::new(&app), product, &format!("refund{round}@example.com")).await;
        let mut desk = tab(&boss);
        ship_and_deliver(&mut desk, &order.0, &format!("T-{round}")).await;
        let total = count(&app, "SELECT total_minor FROM orders WHERE number = $1", &order.0).await;
        let amount = format!("{}.{:02}", total / 100, total % 100);
        let form = [("number", order.0.as_str()), ("amount", amount.as_str())];
        let (mut one, mut two) = (tab(&boss), tab(&boss));
        let (a, b) = tokio::join!(one.call("admin/orders/refund", &form), two.call("admin/orders/refund", &form));
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert!(statuses[0] < 400, "round {round}: one refund goes through: {} {} / {} {}", a.status, a.body, b.status, b.body);
        assert!(matches!(statuses[1], 400 | 409), "round {round}: the other is refused: {} {} / {} {}", a.status, a.body, b.status, b.body);
        assert_eq!(order_status(&app, &order.0).await, "refunded");
        let sent = "SELECT COUNT(*) FROM refunds r JOIN orders o ON o.id = r.order_id WHERE o.number = $1 AND r.status = 'succeeded'";
        assert_eq!(count(&app, sent, &order.0).await, 1);
        assert_eq!(count(&app, "SELECT refunded_minor FROM orders WHERE number = $1", &order.0).await, total);
        let reference = payment_reference(&app, &order.0).await;
        assert_eq!(app.testpay().money(&reference).unwrap().2, total, "round {round}: the processor refunded the total once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cancelling_while_staff_ship_ends_in_one_or_the_other() {
    let app = spawn_app().await;
    let boss = admin(&app, "ship-race@example.com").await;
    let mut customer = Browser::new(&app);
    signed_up(&mut customer, "cancel-race@example.com").await;
    let (mut cancelled, mut shipped) = (0, 0);
    for round in 0..ROUNDS {
        let product = product_with_stock(&app, 50 + round, 3).await;
        let order = paid_order(&mut customer, product, "").await;
        let (mut buyer, mut desk) = (tab(&customer), tab(&boss));
        let tracking = format!("R-{round}");
        let ship = [("number", order.0.as_str()), ("carrier", "DHL"), ("tracking", tracking.as_str())];
        let cancel = [("number", order.0.as_str())];
        let (a, b) = tokio::join!(buyer.call("order/cancel", &cancel), desk.call("admin/orders/ship", &ship));
        let shipments = count(
            &app,
            "SELECT COUNT(*) FROM shipments s JOIN orders o ON o.id = s.order_id WHERE o.number = $1",
            &order.0,
        )
        .await;
        let refunded = count(&app, "SELECT refunded_minor FROM orders WHERE number = $1", &order.0).await;
        match order_status(&app, &order.0).await.as_str() {
            "cancelled" => {
                cancelled += 1;
                assert!(a.status < 400 && b.status == 409, "round {round}: {} {} / {} {}", a.status, a.body, b.status, b.body);
                assert_eq!(shipments, 0, "nothing shipped");
                assert!(refunded > 0, "refunded");
                assert_eq!(stock(&app, product).await, (3, 3), "the unit is back");
            }
            "shipped" => {
                shipped += 1;
                assert!(b.status < 400 && a.status == 409, "round {round}: {} {} / {} {}", a.status, a.body, b.status, b.body);
                assert_eq!(shipments, 1);
                assert_eq!(refunded, 0, "nothing refunded");
                assert_eq!(stock(&app, product).await, (2, 2), "the unit left with the parcel");
            }
            other => panic!("round {round}: {other}"),
        }
    }
    assert_eq!(cancelled + shipped, ROUNDS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_bank_confirmation_racing_the_expiry_of_the_hold_pays_the_order_once() {
    let app = spawn_app().await;
    for round in 0..ROUNDS {
        let (mut shopper, product, order) = unpaid_order(&app, 60 + round, 1, &format!("bank{round}@example.com")).await;
        let asked = pay(&mut shopper, &order, &key("pay"), "4000002760003184").await;
        assert!(location(&asked).contains("/testpay/confirm/"), "the bank asks first");
        let reference = payment_reference(&app, &order.0).await;
        sqlx::query("UPDATE orders SET reserved_until = 0 WHERE number = $1").bind(&order.0).execute(&app.db.pool).await.unwrap();
        let (body, signature) = app.testpay().confirm(&reference, app::ssr::now()).unwrap();
        let webhook = app.client.post(format!("{}/webhooks/testpay", app.base)).header("testpay-signature", signature).body(body);
        let (expired, confirmed) = tokio::join!(app::ssr::inventory::stock::release_expired(&app.db), webhook.send());
        assert!(expired.unwrap() <= 1);
        assert_eq!(confirmed.unwrap().status(), 200);
        assert_eq!(order_status(&app, &order.0).await, "paid", "round {round}");
        assert_eq!(stock(&app, product).await, (0, 0), "round {round}: held once, whichever came first");
    }

    // Too late: the hold expired and another buyer took the last unit first.
    let (mut slow, product, order) = unpaid_order(&app, 70, 1, "too-late@example.com").await;
    let setup = pay(&mut slow, &order, &key("pay"), "4000002760003184").await;
    assert!(setup.status < 400, "setup: {} {}", setup.status, setup.body);
    sqlx::query("UPDATE orders SET reserved_until = 0 WHERE number = $1").bind(&order.0).execute(&app.db.pool).await.unwrap();
    assert_eq!(app::ssr::inventory::stock::release_expired(&app.db).await.unwrap(), 1);
    paid_order(&mut Browser::new(&app), product, "quick@example.com").await;
    let reference = payment_reference(&app, &order.0).await;
    let (body, signature) = app.testpay().confirm(&reference, app::ssr::now()).unwrap();
    let late = app.client.post(format!("{}/webhooks/testpay", app.base)).header("testpay-signature", signature).body(body);
    assert_eq!(late.send().await.unwrap().status(), 200);
    assert_ne!(order_status(&app, &order.0).await, "paid", "no oversold unit");
    assert_eq!(stock(&app, product).await, (0, 0));
    let (amount, _, refunded) = app.testpay().money(&reference).unwrap();
    assert_eq!(refunded, amount.minor(), "the late payment went back in full");
    let (status,): (String,) = sqlx::query_as("SELECT status FROM payments WHERE provider_ref = $1").bind(&reference).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(status, "refunded");
}
