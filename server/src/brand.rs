//! Puts the shop's name and logo (from the catalog cache) into each page
//! request, where the page's header, footer, titles and meta tags read them
//! (`app::components::brand`).

use app::ssr::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// Middleware for the page routes.
pub async fn attach(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    insert(&state, &mut request).await;
    next.run(request).await
}

/// Adds the brand to `request`; a page rendered without it shows the default name.
pub async fn insert(state: &AppState, request: &mut Request) {
    match app::ssr::settings::brand::of(&state.cache.brand, &state.db).await {
        Ok(brand) => {
            request.extensions_mut().insert(brand);
        }
        Err(error) => tracing::warn!(?error, "the shop's name and logo could not be read"),
    }
}
