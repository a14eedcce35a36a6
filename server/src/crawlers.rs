//! What search engines' crawlers read: `/robots.txt` (what not to crawl, and
//! where the sitemap is) and the sitemap (`/sitemap.xml`, its listing file
//! and its product files; see `app::ssr::catalog::sitemap`).

use crate::api_v1::ApiError;
use app::error::AppError;
use app::ssr::catalog::sitemap;
use app::ssr::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The shopper's own pages, the back office, the API and filtered or sorted
/// variants of listings (their canonical page is crawled instead).
const DISALLOWED: [&str; 17] = [
    "/cart", "/checkout", "/account", "/order/", "/admin", "/api/", "/testpay/", "/*?*sort=", "/*?*brand=", "/*?*attr=",
    "/*?*price=", "/*?*rating=", "/*?*stock=", "/*?*cat=", "/*?*preview", "/*?*variant=", "/*?*ref=",
];

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], body).into_response()
}

/// `/robots.txt` for the shop at its public URL.
pub async fn robots(State(state): State<AppState>) -> Response {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    for path in DISALLOWED {
        text.push_str(&format!("Disallow: {path}\n"));
    }
    text.push_str(&format!("\nSitemap: {}/sitemap.xml\n", state.public_url));
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

/// `/sitemap.xml`: the index.
pub async fn index(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(xml(sitemap::index(&state.db, &state.public_url).await?))
}

/// `/sitemap/listings.xml`: home, categories and brands.
pub async fn listings(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok(xml(sitemap::listings(&state.db, &state.public_url).await?))
}

/// `/sitemap/products/{n}.xml`: one file of products.
pub async fn products(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, ApiError> {
    let missing = || AppError::NotFound("There is no such sitemap file.".into());
    let n = file.strip_suffix(".xml").and_then(|n| n.parse::<i64>().ok()).ok_or_else(missing)?;
    Ok(xml(sitemap::products(&state.db, &state.public_url, n).await?.ok_or_else(missing)?))
}
