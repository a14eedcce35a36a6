//! Renamed products, categories and brands: a product, category or brand
//! page that answers 404 is looked up among the slugs it had before staff
//! renamed it, and answers 301 to where it is now (the query string kept).
//! Pages that exist never pay for the lookup.

use app::ssr::catalog::redirects::Redirects;
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
    let Some((prefix, kind)) = [("/p/", Redirects::Products), ("/c/", Redirects::Categories), ("/b/", Redirects::Brands)]
        .into_iter()
        .find(|(prefix, _)| path.starts_with(prefix))
    else {
        return response;
    };
    let found = kind.now_at(&db, &path[prefix.len()..]).await.map(|now| now.map(|now| format!("{prefix}{now}")));
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
