//! CSV downloads for staff, streamed in batches: the first batch is read
//! before the answer starts (so a refusal or a failure is still a clean
//! error), the rest as the browser reads, and the stream is fused (a body
//! layer such as gzip may poll again after the end, which `unfold` forbids).

use crate::api_v1::ApiError;
use app::error::AppError;
use app::ssr::accounts::{require_staff, Area, Staff};
use app::ssr::AppState;
use axum::body::Body;
use axum::http::{header, request::Parts};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::future::Future;

/// The signed-in staff member's reach in `area` (401 without a session, 403 for others).
pub async fn staff_reach(state: &AppState, parts: &Parts, area: Area, what: &str) -> Result<Staff, ApiError> {
    let session = parts
        .extensions
        .get::<tower_sessions::Session>()
        .ok_or_else(|| AppError::Unauthorized(format!("Sign in to {what}.")))?;
    Ok(require_staff(session, &state.db, area, what).await?.1)
}

/// A download named `<name>-<UTC day>.csv`: `header`, the `first` batch,
/// then what `fetch` reads from each batch's end until one has no end.
pub fn respond<C, F, Fut>(name: &str, header: String, first: String, next: Option<C>, fetch: F) -> Response
where
    C: Send + 'static,
    F: Fn(C) -> Fut + Send + 'static,
    Fut: Future<Output = Result<(String, Option<C>), AppError>> + Send + 'static,
{
    let head = futures_util::stream::iter([Ok::<_, std::io::Error>(header), Ok(first)]);
    let rest = futures_util::stream::unfold((fetch, next), |(fetch, after)| async move {
        let after = after?;
        match fetch(after).await {
            Ok((lines, next)) => Some((Ok(lines), (fetch, next))),
            Err(error) => {
                tracing::error!(?error, "CSV export cut short");
                Some((Err(std::io::Error::other("the export could not be read")), (fetch, None)))
            }
        }
    });
    let day = app::domain::time::utc(app::ssr::now()).chars().take(10).collect::<String>();
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}-{day}.csv\"")),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ];
    let body = head.chain(rest.fuse()).fuse();
    (headers, Body::from_stream(body)).into_response()
}
