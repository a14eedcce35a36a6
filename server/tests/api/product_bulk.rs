//! Bulk actions on the back office's product list (issue 18) over HTTP:
//! archive, publish, put in a category and change prices by a percentage
//! for many products at once; what cannot be done to one product is said
//! and the rest goes through; a seller's staff reach only their own
//! products; bad input changes nothing.

use crate::helpers::{admin, audit_details, eventually, signed_up, spawn_app, staff, Browser, Reply, TestApp};

/// Sends the list's bulk form for `ids` with `fields`.
async fn bulk(browser: &mut Browser<'_>, ids: &[i64], fields: &[(&str, &str)]) -> Reply {
    let names: Vec<String> = ids.iter().map(|id| format!("selected[{id}]")).collect();
    let mut form: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "on")).collect();
    form.extend_from_slice(fields);
    browser.call("admin/products/bulk", &form).await
}

/// The first `n` active products: id, slug, price, category.
async fn products(app: &TestApp, n: i64) -> Vec<(i64, String, i64, i64)> {
    sqlx::query_as("SELECT id, slug, price_minor, category_id FROM products WHERE status = 'active' AND seller_id IS NULL ORDER BY id LIMIT $1")
        .bind(n)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

async fn status_of(app: &TestApp, id: i64) -> String {
    let (status,): (String,) = sqlx::query_as("SELECT status FROM products WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    status
}

#[tokio::test]
async fn staff_archive_publish_and_recategorise_products_in_bulk() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "owner@example.com").await;
    let picked = products(&app, 3).await;
    let ids: Vec<i64> = picked.iter().map(|p| p.0).collect();

    let archived = bulk(&mut owner, &ids, &[("action", "archive")]).await;
    assert_eq!(archived.status, 200, "{}", archived.body);
    assert!(archived.body.contains("3 products changed."), "{}", archived.body);
    for (id, slug, _, _) in &picked {
        assert_eq!(status_of(&app, *id).await, "archived");
        eventually(&app, &format!("/p/{slug}"), |status, _| status == 404).await;
    }

    // Publishing says which product cannot go back yet, and publishes the rest.
    sqlx::query("UPDATE products SET description = '' WHERE id = $1").bind(ids[0]).execute(&app.db.pool).await.unwrap();
    let published = bulk(&mut owner, &ids, &[("action", "publish")]).await;
    assert_eq!(published.status, 200, "{}", published.body);
    assert!(published.body.contains("2 products changed.") && published.body.contains("needs a description"), "{}", published.body);
    assert_eq!(status_of(&app, ids[0]).await, "archived");
    assert_eq!(status_of(&app, ids[1]).await, "active");
    eventually(&app, &format!("/p/{}", picked[1].1), |status, _| status == 200).await;

    // Into another department's aisle: the department follows.
    let (aisle, department): (i64, i64) = sqlx::query_as(
        "SELECT id, parent_id FROM categories WHERE parent_id IS NOT NULL AND id <> $1 AND parent_id <> (SELECT parent_id FROM categories WHERE id = $1) LIMIT 1",
    )
    .bind(picked[1].3)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let moved = bulk(&mut owner, &ids[1..], &[("action", "category"), ("category", &aisle.to_string())]).await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    for id in &ids[1..] {
        let row: (i64, i64) =
            sqlx::query_as("SELECT category_id, department_id FROM products WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
        assert_eq!(row, (aisle, department));
    }
    let changes = audit_details(&app, "product-changed").await;
    assert_eq!(changes.len(), 3 + 2 + 2, "{changes:?}");
    assert!(changes.iter().all(|d| d.ends_with("(bulk)")), "{changes:?}");
}

#[tokio::test]
async fn bulk_price_changes_round_and_keep_under_compare_at_prices() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "owner@example.com").await;
    let picked = products(&app, 2).await;
    let (a, b) = (picked[0].0, picked[1].0);
    sqlx::query("UPDATE products SET price_minor = 1999, compare_at_minor = NULL WHERE id = $1").bind(a).execute(&app.db.pool).await.unwrap();
    sqlx::query("UPDATE products SET price_minor = 1000, compare_at_minor = 1050 WHERE id = $1").bind(b).execute(&app.db.pool).await.unwrap();

    let up = bulk(&mut owner, &[a, b], &[("action", "price"), ("percent", "+10")]).await;
    assert_eq!(up.status, 200, "{}", up.body);
    assert!(up.body.contains("1 product changed.") && up.body.contains("compare-at"), "{}", up.body);
    let price = |id: i64| {
        let pool = app.db.pool.clone();
        async move {
            let (p,): (i64,) = sqlx::query_as("SELECT price_minor FROM products WHERE id = $1").bind(id).fetch_one(&pool).await.unwrap();
            p
        }
    };
    assert_eq!((price(a).await, price(b).await), (2199, 1000)); // 2198.9 rounds up
    let down = bulk(&mut owner, &[a, b], &[("action", "price"), ("percent", "-12.5")]).await;
    assert_eq!(down.status, 200, "{}", down.body);
    assert_eq!((price(a).await, price(b).await), (1924, 875)); // 1924.125, 875
    let changes = audit_details(&app, "product-changed").await;
    assert!(changes.iter().any(|d| d.contains("price “21.99 USD” → “19.24 USD”")), "{changes:?}");
}

#[tokio::test]
async fn a_sellers_staff_bulk_change_only_their_own_products() {
    let app = spawn_app().await;
    let sellers: Vec<(i64,)> = sqlx::query_as("SELECT id FROM sellers ORDER BY id LIMIT 2").fetch_all(&app.db.pool).await.unwrap();
    let (mine, theirs) = (sellers[0].0, sellers[1].0);
    let first = |seller: i64| {
        let pool = app.db.pool.clone();
        async move {
            let (id,): (i64,) = sqlx::query_as("SELECT id FROM products WHERE seller_id = $1 AND status = 'active' ORDER BY id LIMIT 1")
                .bind(seller)
                .fetch_one(&pool)
                .await
                .unwrap();
            id
        }
    };
    let (own, other) = (first(mine).await, first(theirs).await);
    let mut packer = staff(&app, "packer@example.com", Some(mine)).await;
    let reply = bulk(&mut packer, &[own, other], &[("action", "archive")]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.contains("1 product changed.") && reply.body.contains(&format!("#{other}: there is no such product")), "{}", reply.body);
    assert_eq!((status_of(&app, own).await.as_str(), status_of(&app, other).await.as_str()), ("archived", "active"));
}

#[tokio::test]
async fn bad_bulk_requests_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "owner@example.com").await;
    let ids: Vec<i64> = products(&app, 2).await.iter().map(|p| p.0).collect();
    let many: Vec<i64> = (1..=101).collect();
    for (ids, fields, says) in [
        (&[][..], vec![("action", "archive")], "Select the products first."),
        (&many[..], vec![("action", "archive")], "at most 100"),
        (&ids[..], vec![("action", "explode")], "Unknown bulk action."),
        (&ids[..], vec![("action", "")], "Choose what to do"),
        (&ids[..], vec![("action", "price"), ("percent", "-95")], "from -90 to 1000"),
        (&ids[..], vec![("action", "price"), ("percent", "ten")], "from -90 to 1000"),
        (&ids[..], vec![("action", "category"), ("category", "999999")], "Choose the category from the list."),
    ] {
        let reply = bulk(&mut owner, ids, &fields).await;
        assert!(reply.status == 400 && reply.body.contains(says), "{fields:?}: {} {}", reply.status, reply.body);
    }
    let mut stranger = Browser::new(&app);
    assert_eq!(bulk(&mut stranger, &ids, &[("action", "archive")]).await.status, 401);
    let mut customer = Browser::new(&app);
    signed_up(&mut customer, "shopper@example.com").await;
    assert_eq!(bulk(&mut customer, &ids, &[("action", "archive")]).await.status, 403);
    for id in ids {
        assert_eq!(status_of(&app, id).await, "active");
    }
    assert!(audit_details(&app, "product-changed").await.is_empty());
}
