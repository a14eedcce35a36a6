//! The order desk's downloads for staff: `GET /admin/orders.csv` (the
//! list's current filter as CSV, streamed in batches) and
//! `GET /admin/packing-slips?pick[<number>]=on…` (printable slips).

use crate::api_v1::ApiError;
use app::domain::order_desk::{picked_numbers, picks_in_query, OrderFilter};
use app::error::AppError;
use app::ssr::accounts::{require_staff, Area, Staff};
use app::ssr::orders::{slips, staff_list};
use app::ssr::AppState;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, request::Parts};
use axum::response::{Html, IntoResponse, Response};

/// The signed-in staff member's reach (401 without a session, 403 for others).
async fn reach(state: &AppState, parts: &Parts, what: &str) -> Result<Staff, ApiError> {
    let session = parts
        .extensions
        .get::<tower_sessions::Session>()
        .ok_or_else(|| AppError::Unauthorized(format!("Sign in to {what}.")))?;
    Ok(require_staff(session, &state.db, Area::Orders, what).await?.1)
}

pub async fn csv(State(state): State<AppState>, parts: Parts, Query(filter): Query<OrderFilter>) -> Result<Response, ApiError> {
    let reach = reach(&state, &parts, "export orders").await?;
    let selection = staff_list::Selection::of(reach, &filter)?;
    // The first batch before the answer starts, so a refusal is still a clean error.
    let (first, next) = staff_list::csv_batch(&state.db, &selection, None).await?;
    let head = futures_util::stream::iter([Ok::<_, std::io::Error>(staff_list::csv_header()), Ok(first)]);
    let db = state.db.clone();
    let rest = futures_util::stream::unfold((db, selection, next), |(db, selection, after)| async move {
        let after = after?;
        match staff_list::csv_batch(&db, &selection, Some(after)).await {
            Ok((lines, next)) => Some((Ok(lines), (db, selection, next))),
            Err(error) => {
                tracing::error!(?error, "order export cut short");
                Some((Err(std::io::Error::other("the export could not be read")), (db, selection, None)))
            }
        }
    });
    let day = app::domain::time::utc(app::ssr::now()).chars().take(10).collect::<String>();
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"orders-{day}.csv\"")),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ];
    // Fused: a body layer (gzip) may poll again after the end, which `unfold` forbids.
    let body = futures_util::StreamExt::fuse(futures_util::StreamExt::chain(head, futures_util::StreamExt::fuse(rest)));
    Ok((headers, Body::from_stream(body)).into_response())
}

pub async fn packing_slips(
    State(state): State<AppState>,
    parts: Parts,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let reach = reach(&state, &parts, "print packing slips").await?;
    let numbers = picked_numbers(picks_in_query(&pairs)).map_err(AppError::BadRequest)?;
    let html = slips::packing_slips(&state.db, reach, &numbers).await?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}
