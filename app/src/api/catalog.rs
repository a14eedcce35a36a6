//! Catalog reads for the storefront pages.

use crate::domain::catalog::{CategoryLink, HomeData, PageMeta, ProductDetail};
use crate::domain::listing::CategoryListing;
use crate::domain::SearchParams;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Top-level categories for the header navigation.
#[server(endpoint = "nav")]
pub async fn nav_categories() -> Result<Vec<CategoryLink>, AppError> {
    let state = crate::ssr::state()?;
    let db = &state.db;
    Ok(state.cache.nav.get_or_try((), || crate::ssr::db::catalog::top_categories(db)).await?)
}

/// Data for the home page.
#[server(endpoint = "home")]
pub async fn home_page() -> Result<HomeData, AppError> {
    let state = crate::ssr::state()?;
    let (db, url) = (&state.db, &state.public_url);
    state.cache.home.get_or_try((), || crate::ssr::db::catalog::home_page(db, url)).await
}

/// One page of a category listing; `params` are the page's raw URL query
/// values (filters, sort, page), as on the search page.
#[server(endpoint = "category", input = Json)]
pub async fn category_page(slug: String, params: SearchParams) -> Result<CategoryListing, AppError> {
    use crate::domain::{SearchRequest, Slug};
    let state = crate::ssr::state()?;
    let slug = Slug::parse(&slug).ok_or_else(category_not_found)?;
    let db = &state.db;
    let info = state
        .cache
        .categories
        .get_or_try(slug.to_string(), || crate::ssr::db::catalog::category_info(db, &slug))
        .await?
        .ok_or_else(category_not_found)?;
    let params = SearchParams { q: None, cat: Some(slug.to_string()), ..params };
    let request = SearchRequest::parse(&params).map_err(AppError::BadRequest)?;
    let results = state.search.search(&request, &state.public_url)?;
    let page = results.page.page;
    let title = if page > 1 { format!("{} — page {page} | Oxcart", info.name) } else { format!("{} | Oxcart", info.name) };
    let canonical = format!("{}{}", state.public_url, results.request.href());
    let meta = PageMeta {
        title,
        description: format!("{} {} products to choose from at Oxcart.", info.description, results.page.total_items),
        canonical,
    };
    Ok(CategoryListing { meta, info, results })
}

/// The product detail page.
#[server(endpoint = "product")]
pub async fn product_page(slug: String) -> Result<ProductDetail, AppError> {
    use crate::domain::Slug;
    let state = crate::ssr::state()?;
    let slug = Slug::parse(&slug).ok_or_else(product_not_found)?;
    let (db, url) = (&state.db, &state.public_url);
    state
        .cache
        .products
        .get_or_try(slug.to_string(), || crate::ssr::db::catalog::product_page(db, url, &slug))
        .await?
        .ok_or_else(product_not_found)
}

#[cfg(feature = "ssr")]
fn category_not_found() -> AppError {
    AppError::NotFound("We could not find that category. It may have been renamed or removed.".into())
}

#[cfg(feature = "ssr")]
fn product_not_found() -> AppError {
    AppError::NotFound("We could not find that product. It may no longer be sold here.".into())
}
