//! Liveness and readiness probes for load balancers and orchestrators.

use app::ssr::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use std::time::Duration;

/// `/healthz`: the process is up and serving.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `/readyz`: the database answers within a second.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let ping = sqlx::query("SELECT 1").execute(&state.db.pool);
    match tokio::time::timeout(Duration::from_secs(1), ping).await {
        Ok(Ok(_)) => (StatusCode::OK, "ready"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database timed out"),
    }
}
