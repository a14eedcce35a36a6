//! The `oxcart` server: configuration, database, HTTP application and CLI commands.

pub mod api_errors;
pub mod api_v1;
pub mod assets;
pub mod body_limit;
pub mod brand;
pub mod carrier;
pub mod catalog_csv;
pub mod cli;
pub mod client_addr;
pub mod config;
pub mod crawlers;
pub mod csrf;
pub mod csv_download;
pub mod db;
pub mod encoding;
pub mod funnel;
pub mod health;
pub mod invoice;
pub mod live;
pub mod media;
pub mod moved;
pub mod order_desk;
pub mod page_cache;
pub mod payment_routes;
pub mod pwa;
pub mod security_headers;
pub mod seed;
pub mod sessions;
pub mod splitmix;
pub mod startup;
pub mod telemetry;
pub mod time_limit;

use app::ssr::{AppState, CatalogCache, Db};
use app::ssr::search::SearchIndex;
use app::SiteAssets;
use std::sync::Arc;
use std::time::Duration;
use config::Config;
use leptos::config::{Env, LeptosOptions};

/// Leptos' rendering options for `config`; `hashed` says cargo-leptos put
/// content hashes into the asset names.
pub fn leptos_options(config: &Config, hashed: bool) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir(PKG_DIR)
        .site_addr(config.addr)
        .env(if config.production { Env::PROD } else { Env::DEV })
        .hash_files(hashed)
        .build()
}

/// The bundle's name and directory, as set in Cargo.toml's `[workspace.metadata.leptos]`.
const OUTPUT_NAME: &str = "oxcart";
const PKG_DIR: &str = "pkg";

/// cargo-leptos' `hash.txt` beside the running binary, if the build hashed asset names.
fn asset_hashes() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    std::fs::read_to_string(exe.parent()?.join("hash.txt")).ok()
}

/// Where the search index lives.
pub fn search_dir(config: &Config) -> std::path::PathBuf {
    config.data_dir.join("search")
}

/// Where uploaded product images are kept.
pub fn media_dir(config: &Config) -> std::path::PathBuf {
    match config.media_dir.as_str() {
        "" => config.data_dir.join("media"),
        dir => dir.into(),
    }
}

/// The media store: the S3-compatible bucket when one is set (a file is
/// written, read and deleted here, so a wrong URL or key, or keys without
/// those rights, stop the start with a clear message rather than failing the
/// first upload), else the directory.
async fn media_store(config: &Config) -> Result<Arc<dyn app::ssr::media::store::ObjectStore>, String> {
    use app::ssr::media::s3;
    if config.media_s3_url.is_empty() {
        let dir = media_dir(config);
        let store = app::ssr::media::store::LocalDir::new(&dir)
            .map_err(|e| format!("cannot create the media directory {}: {e}", dir.display()))?;
        return Ok(Arc::new(store));
    }
    let store = s3::S3Store::new(s3::S3Config {
        url: config.media_s3_url.clone(),
        region: config.media_s3_region.clone(),
        key_id: config.media_s3_key_id.clone(),
        secret: config.media_s3_secret.clone(),
    })?;
    store.probe().await.map_err(|_| {
        format!(
            "the media S3 store at {} refused or did not answer (see the log line above): check its URL, region and keys",
            config.media_s3_url
        )
    })?;
    Ok(Arc::new(store))
}

/// Where sent mail is written, one `.eml` file per message, when no SMTP server is set.
pub fn mail_dir(config: &Config) -> std::path::PathBuf {
    config.data_dir.join("mail")
}

/// The application state for a connected, migrated database: opens (or
/// builds) the search index and starts keeping it in step with the database.
pub async fn start(config: &Config, db: Db) -> Result<AppState, String> {
    // Refused before anything starts (an index writer, background tasks).
    config.check_payments()?;
    let media = media_store(config).await?;
    let mailer = app::ssr::mail::Mailer::new(&config.mail_from, &config.smtp_url, mail_dir(config))?;
    let search = SearchIndex::open(&search_dir(config), &db, Duration::from_millis(config.cache_ms))
        .await
        .map_err(|e| format!("cannot open the search index in {}: {e}", search_dir(config).display()))?;
    app::ssr::search::sync::spawn(search.clone(), db.clone());
    let cache = Arc::new(CatalogCache::new(Duration::from_millis(config.cache_ms)));
    search.on_change({
        let cache = cache.clone();
        move || cache.clear()
    });
    app::ssr::mail::spawn_sender(db.clone(), mailer, Duration::from_secs(1));
    app::ssr::accounts::store::DbSessionStore::new(db.clone()).spawn_cleanup(Duration::from_secs(600));
    // One process: a fresh payment secret each start is enough (the test processor lives in it).
    let testpay = (config.payment_provider == config::PaymentProvider::Test).then(|| {
        tracing::warn!("payments go through the built-in test card processor: no real money moves");
        Arc::new(app::ssr::payments::test_processor::TestProvider::new(secret_or_random(&config.webhook_secret), &config.public_url))
    });
    let provider: Arc<dyn app::ssr::payments::provider::PaymentProvider> = match (&testpay, config.payment_provider) {
        (Some(testpay), _) => testpay.clone(),
        (None, config::PaymentProvider::Stripe) => Arc::new({
            if config.stripe_secret_key.starts_with("sk_test_") || config.stripe_secret_key.starts_with("rk_test_") {
                tracing::warn!("the Stripe key is a test key (sk_test_…): payments go through Stripe's test mode and no real money moves");
            }
            app::ssr::payments::stripe::Stripe::new(&config.stripe_api, &config.stripe_secret_key, config.webhook_secret.as_bytes())?
        }),
        (None, _) => Arc::new(app::ssr::payments::test_processor::Disabled),
    };
    // A call without an answer in time has an unknown outcome, asked again later.
    let provider = Arc::new(app::ssr::payments::deadline::Deadline::new(provider, app::ssr::payments::deadline::PROVIDER_TIMEOUT));
    if config.carrier_secret.is_empty() {
        tracing::info!("no carrier secret set (OXCART_CARRIER_SECRET): tracking webhooks are refused until one is");
    }
    let shop = app::ssr::Shop {
        db: db.clone(),
        provider,
        public_url: config.public_url.as_str().into(),
        refund_confirm_above: config.refund_confirm_above,
        order_limit: app::ssr::accounts::limits::Limit { most: config.order_rate, window_secs: RATE_WINDOW_SECS },
        payment_limit: app::ssr::accounts::limits::Limit { most: config.payment_rate, window_secs: RATE_WINDOW_SECS },
    };
    if config.chores_secs > 0 {
        app::ssr::chores::spawn(shop.clone(), media.clone(), Duration::from_secs(config.chores_secs));
    }
    let funnel = Arc::new(app::ssr::analytics::funnel::FunnelRecorder::default());
    app::ssr::analytics::funnel::spawn_writer(funnel.clone(), db.clone(), Duration::from_secs(5));
    app::ssr::catalog::import::jobs::spawn_worker(db.clone());
    let (db_for_watch, db_for_desk) = (db.clone(), db.clone());
    let shop_url = shop.public_url.clone();
    let hashes = asset_hashes();
    Ok(AppState {
        db,
        media,
        leptos_options: leptos_options(config, hashes.is_some()),
        site_assets: SiteAssets::new(OUTPUT_NAME, PKG_DIR, hashes.as_deref()),
        public_url: shop_url.clone(),
        cache,
        search,
        // `auth_burst` attempts at once, then one every six seconds, per client address.
        auth_limiter: Arc::new(app::ssr::accounts::limits::RateLimiter::new(config.auth_burst, 1.0 / 6.0)),
        shop,
        testpay,
        carrier_secret: secret_or_random(&config.carrier_secret).into(),
        order_feed: app::ssr::orders::feed::OrderFeed::spawn(db_for_watch, Duration::from_millis(500)),
        order_placer: app::ssr::orders::group_commit::OrderPlacer::spawn(
            db_for_desk,
            config.order_workers as usize,
            config.order_group as usize,
            shop_url,
        ),
        funnel,
    })
}

/// The window of the order and payment limits: ten minutes.
const RATE_WINDOW_SECS: i64 = 600;

/// The configured secret's bytes, or 32 random bytes when none is set.
fn secret_or_random(secret: &str) -> Vec<u8> {
    match secret {
        "" => app::ssr::accounts::random_bytes::<32>().to_vec(),
        secret => secret.as_bytes().to_vec(),
    }
}
