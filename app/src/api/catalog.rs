//! Catalog reads for the storefront pages.

use crate::domain::{Money, PageInfo, ProductSort};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Head metadata every page sets: `<title>`, meta description and canonical URL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    pub canonical: String,
}

/// A link to a category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryLink {
    pub slug: String,
    pub name: String,
}

/// A category tile on the home page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryTile {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub image_url: String,
}

/// A product as shown in a grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductCard {
    pub slug: String,
    pub name: String,
    pub brand: String,
    pub price: Money,
    pub in_stock: bool,
    pub rating_avg: f64,
    pub rating_count: i64,
    pub image_url: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeData {
    pub meta: PageMeta,
    pub featured: Vec<ProductCard>,
    pub categories: Vec<CategoryTile>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryListing {
    pub meta: PageMeta,
    pub name: String,
    pub slug: String,
    pub description: String,
    /// Root first, the category itself last.
    pub breadcrumbs: Vec<CategoryLink>,
    pub subcategories: Vec<CategoryLink>,
    pub products: Vec<ProductCard>,
    pub page: PageInfo,
    pub sort: ProductSort,
}

/// One product image.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductImage {
    pub url: String,
    pub alt: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub meta: PageMeta,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub brand: String,
    pub price: Money,
    pub stock: i64,
    pub rating_avg: f64,
    pub rating_count: i64,
    /// Root category first, the product's own category last.
    pub breadcrumbs: Vec<CategoryLink>,
    pub attributes: Vec<(String, String)>,
    pub images: Vec<ProductImage>,
}

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

/// One page of a category listing. `page` and `sort` are the raw query values.
#[server(endpoint = "category")]
pub async fn category_page(
    slug: String,
    page: Option<String>,
    sort: Option<String>,
) -> Result<CategoryListing, AppError> {
    use crate::domain::{PageRequest, Slug};
    let state = crate::ssr::state()?;
    let slug = Slug::parse(&slug).ok_or_else(category_not_found)?;
    let page = PageRequest::parse(page.as_deref()).map_err(AppError::BadRequest)?;
    let sort = ProductSort::parse(sort.as_deref()).map_err(AppError::BadRequest)?;
    let (db, url) = (&state.db, &state.public_url);
    state
        .cache
        .categories
        .get_or_try((slug.to_string(), page, sort), || {
            crate::ssr::db::catalog::category_page(db, url, &slug, page, sort)
        })
        .await?
        .ok_or_else(category_not_found)
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
