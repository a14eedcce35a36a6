//! Server-only code: application state, database access, caching.

pub mod auth;
pub mod cache;
pub mod db;
pub mod mail;
pub mod pdf;
pub mod search;
pub mod shop;

use crate::api::catalog::{CategoryInfo, CategoryLink, HomeData, ProductDetail};
use crate::error::AppError;
use axum::extract::FromRef;
use cache::TtlCache;
use leptos::config::LeptosOptions;
use std::sync::Arc;
use std::time::Duration;

pub use db::{Backend, Db};

/// Everything a request handler or server function needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    /// URLs of the stylesheet and client bundle for the page shell.
    pub site_assets: crate::SiteAssets,
    /// The public base URL (scheme and host, no trailing slash), for canonical links.
    pub public_url: Arc<str>,
    pub cache: Arc<CatalogCache>,
    pub search: Arc<search::SearchIndex>,
    /// Attempts per client address at the account forms.
    pub auth_limiter: Arc<auth::limits::RateLimiter>,
    /// The payment provider and what paying needs.
    pub payments: shop::payments::Payments,
    /// The built-in test card processor (its "confirm with your bank" page),
    /// when it is the configured provider.
    pub testpay: Option<Arc<shop::provider::TestProvider>>,
    /// What carriers sign tracking webhooks with.
    pub carrier_secret: Arc<[u8]>,
    /// Tells open order pages that their order changed.
    pub orders_watch: shop::watch::OrderWatch,
    /// Places orders, in groups under load.
    pub order_desk: shop::desk::OrderDesk,
}

/// Short-lived copies of what the catalog pages read.
pub struct CatalogCache {
    /// How long an entry stays fresh; zero when caching is off.
    pub ttl: Duration,
    pub nav: TtlCache<(), Vec<CategoryLink>>,
    pub home: TtlCache<(), HomeData>,
    pub categories: TtlCache<String, Option<CategoryInfo>>,
    pub products: TtlCache<String, Option<ProductDetail>>,
}

impl CatalogCache {
    /// Caches whose entries live for `ttl` (zero: no caching).
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            nav: TtlCache::new(ttl),
            home: TtlCache::new(ttl),
            categories: TtlCache::new(ttl),
            products: TtlCache::new(ttl),
        }
    }
}

impl CatalogCache {
    /// Drops everything, after the catalog changed.
    pub fn clear(&self) {
        self.nav.clear();
        self.home.clear();
        self.categories.clear();
        self.products.clear();
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The time now, in Unix seconds (how every table stores times).
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// The application state from the Leptos context of the current request.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}
