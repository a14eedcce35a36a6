//! `GET /order/{number}/invoice` (printable HTML) and
//! `/order/{number}/invoice.pdf`, for whoever may see the order.

use crate::api_v1::{ApiError, Caller, OrderKey};
use app::ssr::orders::invoice::Invoice;
use app::ssr::orders::{access, view as order_view};
use app::ssr::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

async fn invoice(state: &AppState, user: Option<i64>, number: &str, key: &str) -> Result<Invoice, ApiError> {
    let (id, _) = access::order_for(&state.db, number, key, user).await?;
    let shop = app::ssr::settings::details::load(&state.db).await?;
    Ok(Invoice::of(&order_view::load(&state.db, id).await?, &shop)?)
}

pub async fn html(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    Query(query): Query<OrderKey>,
) -> Result<Html<String>, ApiError> {
    Ok(Html(invoice(&state, user.map(|u| u.id), &number, &query.key).await?.html()))
}

pub async fn pdf(
    State(state): State<AppState>,
    Caller(user): Caller,
    Path(number): Path<String>,
    Query(query): Query<OrderKey>,
) -> Result<Response, ApiError> {
    let invoice = invoice(&state, user.map(|u| u.id), &number, &query.key).await?;
    let disposition = format!("attachment; filename=\"invoice-{}.pdf\"", invoice.number);
    Ok(([(header::CONTENT_TYPE, "application/pdf".to_owned()), (header::CONTENT_DISPOSITION, disposition)], invoice.pdf())
        .into_response())
}
