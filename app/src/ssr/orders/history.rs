//! A customer's order history by state, and the states each filter of a
//! history (the customer's or the staff's list) shows.

use crate::domain::money::{Currency, Money};
use crate::domain::orders::{OrderStatus, OrderSummary};
use crate::error::AppError;
use crate::ssr::Db;

/// The states each history filter shows.
pub(super) fn filter_states(filter: &str) -> Result<Vec<OrderStatus>, AppError> {
    use OrderStatus::*;
    Ok(match filter {
        "" => OrderStatus::ALL.to_vec(),
        "open" => vec![PendingPayment, Paid, Processing, PartiallyShipped, Shipped],
        "delivered" => vec![Delivered],
        "returns" => vec![ReturnRequested, Returned, PartiallyRefunded, Refunded],
        "cancelled" => vec![Cancelled],
        other => match OrderStatus::parse(other) {
            Some(status) => vec![status],
            None => return Err(AppError::BadRequest("Unknown order filter.".into())),
        },
    })
}

type SummaryRow = (String, String, i64, String, i64);

fn summary((number, status, total, currency, created_at): SummaryRow) -> Result<OrderSummary, AppError> {
    Ok(OrderSummary {
        number,
        status: OrderStatus::parse(&status).ok_or(AppError::Internal)?,
        total: Money::new(total, Currency::parse(&currency).ok_or(AppError::Internal)?),
        created_at,
    })
}

/// SQL condition on `orders` for `states` (the enum's fixed names, never user input).
pub(super) fn in_states(states: &[OrderStatus]) -> String {
    let keys: Vec<&str> = states.iter().map(|s| s.key()).collect();
    format!("status IN ('{}')", keys.join("', '"))
}

/// `user`'s orders in `states`, newest first (the 200 newest).
async fn summaries(db: &Db, user: i64, states: &[OrderStatus]) -> Result<Vec<OrderSummary>, AppError> {
    let sql = format!(
        "SELECT number, status, total_minor, currency, created_at FROM orders WHERE user_id = $1 AND {} \
         ORDER BY created_at DESC, id DESC LIMIT 200",
        in_states(states)
    );
    let rows: Vec<SummaryRow> = sqlx::query_as(&sql).bind(user).fetch_all(&db.pool).await?;
    rows.into_iter().map(summary).collect()
}

pub async fn my_orders(filter: String) -> Result<Vec<OrderSummary>, AppError> {
    let state = crate::ssr::state()?;
    let session = crate::ssr::accounts::session_or_sign_in("see your orders").await?;
    let user = crate::ssr::accounts::require_user(&session, &state.db, "see your orders").await?;
    summaries(&state.db, user.id, &filter_states(filter.trim())?).await
}
