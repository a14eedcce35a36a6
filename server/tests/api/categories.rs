//! The back office's category tree and brands (issue 18) over HTTP: admins
//! create departments and aisles that reach the navigation within a second,
//! rename them (the old address answers 301, search follows), move an aisle
//! to another department (its products follow), reorder them, and delete
//! only what holds nothing; brands likewise (a deleted brand's picture files
//! go with it), and a brand's page shows the description, SEO fields and
//! picture staff give it. Bad input and stale
//! saves change nothing; only admins may do any of it; every change is in
//! the audit log.

use crate::helpers::{admin, audit_details, eventually, jpeg, signed_up, spawn_app, staff, total, Browser, Reply, TestApp};
use serde_json::Value;
use std::time::Duration;

/// A category's id and version.
async fn category(app: &TestApp, slug: &str) -> (i64, i64) {
    sqlx::query_as("SELECT id, version FROM categories WHERE slug = $1").bind(slug).fetch_one(&app.db.pool).await.unwrap()
}

/// Saves the category editor (`id` 0 creates) with `fields` as `input[…]`.
async fn save(browser: &mut Browser<'_>, id: i64, version: i64, fields: &[(&str, &str)]) -> Reply {
    let (id, version) = (id.to_string(), version.to_string());
    let names: Vec<String> = fields.iter().map(|(f, _)| format!("input[{f}]")).collect();
    let mut form = vec![("id", id.as_str()), ("version", version.as_str())];
    form.extend(names.iter().map(String::as_str).zip(fields.iter().map(|(_, v)| *v)));
    browser.call("admin/categories/save", &form).await
}

/// Creates a category and returns its id.
async fn create(browser: &mut Browser<'_>, fields: &[(&str, &str)]) -> i64 {
    let reply = save(browser, 0, 0, fields).await;
    assert_eq!(reply.status, 200, "create: {}", reply.body);
    reply.body.trim().parse().expect("the new category's id")
}

/// The order of `slugs` in the header's navigation on the home page.
fn nav_order(html: &str, slugs: &[&str]) -> Vec<usize> {
    slugs.iter().map(|s| html.find(&format!("href=\"/c/{s}\"")).unwrap_or(usize::MAX)).collect()
}

async fn count(app: &TestApp, table: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&app.db.pool).await.unwrap();
    n
}

#[tokio::test]
async fn an_admin_builds_a_department_with_an_aisle_and_the_shop_shows_it_within_a_second() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "owner@example.com").await;
    let garden = create(&mut owner, &[("name", "Garden & Patio"), ("description", "Everything for outside.")]).await;
    let took = eventually(&app, "/", |_, html| html.contains("href=\"/c/garden-patio\"")).await;
    assert!(took < Duration::from_secs(1), "a new department in the navigation after {took:?}");

    let garden_text = garden.to_string();
    let planters = create(
        &mut owner,
        &[("name", "Planters"), ("parent", &garden_text), ("seo_title", "Planters and pots"), ("seo_description", "Pots for every plant.")],
    )
    .await;
    let (status, page) = app.page("/c/planters").await;
    assert_eq!(status, 200);
    assert!(page.contains("href=\"/c/garden-patio\""), "the trail leads to its department");
    assert!(page.contains("<title>Planters and pots | Oxcart</title>"), "the SEO title");
    assert!(page.contains("Pots for every plant."), "the SEO description");

    let tree: Value = serde_json::from_str(&owner.get("/api/admin/categories").await.body).unwrap();
    let department = tree["departments"].as_array().unwrap().iter().find(|d| d["id"] == garden).expect("in the tree");
    assert_eq!(department["children"][0]["id"], planters);
    assert_eq!(department["children"][0]["products"], 0);

    let created = audit_details(&app, "category-created").await;
    assert!(created[0].contains(&format!("category {garden} “Garden & Patio” (/c/garden-patio) created")), "{created:?}");
    assert_eq!(created.len(), 2);
}

#[tokio::test]
async fn renaming_a_category_moves_its_address_and_search_follows() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "owner@example.com").await;
    let (id, version) = category(&app, "smartphones").await;
    let (_, before) = app.page("/c/smartphones").await;
    let listed = total(&before);
    assert!(listed > 0);

    let renamed = save(&mut owner, id, version, &[("name", "Mobile Phones"), ("slug", "mobile-phones"), ("parent", &parent_of(&app, id).await)]).await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let took = eventually(&app, "/c/mobile-phones", |status, html| status == 200 && total(html) == listed).await;
    assert!(took < Duration::from_secs(1), "the renamed category lists its products after {took:?}");
    let old = app.get("/c/smartphones?sort=price").await;
    assert_eq!(old.status(), 301);
    assert_eq!(old.headers()["location"], "/c/mobile-phones?sort=price");

    // A save from before the rename is refused and changes nothing.
    let stale = save(&mut owner, id, version, &[("name", "Phones")]).await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(stale.body.contains("Someone else saved this category"));
    let (name,): (String,) = sqlx::query_as("SELECT name FROM categories WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(name, "Mobile Phones");

    // Taking the old slug back ends its redirect.
    let (_, version) = category(&app, "mobile-phones").await;
    let back = save(&mut owner, id, version, &[("name", "Smartphones"), ("slug", "smartphones"), ("parent", &parent_of(&app, id).await)]).await;
    assert_eq!(back.status, 200, "{}", back.body);
    assert_eq!(app.get("/c/smartphones").await.status(), 200);
    assert_eq!(app.get("/c/mobile-phones").await.status(), 301);
    let changed = audit_details(&app, "category-changed").await;
    assert!(changed[0].contains("name “Smartphones” → “Mobile Phones”; slug “smartphones” → “mobile-phones”"), "{changed:?}");
}

/// Category `id`'s department id, as the editor's select box sends it.
async fn parent_of(app: &TestApp, id: i64) -> String {
    let (parent,): (Option<i64>,) =
        sqlx::query_as("SELECT parent_id FROM categories WHERE id = $1").bind(id).fetch_one(&app.db.pool).await.unwrap();
    parent.map(|p| p.to_string()).unwrap_or_default()
}

#[tokio::test]
async fn moving_an_aisle_to_another_department_takes_its_products_along() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "owner@example.com").await;
    let (phones, version) = category(&app, "smartphones").await;
    let (electronics, _) = category(&app, "electronics").await;
    let (home, home_version) = category(&app, "home-kitchen").await;
    let (_, page) = app.page("/c/home-kitchen").await;
    let home_before = total(&page);
    let (phones_count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM products WHERE category_id = $1").bind(phones).fetch_one(&app.db.pool).await.unwrap();

    // Refused: under an aisle, under itself, a department with aisles under another.
    let (an_aisle,): (i64,) =
        sqlx::query_as("SELECT id FROM categories WHERE parent_id = $1 AND id <> $2 LIMIT 1").bind(electronics).bind(phones).fetch_one(&app.db.pool).await.unwrap();
    for (id, v, parent, says) in [
        (phones, version, an_aisle.to_string(), "not an aisle"),
        (home, home_version, home.to_string(), "cannot be its own department"),
        (home, home_version, electronics.to_string(), "has aisles of its own"),
    ] {
        let name = if id == phones { "Smartphones" } else { "Home & Kitchen" };
        let refused = save(&mut owner, id, v, &[("name", name), ("parent", &parent)]).await;
        assert!(refused.status == 400 && refused.body.contains(says), "{says}: {} {}", refused.status, refused.body);
    }
    assert_eq!(category(&app, "home-kitchen").await.1, home_version, "nothing saved");

    let home_text = home.to_string();
    let moved = save(&mut owner, phones, version, &[("name", "Smartphones"), ("parent", &home_text)]).await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let (followed,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products WHERE category_id = $1 AND department_id = $2")
        .bind(phones)
        .bind(home)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(followed, phones_count, "every product of the aisle is in its new department");
    let took = eventually(&app, "/c/home-kitchen", |_, html| total(html) == home_before + phones_count as u64).await;
    assert!(took < Duration::from_secs(1), "the department lists the moved aisle's products after {took:?}");
    let (_, page) = app.page("/c/smartphones").await;
    assert!(page.contains("href=\"/c/home-kitchen\""), "the trail shows the new department");
}

#[tokio::test]
async fn categories_reorder_and_the_navigation_follows() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "owner@example.com").await;
    let departments: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, slug FROM categories WHERE parent_id IS NULL ORDER BY position, name").fetch_all(&app.db.pool).await.unwrap();
    let (first, second) = (&departments[0], &departments[1]);
    let slugs = [first.1.as_str(), second.1.as_str()];
    let (_, home) = app.page("/").await;
    let before = nav_order(&home, &slugs);
    assert!(before[0] < before[1]);

    let up = owner.call("admin/categories/shift", &[("id", &second.0.to_string()), ("to", "up")]).await;
    assert_eq!(up.status, 200, "{}", up.body);
    let took = eventually(&app, "/", |_, html| {
        let after = nav_order(html, &slugs);
        after[1] < after[0]
    })
    .await;
    assert!(took < Duration::from_secs(1), "the navigation's new order after {took:?}");

    let first_again = owner.call("admin/categories/shift", &[("id", &second.0.to_string()), ("to", "up")]).await;
    assert!(first_again.status == 400 && first_again.body.contains("is already the first"), "{}", first_again.body);
    let sideways = owner.call("admin/categories/shift", &[("id", &second.0.to_string()), ("to", "left")]).await;
    assert_eq!(sideways.status, 400);
    let unknown = owner.call("admin/categories/shift", &[("id", "999999"), ("to", "up")]).await;
    assert_eq!(unknown.status, 404);
    let moved = audit_details(&app, "category-changed").await;
    assert!(moved.len() == 1 && moved[0].contains("moved up (now 1 of"), "{moved:?}");

    // To a place, as a drag and drop sends it: the last, then past the end.
    let last = departments.len().to_string();
    let dropped = owner.call("admin/categories/shift", &[("id", &second.0.to_string()), ("to", &last)]).await;
    assert_eq!(dropped.status, 200, "{}", dropped.body);
    let order: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM categories WHERE parent_id IS NULL ORDER BY position, name").fetch_all(&app.db.pool).await.unwrap();
    assert_eq!(order.last().map(|r| r.0), Some(second.0), "moved to the last place");
    assert_eq!(order.len(), departments.len(), "the others keep their places: {order:?}");
    assert_eq!(order[0].0, first.0, "the one it had passed is first again");
    let past = owner.call("admin/categories/shift", &[("id", &second.0.to_string()), ("to", "99")]).await;
    assert!(past.status == 400 && past.body.contains("no place 99"), "{} {}", past.status, past.body);
    let audit = audit_details(&app, "category-changed").await;
    assert!(audit.iter().any(|d| d.contains(&format!("moved to place {last}"))), "{audit:?}");
}

#[tokio::test]
async fn a_category_is_deleted_only_when_it_holds_nothing() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "owner@example.com").await;
    let (electronics, version) = category(&app, "electronics").await;
    let refused = owner.call("admin/categories/delete", &[("id", &electronics.to_string()), ("version", &version.to_string())]).await;
    assert!(refused.status == 409 && refused.body.contains("“Electronics” still holds"), "{}", refused.body);
    let (phones, version) = category(&app, "smartphones").await;
    let refused = owner.call("admin/categories/delete", &[("id", &phones.to_string()), ("version", &version.to_string())]).await;
    assert!(refused.status == 409 && refused.body.contains("product(s)"), "{}", refused.body);

    let parent = create(&mut owner, &[("name", "Outdoor")]).await;
    let parent_text = parent.to_string();
    create(&mut owner, &[("name", "Tents"), ("parent", &parent_text)]).await;
    let refused = owner.call("admin/categories/delete", &[("id", &parent_text), ("version", "1")]).await;
    assert!(refused.status == 409 && refused.body.contains("still has 1 aisle(s)"), "{}", refused.body);
    let empty = create(&mut owner, &[("name", "Seasonal")]).await;
    let stale = owner.call("admin/categories/delete", &[("id", &empty.to_string()), ("version", "7")]).await;
    assert_eq!(stale.status, 409);
    let categories = count(&app, "categories").await;
    let gone = owner.call("admin/categories/delete", &[("id", &empty.to_string()), ("version", "1")]).await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert_eq!(count(&app, "categories").await, categories - 1);
    eventually(&app, "/c/seasonal", |status, _| status == 404).await;
    assert!(audit_details(&app, "category-deleted").await[0].contains("“Seasonal” (/c/seasonal) deleted"));
}

#[tokio::test]
async fn bad_category_input_gets_a_clear_message_and_changes_nothing() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "owner@example.com").await;
    let categories = count(&app, "categories").await;
    let long = "x".repeat(81);
    for (fields, says) in [
        (vec![("name", "")], "Enter the name."),
        (vec![("name", long.as_str())], "at most 80"),
        (vec![("name", "Phones"), ("slug", "smartphones")], "Another category is already at /c/smartphones"),
        (vec![("name", "Phones"), ("slug", "Not A Slug")], "The slug may hold only"),
        (vec![("name", "Phones"), ("parent", "999999")], "Choose the department from the list."),
        (vec![("name", "Phones"), ("parent", "-3")], "Choose the department from the list."),
        (vec![("name", "Phones\u{7}")], "one line"),
    ] {
        let reply = save(&mut owner, 0, 0, &fields).await;
        assert!(reply.status == 400 && reply.body.contains(says), "{fields:?}: {} {}", reply.status, reply.body);
    }
    let missing = save(&mut owner, 999_999, 1, &[("name", "Ghost")]).await;
    assert_eq!(missing.status, 404);
    assert_eq!(count(&app, "categories").await, categories);
    assert!(audit_details(&app, "category-created").await.is_empty());
}

#[tokio::test]
async fn brands_are_created_renamed_and_deleted_only_when_unused() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "owner@example.com").await;
    let created = owner.call("admin/brands/save", &[("id", "0"), ("version", "0"), ("input[name]", "Nordlicht")]).await;
    assert_eq!(created.status, 200, "{}", created.body);
    let nordlicht: i64 = created.body.trim().parse().unwrap();
    let again = owner.call("admin/brands/save", &[("id", "0"), ("version", "0"), ("input[name]", "NORDLICHT")]).await;
    assert!(again.status == 400 && again.body.contains("already"), "{}", again.body);

    // A brand that products carry: renaming reaches their pages; it cannot be deleted.
    let (brand, version, slug): (i64, i64, String) =
        sqlx::query_as("SELECT b.id, b.version, p.slug FROM brands b JOIN products p ON p.brand_id = b.id AND p.status = 'active' ORDER BY b.id LIMIT 1")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let renamed = owner
        .call("admin/brands/save", &[("id", &brand.to_string()), ("version", &version.to_string()), ("input[name]", "Zephyrine Works")])
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let took = eventually(&app, "/search?q=zephyrine", |_, html| html.contains(&format!("/p/{slug}"))).await;
    assert!(took < Duration::from_secs(1), "search finds the new brand name after {took:?}");
    assert!(app.page(&format!("/p/{slug}")).await.1.contains("Zephyrine Works"));
    let stale = owner
        .call("admin/brands/save", &[("id", &brand.to_string()), ("version", &version.to_string()), ("input[name]", "Older")])
        .await;
    assert_eq!(stale.status, 409);
    let carried = owner.call("admin/brands/delete", &[("id", &brand.to_string()), ("version", &(version + 1).to_string())]).await;
    assert!(carried.status == 409 && carried.body.contains("Give them another brand first"), "{}", carried.body);

    // A new slug: the old address answers 301, until the slug is taken back.
    let id = nordlicht.to_string();
    let moved = owner.call("admin/brands/save", &[("id", &id), ("version", "1"), ("input[name]", "Nordlicht"), ("input[slug]", "nordlicht-lamps")]).await;
    assert_eq!(moved.status, 200, "{}", moved.body);
    let old = app.get("/b/nordlicht?page=2").await;
    assert_eq!(old.status(), 301);
    assert_eq!(old.headers()["location"], "/b/nordlicht-lamps?page=2");
    let back = owner.call("admin/brands/save", &[("id", &id), ("version", "2"), ("input[name]", "Nordlicht"), ("input[slug]", "nordlicht")]).await;
    assert_eq!(back.status, 200, "{}", back.body);
    assert_eq!(app.get("/b/nordlicht").await.status(), 200);
    assert_eq!(app.get("/b/nordlicht-lamps").await.headers()["location"], "/b/nordlicht");

    // Deleted with a picture of its own: the picture's files go with it, and so do its old addresses.
    let uploaded = owner.upload("admin/brands/image", &[("brand", id.as_str())], jpeg(800, 300, 43), false).await;
    assert_eq!(uploaded.status, 200, "{}", uploaded.body);
    assert!(!app.media_files().is_empty());
    let gone = owner.call("admin/brands/delete", &[("id", &id), ("version", "3")]).await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert_eq!(app.media_files(), Vec::<String>::new(), "nothing else showed the brand's picture");
    assert_eq!(app.get("/b/nordlicht-lamps").await.status(), 404);
    let list: Value = serde_json::from_str(&owner.get("/api/admin/brands").await.body).unwrap();
    assert!(list.as_array().unwrap().iter().all(|b| b["name"] != "Nordlicht"));
    assert!(list.as_array().unwrap().iter().any(|b| b["name"] == "Zephyrine Works" && b["products"].as_i64() > Some(0)));
    assert_eq!(audit_details(&app, "brand-created").await.len(), 1);
    assert!(audit_details(&app, "brand-changed").await.iter().any(|d| d.contains("→ “Zephyrine Works”")));
    assert!(audit_details(&app, "brand-deleted").await[0].contains("“Nordlicht” (nordlicht) deleted"));
}

#[tokio::test]
async fn a_brand_page_shows_what_staff_write_its_picture_and_its_products() {
    let app = spawn_app().await;
    let mut owner = admin(&app, "brand-pages@example.com").await;
    let (brand, version, name, slug, product): (i64, i64, String, String, String) = sqlx::query_as(
        "SELECT b.id, b.version, b.name, b.slug, p.slug FROM brands b JOIN products p ON p.brand_id = b.id AND p.status = 'active' \
         ORDER BY b.id LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (status, page) = app.page(&format!("/b/{slug}")).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("/p/{product}")), "its products are listed");
    assert!(app.page(&format!("/p/{product}")).await.1.contains(&format!(r#"href="/b/{slug}""#)), "a product page links to its brand");
    assert_eq!(app.page("/b/no-such-brand").await.0, 404);

    // The editor's fields; a field the form leaves out (the list's rename) keeps its value.
    let (id, v) = (brand.to_string(), version.to_string());
    let form = [("id", id.as_str()), ("version", v.as_str()), ("from", "editor"), ("input[details]", "true"), ("input[name]", name.as_str()), ("input[slug]", slug.as_str()),
        ("input[description]", "Lamps <b>made</b> by hand since 1921."), ("input[seo_title]", "Hand-made lamps"), ("input[seo_description]", "")];
    let saved = owner.call("admin/brands/save", &form).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let too_long = "x".repeat(501);
    let form = [("id", id.as_str()), ("version", "2"), ("input[details]", "true"), ("input[name]", name.as_str()), ("input[description]", too_long.as_str())];
    let refused = owner.call("admin/brands/save", &form).await;
    assert!(refused.status == 400 && refused.body.contains("description"), "{}", refused.body);
    let renamed = owner.call("admin/brands/save", &[("id", id.as_str()), ("version", "2"), ("input[name]", name.as_str()), ("input[slug]", slug.as_str())]).await;
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    let editor: Value = serde_json::from_str(&owner.get(&format!("/api/admin/brand?id={brand}")).await.body).unwrap();
    assert_eq!(editor["input"]["description"], "Lamps <b>made</b> by hand since 1921.", "kept: {editor}");
    assert_eq!(editor["version"], 3);
    assert!(audit_details(&app, "brand-changed").await.iter().any(|d| d.contains("SEO title “” → “Hand-made lamps”")));

    // Its picture, checked as every upload is.
    let field = [("brand", id.as_str())];
    let bad = owner.upload("admin/brands/image", &field, b"GIF89a not really".to_vec(), false).await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    let uploaded = owner.upload("admin/brands/image", &field, jpeg(1600, 600, 41), false).await;
    assert_eq!(uploaded.status, 200, "{}", uploaded.body);
    let (url,): (String,) = sqlx::query_as("SELECT image_url FROM brands WHERE id = $1").bind(brand).fetch_one(&app.db.pool).await.unwrap();
    let hash = url.strip_prefix("/media/").and_then(|n| n.strip_suffix("-1280.jpg")).expect("the widest file").to_owned();
    let page = app.page(&format!("/b/{slug}")).await.1;
    assert!(page.contains("<title>Hand-made lamps | Oxcart</title>"), "the SEO title");
    assert!(page.contains("Lamps &lt;b&gt;made&lt;/b&gt; by hand since 1921."), "the description, as text");
    assert!(page.contains(&format!("/media/{hash}-640.jpg 640w")) && page.contains(r#"data-testid="listing-picture""#), "the picture at every width");
    assert_eq!(crate::helpers::canonical(&page), format!("https://shop.test/b/{slug}"), "its own canonical address");
    assert!(app.media_files().iter().any(|f| f.starts_with(&hash)));
    let removed = owner.call("admin/brands/image/remove", &[("id", id.as_str())]).await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert!(app.media_files().iter().all(|f| !f.starts_with(&hash)), "nothing else shows it: its files go");
    assert!(!app.page(&format!("/b/{slug}")).await.1.contains("listing-picture"));
    assert!(audit_details(&app, "brand-changed").await.iter().any(|d| d.contains("picture") && d.contains("removed")));

    // The editor empties a field: it is empty (the page's title falls back to the name).
    let emptied = [("id", id.as_str()), ("version", "3"), ("input[details]", "true"), ("input[name]", name.as_str()), ("input[slug]", slug.as_str()),
        ("input[description]", "Lamps made by hand since 1921."), ("input[seo_title]", ""), ("input[seo_description]", "")];
    let saved = owner.call("admin/brands/save", &emptied).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let page = app.page(&format!("/b/{slug}")).await.1;
    assert!(page.contains(&format!("<title>{} | Oxcart</title>", name.replace('&', "&amp;"))), "the SEO title is gone");
}

#[tokio::test]
async fn only_admins_manage_categories_and_brands() {
    let app = spawn_app().await;
    let (phones, version) = category(&app, "smartphones").await;
    let (seller,): (i64,) = sqlx::query_as("SELECT id FROM sellers ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let mut stranger = Browser::new(&app);
    let mut customer = Browser::new(&app);
    signed_up(&mut customer, "shopper@example.com").await;
    let mut packer = staff(&app, "packer@example.com", Some(seller)).await;
    let (categories, brands) = (count(&app, "categories").await, count(&app, "brands").await);
    let (id, v) = (phones.to_string(), version.to_string());
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("admin/categories/save", vec![("id", "0"), ("version", "0"), ("input[name]", "Mine")]),
        ("admin/categories/save", vec![("id", &id), ("version", &v), ("input[name]", "Mine")]),
        ("admin/categories/shift", vec![("id", &id), ("to", "up")]),
        ("admin/categories/delete", vec![("id", &id), ("version", &v)]),
        ("admin/brands/save", vec![("id", "0"), ("version", "0"), ("input[name]", "Mine")]),
        ("admin/brands/delete", vec![("id", "1"), ("version", "1")]),
        ("admin/brands/image/remove", vec![("id", "1")]),
    ];
    for (who, browser, status) in [("stranger", &mut stranger, 401), ("customer", &mut customer, 403), ("seller's staff", &mut packer, 403)] {
        for (endpoint, form) in &calls {
            let reply = browser.call(endpoint, form).await;
            assert_eq!(reply.status, status, "{who} {endpoint}: {}", reply.body);
        }
        for path in ["/api/admin/categories", "/api/admin/brands", "/api/admin/brand?id=1", &format!("/api/admin/category?id={phones}")] {
            assert_eq!(browser.get(path).await.status, status, "{who} GET {path}");
        }
        for page in ["/admin/categories", "/admin/brands", "/admin/brands/1", &format!("/admin/categories/{phones}")] {
            let reply = browser.get(page).await;
            assert!(reply.status == 401 || reply.status == 403, "{who} {page}: {}", reply.status);
        }
    }
    assert_eq!((count(&app, "categories").await, count(&app, "brands").await), (categories, brands));
    assert_eq!(category(&app, "smartphones").await.1, version);
}
