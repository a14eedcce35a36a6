//! The `oxcart` server: configuration, database, HTTP application and CLI commands.

pub mod assets;
pub mod cli;
pub mod config;
pub mod db;
pub mod health;
pub mod media;
pub mod seed;
pub mod splitmix;
pub mod startup;
pub mod telemetry;

use app::ssr::{AppState, CatalogCache, Db};
use std::time::Duration;
use config::Config;
use leptos::config::{Env, LeptosOptions};

/// Leptos' rendering options for `config`. Hashed asset names are used when
/// cargo-leptos left its `hash.txt` beside the running binary.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let hashed = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("hash.txt").exists()))
        .unwrap_or(false);
    LeptosOptions::builder()
        .output_name("oxcart")
        .site_root(config.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .env(if config.production { Env::PROD } else { Env::DEV })
        .hash_files(hashed)
        .build()
}

/// The application state for a connected, migrated database.
pub fn app_state(config: &Config, db: Db) -> AppState {
    AppState {
        db,
        leptos_options: leptos_options(config),
        public_url: config.public_url.as_str().into(),
        cache: CatalogCache::new(Duration::from_millis(config.cache_ms)).into(),
    }
}
