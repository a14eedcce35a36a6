//! After the purchase: a customer's order history, cancelling, and staff
//! moving orders on (shipped, delivered). Every function checks on the
//! server who may do it.

use crate::domain::orders::OrderSummary;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The signed-in customer's orders, newest first.
#[server(endpoint = "account/orders", input = GetUrl)]
pub async fn my_orders() -> Result<Vec<OrderSummary>, AppError> {
    server::my_orders().await
}

/// Cancels order `number` (opened with `key`, or the signed-in owner's) before it ships.
#[server(endpoint = "order/cancel")]
pub async fn cancel_order(number: String, #[server(default)] key: String) -> Result<(), AppError> {
    server::cancel(number, key).await
}

/// Staff: order `number` left with `carrier` under `tracking`.
#[server(endpoint = "admin/orders/ship")]
pub async fn ship_order(number: String, carrier: String, tracking: String) -> Result<(), AppError> {
    server::ship(number, carrier, tracking).await
}

/// Staff: order `number` was delivered.
#[server(endpoint = "admin/orders/deliver")]
pub async fn mark_delivered(number: String) -> Result<(), AppError> {
    server::deliver(number).await
}

#[cfg(feature = "ssr")]
mod server {
    use crate::domain::money::{Currency, Money};
    use crate::domain::orders::{OrderStatus, OrderSummary};
    use crate::error::AppError;
    use crate::ssr::shop::lifecycle;
    use tower_sessions::Session;

    pub async fn my_orders() -> Result<Vec<OrderSummary>, AppError> {
        let state = crate::ssr::state()?;
        let session = leptos_axum::extract::<Session>().await.map_err(|_| AppError::Unauthorized("Sign in to see your orders.".into()))?;
        let user = crate::ssr::auth::require_user(&session, &state.db, "see your orders").await?;
        let rows: Vec<(String, String, i64, String, i64)> = sqlx::query_as(
            "SELECT number, status, total_minor, currency, created_at FROM orders WHERE user_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT 200",
        )
        .bind(user.id)
        .fetch_all(&state.db.pool)
        .await?;
        rows.into_iter()
            .map(|(number, status, total, currency, created_at)| {
                Ok(OrderSummary {
                    number,
                    status: OrderStatus::parse(&status).ok_or(AppError::Internal)?,
                    total: Money::new(total, Currency::parse(&currency).ok_or(AppError::Internal)?),
                    created_at,
                })
            })
            .collect()
    }

    pub async fn cancel(number: String, key: String) -> Result<(), AppError> {
        let state = crate::ssr::state()?;
        let (id, secret) = crate::api::checkout::server::authorized(&number, &key).await?;
        lifecycle::cancel(&state.payments, id, "customer").await?;
        leptos_axum::redirect(&format!("/order/{number}?key={secret}"));
        Ok(())
    }

    /// The order's id, for a signed-in admin with two-step sign-in.
    async fn staff_order(number: &str, what: &str) -> Result<(i64, String), AppError> {
        let state = crate::ssr::state()?;
        let session = leptos_axum::extract::<Session>().await.map_err(|_| AppError::Internal)?;
        let admin = crate::ssr::auth::require_admin(&session, &state.db, what).await?;
        let id: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM orders WHERE number = $1").bind(number).fetch_optional(&state.db.pool).await?;
        let (id,) = id.ok_or_else(|| AppError::NotFound("There is no such order.".into()))?;
        Ok((id, format!("admin:{}", admin.email)))
    }

    pub async fn ship(number: String, carrier: String, tracking: String) -> Result<(), AppError> {
        let state = crate::ssr::state()?;
        let (id, actor) = staff_order(&number, "ship orders").await?;
        let field = |value: &str, what: &str| {
            let value = value.trim();
            if value.is_empty() || value.chars().count() > 60 || value.chars().any(char::is_control) {
                Err(AppError::BadRequest(format!("Enter the {what} (at most 60 characters).")))
            } else {
                Ok(value.to_owned())
            }
        };
        let (carrier, tracking) = (field(&carrier, "carrier")?, field(&tracking, "tracking number")?);
        lifecycle::ship(&state.payments, id, &carrier, &tracking, &actor).await
    }

    pub async fn deliver(number: String) -> Result<(), AppError> {
        let state = crate::ssr::state()?;
        let (id, actor) = staff_order(&number, "update orders").await?;
        lifecycle::deliver(&state.payments, id, &actor).await
    }
}
