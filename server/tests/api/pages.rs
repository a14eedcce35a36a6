use crate::helpers::{canonical, product_links, signed_up, spawn_app, spawn_app_with_cache, total, Browser, PRODUCTS};

#[tokio::test]
async fn home_shows_categories_and_featured_products_without_javascript() {
    let app = spawn_app().await;
    let (status, html) = app.page("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("<title>Oxcart"), "title");
    assert_eq!(canonical(&html), "https://shop.test/");
    assert!(html.contains(r#"<meta name="description""#), "description");
    for dept in ["Electronics", "Fashion", "Home &amp; Kitchen", "Pets"] {
        assert!(html.contains(dept), "category tile {dept}");
    }
    let (top_slug, top_name) = app.products(1).await.remove(0);
    assert!(html.contains(&format!("/p/{top_slug}")), "most popular product is featured");
    assert!(html.contains(&top_name.replace('&', "&amp;")));
}

#[tokio::test]
async fn category_lists_products_of_its_subcategories() {
    let app = spawn_app().await;
    let (status, html) = app.page("/c/electronics").await;
    assert_eq!(status, 200);
    assert!(html.contains("<title>Electronics | Oxcart</title>"));
    assert_eq!(canonical(&html), "https://shop.test/c/electronics");
    assert!(html.contains(r#"href="/c/smartphones""#), "subcategory links");
    let (in_tree,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM products p JOIN categories c ON c.id = p.category_id \
         JOIN categories r ON r.id = c.parent_id WHERE r.slug = 'electronics'",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(in_tree > 24, "test catalog has more than one page");
    assert!(html.contains(&format!("Showing 1–24 of {in_tree}")), "result count");
    assert_eq!(product_links(&html).len(), 24);
}

#[tokio::test]
async fn pages_of_a_category_do_not_overlap_and_sort_is_applied() {
    let app = spawn_app().await;
    let first = product_links(&app.page("/c/electronics").await.1);
    let second = product_links(&app.page("/c/electronics?page=2").await.1);
    assert!(!second.is_empty());
    assert!(first.iter().all(|s| !second.contains(s)));

    let html = app.page("/c/electronics?sort=price-asc").await.1;
    let mut shown = Vec::new();
    for slug in product_links(&html) {
        let (price,): (i64,) = sqlx::query_as("SELECT price_minor FROM products WHERE slug = $1")
            .bind(&slug)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        shown.push(price);
    }
    let cheapest: Vec<(i64,)> = sqlx::query_as(
        "SELECT p.price_minor FROM products p JOIN categories c ON c.id = p.category_id \
         JOIN categories r ON r.id = c.parent_id WHERE r.slug = 'electronics' \
         ORDER BY p.price_minor LIMIT 24",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(shown, cheapest.into_iter().map(|(p,)| p).collect::<Vec<_>>(), "the 24 cheapest, in order");
    assert!(html.contains(r#"aria-current="true" class="current">Price: low to high"#), "sort links show the choice");
    assert!(html.contains("/c/electronics?sort=price-asc&amp;page=2"), "pagination keeps the sort");
}

#[tokio::test]
async fn category_pages_filter_with_facets() {
    let app = spawn_app().await;
    let (brand, in_brand): (String, i64) = sqlx::query_as(
        "SELECT b.name, COUNT(*) FROM products p JOIN brands b ON b.id = p.brand_id \
         JOIN categories d ON d.id = p.department_id WHERE d.slug = 'electronics' \
         GROUP BY b.name ORDER BY COUNT(*) DESC, b.name LIMIT 1",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (_, html) = app.page("/c/electronics").await;
    for facet in ["Category", "Brand", "Price", "Customer rating", "Availability"] {
        assert!(html.contains(&format!(">{facet}</h2>")), "facet {facet}");
    }
    let link = format!("/c/electronics?brand={}", brand.replace(' ', "+"));
    assert!(html.contains(&format!(r#"href="{link}""#)), "brand facet links stay on the category page");
    let (status, html) = app.page(&link).await;
    assert_eq!(status, 200);
    assert_eq!(total(&html), in_brand as u64, "only that brand");
    assert!(html.contains("Clear all filters"));
    let (_, html) = app.page("/c/electronics?stock=1").await;
    assert!(!product_links(&html).is_empty());
    assert!(!html.contains("Out of stock"), "in-stock filter shows only products in stock");
    let (status, _) = app.page("/c/electronics?price=9-1").await;
    assert_eq!(status, 400, "a reversed price range");
}

#[tokio::test]
async fn page_numbers_out_of_range_clamp_and_garbage_is_400() {
    let app = spawn_app().await;
    let (status, html) = app.page("/c/fashion?page=99999").await;
    assert_eq!(status, 200, "far pages show the last page");
    let last_page = canonical(&html);
    assert!(last_page.starts_with("https://shop.test/c/fashion?page="), "{last_page}");
    assert!(!product_links(&html).is_empty());
    for huge in ["4294967295", "4000000000"] {
        // Each once aborted the whole server (a collector sized by the offset).
        assert_eq!(app.page(&format!("/c/fashion?page={huge}")).await.0, 200, "page={huge}");
        assert_eq!(app.page(&format!("/search?q=shirt&page={huge}")).await.0, 200, "page={huge}");
    }
    assert_eq!(app.page("/c/fashion?page=0").await.0, 200);
    assert_eq!(app.page("/c/fashion?page=-3").await.0, 200);

    for bad in ["abc", "1.5", "%00", "1e9", "%F0%9F%92%A9"] {
        let (status, html) = app.page(&format!("/c/fashion?page={bad}")).await;
        assert_eq!(status, 400, "page={bad}");
        assert!(html.contains("is not a page number"), "page={bad}");
    }
    let (status, html) = app.page("/c/fashion?sort=DROP%20TABLE").await;
    assert_eq!(status, 400);
    assert!(html.contains("Unknown sort order"));
    assert_eq!(app.page("/c/fashion?page=".to_string().as_str()).await.0, 200);
}

#[tokio::test]
async fn product_page_shows_everything_a_shopper_needs() {
    let app = spawn_app().await;
    let (slug, name) = app.products(1).await.remove(0);
    let (price, stock, cat_name, root_name): (i64, i64, String, String) = sqlx::query_as(
        "SELECT p.price_minor, p.stock, c.name, r.name FROM products p \
         JOIN categories c ON c.id = p.category_id JOIN categories r ON r.id = c.parent_id WHERE p.slug = $1",
    )
    .bind(&slug)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let (status, html) = app.page(&format!("/p/{slug}")).await;
    assert_eq!(status, 200);
    let name_html = name.replace('&', "&amp;");
    assert!(html.contains(&format!("<h1>{name_html}</h1>")));
    assert!(html.contains(&format!("<title>{name_html} — ")));
    assert_eq!(canonical(&html), format!("https://shop.test/p/{slug}"));
    let money = app::domain::Money::new(price, app::domain::Currency::Usd).to_string();
    assert!(html.contains(&money), "price {money}");
    let stock_text = match stock { 0 => "Out of stock".to_string(), 1..=5 => format!("Only {stock} left"), _ => "In stock".into() };
    assert!(html.contains(&stock_text));
    assert!(html.contains(&cat_name.replace('&', "&amp;")) && html.contains(&root_name.replace('&', "&amp;")), "breadcrumbs");
    assert!(html.contains("aria-label=\"Breadcrumb\""));
    let attrs: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.name, a.value FROM product_attributes a JOIN products p ON p.id = a.product_id WHERE p.slug = $1",
    )
    .bind(&slug)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    assert!(!attrs.is_empty());
    for (k, v) in attrs {
        assert!(html.contains(&format!("<dt>{k}</dt><dd>{}</dd>", v.replace('&', "&amp;"))), "attribute {k}");
    }
    assert!(html.contains("/media/product/"), "images");
}

#[tokio::test]
async fn unknown_things_are_real_404_pages() {
    let app = spawn_app().await;
    for path in ["/p/no-such-product", "/c/no-such-category", "/nowhere", "/p/%FF%FE", "/p/UPPER", "/c/a--b",
                 &format!("/p/{}", "x".repeat(5000))] {
        let (status, html) = app.page(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("data-testid=\"error-page\""), "{path} renders the error page");
        assert!(html.contains("Back to the shop"));
        assert!(html.contains("Electronics"), "{path} keeps the navigation");
    }
}

#[tokio::test]
async fn markup_in_data_is_escaped() {
    let app = spawn_app().await;
    sqlx::query("UPDATE products SET name = $1 WHERE id = 1")
        .bind("</title><script>alert(1)</script> Kettle")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (slug,): (String,) = sqlx::query_as("SELECT slug FROM products WHERE id = 1").fetch_one(&app.db.pool).await.unwrap();
    let html = app.page(&format!("/p/{slug}")).await.1;
    assert!(!html.contains("<script>alert(1)"), "no markup from data anywhere, the <title> included");
    assert!(html.contains("<h1>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; Kettle</h1>"));
    assert!(html.contains("<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; Kettle — "));

    // The description's few marks become elements; anything else typed is text.
    sqlx::query("UPDATE products SET description = $1, updated_at = updated_at + 1 WHERE id = 1")
        .bind("**Strong** <script>alert(2)</script> <img src=x onerror=alert(4)>\n\n## Care\n- one\n- [bad](javascript:alert(3))\n- [guide](https://example.com/care)")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let html = app.page(&format!("/p/{slug}")).await.1;
    assert!(html.contains("<p><strong>Strong</strong> &lt;script&gt;alert(2)&lt;/script&gt; &lt;img src=x onerror=alert(4)&gt;</p>"), "{html}");
    let description = html.split(r#"<div class="description">"#).nth(1).and_then(|rest| rest.split("</div>").next()).unwrap_or_default();
    assert!(description.contains("<h3>Care</h3><ul><li>one</li><li>bad</li><li><a href=\"https://example.com/care\" rel=\"nofollow noopener\">guide</a></li></ul>"), "{description}");
    assert!(!html.contains("<script>alert(2)") && !html.contains("<img src=x") && !html.contains("href=\"javascript"));
    assert!(html.contains(r#"<meta name="description" content="Strong "#), "the meta description has the words, not the marks");
}

#[tokio::test]
async fn test_catalog_has_the_expected_size() {
    let app = spawn_app().await;
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(n as u64, PRODUCTS);
    let (c,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM categories").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(c, 48, "8 departments with 5 aisles each");
}

#[tokio::test]
async fn cached_pages_show_catalog_changes_within_a_second() {
    let app = spawn_app_with_cache(60_000).await;
    let (slug, _) = app.products(1).await.remove(0);
    let path = format!("/p/{slug}");
    assert_eq!(app.page(&path).await.0, 200);
    assert_eq!(app.get(&path).await.headers()["x-cache"], "hit");
    // A variant's price is what the page shows (the product's is its cheapest).
    sqlx::query("UPDATE product_variants SET price_minor = 123456 WHERE product_id = (SELECT id FROM products WHERE slug = $1)")
        .bind(&slug)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let start = std::time::Instant::now();
    while !app.page(&path).await.1.contains("$1,234.56") {
        assert!(start.elapsed() < std::time::Duration::from_secs(2), "the change log invalidates cached pages");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    println!("new price shown after {:?}", start.elapsed());
}

#[tokio::test]
async fn catalog_pages_come_from_the_page_cache_and_cookies_bypass_it_elsewhere() {
    let app = spawn_app_with_cache(60_000).await;
    let (slug, _) = app.products(1).await.remove(0);
    let path = format!("/p/{slug}");
    let x_cache = |r: &reqwest::Response| r.headers()["x-cache"].to_str().unwrap().to_owned();

    let first = app.get(&path).await;
    assert_eq!(x_cache(&first), "miss");
    let html = first.text().await.unwrap();
    let second = app.get(&path).await;
    assert_eq!(x_cache(&second), "hit");
    assert_eq!(second.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(second.text().await.unwrap(), html, "the same page, decompressed for a client without gzip");

    let gz = app.client.get(format!("{}{path}", app.base)).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.headers()["vary"], "accept-encoding");
    assert_eq!(oxcart::encoding::gunzip(&gz.bytes().await.unwrap()).unwrap(), html.as_bytes());

    // A catalog page is the same for every shopper: a cookie changes nothing.
    let cookie = app.client.get(format!("{}{path}", app.base)).header("cookie", "session=abc").send().await.unwrap();
    assert_eq!(x_cache(&cookie), "hit");
    assert!(cookie.headers().get("set-cookie").is_none());
    let cart = app.client.get(format!("{}/cart", app.base)).header("cookie", "session=abc").send().await.unwrap();
    assert_eq!(x_cache(&cart), "bypass", "the cart page is the shopper's own");

    for _ in 0..2 {
        let missing = app.get("/p/no-such-product").await;
        assert_eq!(missing.status(), 404);
        assert_eq!(x_cache(&missing), "miss", "error pages are not stored");
    }
}

/// A short fuzz of the listing pages' query strings: every parameter gets
/// numbers out of range, words, markup, control characters, broken percent
/// escapes and very long values, alone and in random combinations (a fixed
/// seed, so a failure repeats). The shop answers each with a page or a clear
/// 400, never a server error.
#[tokio::test]
async fn listing_query_strings_never_answer_a_server_error() {
    const PARAMS: [&str; 9] = ["q", "cat", "brand", "attr", "price", "rating", "stock", "sort", "page"];
    let long = "9".repeat(5000);
    let values: Vec<&str> = vec![
        "", "0", "-1", "1", "2", "5", "6", "-0", "1.5", "1e309", "NaN", "inf", "99999999999999999999999", "-9223372036854775808",
        "9223372036854775807", "abc", "price-asc", "price-desc", "rating", "newest", "relevance", "0-100", "100-0", "-5--1",
        "10-", "-10", "a-b", "1-2-3", "in", "out", "true", "color:red", "color:", ":", "::", "<script>alert(1)</script>",
        "' OR 1=1 --", "%", "%zz", "\u{0}", "\u{202E}rtl", "💩", "..%2F..%2Fetc", long.as_str(),
    ];
    let app = spawn_app().await;
    let (category,): (String,) = sqlx::query_as("SELECT slug FROM categories ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let paths = ["/search".to_owned(), format!("/c/{category}")];
    let mut seed: u64 = 0x0C0F_FEE5;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut asked = 0;
    let mut check = |path: &str, query: Vec<(&str, &str)>, status: u16| {
        asked += 1;
        assert!(status < 500, "{path} {query:?}: {status}");
    };
    for path in &paths {
        // Each parameter alone with each value.
        for param in PARAMS {
            for value in &values {
                let reply = app.client.get(format!("{}{path}", app.base)).query(&[(param, value)]).send().await.unwrap();
                check(path, vec![(param, value)], reply.status().as_u16());
            }
        }
        // Random combinations of three to six parameters, some repeated.
        for _ in 0..150 {
            let query: Vec<(&str, &str)> = (0..3 + next(4)).map(|_| (PARAMS[next(PARAMS.len())], values[next(values.len())])).collect();
            let reply = app.client.get(format!("{}{path}", app.base)).query(&query).send().await.unwrap();
            check(path, query, reply.status().as_u16());
        }
        // Escapes no client library would send.
        for raw in ["page=%zz", "price=%00", "q=%E2%28%A1", "sort=%", "rating=%FF%FE", "brand=%C0%AF", "page&page=2&page=x", "=&&=="] {
            let reply = app.client.get(format!("{}{path}?{raw}", app.base)).send().await.unwrap();
            check(path, vec![("raw", raw)], reply.status().as_u16());
        }
    }
    assert!(asked > 1000, "{asked} requests");
    assert_eq!(app.page("/").await.0, 200, "the shop still answers");
}

/// A shopper with a cart and an account gets the same cached catalog page as
/// everyone (no name, no count in it, no session loaded or cookie set); the
/// header's personal part is the `visitor` server function, which the browser
/// calls, and which follows the cart and the sign-in.
#[tokio::test]
async fn a_shopper_with_a_session_gets_the_shared_page_and_their_header_apart() {
    let app = spawn_app_with_cache(60_000).await;
    let product = crate::helpers::product_with_stock(&app, 0, 10).await;
    let (slug,): (String,) = sqlx::query_as("SELECT slug FROM products WHERE id = $1").bind(product).fetch_one(&app.db.pool).await.unwrap();
    let path = format!("/p/{slug}");
    let anonymous = app.get(&path).await.text().await.unwrap();

    let mut shopper = Browser::new(&app);
    let visitor = |reply: crate::helpers::Reply| -> serde_json::Value {
        assert_eq!(reply.status, 200, "{}", reply.body);
        serde_json::from_str(&reply.body).unwrap()
    };
    let nobody = visitor(shopper.call("visitor", &[]).await);
    assert_eq!((nobody["cart_items"].as_i64(), nobody["name"].as_str()), (Some(0), None));

    signed_up(&mut shopper, "fern@example.com").await;
    shopper.step("cart/add", &[("product", &product.to_string()), ("quantity", "3")]).await;

    let page = shopper.get(&path).await;
    assert_eq!(page.headers["x-cache"], "hit");
    assert!(page.headers.get("set-cookie").is_none(), "no session touched");
    assert_eq!(page.body, anonymous, "the very page every shopper gets");

    let me = visitor(shopper.call("visitor", &[]).await);
    assert_eq!(me["cart_items"].as_i64(), Some(3));
    assert_eq!(me["name"].as_str(), Some("Ada"));
    assert_eq!(me["role"].as_str(), Some("Customer"));

    shopper.step("account/sign-out", &[]).await;
    let out = visitor(shopper.call("visitor", &[]).await);
    assert_eq!(out["name"].as_str(), None, "signed out");
}
