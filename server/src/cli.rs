//! The command line: `oxcart serve | migrate | seed | reindex | create-admin`.

use crate::assets::StaticAssets;
use crate::config::Config;
use crate::{db, seed, startup};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Parser)]
#[command(name = "oxcart", version, about = "Oxcart: a self-hosted storefront")]
pub struct Cli {
    /// Runtime settings file [default: Leptos.toml if present]
    #[arg(long, global = true, env = "OXCART_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate, seed demo data into an empty catalog, and serve the shop (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Generate a deterministic demo catalog.
    Seed {
        /// Number of products to generate.
        #[arg(long, default_value_t = 10_000)]
        products: u64,
        /// Generator seed: the same seed always gives the same catalog.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Delete the existing catalog first.
        #[arg(long)]
        replace: bool,
    },
    /// Rebuild the search index from the database (stop the server first).
    Reindex,
    /// Make an account an admin (creating it if needed) and print a one-hour
    /// link to set its password.
    CreateAdmin {
        /// The admin's email address.
        #[arg(long)]
        email: String,
    },
    /// Make an account staff of a seller (creating it if needed): they pack and
    /// ship that seller's items. Prints a one-hour link to set its password.
    CreateSellerStaff {
        /// The staff member's email address.
        #[arg(long)]
        email: String,
        /// The seller's slug.
        #[arg(long)]
        seller: String,
    },
    /// The benchmarks' baseline: a bare axum handler ("Hello, world!") on the
    /// same runtime and versions as the shop, served from this binary so the
    /// benchmarks need no build of their own.
    #[command(hide = true)]
    Baseline {
        /// Where to listen.
        #[arg(default_value = "127.0.0.1:3301")]
        addr: String,
    },
}

impl Cli {
    /// Runs the chosen command; the error is one line for the terminal.
    pub async fn run(self) -> Result<(), String> {
        if let Some(Command::Baseline { addr }) = &self.command {
            return baseline(addr).await;
        }
        let (path, required) = match self.config {
            Some(path) => (path, true),
            None => (PathBuf::from("Leptos.toml"), false),
        };
        let config = Config::load(&path, required, |k| std::env::var(k).ok())?;
        let url = db::database_url(&config)?;
        let db = db::connect(&url, config.max_connections).await?;
        db::migrate(&db).await?;
        let result = match self.command.unwrap_or(Command::Serve) {
            Command::Migrate => {
                tracing::info!(database = %db::redact(&url), "migrations applied");
                Ok(())
            }
            Command::Seed { products, seed, replace } => {
                let progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
                seed::seed(&db, products, seed, replace, progress).await
            }
            Command::Reindex => reindex(&config, &db).await,
            Command::CreateAdmin { email } => app::ssr::accounts::create_staff(&db, &email, None, &config.public_url)
                .await
                .map(|link| println!("{} is an admin. Set the password within an hour at:\n{link}", email.trim()))
                .map_err(|e| format!("cannot create the admin: {e}")),
            Command::CreateSellerStaff { email, seller } => {
                app::ssr::accounts::create_staff(&db, &email, Some(&seller), &config.public_url)
                    .await
                    .map(|link| {
                        println!("{} is staff of {}. Set the password within an hour at:\n{link}", email.trim(), seller.trim())
                    })
                    .map_err(|e| format!("cannot create the seller's staff: {e}"))
            }
            Command::Serve => serve(&config, db.clone()).await,
            Command::Baseline { .. } => unreachable!("served above, without a database"),
        };
        db.pool.close().await;
        result
    }
}

async fn baseline(addr: &str) -> Result<(), String> {
    use axum::{routing::get, Router};
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let app = Router::new().route("/", get(|| async { "Hello, world!" }));
    axum::serve(listener, app).await.map_err(|e| format!("server error: {e}"))
}

async fn serve(config: &Config, db: app::ssr::Db) -> Result<(), String> {
    if config.demo_products > 0 && seed::catalog_is_empty(&db).await.map_err(|e| e.to_string())? {
        tracing::info!(products = config.demo_products, "empty catalog: writing the demo catalog");
        seed::seed(&db, config.demo_products, 42, false, false).await?;
    }
    let state = crate::start(config, db).await?;
    let assets = match StaticAssets::load(&config.site_root, state.leptos_options.hash_files) {
        Ok(assets) => assets,
        Err(e) => {
            tracing::warn!(root = %config.site_root.display(), error = %e,
                "no built site found: pages render without styles or scripts (run `cargo leptos build`)");
            StaticAssets::default()
        }
    };
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    tracing::info!(url = %config.public_url, assets = assets.len(), "Oxcart is serving");
    let proxies = crate::client_addr::TrustedProxies::parse(&config.trusted_proxies)?;
    startup::serve(listener, startup::router_behind(state, Arc::new(assets), proxies))
        .await
        .map_err(|e| format!("server error: {e}"))
}

async fn reindex(config: &Config, db: &app::ssr::Db) -> Result<(), String> {
    let index = app::ssr::search::SearchIndex::open_for_rebuild(&crate::search_dir(config))
        .map_err(|e| format!("cannot open the search index: {e}"))?;
    let bar = seed::progress_bar(0, std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let started = std::time::Instant::now();
    index
        .rebuild(db, |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .await
        .map_err(|e| format!("rebuilding the search index failed: {e}"))?;
    bar.finish_and_clear();
    tracing::info!(
        products = index.len(),
        seconds = started.elapsed().as_secs_f32(),
        bytes = index.size_on_disk(),
        "search index rebuilt"
    );
    Ok(())
}
