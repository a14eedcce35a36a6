//! The `oxcart` server: configuration, database, HTTP application and CLI commands.

pub mod assets;
pub mod cli;
pub mod config;
pub mod db;
pub mod encoding;
pub mod health;
pub mod media;
pub mod page_cache;
pub mod seed;
pub mod splitmix;
pub mod startup;
pub mod telemetry;

use app::ssr::{AppState, CatalogCache, Db};
use app::SiteAssets;
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

/// The application state for a connected, migrated database.
pub fn app_state(config: &Config, db: Db) -> AppState {
    let hashes = asset_hashes();
    AppState {
        db,
        leptos_options: leptos_options(config, hashes.is_some()),
        site_assets: SiteAssets::new(OUTPUT_NAME, PKG_DIR, hashes.as_deref()),
        public_url: config.public_url.as_str().into(),
        cache: CatalogCache::new(Duration::from_millis(config.cache_ms)).into(),
    }
}
