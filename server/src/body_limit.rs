//! Request body limits: forms and JSON are small, so a body over
//! [`MAX_BODY`] (an image upload: [`MAX_UPLOAD`]) is refused with 413 and a
//! sentence a person understands, before any handler or server function reads it (they would otherwise
//! answer 400 or 503 "Transport"). Bodies that announce their length are
//! checked from the header; streamed (chunked) ones are read up to the limit.

use app::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::ServerFn;

/// The largest body any route takes but the image upload: forms and JSON.
pub const MAX_BODY: usize = 64 * 1024;
/// The largest image upload: the picture and the form's few short fields.
pub const MAX_UPLOAD: usize = app::ssr::media::process::MAX_BYTES + 64 * 1024;

/// The uploads' server functions (a product's, a category's, a brand's
/// image, the shop's logo, and the catalog import's file).
pub fn is_upload(path: &str) -> bool {
    [
        <app::api::media::UploadImage as ServerFn>::PATH,
        <app::api::taxonomy::UploadCategoryImage as ServerFn>::PATH,
        <app::api::taxonomy::UploadBrandImage as ServerFn>::PATH,
        <app::api::settings::UploadShopLogo as ServerFn>::PATH,
        <app::api::catalog_import::UploadCatalogCsv as ServerFn>::PATH,
    ]
    .contains(&path)
}

/// The largest body `path` (an upload) takes.
fn upload_limit(path: &str) -> usize {
    if path == <app::api::catalog_import::UploadCatalogCsv as ServerFn>::PATH {
        app::domain::catalog_import::MAX_FILE + 64 * 1024
    } else {
        MAX_UPLOAD
    }
}

pub async fn limit(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let upload = is_upload(request.uri().path());
    if upload && !is_multipart(headers) {
        // The server function's decoder would fail without a boundary to read by.
        let error = AppError::BadRequest("Send the file with the upload form (multipart/form-data).".into());
        return refused(&request, error, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    let most = if upload { upload_limit(request.uri().path()) } else { MAX_BODY };
    let length = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if upload && length.is_none() {
        // Streamed, it would be read (15 MB) before anyone is signed in;
        // browsers always say how long an upload is.
        let error = AppError::BadRequest("Say how long the upload is (Content-Length).".into());
        return refused(&request, error, StatusCode::LENGTH_REQUIRED);
    }
    match length {
        Some(length) if length > most as u64 => return too_large(&request, most, length as usize),
        // hyper reads no more than the announced length.
        Some(_) => return next.run(request).await,
        None if !headers.contains_key(header::TRANSFER_ENCODING) => return next.run(request).await,
        None => {}
    }
    let (parts, body) = request.into_parts();
    match Limited::new(body, most).collect().await {
        Ok(collected) => next.run(Request::from_parts(parts, Body::from(collected.to_bytes()))).await,
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => too_large(&Request::from_parts(parts, Body::empty()), most, most + 1),
        Err(error) => {
            tracing::info!(%error, "request body could not be read");
            (StatusCode::BAD_REQUEST, "The request body could not be read. Please try again.").into_response()
        }
    }
}

fn is_multipart(headers: &header::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data") && v.contains("boundary="))
}

/// 413 for a body of `len` bytes, over `most`, in the form the route answers errors in.
fn too_large(request: &Request, most: usize, len: usize) -> Response {
    let error = if request.uri().path() == <app::api::catalog_import::UploadCatalogCsv as ServerFn>::PATH {
        AppError::TooLarge(format!(
            "That file is {} MB; an import takes files up to {} MB. Split it into several files.",
            len.div_ceil(1 << 20),
            app::domain::catalog_import::MAX_FILE >> 20
        ))
    } else if most == MAX_UPLOAD {
        app::ssr::media::process::too_many_bytes(len)
    } else {
        AppError::TooLarge(format!(
            "That request is too large: the shop takes at most {} KiB at once. Shorten what you sent and try again.",
            most / 1024
        ))
    };
    refused(request, error, StatusCode::PAYLOAD_TOO_LARGE)
}

/// `error` with `status`, in the form the route answers errors in. The
/// upload forms posted without JavaScript go back to their page, which shows
/// the error as the server function's own errors are shown.
fn refused(request: &Request, error: AppError, status: StatusCode) -> Response {
    let path = request.uri().path();
    if path.starts_with("/api/v1/") {
        return crate::api_v1::ApiError(error).into_response();
    }
    if !path.starts_with("/api/") {
        return (status, error.to_string()).into_response();
    }
    let headers = request.headers();
    let accepts_html = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
    let referer = headers.get(header::REFERER).and_then(|v| v.to_str().ok());
    if let (true, Some(referer)) = (accepts_html && is_upload(path), referer) {
        if let Ok(back) = ServerFnUrlError::new(path, error.clone()).to_url(referer) {
            return (StatusCode::SEE_OTHER, [(header::LOCATION, back.to_string())]).into_response();
        }
    }
    // Server functions answer errors as the JSON of AppError.
    let body = serde_json::to_string(&error).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}
