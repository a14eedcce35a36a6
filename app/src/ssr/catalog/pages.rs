//! Catalog queries: navigation, home page, categories and product detail.

use crate::ssr::Db;
use crate::domain::catalog::{
    BrandInfo, CategoryInfo, CategoryLink, CategoryTile, HomeData, PageMeta, ProductCard,
    ProductDetail, Seller,
};
use super::images::stored_image;
use crate::domain::shop_details::Brand;
use crate::domain::{rich_text, Currency, Money, Slug};
use crate::error::AppError;

/// Products on the home page.
const FEATURED_COUNT: i64 = 8;
/// Products under "customers who bought this also bought".
const ALSO_BOUGHT_COUNT: i64 = 8;
/// Products the cart suggests.
const COMPLEMENTS_COUNT: i64 = 4;

/// The columns of a [`ProductCard`], in [`card_from_row`] order.
const CARD_COLUMNS: &str = "p.slug, p.name, b.name, p.price_minor, p.currency, p.stock, \
     p.rating_avg, p.rating_count, COALESCE(i.url, '')";
const CARD_JOINS: &str = "JOIN brands b ON b.id = p.brand_id \
     LEFT JOIN product_images i ON i.product_id = p.id AND i.position = 0";

type CardRow = (String, String, String, i64, String, i64, f64, i64, String);

fn money(minor: i64, currency: &str) -> Result<Money, AppError> {
    let currency = Currency::parse(currency).ok_or_else(|| {
        tracing::error!(currency, "product with an unknown currency");
        AppError::Internal
    })?;
    Ok(Money::new(minor, currency))
}

fn card_from_row(row: CardRow) -> Result<ProductCard, AppError> {
    let (slug, name, brand, price_minor, currency, stock, rating_avg, rating_count, image_url) = row;
    Ok(ProductCard {
        slug,
        name,
        brand,
        price: money(price_minor, &currency)?,
        in_stock: stock > 0,
        rating_avg,
        rating_count,
        image_url,
    })
}

/// The placeholder artwork of a category (served by the media route).
pub fn category_image_url(slug: &str) -> String {
    format!("/media/category/{slug}.svg")
}

/// Top-level categories in display order.
pub async fn top_categories(db: &Db) -> Result<Vec<CategoryLink>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT slug, name FROM categories WHERE parent_id IS NULL ORDER BY position, name",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(slug, name)| CategoryLink { slug, name }).collect())
}

pub async fn home_page(db: &Db, public_url: &str, brand: &Brand) -> Result<HomeData, AppError> {
    let featured: Vec<CardRow> = sqlx::query_as(&format!(
        "SELECT {CARD_COLUMNS} FROM products p {CARD_JOINS} \
         WHERE p.stock > 0 AND p.status = 'active' ORDER BY p.popularity DESC, p.id LIMIT $1"
    ))
    .bind(FEATURED_COUNT)
    .fetch_all(&db.pool)
    .await?;
    let tiles: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT slug, name, description, image_url FROM categories WHERE parent_id IS NULL ORDER BY position, name",
    )
    .fetch_all(&db.pool)
    .await?;
    Ok(HomeData {
        meta: PageMeta {
            // The shop's name alone (see `components::title_formatter`).
            title: String::new(),
            description: format!(
                "Shop electronics, fashion, home, sports and more at {}: fast delivery, fair prices and easy returns.",
                brand.name
            ),
            canonical: format!("{public_url}/"),
            image: if brand.logo.is_empty() { String::new() } else { super::structured::absolute(public_url, &brand.logo) },
            structured: super::structured::home(public_url, &brand.name, Some(brand.logo.as_str()).filter(|l| !l.is_empty())),
        },
        featured: featured.into_iter().map(card_from_row).collect::<Result<_, _>>()?,
        categories: tiles
            .into_iter()
            .map(|(slug, name, description, image_url)| CategoryTile {
                image_url: if image_url.is_empty() { category_image_url(&slug) } else { image_url },
                slug,
                name,
                description,
            })
            .collect(),
    })
}

/// A category's name, description and trail; `None` if there is no such category.
pub async fn category_info(db: &Db, slug: &Slug) -> Result<Option<CategoryInfo>, AppError> {
    type CategoryRow = (String, String, String, String, Option<String>, Option<String>, String, i64, i64, i64);
    let Some((name, description, seo_title, seo_description, parent_slug, parent_name, image_url, width, height, webp)) =
        sqlx::query_as::<_, CategoryRow>(
            "SELECT c.name, c.description, c.seo_title, c.seo_description, r.slug, r.name, \
                    c.image_url, c.image_width, c.image_height, c.image_webp \
             FROM categories c LEFT JOIN categories r ON r.id = c.parent_id WHERE c.slug = $1",
        )
    .bind(slug.as_str())
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let mut breadcrumbs: Vec<CategoryLink> =
        parent_slug.zip(parent_name).map(|(slug, name)| CategoryLink { slug, name }).into_iter().collect();
    breadcrumbs.push(CategoryLink { slug: slug.to_string(), name: name.clone() });
    // The demo's departments have generated art, not an upload: only an upload is shown here.
    let image = (!image_url.is_empty()).then(|| stored_image(image_url, String::new(), width, height, webp));
    Ok(Some(CategoryInfo { name, description, seo_title, seo_description, breadcrumbs, image }))
}

/// A brand's name, description and picture; `None` if there is no such brand.
pub async fn brand_info(db: &Db, slug: &Slug) -> Result<Option<BrandInfo>, AppError> {
    type BrandRow = (String, String, String, String, String, i64, i64, i64);
    let Some((name, description, seo_title, seo_description, image_url, width, height, webp)) = sqlx::query_as::<_, BrandRow>(
        "SELECT name, description, seo_title, seo_description, image_url, image_width, image_height, image_webp \
         FROM brands WHERE slug = $1",
    )
    .bind(slug.as_str())
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let image = (!image_url.is_empty()).then(|| stored_image(image_url, String::new(), width, height, webp));
    Ok(Some(BrandInfo { name, slug: slug.to_string(), description, seo_title, seo_description, image }))
}

/// The product detail page; `None` if there is no such product.
pub async fn product_page(
    db: &Db,
    public_url: &str,
    slug: &Slug,
) -> Result<Option<ProductDetail>, AppError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        name: String,
        description: String,
        brand: String,
        brand_slug: String,
        price_minor: i64,
        currency: String,
        stock: i64,
        rating_avg: f64,
        rating_count: i64,
        cat_slug: String,
        cat_name: String,
        root_slug: Option<String>,
        root_name: Option<String>,
        seller_slug: Option<String>,
        seller_name: Option<String>,
        status: String,
        compare_at_minor: Option<i64>,
        seo_title: String,
        seo_description: String,
    }
    // Archived products are gone from the shop; drafts are found for staff's preview.
    let Some(row) = sqlx::query_as::<_, Row>(
        "SELECT p.id, p.name, p.description, b.name AS brand, b.slug AS brand_slug, p.price_minor, p.currency, p.stock, \
                p.rating_avg, p.rating_count, c.slug AS cat_slug, c.name AS cat_name, r.slug AS root_slug, \
                r.name AS root_name, s.slug AS seller_slug, s.name AS seller_name, p.status, p.compare_at_minor, \
                p.seo_title, p.seo_description \
         FROM products p JOIN brands b ON b.id = p.brand_id \
         JOIN categories c ON c.id = p.category_id \
         LEFT JOIN categories r ON r.id = c.parent_id \
         LEFT JOIN sellers s ON s.id = p.seller_id WHERE p.slug = $1 AND p.status <> 'archived'",
    )
    .bind(slug.as_str())
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let Row {
        id, name, description, brand, brand_slug, price_minor, currency, stock, rating_avg, rating_count, cat_slug, cat_name,
        root_slug, root_name, seller_slug, seller_name, status, compare_at_minor, seo_title, seo_description,
    } = row;
    let mut breadcrumbs: Vec<CategoryLink> = root_slug
        .zip(root_name)
        .map(|(slug, name)| CategoryLink { slug, name })
        .into_iter()
        .collect();
    breadcrumbs.push(CategoryLink { slug: cat_slug, name: cat_name });

    let attributes = sqlx::query_as::<_, (String, String)>(
        "SELECT name, value FROM product_attributes WHERE product_id = $1 ORDER BY position, name",
    )
    .bind(id)
    .fetch_all(&db.pool);
    let images = crate::ssr::catalog::images::of_product(&db.pool, id);
    let price = money(price_minor, &currency)?;
    let variants = async {
        let mut conn = db.pool.acquire().await?;
        crate::ssr::catalog::variants::for_page(&mut conn, id, price.currency()).await
    };
    let reviews = crate::ssr::reviews::summary::for_product(&db.pool, id, slug.as_str(), (rating_avg, rating_count));
    let also_bought = async { also_bought_cards(&mut *db.pool.acquire().await?, id).await };
    let (attributes, images, (options, variants), (top_reviews, reviews_html), also_bought) =
        tokio::try_join!(async { attributes.await.map_err(AppError::from) }, images, variants, reviews, also_bought)?;

    let mut detail = ProductDetail {
        meta: PageMeta {
            title: if seo_title.is_empty() { format!("{name} — {brand}") } else { seo_title },
            description: if seo_description.is_empty() { summary(&rich_text::plain(&description), 155) } else { seo_description },
            canonical: format!("{public_url}/p/{slug}"),
            image: images.first().map(|i| super::structured::absolute(public_url, &i.url)).unwrap_or_default(),
            structured: String::new(),
        },
        compare_at: compare_at_minor.filter(|was| *was > price_minor).map(|was| Money::new(was, price.currency())),
        preview: status != "active",
        id,
        slug: slug.to_string(),
        name,
        text_html: text_html(&description, &reviews_html),
        description,
        brand,
        brand_slug,
        price,
        stock,
        rating_avg,
        rating_count,
        breadcrumbs,
        attributes,
        images,
        options,
        variants,
        seller: seller_slug.zip(seller_name).map(|(slug, name)| Seller { slug, name }),
        tax_note: String::new(),
        also_bought,
    };
    detail.meta.structured = super::structured::product(&detail, &top_reviews, public_url);
    Ok(Some(detail))
}

/// What customers who bought `product` also bought, for sale now, as cards.
pub async fn also_bought_cards(conn: &mut sqlx::AnyConnection, product: i64) -> Result<Vec<ProductCard>, AppError> {
    let ids = crate::ssr::recommend::co_purchase::also_bought(&mut *conn, product, ALSO_BOUGHT_COUNT).await?;
    cards_of(conn, &ids).await
}

/// What customers who bought a cart's `products` also bought (not in it), as cards.
pub async fn complements_cards(conn: &mut sqlx::AnyConnection, products: &[i64]) -> Result<Vec<ProductCard>, AppError> {
    let ids = crate::ssr::recommend::co_purchase::with_all(&mut *conn, products, COMPLEMENTS_COUNT).await?;
    cards_of(conn, &ids).await
}

/// The cards of products `ids`, in that order.
async fn cards_of(conn: &mut sqlx::AnyConnection, ids: &[i64]) -> Result<Vec<ProductCard>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT p.id, {CARD_COLUMNS} FROM products p {CARD_JOINS} WHERE p.id IN ({})",
        crate::ssr::db::placeholders(1, ids.len())
    );
    let mut query = sqlx::query_as::<_, (i64, String, String, String, i64, String, i64, f64, i64, String)>(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    let mut found = std::collections::HashMap::new();
    for (id, slug, name, brand, price, currency, stock, avg, count, image) in query.fetch_all(conn).await? {
        found.insert(id, card_from_row((slug, name, brand, price, currency, stock, avg, count, image))?);
    }
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// A product page's text: the description under its heading (none when
/// there is no description), then the reviews section.
fn text_html(description: &str, reviews: &str) -> String {
    let mut out = String::new();
    if !description.trim().is_empty() {
        out.push_str(r#"<h2>Description</h2><div class="description">"#);
        out.push_str(&rich_text::to_html(description));
        out.push_str("</div>");
    }
    out.push_str(r#"<section class="reviews" data-testid="reviews">"#);
    out.push_str(reviews);
    out.push_str("</section>");
    out
}

/// The first `max` characters of `text`, cut at a word boundary, with an ellipsis.
pub fn summary(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', '.', ';']))
}

#[cfg(test)]
mod tests {
    #[test]
    fn summary_cuts_at_words() {
        assert_eq!(super::summary("short", 10), "short");
        assert_eq!(super::summary("one two three four", 9), "one two…");
    }
}
