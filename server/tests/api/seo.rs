//! What search engines and link previews read: robots.txt, the sitemap (every
//! active product exactly once), schema.org JSON-LD validated against the
//! types' required properties, OpenGraph tags and canonical links.

use crate::helpers::{canonical, product_links, spawn_app};
use serde_json::Value;
use std::collections::HashSet;

/// The JSON-LD blocks of a page, parsed.
fn json_ld(html: &str) -> Vec<Value> {
    html.split(r#"<script type="application/ld+json">"#)
        .skip(1)
        .map(|part| serde_json::from_str(part.split("</script>").next().unwrap()).expect("valid JSON"))
        .collect()
}

/// The one node of `kind` in a page's JSON-LD graphs.
fn node<'a>(blocks: &'a [Value], kind: &str) -> &'a Value {
    let found: Vec<&Value> = blocks
        .iter()
        .inspect(|b| assert_eq!(b["@context"], "https://schema.org"))
        .flat_map(|b| b["@graph"].as_array().unwrap().iter())
        .filter(|n| n["@type"] == kind)
        .collect();
    assert_eq!(found.len(), 1, "one {kind} in {blocks:?}");
    found[0]
}

/// A BreadcrumbList with positions 1, 2, … and an absolute `item` each; its items' URLs.
fn trail(list: &Value) -> Vec<String> {
    let items = list["itemListElement"].as_array().unwrap();
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            assert_eq!(item["@type"], "ListItem");
            assert_eq!(item["position"], i + 1);
            assert!(item["name"].as_str().is_some_and(|n| !n.is_empty()));
            let url = item["item"].as_str().unwrap();
            assert!(url.starts_with("https://shop.test/"), "{url}");
            url.to_owned()
        })
        .collect()
}

/// The `content` of `<meta property|name="key">`.
fn meta(html: &str, key: &str) -> Option<String> {
    html.split("<meta ").skip(1).map(|t| t.split('>').next().unwrap_or("")).find_map(|tag| {
        let named = tag.contains(&format!(r#"property="{key}""#)) || tag.contains(&format!(r#"name="{key}""#));
        let from = tag.find(r#"content=""#)? + 9;
        named.then(|| tag[from..].split('"').next().unwrap_or("").replace("&amp;", "&"))
    })
}

#[tokio::test]
async fn robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_private_pages() {
    let app = spawn_app().await;
    let reply = app.get("/robots.txt").await;
    assert_eq!(reply.status(), 200);
    assert!(reply.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = reply.text().await.unwrap();
    assert!(text.contains("Sitemap: https://shop.test/sitemap.xml"), "{text}");
    for path in ["/cart", "/checkout", "/account", "/order/", "/admin", "/api/", "/*?*sort=", "/*?*attr="] {
        assert!(text.lines().any(|l| l == format!("Disallow: {path}")), "{path} in {text}");
    }
}

#[tokio::test]
async fn the_sitemap_lists_every_active_product_once_and_every_listing() {
    let app = spawn_app().await;
    // A draft and an archived product are not in it.
    sqlx::query("UPDATE products SET status = 'draft' WHERE id = (SELECT MIN(id) FROM products)").execute(&app.db.pool).await.unwrap();
    sqlx::query("UPDATE products SET status = 'archived' WHERE id = (SELECT MAX(id) FROM products)").execute(&app.db.pool).await.unwrap();
    let index = app.get("/sitemap.xml").await;
    assert_eq!(index.status(), 200);
    assert!(index.headers()["content-type"].to_str().unwrap().starts_with("application/xml"));
    let index = index.text().await.unwrap();
    assert!(index.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#));
    assert!(index.contains(r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#));
    let files: Vec<String> = index
        .split("<loc>")
        .skip(1)
        .map(|p| p.split("</loc>").next().unwrap().strip_prefix("https://shop.test").unwrap().to_owned())
        .collect();
    assert_eq!(files, ["/sitemap/listings.xml", "/sitemap/products/1.xml"], "the demo fits one product file");

    let products = app.get(&files[1]).await.text().await.unwrap();
    let listed: Vec<&str> = products.split("<loc>https://shop.test/p/").skip(1).map(|p| p.split("</loc>").next().unwrap()).collect();
    let unique: HashSet<&str> = listed.iter().copied().collect();
    assert_eq!(unique.len(), listed.len(), "each product once");
    let active: Vec<(String,)> = sqlx::query_as("SELECT slug FROM products WHERE status = 'active'").fetch_all(&app.db.pool).await.unwrap();
    assert_eq!(unique, active.iter().map(|(s,)| s.as_str()).collect::<HashSet<_>>(), "exactly the active products");
    assert_eq!(products.matches("<lastmod>").count(), listed.len(), "each with the day it changed");
    assert!(products.contains("<lastmod>20"), "a W3C date");

    let listings = app.get(&files[0]).await.text().await.unwrap();
    assert!(listings.contains("<loc>https://shop.test/</loc>"));
    let (categories,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM categories").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(listings.matches("<loc>https://shop.test/c/").count() as i64, categories);
    assert!(listings.contains("<loc>https://shop.test/b/"), "brands");

    for missing in ["/sitemap/products/2.xml", "/sitemap/products/0.xml", "/sitemap/products/x.xml", "/sitemap/products/1"] {
        assert_eq!(app.get(missing).await.status(), 404, "{missing}");
    }
}

#[tokio::test]
async fn a_product_page_carries_valid_product_data_and_sharing_tags() {
    let app = spawn_app().await;
    sqlx::query("UPDATE products SET rating_avg = 4.44, rating_count = 9 WHERE id = (SELECT MIN(id) FROM products)")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (slug, name, price, currency): (String, String, i64, String) =
        sqlx::query_as("SELECT slug, name, price_minor, currency FROM products WHERE id = (SELECT MIN(id) FROM products)")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let (status, html) = app.page(&format!("/p/{slug}")).await;
    assert_eq!(status, 200);
    let blocks = json_ld(&html);
    let product = node(&blocks, "Product");
    assert_eq!(product["name"], name.as_str());
    assert_eq!(product["url"], format!("https://shop.test/p/{slug}"));
    assert!(product["description"].as_str().is_some_and(|d| !d.is_empty()));
    assert!(product["brand"]["name"].as_str().is_some_and(|b| !b.is_empty()));
    let offer = &product["offers"];
    assert_eq!(offer["priceCurrency"], currency.as_str());
    match offer["@type"].as_str().unwrap() {
        "Offer" => assert_eq!(offer["price"], format!("{}.{:02}", price / 100, price % 100)),
        "AggregateOffer" => assert!(offer["lowPrice"].is_string() && offer["highPrice"].is_string()),
        other => panic!("an offer of type {other}"),
    }
    assert!(["https://schema.org/InStock", "https://schema.org/OutOfStock"].contains(&offer["availability"].as_str().unwrap()));
    assert_eq!(product["aggregateRating"]["ratingValue"], 4.4);
    assert_eq!(product["aggregateRating"]["ratingCount"], 9);
    let urls = trail(node(&blocks, "BreadcrumbList"));
    assert_eq!(urls.last().unwrap(), &format!("https://shop.test/p/{slug}"));
    assert!(urls[..urls.len() - 1].iter().all(|u| u.starts_with("https://shop.test/c/")));

    assert_eq!(meta(&html, "og:url").as_deref(), Some(format!("https://shop.test/p/{slug}").as_str()));
    assert!(meta(&html, "og:title").is_some_and(|t| t.contains(&name)));
    assert!(meta(&html, "og:description").is_some());
    assert_eq!(meta(&html, "twitter:card").as_deref(), Some("summary_large_image"));
    let image = meta(&html, "og:image").expect("the product's picture");
    assert!(image.starts_with("https://shop.test/media/"), "{image}");
    assert_eq!(app.get(image.strip_prefix("https://shop.test").unwrap()).await.status(), 200, "the picture is there");
    // A variant's address is the product's page.
    assert_eq!(canonical(&app.page(&format!("/p/{slug}?variant=1")).await.1), format!("https://shop.test/p/{slug}"));
}

#[tokio::test]
async fn listings_and_home_carry_their_trail_items_and_search_box() {
    let app = spawn_app().await;
    let (_, html) = app.page("/c/smartphones").await;
    let blocks = json_ld(&html);
    let urls = trail(node(&blocks, "BreadcrumbList"));
    assert_eq!(urls, ["https://shop.test/c/electronics", "https://shop.test/c/smartphones"]);
    let list = node(&blocks, "ItemList");
    let items: Vec<String> = list["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["url"].as_str().unwrap().strip_prefix("https://shop.test/p/").unwrap().to_owned())
        .collect();
    let links = product_links(&html);
    let shown: Vec<usize> = items.iter().map(|i| links.iter().position(|l| l == i).expect("a product the page shows")).collect();
    assert!(!items.is_empty() && shown.windows(2).all(|w| w[0] < w[1]), "the products the page shows, in order");

    let (brand,): (String,) = sqlx::query_as("SELECT slug FROM brands ORDER BY id LIMIT 1").fetch_one(&app.db.pool).await.unwrap();
    let blocks = json_ld(&app.page(&format!("/b/{brand}")).await.1);
    assert_eq!(trail(node(&blocks, "BreadcrumbList")), [format!("https://shop.test/b/{brand}")]);
    node(&blocks, "ItemList");

    let blocks = json_ld(&app.page("/").await.1);
    let shop = node(&blocks, "Organization");
    assert_eq!(shop["url"], "https://shop.test/");
    assert!(shop["name"].as_str().is_some_and(|n| !n.is_empty()));
    let site = node(&blocks, "WebSite");
    assert_eq!(site["potentialAction"]["@type"], "SearchAction");
    assert_eq!(site["potentialAction"]["target"]["urlTemplate"], "https://shop.test/search?q={search_term_string}");
    assert_eq!(site["potentialAction"]["query-input"], "required name=search_term_string");
    assert!(json_ld(&app.page("/search?q=phone").await.1).is_empty(), "search results are not described");
}

#[tokio::test]
async fn filtered_and_sorted_listings_name_their_plain_page_as_canonical() {
    let app = spawn_app().await;
    for (path, expected) in [
        ("/c/electronics?sort=price-asc&stock=1", "/c/electronics"),
        ("/c/electronics?page=2", "/c/electronics?page=2"),
        ("/c/electronics?page=2&rating=4", "/c/electronics"),
        ("/search?q=phone&sort=price-desc&stock=1", "/search?q=phone"),
        ("/search?q=phone&page=2", "/search?q=phone"),
    ] {
        let (status, html) = app.page(path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(canonical(&html), format!("https://shop.test{expected}"), "{path}");
    }
}
