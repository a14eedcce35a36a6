//! The application state: what every request handler and server function
//! can reach (the database, the catalog caches, the search index, the order
//! placer, the media store), and the shop-wide context the money path's use cases take.

use super::cache::TtlCache;
use super::{accounts, analytics, media, orders, payments, search, Db};
use crate::domain::catalog::{BrandInfo, CategoryInfo, CategoryLink, HomeData, ProductDetail};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;
use std::time::Duration;

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
    pub auth_limiter: Arc<accounts::limits::RateLimiter>,
    /// What the use cases after checkout take (database, card processor, limits).
    pub shop: Shop,
    /// The built-in test card processor (its "confirm with your bank" page),
    /// when it is the configured provider.
    pub testpay: Option<Arc<payments::test_processor::TestProvider>>,
    /// What carriers sign tracking webhooks with.
    pub carrier_secret: Arc<[u8]>,
    /// Tells open order pages that their order changed.
    pub order_feed: orders::feed::OrderFeed,
    /// Places orders, in groups under load.
    pub order_placer: orders::group_commit::OrderPlacer,
    /// Where uploaded product images are kept.
    pub media: Arc<dyn media::store::ObjectStore>,
    /// The shoppers' funnel marks not yet written.
    pub funnel: Arc<analytics::funnel::FunnelRecorder>,
}

/// Short-lived copies of what the catalog pages read.
pub struct CatalogCache {
    /// How long an entry stays fresh; zero when caching is off.
    pub ttl: Duration,
    pub nav: TtlCache<(), Vec<CategoryLink>>,
    pub home: TtlCache<(), HomeData>,
    pub categories: TtlCache<String, Option<CategoryInfo>>,
    pub brands: TtlCache<String, Option<BrandInfo>>,
    pub products: TtlCache<String, Option<ProductDetail>>,
    pub settings: TtlCache<(), crate::domain::settings::ShopSettings>,
    pub brand: TtlCache<(), crate::domain::shop_details::Brand>,
}

impl CatalogCache {
    /// Caches whose entries live for `ttl` (zero: no caching).
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            nav: TtlCache::new(ttl),
            home: TtlCache::new(ttl),
            categories: TtlCache::new(ttl),
            brands: TtlCache::new(ttl),
            products: TtlCache::new(ttl),
            settings: TtlCache::new(ttl),
            brand: TtlCache::new(ttl),
        }
    }
}

impl CatalogCache {
    /// Drops everything, after the catalog changed.
    pub fn clear(&self) {
        self.nav.clear();
        self.home.clear();
        self.categories.clear();
        self.brands.clear();
        self.products.clear();
        self.settings.clear();
        self.brand.clear();
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The shop-wide context every use case after checkout takes: the
/// database, the card processor, the shop's address for links in mail, and
/// the limits and thresholds the shop is configured with.
#[derive(Clone)]
pub struct Shop {
    pub db: Db,
    pub provider: Arc<dyn payments::provider::PaymentProvider>,
    pub public_url: Arc<str>,
    /// Refunds above this many minor units need the staff member's password again.
    pub refund_confirm_above: i64,
    /// Orders one client may place (counted in the database, across app servers).
    pub order_limit: accounts::limits::Limit,
    /// Payment attempts one client may make (card testing).
    pub payment_limit: accounts::limits::Limit,
}
