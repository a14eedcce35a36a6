//! Order lists: a customer's history and the staff's order list (a seller's
//! staff see only orders holding their seller's items), by state filter.

use super::access::SELLER_SCOPE;
use crate::domain::money::{Currency, Money};
use crate::domain::orders::{OrderStatus, OrderSummary};
use crate::error::AppError;
use crate::ssr::accounts::Staff;
use crate::ssr::Db;

/// The states each history filter shows.
fn filter_states(filter: &str) -> Result<Vec<OrderStatus>, AppError> {
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

/// Orders in `states`, newest first: of `user` (everyone's when `None`)
/// holding items of `seller` (anyone's when `None`).
async fn summaries(
    db: &Db,
    user: Option<i64>,
    seller: Option<i64>,
    states: &[OrderStatus],
) -> Result<Vec<OrderSummary>, AppError> {
    // The keys are the enum's fixed names, never user input.
    let keys: Vec<&str> = states.iter().map(|s| s.key()).collect();
    let sql = format!(
        "SELECT number, status, total_minor, currency, created_at FROM orders \
         WHERE ($1 = 0 OR user_id = $1) AND {SELLER_SCOPE} AND status IN ('{}') \
         ORDER BY created_at DESC, id DESC LIMIT 200",
        keys.join("', '")
    );
    let rows: Vec<(String, String, i64, String, i64)> =
        sqlx::query_as(&sql).bind(user.unwrap_or(0)).bind(seller.unwrap_or(0)).fetch_all(&db.pool).await?;
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

pub async fn my_orders(filter: String) -> Result<Vec<OrderSummary>, AppError> {
    let state = crate::ssr::state()?;
    let session = crate::ssr::accounts::session_or_sign_in("see your orders").await?;
    let user = crate::ssr::accounts::require_user(&session, &state.db, "see your orders").await?;
    summaries(&state.db, Some(user.id), None, &filter_states(filter.trim())?).await
}

pub async fn staff_orders(status: String) -> Result<Vec<OrderSummary>, AppError> {
    let state = crate::ssr::state()?;
    let seller = match crate::ssr::accounts::signed_in_staff(&state.db, "see orders").await?.1 {
        Staff::Admin => None,
        Staff::Seller(seller) => Some(seller),
    };
    summaries(&state.db, None, seller, &filter_states(status.trim())?).await
}
