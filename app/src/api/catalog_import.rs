//! The catalog's CSV import for staff (admins and catalog managers every
//! product, a seller's staff their seller's): upload a file (a multipart
//! form, so it works without JavaScript) to have it checked as a dry run,
//! then start or drop it, and follow its progress.

use crate::domain::catalog_import::ImportJob;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// Staff: checks the form's `file` (a dry run) and keeps it as an import
/// waiting to be started; goes on to its report.
#[server(endpoint = "admin/import/upload", input = MultipartFormData)]
pub async fn upload_catalog_csv(data: MultipartData) -> Result<(), AppError> {
    let id = crate::ssr::catalog::import::jobs::upload(data).await?;
    leptos_axum::redirect(&format!("/admin/import?job={id}"));
    Ok(())
}

/// Staff: import `id`, its dry run and its progress.
#[server(endpoint = "admin/import/job")]
pub async fn catalog_import_job(id: i64) -> Result<ImportJob, AppError> {
    crate::ssr::catalog::import::jobs::job(id).await
}

/// Staff: the latest imports.
#[server(endpoint = "admin/import/recent")]
pub async fn catalog_imports() -> Result<Vec<ImportJob>, AppError> {
    crate::ssr::catalog::import::jobs::recent().await
}

/// Staff: starts checked import `id` (`go` = "start"), or drops it ("drop").
#[server(endpoint = "admin/import/decide")]
pub async fn decide_catalog_import(id: i64, go: String) -> Result<(), AppError> {
    let go = match go.as_str() {
        "start" => true,
        "drop" => false,
        _ => return Err(AppError::BadRequest("Start the import or drop it.".into())),
    };
    crate::ssr::catalog::import::jobs::decide(id, go).await?;
    leptos_axum::redirect(&format!("/admin/import?job={id}"));
    Ok(())
}
