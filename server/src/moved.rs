//! Renamed products and categories: a product or category page that answers
//! 404 is looked up among the slugs it had before staff renamed it, and
//! answers 301 to where it is now (the query string kept). Pages that exist
//! never pay for the lookup.

use app::ssr::Db;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn redirect_renamed(State(db): State<Db>, request: Request, next: Next) -> Response {
    let (path, query) = (request.uri().path().to_owned(), request.uri().query().map(str::to_owned));
    let response = next.run(request).await;
    if response.status() != StatusCode::NOT_FOUND {
        return response;
    }
    let found = if let Some(slug) = path.strip_prefix("/p/") {
        app::ssr::catalog::pages::renamed(&db, slug).await.map(|now| now.map(|now| format!("/p/{now}")))
    } else if let Some(slug) = path.strip_prefix("/c/") {
        app::ssr::catalog::pages::category_renamed(&db, slug).await.map(|now| now.map(|now| format!("/c/{now}")))
    } else {
        return response;
    };
    match found {
        Ok(Some(now)) => {
            let location = match query {
                Some(query) => format!("{now}?{query}"),
                None => now,
            };
            (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response()
        }
        _ => response,
    }
}
