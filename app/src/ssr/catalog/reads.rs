//! The storefront's catalog reads, through the catalog caches: the header's
//! categories, the home page, a category's or a brand's page of products
//! (from the search index, with its facets) and a product page.

use crate::ssr::settings::brand::shop_name;
use super::pages;
use crate::domain::catalog::{CategoryLink, HomeData, PageMeta, ProductDetail};
use crate::domain::listing::{BrandListing, CategoryListing, SearchResults};
use crate::domain::{SearchParams, SearchRequest, Slug};
use crate::error::AppError;

/// Top-level categories for the header navigation.
pub async fn nav() -> Result<Vec<CategoryLink>, AppError> {
    let state = crate::ssr::state()?;
    let db = &state.db;
    Ok(state.cache.nav.get_or_try((), || pages::top_categories(db)).await?)
}

/// The home page's data.
pub async fn home() -> Result<HomeData, AppError> {
    let state = crate::ssr::state()?;
    let (db, url) = (&state.db, &state.public_url);
    let brand = crate::ssr::settings::brand::of(&state.cache.brand, db).await?;
    state.cache.home.get_or_try((), || pages::home_page(db, url, &brand)).await
}

/// One page of category `slug`'s listing for the page's URL `params`.
pub async fn category(slug: &str, params: SearchParams) -> Result<CategoryListing, AppError> {
    let state = crate::ssr::state()?;
    let slug = Slug::parse(slug).ok_or_else(category_not_found)?;
    let db = &state.db;
    let info = state
        .cache
        .categories
        .get_or_try(slug.to_string(), || pages::category_info(db, &slug))
        .await?
        .ok_or_else(category_not_found)?;
    let params = SearchParams { q: None, cat: Some(slug.to_string()), ..params };
    let request = SearchRequest::parse(&params).map_err(AppError::BadRequest)?;
    let results = match state.search.search(&request, &state.public_url) {
        // The category exists but the index's category names are behind (it
        // was created or renamed a moment ago): reread them, then search.
        Err(AppError::NotFound(_)) => {
            state.search.refresh_vocabulary(db).await?;
            state.search.search(&request, &state.public_url)?
        }
        other => other?,
    };
    // Filtered or sorted, the page stands for the category's own; unfiltered, for its page.
    let plain = SearchRequest::plain(SearchRequest { category: request.category.clone(), page: results.request.page, ..SearchRequest::default() });
    let canonical = if (SearchRequest { page: plain.page, ..request.clone() }) == plain { plain } else { plain.first_page() };
    let mut meta = listing_meta(
        (&info.name, &info.seo_title, &info.seo_description),
        format!("{} {} products to choose from at {}.", info.description, results.page.total_items, shop_name(&state.cache.brand, &state.db).await),
        results.page.page,
        format!("{}{}", state.public_url, canonical.href()),
    );
    meta.structured = listing_data(&state.public_url, &info.breadcrumbs, None, &results);
    Ok(CategoryListing { meta, info, results })
}

/// One page of brand `slug`'s products for the page's URL `params`.
pub async fn brand(slug: &str, params: SearchParams) -> Result<BrandListing, AppError> {
    let state = crate::ssr::state()?;
    let slug = Slug::parse(slug).ok_or_else(brand_not_found)?;
    let db = &state.db;
    let info = state.cache.brands.get_or_try(slug.to_string(), || pages::brand_info(db, &slug)).await?.ok_or_else(brand_not_found)?;
    // The brand is the fixed filter; the rest of a search's refinements apply.
    let params = SearchParams { q: None, cat: None, brand: vec![info.name.clone()], ..params };
    let request = SearchRequest::parse(&params).map_err(AppError::BadRequest)?;
    let results = state.search.search(&request, &state.public_url)?;
    let page = results.page.page;
    let mut meta = listing_meta(
        (&info.name, &info.seo_title, &info.seo_description),
        format!("{} {} products by {} at {}.", info.description, results.page.total_items, info.name, shop_name(&state.cache.brand, &state.db).await),
        page,
        match page {
            1 => format!("{}/b/{}", state.public_url, info.slug),
            n => format!("{}/b/{}?page={n}", state.public_url, info.slug),
        },
    );
    let url = format!("{}/b/{}", state.public_url, info.slug);
    meta.structured = listing_data(&state.public_url, &[], Some((&info.name, &url)), &results);
    Ok(BrandListing { meta, info, results })
}

/// The schema.org data of a listing page: its trail and its products.
fn listing_data(public_url: &str, trail: &[CategoryLink], current: Option<(&str, &str)>, results: &SearchResults) -> String {
    let cards: Vec<_> = results.hits.iter().map(|hit| &hit.card).collect();
    super::structured::listing(public_url, trail, current, &cards)
}

/// A category's or brand's page title and description: its SEO fields as
/// staff wrote them, or its name and `written` (its description and count)
/// cut to what a search result shows.
fn listing_meta((name, seo_title, seo_description): (&str, &str, &str), written: String, page: u32, canonical: String) -> PageMeta {
    let name = if seo_title.is_empty() { name } else { seo_title };
    PageMeta {
        title: if page > 1 { format!("{name} — page {page}") } else { format!("{name}") },
        description: match seo_description {
            "" => pages::summary(written.trim(), 155),
            seo => seo.to_owned(),
        },
        canonical,
        ..PageMeta::default()
    }
}

/// Product `slug`'s page.
pub async fn product(slug: &str) -> Result<ProductDetail, AppError> {
    let state = crate::ssr::state()?;
    let slug = Slug::parse(slug).ok_or_else(product_not_found)?;
    let (db, url) = (&state.db, &state.public_url);
    let mut product = state
        .cache
        .products
        .get_or_try(slug.to_string(), || pages::product_page(db, url, &slug))
        .await?
        .ok_or_else(product_not_found)?;
    product.tax_note = crate::ssr::settings::for_pages().await?.tax_note().to_owned();
    // A draft is a preview for the staff who manage it (admins, its seller's
    // staff, signed in with both steps); to everyone else it does not exist yet.
    if product.preview && !super::staff::may_preview(db, product.id).await {
        return Err(product_not_found());
    }
    Ok(product)
}

fn category_not_found() -> AppError {
    AppError::NotFound("We could not find that category. It may have been renamed or removed.".into())
}

fn brand_not_found() -> AppError {
    AppError::NotFound("We could not find that brand. It may have been renamed or removed.".into())
}

fn product_not_found() -> AppError {
    AppError::NotFound("We could not find that product. It may no longer be sold here.".into())
}
