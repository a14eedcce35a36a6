//! Renamed products: a product page that answers 404 is looked up among the
//! slugs products had before staff renamed them, and answers 301 to where
//! the product is now (the query string kept). Pages that exist never pay
//! for the lookup.

use app::ssr::Db;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn redirect_renamed(State(db): State<Db>, request: Request, next: Next) -> Response {
    let (path, query) = (request.uri().path().to_owned(), request.uri().query().map(str::to_owned));
    let response = next.run(request).await;
    let Some(slug) = path.strip_prefix("/p/").filter(|_| response.status() == StatusCode::NOT_FOUND) else {
        return response;
    };
    match app::ssr::catalog::pages::renamed(&db, slug).await {
        Ok(Some(now)) => {
            let location = match query {
                Some(query) => format!("/p/{now}?{query}"),
                None => format!("/p/{now}"),
            };
            (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response()
        }
        _ => response,
    }
}
