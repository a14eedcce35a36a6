//! An order's moves: each is checked by the state machine ([`OrderStatus`]),
//! applied with an update guarded by the state it starts from, and recorded
//! as an order event with its actor. The use cases (lifecycle, payments,
//! returns, refunds) make their moves through here.

use crate::domain::orders::{IllegalTransition, OrderStatus};
use crate::error::AppError;
use crate::ssr::now;
use sqlx::AnyConnection;

/// An order event at least this old has been committed: the chores that
/// read the events in id order (popularity, co-purchases) stop short of
/// younger ones, whose transactions may still be open.
pub const SETTLED_SECS: i64 = 60;

/// Moves `order` from `from` to `to` and records the event; `false` when the
/// order was no longer in `from` (someone else moved it first). With `from`
/// equal to `to` it records a note on the timeline (a parcel's progress, a
/// return's answer) and tells anyone watching the order.
pub async fn record(
    conn: &mut AnyConnection,
    order: i64,
    from: OrderStatus,
    to: OrderStatus,
    actor: &str,
    note: &str,
) -> Result<bool, AppError> {
    let now = now();
    let moved = sqlx::query("UPDATE orders SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2")
        .bind(order)
        .bind(from.key())
        .bind(to.key())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    if moved.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO order_events (order_id, at, actor, from_status, to_status, note) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(order)
    .bind(now)
    .bind(actor)
    .bind(from.key())
    .bind(to.key())
    .bind(note)
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// Applies the move `step` to `order` as it is now and records it: the order's
/// number and buyer's email for the mail that follows. A refused move is a
/// 409 with the state machine's sentence.
pub async fn advance(
    conn: &mut AnyConnection,
    order: i64,
    step: impl FnOnce(OrderStatus) -> Result<OrderStatus, IllegalTransition>,
    actor: &str,
    note: &str,
) -> Result<(OrderStatus, Facts), AppError> {
    let facts = load_facts(conn, order).await?;
    let to = step(facts.status).map_err(|e| AppError::Conflict(e.0))?;
    if !record(conn, order, facts.status, to, actor, note).await? {
        return Err(AppError::Conflict("The order changed meanwhile. Reload the page and try again.".into()));
    }
    Ok((to, facts))
}

/// What mail about an order needs.
pub struct Facts {
    pub status: OrderStatus,
    pub number: String,
    pub email: String,
    pub access_token: String,
}

/// The order's state, number, buyer and secret link key.
pub async fn load_facts(conn: &mut AnyConnection, order: i64) -> Result<Facts, AppError> {
    let (status, number, email, access_token): (String, String, String, String) =
        sqlx::query_as("SELECT status, number, email, access_token FROM orders WHERE id = $1")
            .bind(order)
            .fetch_one(&mut *conn)
            .await?;
    Ok(Facts { status: OrderStatus::parse(&status).ok_or(AppError::Internal)?, number, email, access_token })
}

impl Facts {
    /// The order page's address with its secret key (works signed out, for guests).
    pub fn link(&self, public_url: &str) -> String {
        super::access::order_link(public_url, &self.number, &self.access_token)
    }
}
