//! Server-only code: application state, database access.

pub mod db;

use crate::error::AppError;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

pub use db::{Backend, Db};

/// Everything a request handler or server function needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    /// The public base URL (scheme and host, no trailing slash), for canonical links.
    pub public_url: Arc<str>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The application state from the Leptos context of the current request.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}
