//! The order desk's downloads for staff: `GET /admin/orders.csv` and
//! `GET /admin/order-lines.csv` (the list's current filter as CSV, an order
//! or an order line a line, streamed in batches) and
//! `GET /admin/packing-slips?pick[<number>]=on…` (printable slips).

use crate::api_v1::ApiError;
use app::domain::order_desk::{picked_numbers, picks_in_query, OrderFilter};
use crate::csv_download::{respond, staff_reach};
use app::error::AppError;
use app::ssr::accounts::Area;
use app::ssr::orders::{slips, staff_list};
use app::ssr::AppState;
use axum::extract::{Query, State};
use axum::http::{header, request::Parts};
use axum::response::{Html, IntoResponse, Response};
use std::sync::Arc;

/// The list's current filter as CSV, one line per order.
pub async fn csv(State(state): State<AppState>, parts: Parts, Query(filter): Query<OrderFilter>) -> Result<Response, ApiError> {
    let reach = staff_reach(&state, &parts, Area::Orders, "export orders").await?;
    let selection = Arc::new(staff_list::Selection::of(reach, &filter)?);
    let (first, next) = staff_list::csv_batch(&state.db, &selection, None).await?;
    let db = state.db.clone();
    Ok(respond("orders", staff_list::csv_header(), first, next, move |after| {
        let (db, selection) = (db.clone(), selection.clone());
        async move { staff_list::csv_batch(&db, &selection, Some(after)).await }
    }))
}

/// The list's current filter as CSV, one line per order line.
pub async fn lines_csv(State(state): State<AppState>, parts: Parts, Query(filter): Query<OrderFilter>) -> Result<Response, ApiError> {
    let reach = staff_reach(&state, &parts, Area::Orders, "export orders").await?;
    let selection = Arc::new(staff_list::Selection::of(reach, &filter)?);
    let (first, next) = staff_list::lines_csv_batch(&state.db, &selection, None).await?;
    let db = state.db.clone();
    Ok(respond("order-lines", staff_list::lines_csv_header(), first, next, move |after| {
        let (db, selection) = (db.clone(), selection.clone());
        async move { staff_list::lines_csv_batch(&db, &selection, Some(after)).await }
    }))
}

pub async fn packing_slips(
    State(state): State<AppState>,
    parts: Parts,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let reach = staff_reach(&state, &parts, Area::Orders, "print packing slips").await?;
    let numbers = picked_numbers(picks_in_query(&pairs)).map_err(AppError::BadRequest)?;
    let html = slips::packing_slips(&state.db, reach, &numbers).await?;
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response())
}
