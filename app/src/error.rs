//! The one error type that crosses the wire between server functions and pages.

use leptos::server_fn::{codec::JsonEncoding, error::FromServerFnError, error::ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What went wrong, in words a shopper can read. Internal causes are logged on the
/// server and never sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    /// Not signed in, or the credentials were wrong.
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in, but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// The request clashes with an earlier one (e.g. a reused idempotency key).
    #[error("{0}")]
    Conflict(String),
    /// The request was larger than the shop takes.
    #[error("{0}")]
    TooLarge(String),
    /// Too many attempts; `retry_after` is in seconds.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u64 },
    /// The card was declined; the message says why.
    #[error("{0}")]
    PaymentDeclined(String),
    /// A service the shop relies on (the card processor) refused or failed.
    #[error("{0}")]
    Upstream(String),
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    #[error("The shop could not be reached. Check your connection and try again.")]
    Transport,
}

impl AppError {
    /// The HTTP status this error is served with.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound(_) => 404,
            Self::BadRequest(_) => 400,
            Self::Unauthorized(_) => 401,
            Self::Forbidden(_) => 403,
            Self::Conflict(_) => 409,
            Self::TooLarge(_) => 413,
            Self::TooManyRequests { .. } => 429,
            Self::PaymentDeclined(_) => 402,
            Self::Upstream(_) => 502,
            Self::Internal => 500,
            Self::Transport => 503,
        }
    }

    /// A short heading for the error page.
    pub fn title(&self) -> &'static str {
        match self {
            Self::NotFound(_) => "Page not found",
            Self::BadRequest(_) => "That request did not make sense",
            Self::Unauthorized(_) => "Please sign in",
            Self::Forbidden(_) => "Not allowed",
            Self::Conflict(_) => "That clashes with an earlier request",
            Self::TooLarge(_) => "That was too much at once",
            Self::TooManyRequests { .. } => "Too many attempts",
            Self::PaymentDeclined(_) => "Payment declined",
            Self::Upstream(_) => "A service we rely on failed",
            Self::Internal => "Something went wrong",
            Self::Transport => "Connection problem",
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => Self::BadRequest(msg),
            _ => Self::Transport,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = %err, "database error");
        Self::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<tantivy::TantivyError> for AppError {
    fn from(err: tantivy::TantivyError) -> Self {
        tracing::error!(error = %err, "search index error");
        Self::Internal
    }
}
