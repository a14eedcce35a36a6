//! The session cookie: sessions live in the database (shared by every app
//! server) and end after [`IDLE_TIMEOUT_DAYS`] without a request; the cookie
//! is HttpOnly, SameSite=Lax, and `Secure` with the `__Host-` prefix when the
//! shop is served over HTTPS.

use app::ssr::accounts::store::DbSessionStore;
use app::ssr::accounts::IDLE_TIMEOUT_DAYS;
use app::ssr::Db;
use axum::extract::Request;
use axum::http::header;
use axum::Router;
use tower::{Layer, ServiceExt};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// The session layer for a shop at `public_url`.
pub fn layer(db: Db, public_url: &str) -> SessionManagerLayer<DbSessionStore> {
    let https = public_url.starts_with("https://");
    SessionManagerLayer::new(DbSessionStore::new(db))
        .with_name(if https { "__Host-oxcart" } else { "oxcart" })
        .with_secure(https)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::days(IDLE_TIMEOUT_DAYS)))
        // Every answer moves the idle deadline on (cookie and store); the
        // store writes only when that is due (see `DbSessionStore::save`).
        .with_always_save(true)
}

/// `shop` behind the session layer only for requests that can have or start a
/// session: server function calls, and pages other than the catalog's with a
/// cookie. Catalog pages are the same for everyone
/// ([`crate::page_cache::same_for_everyone`]) and, like anonymous page views,
/// skip the session machinery and its cost.
pub fn when_needed(
    sessions: SessionManagerLayer<DbSessionStore>,
    shop: Router,
) -> impl tower::Service<Request, Response = axum::response::Response, Error = std::convert::Infallible, Future: Send>
       + Clone
       + Send
       + 'static {
    let with_sessions = sessions.layer(shop.clone());
    tower::service_fn(move |request: Request| {
        let needs = request.uri().path().starts_with("/api/")
            || (request.headers().contains_key(header::COOKIE) && !crate::page_cache::same_for_everyone(request.uri()));
        let (shop, with_sessions) = (shop.clone(), with_sessions.clone());
        async move {
            if needs {
                with_sessions.oneshot(request).await
            } else {
                shop.oneshot(request).await
            }
        }
    })
}
