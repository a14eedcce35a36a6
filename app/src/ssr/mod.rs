//! Server-only code: application state, database access, caching, and the
//! use cases of each domain with their SQL.

pub mod accounts;
pub mod analytics;
pub mod cache;
pub mod cart;
pub mod catalog;
pub mod chores;
pub mod customers;
pub mod db;
pub mod fulfilment;
pub mod inventory;
pub mod mail;
pub mod media;
pub mod orders;
pub mod payments;
pub mod pricing;
pub mod recommend;
pub mod returns;
pub mod reviews;
pub mod search;
pub mod settings;
pub mod wishlist;

mod state;

use crate::error::AppError;

pub use db::{Backend, Db};
pub use state::{AppState, CatalogCache, Shop};

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
