//! schema.org data for search engines, as JSON-LD written into the page by
//! the server: a product with its offer, rating, top reviews and trail; a category's or
//! brand's trail and the products it lists; the shop and its search box on
//! the home page. The browser never builds or reads it.

use crate::domain::catalog::{CategoryLink, ProductCard, ProductDetail};
use crate::domain::reviews::Review;
use crate::domain::rich_text;
use crate::domain::Money;
use serde_json::{json, Value};

const CONTEXT: &str = "https://schema.org";
/// Characters of a product's description given (Google reads 5,000).
const MAX_DESCRIPTION: usize = 5000;

/// `path` (a site path like `/media/…`) as an absolute URL; an absolute URL as it is.
pub fn absolute(public_url: &str, path: &str) -> String {
    if path.starts_with('/') { format!("{public_url}{path}") } else { path.to_owned() }
}

/// A price as schema.org writes it: `12.50`.
fn amount(money: Money) -> String {
    let minor = money.minor().max(0);
    format!("{}.{:02}", minor / 100, minor % 100)
}

/// JSON-LD text safe inside `<script>`: no `<` can end the element early.
fn script_text(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c")
}

/// A trail of category pages, then `last` (a name and its URL) if given.
fn breadcrumbs(public_url: &str, trail: &[CategoryLink], last: Option<(&str, &str)>) -> Value {
    let links = trail.iter().map(|c| (c.name.as_str(), format!("{public_url}/c/{}", c.slug)));
    let items: Vec<Value> = links
        .chain(last.map(|(name, url)| (name, url.to_owned())))
        .enumerate()
        .map(|(i, (name, url))| json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": url }))
        .collect();
    json!({ "@type": "BreadcrumbList", "itemListElement": items })
}

/// A product page's data: the Product (its offer, or its variants' price
/// range, availability and rating) and its trail.
pub fn product(p: &ProductDetail, reviews: &[Review], public_url: &str) -> String {
    let url = format!("{public_url}/p/{}", p.slug);
    let currency = p.price.currency().code();
    let in_stock = p.variants.iter().any(|v| v.stock > 0) || (p.variants.is_empty() && p.stock > 0);
    let availability = if in_stock { "https://schema.org/InStock" } else { "https://schema.org/OutOfStock" };
    let prices: Vec<i64> = p.variants.iter().map(|v| v.price.minor()).collect();
    let (low, high) = match (prices.iter().min(), prices.iter().max()) {
        (Some(low), Some(high)) => (*low, *high),
        _ => (p.price.minor(), p.price.minor()),
    };
    let offers = if low == high {
        json!({
            "@type": "Offer", "url": url, "price": amount(Money::new(low, p.price.currency())),
            "priceCurrency": currency, "availability": availability, "itemCondition": "https://schema.org/NewCondition",
        })
    } else {
        json!({
            "@type": "AggregateOffer", "url": url, "priceCurrency": currency, "availability": availability,
            "lowPrice": amount(Money::new(low, p.price.currency())), "highPrice": amount(Money::new(high, p.price.currency())),
            "offerCount": p.variants.len(),
        })
    };
    let mut product = json!({
        "@type": "Product",
        "@id": format!("{url}#product"),
        "name": p.name,
        "url": url,
        "description": rich_text::plain(&p.description).chars().take(MAX_DESCRIPTION).collect::<String>(),
        "brand": { "@type": "Brand", "name": p.brand },
        "image": p.images.iter().map(|i| absolute(public_url, &i.url)).collect::<Vec<_>>(),
        "offers": offers,
    });
    if let [only] = p.variants.as_slice() {
        if !only.sku.is_empty() {
            product["sku"] = json!(only.sku);
        }
    }
    if p.rating_count > 0 {
        product["aggregateRating"] = json!({
            "@type": "AggregateRating",
            "ratingValue": (p.rating_avg * 10.0).round() / 10.0,
            "ratingCount": p.rating_count,
            "bestRating": 5,
            "worstRating": 1,
        });
    }
    if !reviews.is_empty() {
        product["review"] = reviews
            .iter()
            .map(|r| {
                json!({
                    "@type": "Review",
                    "author": { "@type": "Person", "name": r.author },
                    "datePublished": crate::domain::time::utc(r.at).get(..10).unwrap_or_default(),
                    "name": r.title,
                    "reviewBody": r.body,
                    "reviewRating": { "@type": "Rating", "ratingValue": r.rating, "bestRating": 5, "worstRating": 1 },
                })
            })
            .collect();
    }
    let trail = breadcrumbs(public_url, &p.breadcrumbs, Some((&p.name, &url)));
    script_text(&json!({ "@context": CONTEXT, "@graph": [product, trail] }))
}

/// A category's or brand's page: its trail (categories, then `current` if
/// it is not the trail's last) and the products it shows, in order.
pub fn listing(public_url: &str, trail: &[CategoryLink], current: Option<(&str, &str)>, cards: &[&ProductCard]) -> String {
    let items: Vec<Value> = cards
        .iter()
        .enumerate()
        .map(|(i, card)| {
            json!({ "@type": "ListItem", "position": i + 1, "url": format!("{public_url}/p/{}", card.slug), "name": card.name })
        })
        .collect();
    let list = json!({ "@type": "ItemList", "itemListElement": items, "numberOfItems": cards.len() });
    script_text(&json!({ "@context": CONTEXT, "@graph": [breadcrumbs(public_url, trail, current), list] }))
}

/// The home page: the shop (its name and logo) and its search box.
pub fn home(public_url: &str, name: &str, logo: Option<&str>) -> String {
    let mut shop = json!({ "@type": "Organization", "@id": format!("{public_url}/#shop"), "name": name, "url": format!("{public_url}/") });
    if let Some(logo) = logo {
        shop["logo"] = json!(absolute(public_url, logo));
    }
    let site = json!({
        "@type": "WebSite",
        "@id": format!("{public_url}/#site"),
        "name": name,
        "url": format!("{public_url}/"),
        "publisher": { "@id": format!("{public_url}/#shop") },
        "potentialAction": {
            "@type": "SearchAction",
            "target": { "@type": "EntryPoint", "urlTemplate": format!("{public_url}/search?q={{search_term_string}}") },
            "query-input": "required name=search_term_string",
        },
    });
    script_text(&json!({ "@context": CONTEXT, "@graph": [shop, site] }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::{PageMeta, ProductImage};
    use crate::domain::money::Currency;
    use crate::domain::variants::Variant;

    fn variant(id: i64, price: i64, stock: i64) -> Variant {
        Variant { id, sku: format!("SKU-{id}"), values: vec![], price: Money::new(price, Currency::Eur), compare_at: None, stock, image: None }
    }

    fn detail(variants: Vec<Variant>, rating_count: i64) -> ProductDetail {
        ProductDetail {
            meta: PageMeta::default(),
            id: 1,
            slug: "mug".into(),
            name: "Mug </script><b>".into(),
            description: "A **big** mug.".into(),
            text_html: String::new(),
            brand: "Acme".into(),
            brand_slug: "acme".into(),
            price: Money::new(1250, Currency::Eur),
            compare_at: None,
            preview: false,
            stock: 3,
            rating_avg: 4.26,
            rating_count,
            breadcrumbs: vec![CategoryLink { slug: "home".into(), name: "Home".into() }, CategoryLink { slug: "mugs".into(), name: "Mugs".into() }],
            attributes: vec![],
            images: vec![ProductImage { url: "/media/product/abc-800.jpg".into(), alt: String::new(), width: 800, height: 800, webp: false }],
            options: vec![],
            variants,
            seller: None,
            tax_note: String::new(),
            also_bought: vec![],
        }
    }

    fn parse(text: &str) -> Value {
        assert!(!text.contains('<'), "nothing can close the script element: {text}");
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn a_product_has_its_offer_rating_and_trail() {
        let review = Review {
            id: 7,
            author: "Ana P.".into(),
            rating: 5,
            title: "Holds </script> tea".into(),
            body: "Good mug.".into(),
            verified: true,
            helpful: 1,
            reply: String::new(),
            at: 1_796_601_600,
            html: String::new(),
        };
        let data = parse(&product(&detail(vec![variant(1, 1250, 3)], 12), &[review], "https://shop.test"));
        assert_eq!(data["@context"], "https://schema.org");
        let (p, trail) = (&data["@graph"][0], &data["@graph"][1]);
        assert_eq!(p["@type"], "Product");
        assert_eq!(p["name"], "Mug </script><b>", "the name survives, escaped");
        assert_eq!(p["sku"], "SKU-1");
        assert_eq!(p["image"][0], "https://shop.test/media/product/abc-800.jpg");
        assert_eq!(p["offers"]["@type"], "Offer");
        assert_eq!(p["offers"]["price"], "12.50");
        assert_eq!(p["offers"]["priceCurrency"], "EUR");
        assert_eq!(p["offers"]["availability"], "https://schema.org/InStock");
        assert_eq!(p["aggregateRating"]["ratingValue"], 4.3);
        assert_eq!(p["aggregateRating"]["ratingCount"], 12);
        assert_eq!(p["review"][0]["@type"], "Review");
        assert_eq!(p["review"][0]["author"]["name"], "Ana P.");
        assert_eq!(p["review"][0]["reviewRating"]["ratingValue"], 5);
        assert_eq!(p["review"][0]["name"], "Holds </script> tea");
        assert_eq!(p["review"][0]["datePublished"], "2026-12-07");
        assert_eq!(trail["@type"], "BreadcrumbList");
        let items = trail["itemListElement"].as_array().unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[0]["item"], "https://shop.test/c/home");
        assert_eq!(items[2]["position"], 3);
        assert_eq!(items[2]["item"], "https://shop.test/p/mug");
    }

    #[test]
    fn variants_at_several_prices_make_a_range_and_no_rating_means_none() {
        let data = parse(&product(&detail(vec![variant(1, 900, 0), variant(2, 1500, 0)], 0), &[], "https://shop.test"));
        let p = &data["@graph"][0];
        assert_eq!(p["offers"]["@type"], "AggregateOffer");
        assert_eq!((p["offers"]["lowPrice"].as_str(), p["offers"]["highPrice"].as_str()), (Some("9.00"), Some("15.00")));
        assert_eq!(p["offers"]["offerCount"], 2);
        assert_eq!(p["offers"]["availability"], "https://schema.org/OutOfStock");
        assert!(p.get("aggregateRating").is_none() && p.get("sku").is_none());
    }

    #[test]
    fn listings_and_home() {
        let card = ProductCard {
            slug: "mug".into(), name: "Mug".into(), brand: "Acme".into(), price: Money::new(100, Currency::Usd),
            in_stock: true, rating_avg: 0.0, rating_count: 0, image_url: String::new(),
        };
        let data = parse(&listing("https://shop.test", &[], Some(("Acme", "https://shop.test/b/acme")), &[&card, &card]));
        assert_eq!(data["@graph"][0]["itemListElement"][0]["item"], "https://shop.test/b/acme");
        assert_eq!(data["@graph"][1]["@type"], "ItemList");
        assert_eq!(data["@graph"][1]["itemListElement"][1]["position"], 2);
        assert_eq!(data["@graph"][1]["itemListElement"][1]["url"], "https://shop.test/p/mug");

        let data = parse(&home("https://shop.test", "Fern & <Co>", Some("/media/shop/logo.png")));
        assert_eq!(data["@graph"][0]["name"], "Fern & <Co>");
        assert_eq!(data["@graph"][0]["logo"], "https://shop.test/media/shop/logo.png");
        let action = &data["@graph"][1]["potentialAction"];
        assert_eq!(action["target"]["urlTemplate"], "https://shop.test/search?q={search_term_string}");
        assert_eq!(action["query-input"], "required name=search_term_string");
    }
}
