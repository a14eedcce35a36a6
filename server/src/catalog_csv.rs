//! The catalog's CSV download for staff: `GET /admin/products.csv`, one
//! line per variant (admins and catalog managers every product, a seller's
//! staff their seller's).

use crate::api_v1::ApiError;
use crate::csv_download::{respond, staff_reach};
use app::ssr::accounts::Area;
use app::ssr::catalog::csv_export;
use app::ssr::AppState;
use axum::extract::State;
use axum::http::request::Parts;
use axum::response::Response;

pub async fn products(State(state): State<AppState>, parts: Parts) -> Result<Response, ApiError> {
    let reach = staff_reach(&state, &parts, Area::Catalog, "export products").await?;
    let (first, next) = csv_export::batch(&state.db, reach, None).await?;
    let db = state.db.clone();
    Ok(respond("products", app::domain::catalog_csv::header(), first, next, move |after| {
        let db = db.clone();
        async move { csv_export::batch(&db, reach, Some(after)).await }
    }))
}
