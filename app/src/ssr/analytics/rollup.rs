//! Daily sums, kept up to date: each UTC day, once it has closed (plus an
//! hour, for payments committed just after midnight), is summed into
//! `sales_days`, `product_sales_days`, `category_sales_days` and
//! `funnel_days` (and a month, once its last day is, into
//! `product_sales_months`), and its funnel
//! marks and salt are deleted. Any app server may do it: the day marker in
//! `analytics_rollups` moves in the same transaction, guarded by its old
//! value, so a day is summed once.

use super::sales;
use crate::domain::analytics::{month_of, DAY_SECS};
use crate::error::AppError;
use crate::ssr::Db;

/// How long after its end a day is summed.
const GRACE_SECS: i64 = 3600;

/// Days summed in one transaction while catching up.
const CHUNK_DAYS: i64 = 31;

/// Rows per INSERT statement.
const ROWS: usize = 100;

/// The first day not yet summed (summing up to yesterday first when it can).
pub async fn next_day(db: &Db) -> Result<i64, AppError> {
    catch_up(db).await?;
    stored(db).await?.ok_or(AppError::Internal)
}

async fn stored(db: &Db) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_as::<_, (i64,)>("SELECT next_day FROM analytics_rollups WHERE name = 'sales'")
            .fetch_optional(&db.pool)
            .await?
            .map(|(day,)| day),
    )
}

/// Sums every closed day not summed yet; how many days it summed.
pub async fn catch_up(db: &Db) -> Result<usize, AppError> {
    let last_closed = (crate::ssr::now() - GRACE_SECS).div_euclid(DAY_SECS) - 1;
    let mut next = match stored(db).await? {
        Some(day) => day,
        None => {
            let (first,): (Option<i64>,) = sqlx::query_as("SELECT MIN(at) FROM order_events")
                .fetch_one(&db.pool)
                .await?;
            let first = first.map_or(last_closed + 1, |at| {
                at.div_euclid(DAY_SECS).min(last_closed + 1)
            });
            sqlx::query("INSERT INTO analytics_rollups (name, next_day) VALUES ('sales', $1) ON CONFLICT DO NOTHING")
                .bind(first)
                .execute(&db.pool)
                .await?;
            stored(db).await?.ok_or(AppError::Internal)?
        }
    };
    let mut summed = 0;
    while next <= last_closed {
        let last = (next + CHUNK_DAYS - 1).min(last_closed);
        if !sum_days(db, next, last).await? {
            break; // another server summed them first
        }
        summed += (last - next + 1) as usize;
        next = last + 1;
    }
    Ok(summed)
}

/// Sums days `first..=last` in one transaction; `false` when another server
/// had already moved the marker.
async fn sum_days(db: &Db, first: i64, last: i64) -> Result<bool, AppError> {
    let sales = {
        let mut conn = db.pool.acquire().await?;
        sales::read(&mut conn, first, last).await?
    };
    let mut tx = db.begin_write().await?;
    let moved = sqlx::query(
        "UPDATE analytics_rollups SET next_day = $2 WHERE name = 'sales' AND next_day = $1",
    )
    .bind(first)
    .bind(last + 1)
    .execute(&mut *tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Ok(false);
    }
    let days: Vec<_> = sales.days.iter().collect();
    for chunk in days.chunks(ROWS) {
        let sql = crate::ssr::db::rows_sql(
            "INSERT INTO sales_days (day, currency, orders, revenue_minor, units, refunds, refunded_minor, returns) VALUES",
            chunk.len(),
            8,
        );
        let mut query = sqlx::query(&sql);
        for ((day, currency), t) in chunk {
            query = query
                .bind(*day)
                .bind(currency.as_str())
                .bind(t.orders)
                .bind(t.revenue_minor)
                .bind(t.units);
            query = query.bind(t.refunds).bind(t.refunded_minor).bind(t.returns);
        }
        query.execute(&mut *tx).await?;
    }
    let products: Vec<_> = sales.products.iter().collect();
    for chunk in products.chunks(ROWS) {
        let sql = crate::ssr::db::rows_sql(
            "INSERT INTO product_sales_days (day, currency, product_id, category_id, units, revenue_minor) VALUES",
            chunk.len(),
            6,
        );
        let mut query = sqlx::query(&sql);
        for ((day, currency, product), (category, units, revenue)) in chunk {
            query = query
                .bind(*day)
                .bind(currency.as_str())
                .bind(*product)
                .bind(*category)
                .bind(*units)
                .bind(*revenue);
        }
        query.execute(&mut *tx).await?;
    }
    // Categories per day, and each month that ends in these days (its
    // earlier days were summed before), from the products' rows.
    sqlx::query(
        "INSERT INTO category_sales_days (day, currency, category_id, units, revenue_minor) \
         SELECT day, currency, category_id, CAST(SUM(units) AS BIGINT), CAST(SUM(revenue_minor) AS BIGINT) \
         FROM product_sales_days WHERE day >= $1 AND day <= $2 GROUP BY day, currency, category_id \
         ON CONFLICT DO NOTHING",
    )
    .bind(first)
    .bind(last)
    .execute(&mut *tx)
    .await?;
    for (month, month_first, month_last) in months_ending(first, last) {
        sqlx::query(
            "INSERT INTO product_sales_months (month, currency, product_id, units, revenue_minor) \
             SELECT $1, currency, product_id, CAST(SUM(units) AS BIGINT), CAST(SUM(revenue_minor) AS BIGINT) \
             FROM product_sales_days WHERE day >= $2 AND day <= $3 GROUP BY currency, product_id \
             ON CONFLICT DO NOTHING",
        )
        .bind(month)
        .bind(month_first)
        .bind(month_last)
        .execute(&mut *tx)
        .await?;
    }
    // The funnel: marks counted per day and step, paid from the orders.
    sqlx::query(
        "INSERT INTO funnel_days (day, step, shoppers) \
         SELECT day, step, COUNT(*) FROM funnel_marks WHERE day >= $1 AND day <= $2 GROUP BY day, step \
         ON CONFLICT DO NOTHING",
    )
    .bind(first)
    .bind(last)
    .execute(&mut *tx)
    .await?;
    for (day, shoppers) in &sales.paid_shoppers {
        sqlx::query("INSERT INTO funnel_days (day, step, shoppers) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
            .bind(*day)
            .bind(super::funnel::PAID_STEP)
            .bind(*shoppers)
            .execute(&mut *tx)
            .await?;
    }
    // Marks of summed days (late ones too) and their salts go; so do the
    // shoppers of orders placed a month before: unpaid by now, they never will be.
    sqlx::query("DELETE FROM funnel_marks WHERE day <= $1")
        .bind(last)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM funnel_salts WHERE day <= $1")
        .bind(last)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM order_shoppers WHERE day < $1")
        .bind(last - 30)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// The months whose last day is one of `first..=last`: (month, its first day, its last day).
fn months_ending(first: i64, last: i64) -> Vec<(i64, i64, i64)> {
    (first..=last)
        .filter(|day| month_of(day + 1) != month_of(*day))
        .map(|end| {
            let mut start = end;
            while month_of(start - 1) == month_of(end) {
                start -= 1;
            }
            (month_of(end), start, end)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn months_end_on_their_last_day() {
        let day = |text: &str| crate::domain::time::parse_utc(text).unwrap() / 86_400;
        let months = super::months_ending(day("2024-01-15"), day("2024-03-31"));
        assert_eq!(months, [
            (2024 * 12, day("2024-01-01"), day("2024-01-31")),
            (2024 * 12 + 1, day("2024-02-01"), day("2024-02-29")),
            (2024 * 12 + 2, day("2024-03-01"), day("2024-03-31")),
        ]);
        assert!(super::months_ending(day("2024-02-02"), day("2024-02-28")).is_empty());
    }
}
