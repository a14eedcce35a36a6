//! The session cookie: sessions live in the database (shared by every app
//! server); the cookie is HttpOnly, SameSite=Lax, and `Secure` with the
//! `__Host-` prefix when the shop is served over HTTPS.

use app::ssr::auth::store::DbSessionStore;
use app::ssr::auth::IDLE_TIMEOUT_DAYS;
use app::ssr::Db;
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
}
