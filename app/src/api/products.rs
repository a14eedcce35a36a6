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

/// Staff: the stock of product `id`'s `variant` (all its variants when
/// empty and it has several) and its ledger.
#[server(endpoint = "admin/products/stock", input = GetUrl)]
pub async fn product_stock(id: i64, #[server(default)] variant: String) -> Result<StockLedger, AppError> {
    crate::ssr::inventory::adjust::ledger(id, crate::domain::variants::variant_choice(&variant).map_err(AppError::BadRequest)?).await
}

/// Staff: adds `delta` units (negative takes away) to the stock of product
/// `id`'s `variant` (empty: its only one) for `reason` (`received`,
/// `counted`, `damaged`, `returned`); the stock after.
#[server(endpoint = "admin/products/adjust-stock")]
pub async fn adjust_stock(
    id: i64,
    #[server(default)] variant: String,
    delta: String,
    reason: String,
    #[server(default)] note: String,
) -> Result<i64, AppError> {
    let variant = crate::domain::variants::variant_choice(&variant).map_err(AppError::BadRequest)?;
    let stock = crate::ssr::inventory::adjust::adjust(id, variant, &delta, &reason, &note).await?;
    leptos_axum::redirect(&format!("/admin/products/{id}"));
    Ok(stock)
}

/// Staff: sets product `id`'s options, one per line as `Name: value, value`
/// (empty: none); its variants follow (see the variants use case). Refused
/// when the product was saved since `version`.
#[server(endpoint = "admin/products/options")]
pub async fn set_product_options(id: i64, version: i64, #[server(default)] options: String) -> Result<(), AppError> {
    crate::ssr::catalog::variants::set_options(id, version, &options).await?;
    leptos_axum::redirect(&format!("/admin/products/{id}#variants"));
    Ok(())
}

/// Staff: saves variant `variant` of product `id`: SKU, price, compare-at
/// price, weight, low-stock threshold and picture (one of the product's
/// image URLs; empty for its first). Refused when the variant was saved
/// since `version`.
#[server(endpoint = "admin/products/variant")]
#[allow(clippy::too_many_arguments)]
pub async fn save_variant(
    id: i64,
    variant: i64,
    version: i64,
    sku: String,
    price: String,
    #[server(default)] compare_at: String,
    #[server(default)] weight_grams: String,
    #[server(default)] low_stock: String,
    #[server(default)] image: String,
) -> Result<(), AppError> {
    use crate::ssr::catalog::variants::{save_variant, VariantInput};
    let input = VariantInput { sku: &sku, price: &price, compare_at: &compare_at, weight_grams: &weight_grams, low_stock: &low_stock, image: &image };
    save_variant(id, variant, version, input).await?;
    leptos_axum::redirect(&format!("/admin/products/{id}#variants"));
    Ok(())
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
