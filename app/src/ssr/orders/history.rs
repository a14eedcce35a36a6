//! Order lists: a customer's history, and the staff's order list (a seller's
//! staff see only orders holding their seller's items) by state, searched
//! by number, email, name or SKU, page by page with no end.

use super::access::SELLER_SCOPE;
use crate::domain::money::{Currency, Money};
use crate::domain::orders::{OrderList, OrderStatus, OrderSummary};
use crate::domain::pagination::{PageRequest, PER_PAGE};
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
fn in_states(states: &[OrderStatus]) -> String {
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

/// A search of the staff's list: an order's number or a SKU exactly, or
/// part of the buyer's email or of the delivery address (the name in it),
/// in any case. `$3` is the text in capitals, `$4` the LIKE pattern.
const SEARCH: &str = "($3 = '' OR number = $3 OR LOWER(email) LIKE $4 ESCAPE '!' OR LOWER(ship_to) LIKE $4 ESCAPE '!' \
     OR EXISTS (SELECT 1 FROM order_lines s WHERE s.order_id = orders.id AND UPPER(s.sku) = $3))";

/// `%text%` for LIKE, lowercased, with `!` escaping LIKE's own characters.
fn like_pattern(text: &str) -> String {
    let escaped: String = text.to_lowercase().chars().flat_map(|c| if matches!(c, '%' | '_' | '!') { vec!['!', c] } else { vec![c] }).collect();
    format!("%{escaped}%")
}
pub async fn my_orders(filter: String) -> Result<Vec<OrderSummary>, AppError> {
    let state = crate::ssr::state()?;
    let session = crate::ssr::accounts::session_or_sign_in("see your orders").await?;
    let user = crate::ssr::accounts::require_user(&session, &state.db, "see your orders").await?;
    summaries(&state.db, user.id, &filter_states(filter.trim())?).await
}

/// Page `page` of the orders in `status` matching `search`, newest first.
pub async fn staff_orders(status: String, search: String, page: String) -> Result<OrderList, AppError> {
    let state = crate::ssr::state()?;
    let seller = match crate::ssr::accounts::signed_in_staff(&state.db, "see orders").await?.1 {
        Staff::Admin => 0,
        Staff::Seller(seller) => seller,
    };
    let states = filter_states(status.trim())?;
    let request = PageRequest::parse(Some(&page)).map_err(AppError::BadRequest)?;
    let search = search.trim();
    if search.chars().count() > 100 {
        return Err(AppError::BadRequest("Search for at most 100 characters.".into()));
    }
    let (exact, like) = (search.to_uppercase(), like_pattern(search));
    // `$1` is unused here (no user): the seller scope is `$2`.
    let clauses = format!("($1 = 0) AND {SELLER_SCOPE} AND {} AND {SEARCH}", in_states(&states));
    let (total,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM orders WHERE {clauses}"))
        .bind(0i64)
        .bind(seller)
        .bind(&exact)
        .bind(&like)
        .fetch_one(&state.db.pool)
        .await?;
    let info = request.resolve(total.max(0) as u64);
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "SELECT number, status, total_minor, currency, created_at FROM orders WHERE {clauses} \
         ORDER BY created_at DESC, id DESC LIMIT $5 OFFSET $6"
    ))
    .bind(0i64)
    .bind(seller)
    .bind(&exact)
    .bind(&like)
    .bind(i64::from(PER_PAGE))
    .bind(i64::from(info.page - 1) * i64::from(PER_PAGE))
    .fetch_all(&state.db.pool)
    .await?;
    Ok(OrderList { rows: rows.into_iter().map(summary).collect::<Result<_, _>>()?, page: info })
}
