//! Catalog reads for the storefront pages.

use crate::domain::catalog::{CategoryLink, HomeData, ProductDetail};
use crate::domain::listing::{BrandListing, CategoryListing};
use crate::domain::SearchParams;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Top-level categories for the header navigation.
#[server(endpoint = "nav")]
pub async fn nav_categories() -> Result<Vec<CategoryLink>, AppError> {
    crate::ssr::catalog::reads::nav().await
}

/// Data for the home page.
#[server(endpoint = "home")]
pub async fn home_page() -> Result<HomeData, AppError> {
    crate::ssr::catalog::reads::home().await
}

/// One page of a category listing; `params` are the page's raw URL query
/// values (filters, sort, page), as on the search page.
#[server(endpoint = "category", input = Json)]
pub async fn category_page(slug: String, params: SearchParams) -> Result<CategoryListing, AppError> {
    crate::ssr::catalog::reads::category(&slug, params).await
}

/// One page of a brand's products; `params` as on a category page.
#[server(endpoint = "brand", input = Json)]
pub async fn brand_page(slug: String, params: SearchParams) -> Result<BrandListing, AppError> {
    crate::ssr::catalog::reads::brand(&slug, params).await
}

/// The product detail page.
#[server(endpoint = "product")]
pub async fn product_page(slug: String) -> Result<ProductDetail, AppError> {
    let product = crate::ssr::catalog::reads::product(&slug).await?;
    crate::ssr::analytics::funnel::note_look_request(&slug).await;
    Ok(product)
}
