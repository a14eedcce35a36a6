//! The back office's product images: upload (a multipart form, so it works
//! without JavaScript), alt text, order and removal. For the staff who may
//! edit the product; the server checks every call.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// Staff: adds the form's picture (`file`, with `alt` text) to product
/// `product` as its last image; goes on to the product's page.
#[server(endpoint = "admin/products/images", input = MultipartFormData)]
pub async fn upload_image(data: MultipartData) -> Result<(), AppError> {
    let id = crate::ssr::catalog::images::upload(data).await?;
    leptos_axum::redirect(&format!("/admin/products/{id}#images"));
    Ok(())
}

/// Staff: sets the alt text of product `id`'s image at `url`.
#[server(endpoint = "admin/products/images/alt")]
pub async fn describe_image(id: i64, url: String, alt: String) -> Result<(), AppError> {
    crate::ssr::catalog::images::describe(id, &url, &alt).await?;
    leptos_axum::redirect(&format!("/admin/products/{id}#images"));
    Ok(())
}

/// Staff: moves product `id`'s image at `url` one place `up` (earlier) or `down`.
#[server(endpoint = "admin/products/images/move")]
pub async fn move_image(id: i64, url: String, to: String) -> Result<(), AppError> {
    let shift = crate::domain::taxonomy::Shift::parse(&to).ok_or_else(|| AppError::BadRequest("Move an image up, down or to a place (1 is the first).".into()))?;
    crate::ssr::catalog::images::reorder(id, &url, shift).await?;
    leptos_axum::redirect(&format!("/admin/products/{id}#images"));
    Ok(())
}

/// Staff: removes product `id`'s image at `url`.
#[server(endpoint = "admin/products/images/remove")]
pub async fn remove_image(id: i64, url: String) -> Result<(), AppError> {
    crate::ssr::catalog::images::remove(id, &url).await?;
    leptos_axum::redirect(&format!("/admin/products/{id}#images"));
    Ok(())
}
