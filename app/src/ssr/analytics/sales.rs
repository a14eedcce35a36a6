//! What was sold on which UTC day, read from the shop's own tables: orders
//! paid (the move from awaiting payment to paid), their lines, refunds that
//! went through and returns asked for. The daily sums and the dashboard's
//! open days both come from here, so they cannot disagree.

use crate::domain::analytics::{Totals, DAY_SECS};
use crate::error::AppError;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// Orders paid, with the moment they were paid: `$1 <= at < $2`.
const PAID: &str = "FROM order_events e JOIN orders o ON o.id = e.order_id \
     WHERE e.to_status = 'paid' AND e.from_status = 'pending-payment' AND e.at >= $1 AND e.at < $2";

/// A product on a day, in a currency.
pub type ProductKey = (i64, String, i64);

/// A product's category, and its units and revenue (at the lines' prices) on a day.
pub type ProductSales = (i64, i64, i64);

/// The sales of a span of days.
#[derive(Default, Debug)]
pub struct Sales {
    pub days: BTreeMap<(i64, String), Totals>,
    pub products: BTreeMap<ProductKey, ProductSales>,
    /// Shoppers who paid, per day (step 4 of the funnel).
    pub paid_shoppers: BTreeMap<i64, i64>,
}

/// The sales of days `first..=last`.
pub async fn read(conn: &mut AnyConnection, first: i64, last: i64) -> Result<Sales, AppError> {
    let (from, to) = (first * DAY_SECS, (last + 1) * DAY_SECS);
    let mut sales = Sales::default();
    let paid: Vec<(i64, String, i64, i64)> = sqlx::query_as(&format!(
        "SELECT e.at / 86400, o.currency, COUNT(*), CAST(SUM(o.total_minor) AS BIGINT) {PAID} GROUP BY 1, 2"
    ))
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    for (day, currency, orders, revenue) in paid {
        let totals = sales.days.entry((day, currency)).or_default();
        (totals.orders, totals.revenue_minor) = (orders, revenue);
    }
    let lines: Vec<(i64, String, i64, i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT e.at / 86400, o.currency, l.product_id, p.category_id, CAST(SUM(l.quantity) AS BIGINT), \
                CAST(SUM(l.quantity * l.unit_price_minor) AS BIGINT) \
         {PAID_LINES} GROUP BY 1, 2, 3, 4",
        PAID_LINES = PAID.replace(
            "WHERE",
            "JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id WHERE"
        ),
    ))
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    for (day, currency, product, category, units, revenue) in lines {
        sales.days.entry((day, currency.clone())).or_default().units += units;
        sales
            .products
            .insert((day, currency, product), (category, units, revenue));
    }
    let refunds: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT r.updated_at / 86400, o.currency, COUNT(*), CAST(SUM(r.amount_minor) AS BIGINT) \
         FROM refunds r JOIN orders o ON o.id = r.order_id \
         WHERE r.status = 'succeeded' AND r.updated_at >= $1 AND r.updated_at < $2 GROUP BY 1, 2",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    for (day, currency, count, amount) in refunds {
        let totals = sales.days.entry((day, currency)).or_default();
        (totals.refunds, totals.refunded_minor) = (count, amount);
    }
    let returns: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT r.requested_at / 86400, o.currency, COUNT(*) FROM returns r JOIN orders o ON o.id = r.order_id \
         WHERE r.requested_at >= $1 AND r.requested_at < $2 GROUP BY 1, 2",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    for (day, currency, count) in returns {
        sales.days.entry((day, currency)).or_default().returns = count;
    }
    let shoppers: Vec<(i64, i64)> = sqlx::query_as(&format!(
        "SELECT e.at / 86400, COUNT(DISTINCT s.shopper) {PAID_SHOPPERS} GROUP BY 1",
        PAID_SHOPPERS = PAID.replace("WHERE", "JOIN order_shoppers s ON s.order_id = o.id WHERE"),
    ))
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    sales.paid_shoppers.extend(shoppers);
    Ok(sales)
}
