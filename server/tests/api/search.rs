use crate::helpers::{fresh_database_url, product_links, spawn_app, total, TestApp, PRODUCTS};
use std::time::{Duration, Instant};

async fn search(app: &TestApp, query: &str) -> (u16, String) {
    app.page(&format!("/search?{query}")).await
}

async fn one(app: &TestApp, sql: &str) -> (String, String) {
    sqlx::query_as(sql).fetch_one(&app.db.pool).await.unwrap()
}

async fn count(app: &TestApp, sql: &str) -> u64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&app.db.pool).await.unwrap();
    n as u64
}

#[tokio::test]
async fn finds_products_by_name_typo_partial_word_and_synonym() {
    let app = spawn_app().await;
    let (slug, name) = one(&app, "SELECT slug, name FROM products WHERE name LIKE '%Laptop%' ORDER BY id LIMIT 1").await;

    let (status, html) = search(&app, &format!("q={}", name.replace(' ', "+"))).await;
    assert_eq!(status, 200);
    assert_eq!(product_links(&html).first(), Some(&slug), "the exact name comes first");
    assert!(html.contains("<title>Search: "), "title");

    for query in ["labtop", "lapotp", "laptpo", "lapt", "LAPTOPS"] {
        let (_, html) = search(&app, &format!("q={query}")).await;
        let hits = product_links(&html);
        assert!(!hits.is_empty(), "{query} finds something");
        for hit in hits.iter().take(5) {
            let name = one(&app, &format!("SELECT slug, name FROM products WHERE slug = '{hit}'")).await.1;
            assert!(["Laptop", "Notebook", "Ultrabook"].iter().any(|w| name.contains(w)), "{query} found {name}");
        }
    }

    let laptops = count(&app, "SELECT COUNT(*) FROM products p JOIN categories c ON c.id = p.category_id WHERE c.slug = 'laptops'").await;
    let (_, html) = search(&app, "q=labtop").await;
    assert!(total(&html) >= laptops, "a misspelled aisle word finds the whole aisle, notebooks included");

    let (_, tv) = one(&app, "SELECT slug, name FROM products WHERE name LIKE '% TV %' ORDER BY popularity DESC LIMIT 1").await;
    let (_, html) = search(&app, "q=television&sort=popular").await;
    let televisions = count(&app, "SELECT COUNT(*) FROM products WHERE name LIKE '%TV%' OR name LIKE '%Television%'").await;
    assert!(total(&html) >= televisions, "television also finds TVs (synonyms)");
    // Sorted by popularity, the most popular TV is on the first page unless a
    // full page of at least as popular matches (TV stands, aerials) comes first.
    let page: Vec<String> = product_links(&html);
    let popularity = |slug: String| {
        let app = &app;
        async move {
            let (p,): (i64,) = sqlx::query_as("SELECT popularity FROM products WHERE slug = $1").bind(slug).fetch_one(&app.db.pool).await.unwrap();
            p
        }
    };
    let (tv_slug, _) = one(&app, "SELECT slug, name FROM products WHERE name LIKE '% TV %' ORDER BY popularity DESC LIMIT 1").await;
    if !page.contains(&tv_slug) {
        assert_eq!(page.len(), 24, "a short page would hold every match, the TV included");
        let last = popularity(page[23].clone()).await;
        assert!(popularity(tv_slug.clone()).await <= last, "{tv} is missing from the first page but more popular than its last hit");
    }

    let (_, html) = search(&app, "q=%22Laptop%22+wxqzv").await;
    assert!(html.contains("data-testid=\"search-notice\""), "a fallback when not every word matches");
    assert!(total(&html) > 0);
}

#[tokio::test]
async fn facets_count_and_filter_like_the_database() {
    let app = spawn_app().await;
    let (_, html) = search(&app, "").await;
    assert_eq!(total(&html), PRODUCTS, "an empty search browses everything");
    for facet in ["Category", "Brand", "Price", "Customer rating", "Availability", "Colour"] {
        assert!(html.contains(&format!(">{facet}</h2>")), "facet {facet}");
    }

    let (brand_a, brand_b) = one(
        &app,
        "SELECT a.name, b.name FROM brands a JOIN brands b ON b.id = a.id + 1 \
         WHERE a.id = (SELECT MIN(brand_id) FROM products)",
    )
    .await;
    let in_a = count(&app, &format!("SELECT COUNT(*) FROM products p JOIN brands b ON b.id = p.brand_id WHERE b.name = '{brand_a}'")).await;
    let in_either = count(
        &app,
        &format!("SELECT COUNT(*) FROM products p JOIN brands b ON b.id = p.brand_id WHERE b.name IN ('{brand_a}', '{brand_b}')"),
    )
    .await;
    let enc = |s: &str| s.replace(' ', "+").replace('é', "%C3%A9");
    let (_, html) = search(&app, &format!("brand={}", enc(&brand_a))).await;
    assert_eq!(total(&html), in_a, "one brand");
    let (_, html) = search(&app, &format!("brand={}&brand={}", enc(&brand_a), enc(&brand_b))).await;
    assert_eq!(total(&html), in_either, "two brands are OR-ed");

    // Black as an attribute, or as one variant's colour (an option replaces the attribute).
    let fashion_black = count(
        &app,
        "SELECT COUNT(*) FROM products p JOIN categories d ON d.id = p.department_id \
         WHERE d.slug = 'fashion' AND p.stock > 0 AND ( \
             EXISTS (SELECT 1 FROM product_attributes a WHERE a.product_id = p.id AND a.name = 'Colour' AND a.value = 'Black') \
             OR EXISTS (SELECT 1 FROM product_options o JOIN product_variants v ON v.product_id = o.product_id \
                        WHERE o.product_id = p.id AND o.name = 'Colour' AND o.position = 2 AND v.option2 = 'Black'))",
    )
    .await;
    let (_, html) = search(&app, "cat=fashion&attr=Colour%3ABlack&stock=1").await;
    assert_eq!(total(&html), fashion_black, "category AND colour AND in stock");

    let cheap = count(&app, "SELECT COUNT(*) FROM products WHERE price_minor >= 5000 AND price_minor < 10000").await;
    let (_, html) = search(&app, "price=50-100").await;
    assert_eq!(total(&html), cheap, "a price range");
    let good = count(&app, "SELECT COUNT(*) FROM products WHERE rating_avg >= 4").await;
    let (_, html) = search(&app, "rating=4").await;
    assert_eq!(total(&html), good, "a minimum rating");
}

#[tokio::test]
async fn sorts_and_pages_without_overlap() {
    let app = spawn_app().await;
    let (_, first) = search(&app, "sort=price-asc").await;
    let (_, second) = search(&app, "sort=price-asc&page=2").await;
    let (a, b) = (product_links(&first), product_links(&second));
    assert_eq!(a.len(), 24);
    assert!(a.iter().all(|s| !b.contains(s)), "pages do not overlap");
    let cheapest = one(&app, "SELECT slug, name FROM products ORDER BY price_minor, id LIMIT 1").await.0;
    assert_eq!(a[0], cheapest);
    let (status, html) = search(&app, "page=9999").await;
    assert_eq!(status, 200, "a page past the end shows the last page");
    assert!(!product_links(&html).is_empty());
}

#[tokio::test]
async fn bad_input_gets_a_clear_answer_never_a_500() {
    let app = spawn_app().await;
    let long = "a".repeat(10_000);
    for (query, want) in [
        (format!("q={long}"), 400),
        ("price=200-50".into(), 400),
        ("price=-5-".into(), 400),
        ("rating=7".into(), 400),
        ("sort=DROP+TABLE".into(), 400),
        ("page=abc".into(), 400),
        ("cat=no-such-aisle".into(), 404),
        ("cat=..%2F..".into(), 400),
        ("attr=Colour".into(), 400),
        ("q=%22%3A%28*~AND+OR+NOT%29".into(), 200),
        ("q=%FF%FE".into(), 200),
        ("brand=No+Such+Brand".into(), 200),
        ("q=%00".into(), 200),
    ] {
        let (status, html) = search(&app, &query).await;
        assert_eq!(status, want, "{}", &query[..query.len().min(60)]);
        if want != 200 {
            assert!(html.contains("data-testid=\"error-page\""), "{query:.60} explains itself");
        }
    }
    let (_, html) = search(&app, "brand=No+Such+Brand").await;
    assert_eq!(total(&html), 0);
}

#[tokio::test]
async fn the_index_follows_database_changes_within_a_second() {
    let app = spawn_app().await;
    let (slug, _) = one(&app, "SELECT slug, name FROM products ORDER BY id LIMIT 1").await;
    sqlx::query("UPDATE products SET name = 'Quokkafrost Kettle' WHERE slug = $1").bind(&slug).execute(&app.db.pool).await.unwrap();
    let found = eventually(&app, "q=quokkafrost", |html| product_links(html).contains(&slug)).await;
    assert!(found < Duration::from_secs(1), "renamed product searchable after {found:?}");

    sqlx::query("UPDATE product_variants SET stock = 0 WHERE product_id = (SELECT id FROM products WHERE slug = $1)")
        .bind(&slug)
        .execute(&app.db.pool)
        .await
        .unwrap();
    eventually(&app, "q=quokkafrost&stock=1", |html| product_links(html).is_empty()).await;

    sqlx::query("DELETE FROM products WHERE slug = $1").bind(&slug).execute(&app.db.pool).await.unwrap();
    eventually(&app, "q=quokkafrost", |html| total(html) == 0).await;
}

/// Repeats a search until `done` holds (at most 5 s), returning how long it took.
async fn eventually(app: &TestApp, query: &str, done: impl Fn(&str) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        let (_, html) = search(app, query).await;
        if done(&html) {
            return start.elapsed();
        }
        assert!(start.elapsed() < Duration::from_secs(5), "{query}: index never caught up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_corrupt_or_missing_index_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let db = oxcart::db::connect(&url, 4).await.unwrap();
    oxcart::db::migrate(&db).await.unwrap();
    oxcart::seed::seed(&db, 50, 3, false, false).await.unwrap();
    let index_dir = dir.path().join("search");
    let open = || app::ssr::search::SearchIndex::open(&index_dir, &db, std::time::Duration::ZERO);

    assert_eq!(open().await.unwrap().len(), 50, "built on first open");
    std::fs::write(index_dir.join("meta.json"), b"{ not json").unwrap();
    assert_eq!(open().await.unwrap().len(), 50, "rebuilt from a corrupt meta.json");
    for entry in std::fs::read_dir(&index_dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "idx") {
            std::fs::remove_file(path).unwrap();
        }
    }
    assert_eq!(open().await.unwrap().len(), 50, "rebuilt when segment files are missing");
    std::fs::remove_dir_all(&index_dir).unwrap();
    assert_eq!(open().await.unwrap().len(), 50, "rebuilt when the directory is gone");
}

#[tokio::test]
async fn a_misspelled_search_offers_the_spelling_the_products_use() {
    let app = spawn_app().await;
    let (status, html) = search(&app, "q=hedphones").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"data-testid="did-you-mean""#), "offered: {}", &html[..html.len().min(400)]);
    assert!(html.contains(r#"href="/search?q=headphones">headphones</a>"#), "the corrected search is a link");
    let (_, corrected) = search(&app, "q=headphones").await;
    assert!(!corrected.contains(r#"data-testid="did-you-mean""#), "a word many products use stands");
    let (_, nonsense) = search(&app, "q=qqqzzzxxx").await;
    assert!(!nonsense.contains(r#"data-testid="did-you-mean""#), "nothing close, nothing offered");
}
