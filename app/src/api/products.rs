//! The back office's catalog: the product list, the editor, publishing,
//! archiving, copies and deletion, and stock adjustments with the ledger.
//! For admins and sellers' staff with two-step sign-in; the server checks
//! every call (a seller's staff reach only their seller's products).

use crate::domain::products::{ProductEditor, ProductInput, ProductList, StockLedger};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Staff: a page of products, searched (`q`: name, slug or number),
/// filtered and sorted as the list's URL says.
#[server(endpoint = "admin/products", input = GetUrl)]
#[allow(clippy::too_many_arguments)]
pub async fn admin_products(
    #[server(default)] q: String,
    #[server(default)] category: String,
    #[server(default)] brand: String,
    #[server(default)] seller: String,
    #[server(default)] status: String,
    #[server(default)] stock: String,
    #[server(default)] sort: String,
    #[server(default)] page: String,
) -> Result<ProductList, AppError> {
    let filter = crate::domain::products::ProductFilter::parse(&q, &category, &brand, &seller, &status, &stock, &sort, &page).map_err(AppError::BadRequest)?;
    crate::ssr::catalog::product_list::list(filter).await
}

/// Staff: the editor of product `id` (0: a new product).
#[server(endpoint = "admin/product", input = GetUrl)]
pub async fn edit_product(id: i64) -> Result<ProductEditor, AppError> {
    crate::ssr::catalog::editing::editor(id).await
}

/// Staff: saves the editor (`id` 0 creates a draft); a product saved by
/// someone else since `version` is refused. Goes on to the product's page.
#[server(endpoint = "admin/products/save")]
pub async fn save_product(#[server(default)] id: i64, #[server(default)] version: i64, input: ProductInput) -> Result<i64, AppError> {
    let id = crate::ssr::catalog::editing::save(id, version, input).await?;
    leptos_axum::redirect(&format!("/admin/products/{id}"));
    Ok(id)
}

/// Staff: publishes (`active`), archives or returns to draft product `id`.
#[server(endpoint = "admin/products/status")]
pub async fn set_product_status(id: i64, version: i64, status: String) -> Result<(), AppError> {
    let status = crate::domain::products::ProductStatus::parse(&status).ok_or_else(|| AppError::BadRequest("Unknown product status.".into()))?;
    crate::ssr::catalog::editing::set_status(id, version, status).await?;
    leptos_axum::redirect(&format!("/admin/products/{id}"));
    Ok(())
}

/// Staff: a new draft copied from product `id`; goes on to the copy.
#[server(endpoint = "admin/products/duplicate")]
pub async fn duplicate_product(id: i64) -> Result<i64, AppError> {
    let copy = crate::ssr::catalog::editing::duplicate(id).await?;
    leptos_axum::redirect(&format!("/admin/products/{copy}"));
    Ok(copy)
}

/// Staff: deletes product `id`, which no order may hold; back to the list.
#[server(endpoint = "admin/products/delete")]
pub async fn delete_product(id: i64, version: i64) -> Result<(), AppError> {
    crate::ssr::catalog::editing::delete(id, version).await?;
    leptos_axum::redirect("/admin/products");
    Ok(())
}

/// Staff: product `id`'s stock and its ledger.
#[server(endpoint = "admin/products/stock", input = GetUrl)]
pub async fn product_stock(id: i64) -> Result<StockLedger, AppError> {
    crate::ssr::inventory::adjust::ledger(id).await
}

/// Staff: adds `delta` units (negative takes away) to product `id`'s stock
/// for `reason` (`received`, `counted`, `damaged`, `returned`); the stock after.
#[server(endpoint = "admin/products/adjust-stock")]
pub async fn adjust_stock(id: i64, delta: String, reason: String, #[server(default)] note: String) -> Result<i64, AppError> {
    let stock = crate::ssr::inventory::adjust::adjust(id, &delta, &reason, &note).await?;
    leptos_axum::redirect(&format!("/admin/products/{id}"));
    Ok(stock)
}

/// Staff: applies bulk `action` (`publish`, `unpublish`, `archive`,
/// `category` with `category`, `price` with `percent`) to the products
/// checked on the list (`selected[<id>]`); a sentence saying what was done.
#[server(endpoint = "admin/products/bulk")]
pub async fn bulk_products(
    #[server(default)] selected: std::collections::BTreeMap<String, String>,
    #[server(default)] action: String,
    #[server(default)] category: String,
    #[server(default)] percent: String,
) -> Result<String, AppError> {
    use crate::domain::product_bulk::{selected_ids, BulkAction};
    let ids = selected_ids(&selected).map_err(AppError::BadRequest)?;
    let action = BulkAction::parse(&action, &category, &percent).map_err(AppError::BadRequest)?;
    crate::ssr::catalog::bulk::apply(&ids, action).await
}
