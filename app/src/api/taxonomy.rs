//! The back office's categories and brands: the tree and its editor,
//! reordering, the brand list and editor, pictures, saving and deleting.
//! Admins only (two-step sign-in); the server checks every call.

use crate::domain::taxonomy::{BrandInput, BrandRow, CategoryEditor, CategoryInput, CategoryTree, EditedBrand};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Admins: the category tree with product counts.
#[server(endpoint = "admin/categories", input = GetUrl)]
pub async fn admin_categories() -> Result<CategoryTree, AppError> {
    crate::ssr::catalog::categories::tree().await
}

/// Admins: the editor of category `id` (0: a new one).
#[server(endpoint = "admin/category", input = GetUrl)]
pub async fn edit_category(id: i64) -> Result<CategoryEditor, AppError> {
    crate::ssr::catalog::categories::editor(id).await
}

/// Admins: saves the category editor (`id` 0 creates); back to the tree.
#[server(endpoint = "admin/categories/save")]
pub async fn save_category(#[server(default)] id: i64, #[server(default)] version: i64, input: CategoryInput) -> Result<i64, AppError> {
    let id = crate::ssr::catalog::categories::save(id, version, input).await?;
    leptos_axum::redirect("/admin/categories");
    Ok(id)
}

/// Admins: makes the form's picture (`file`) category `category`'s own, for
/// its page and a department's home page tile; back to the category's editor.
#[server(endpoint = "admin/categories/image", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn upload_category_image(data: leptos::server_fn::codec::MultipartData) -> Result<(), AppError> {
    let id = crate::ssr::catalog::pictures::upload(crate::ssr::catalog::pictures::Owner::Category, data).await?;
    leptos_axum::redirect(&format!("/admin/categories/{id}"));
    Ok(())
}

/// Admins: category `id` shows the generated artwork again.
#[server(endpoint = "admin/categories/image/remove")]
pub async fn remove_category_image(id: i64) -> Result<(), AppError> {
    crate::ssr::catalog::pictures::remove(crate::ssr::catalog::pictures::Owner::Category, id).await?;
    leptos_axum::redirect(&format!("/admin/categories/{id}"));
    Ok(())
}

/// Admins: moves category `id` one place `up` or `down` among its siblings.
#[server(endpoint = "admin/categories/shift")]
pub async fn shift_category(id: i64, to: String) -> Result<(), AppError> {
    let shift = crate::domain::taxonomy::Shift::parse(&to).ok_or_else(|| AppError::BadRequest("Move a category up, down or to a place (1 is the first).".into()))?;
    crate::ssr::catalog::categories::shift(id, shift).await?;
    leptos_axum::redirect("/admin/categories");
    Ok(())
}

/// Admins: deletes category `id`, which must hold no products or aisles.
#[server(endpoint = "admin/categories/delete")]
pub async fn delete_category(id: i64, version: i64) -> Result<(), AppError> {
    crate::ssr::catalog::categories::delete(id, version).await?;
    leptos_axum::redirect("/admin/categories");
    Ok(())
}

/// Admins: every brand with its product count.
#[server(endpoint = "admin/brands", input = GetUrl)]
pub async fn admin_brands() -> Result<Vec<BrandRow>, AppError> {
    crate::ssr::catalog::brands::list().await
}

/// Admins: brand `id`'s editor (name, slug, description, SEO fields, picture).
#[server(endpoint = "admin/brand", input = GetUrl)]
pub async fn edit_brand(id: i64) -> Result<EditedBrand, AppError> {
    crate::ssr::catalog::brands::editor(id).await
}

/// Admins: creates a brand (`id` 0) or changes brand `id` (the fields the
/// form leaves out are kept); back to the list, or to the brand's editor
/// when `from` is `editor`.
#[server(endpoint = "admin/brands/save")]
pub async fn save_brand(
    #[server(default)] id: i64,
    #[server(default)] version: i64,
    input: BrandInput,
    #[server(default)] from: String,
) -> Result<i64, AppError> {
    let id = crate::ssr::catalog::brands::save(id, version, input).await?;
    leptos_axum::redirect(&if from == "editor" { format!("/admin/brands/{id}") } else { "/admin/brands".into() });
    Ok(id)
}

/// Admins: makes the form's picture (`file`) brand `brand`'s own, for its
/// page; back to the brand's editor.
#[server(endpoint = "admin/brands/image", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn upload_brand_image(data: leptos::server_fn::codec::MultipartData) -> Result<(), AppError> {
    let id = crate::ssr::catalog::pictures::upload(crate::ssr::catalog::pictures::Owner::Brand, data).await?;
    leptos_axum::redirect(&format!("/admin/brands/{id}"));
    Ok(())
}

/// Admins: brand `id` has no picture any more.
#[server(endpoint = "admin/brands/image/remove")]
pub async fn remove_brand_image(id: i64) -> Result<(), AppError> {
    crate::ssr::catalog::pictures::remove(crate::ssr::catalog::pictures::Owner::Brand, id).await?;
    leptos_axum::redirect(&format!("/admin/brands/{id}"));
    Ok(())
}

/// Admins: deletes brand `id`, which no product may carry.
#[server(endpoint = "admin/brands/delete")]
pub async fn delete_brand(id: i64, version: i64) -> Result<(), AppError> {
    crate::ssr::catalog::brands::delete(id, version).await?;
    leptos_axum::redirect("/admin/brands");
    Ok(())
}
