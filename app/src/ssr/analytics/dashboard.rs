//! The dashboard a merchant opens every morning (admins only): a period's
//! revenue, orders, average order value, units, refunds and returns against
//! the period before, a point a day for the charts, the best-selling
//! products and categories, the funnel and the stock to look at. Summed
//! days are read from the daily sums; the days since (today, mostly) from
//! the orders themselves through the same reader.

use super::sales::{self, Sales};
use crate::domain::analytics::{whole_months, Dashboard, DayPoint, Funnel, Period, TopItem, Totals, DAY_SECS};
use crate::error::AppError;
use crate::ssr::Db;
use sqlx::AnyConnection;
use std::collections::BTreeMap;

const WHAT: &str = "see the shop's figures";

/// Best sellers shown.
const TOP: i64 = 10;

/// Admins: the dashboard for the period named by `key` (a preset) or `from`..`to`.
pub async fn page(key: String, from: String, to: String) -> Result<Dashboard, AppError> {
    let state = crate::ssr::state()?;
    crate::ssr::accounts::signed_in_admin(&state.db, WHAT).await?;
    let today = crate::ssr::now().div_euclid(DAY_SECS);
    let period = Period::parse(&key, &from, &to, today).map_err(AppError::BadRequest)?;
    // This server's marks count at once; other servers write theirs every few seconds.
    if let Err(error) = state.funnel.flush(&state.db).await {
        tracing::warn!(?error, "writing funnel marks failed");
    }
    build(&state.db, period).await
}

/// The dashboard of `period` (for the benchmark and tests too).
pub async fn build(db: &Db, period: Period) -> Result<Dashboard, AppError> {
    let next = match super::rollup::next_day(db).await {
        Ok(day) => day,
        Err(error) => {
            // Sums that could not be brought up to date: read more days live.
            tracing::warn!(?error, "summing closed days failed");
            sqlx::query_as::<_, (i64,)>(
                "SELECT next_day FROM analytics_rollups WHERE name = 'sales'",
            )
            .fetch_optional(&db.pool)
            .await?
            .map_or(0, |(day,)| day)
        }
    };
    let before = period.before();
    let mut conn = db.pool.acquire().await?;
    let live_from = next.max(before.first);
    let live = if live_from <= period.last {
        sales::read(&mut conn, live_from, period.last).await?
    } else {
        Sales::default()
    };
    let mut days: BTreeMap<(i64, String), Totals> =
        summed_days(&mut conn, before.first, period.last.min(next - 1)).await?;
    days.extend(live.days.iter().map(|(k, v)| (k.clone(), *v)));

    let mut by_currency: BTreeMap<&str, i64> = BTreeMap::new();
    for ((day, currency), t) in &days {
        if *day >= period.first {
            *by_currency.entry(currency).or_default() += t.orders;
        }
    }
    let currency = match by_currency
        .iter()
        .max_by_key(|(c, n)| (**n, std::cmp::Reverse(**c)))
    {
        Some((c, _)) => (*c).to_owned(),
        None => default_currency(&mut conn).await?,
    };
    let other_currencies = by_currency
        .keys()
        .filter(|c| **c != currency)
        .map(|c| (*c).to_owned())
        .collect();
    let (mut now, mut was) = (Totals::default(), Totals::default());
    let mut points: BTreeMap<i64, DayPoint> = (period.first..=period.last)
        .map(|day| {
            (
                day,
                DayPoint {
                    day,
                    orders: 0,
                    revenue_minor: 0,
                },
            )
        })
        .collect();
    for ((day, c), t) in &days {
        if *c != currency {
            continue;
        }
        if *day >= period.first {
            now.add(t);
            if let Some(point) = points.get_mut(day) {
                (point.orders, point.revenue_minor) = (t.orders, t.revenue_minor);
            }
        } else {
            was.add(t);
        }
    }
    // The period's summed days are those before `split`, its live days the rest.
    let split = next.clamp(period.first, period.last + 1);
    let products = top(&mut conn, Top::Products, period, split, &currency).await?;
    let categories = top(&mut conn, Top::Categories, period, split, &currency).await?;
    let funnel = funnel(&mut conn, period, split, &live).await?;
    let (low_stock, sold_out): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN stock > 0 AND low_variants > 0 THEN 1 ELSE 0 END), 0), \
                COALESCE(SUM(CASE WHEN stock = 0 THEN 1 ELSE 0 END), 0) \
         FROM products WHERE status = 'active'",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Dashboard {
        period,
        currency,
        other_currencies,
        now,
        before: was,
        days: points.into_values().collect(),
        products,
        categories,
        funnel,
        low_stock,
        sold_out,
    })
}

/// The daily sums of days `first..=last`.
async fn summed_days(
    conn: &mut AnyConnection,
    first: i64,
    last: i64,
) -> Result<BTreeMap<(i64, String), Totals>, AppError> {
    if first > last {
        return Ok(BTreeMap::new());
    }
    let rows: Vec<(i64, String, i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT day, currency, orders, revenue_minor, units, refunds, refunded_minor, returns \
         FROM sales_days WHERE day >= $1 AND day <= $2",
    )
    .bind(first)
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(day, currency, orders, revenue_minor, units, refunds, refunded_minor, returns)| {
                (
                    (day, currency),
                    Totals {
                        orders,
                        revenue_minor,
                        units,
                        refunds,
                        refunded_minor,
                        returns,
                    },
                )
            },
        )
        .collect())
}

/// The shop's currency when nothing sold in the period.
async fn default_currency(conn: &mut AnyConnection) -> Result<String, AppError> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT currency FROM products ORDER BY id LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map_or_else(|| "USD".to_owned(), |(c,)| c))
}

#[derive(Clone, Copy)]
enum Top {
    Products,
    Categories,
}

/// The best sellers by units of the period's days before `split` (from the
/// sums: whole months and days for products, days for categories) and after
/// it (from the orders), in one query.
async fn top(conn: &mut AnyConnection, what: Top, period: Period, split: i64, currency: &str) -> Result<Vec<TopItem>, AppError> {
    let live = |key: &str, join: &str| {
        format!(
            "SELECT {key} AS id, l.quantity AS units, l.quantity * l.unit_price_minor AS revenue \
             FROM order_events e JOIN orders o ON o.id = e.order_id JOIN order_lines l ON l.order_id = o.id {join} \
             WHERE e.to_status = 'paid' AND e.from_status = 'pending-payment' AND e.at >= $4 AND e.at < $5 AND o.currency = $3"
        )
    };
    // Months wholly inside the summed days, and the days around them.
    let (first_month, last_month, start, stop) = whole_months(period.first, split).unwrap_or((1, 0, split, split));
    let (name, summed) = match what {
        Top::Products => (
            "SELECT name FROM products WHERE id = t.id",
            format!(
                "SELECT product_id AS id, units, revenue_minor AS revenue FROM product_sales_months \
                  WHERE month >= $6 AND month <= $7 AND currency = $3 \
                 UNION ALL \
                 SELECT product_id, units, revenue_minor FROM product_sales_days \
                  WHERE ((day >= $1 AND day < $8) OR (day >= $9 AND day < $2)) AND currency = $3 \
                 UNION ALL {}",
                live("l.product_id", "")
            ),
        ),
        Top::Categories => (
            "SELECT name FROM categories WHERE id = t.id",
            format!(
                "SELECT category_id AS id, units, revenue_minor AS revenue FROM category_sales_days \
                  WHERE day >= $1 AND day < $2 AND currency = $3 \
                 UNION ALL {}",
                live("p.category_id", "JOIN products p ON p.id = l.product_id")
            ),
        ),
    };
    let sql = format!(
        "SELECT t.id, COALESCE(({name}), ''), t.units, t.revenue FROM ( \
           SELECT id, CAST(SUM(units) AS BIGINT) AS units, CAST(SUM(revenue) AS BIGINT) AS revenue FROM ({summed}) s \
           GROUP BY id ORDER BY 2 DESC, id LIMIT {TOP} \
         ) t ORDER BY t.units DESC, t.id"
    );
    let mut query = sqlx::query_as::<_, (i64, String, i64, i64)>(&sql)
        .bind(period.first)
        .bind(split)
        .bind(currency)
        .bind(split * DAY_SECS)
        .bind((period.last + 1) * DAY_SECS);
    if let Top::Products = what {
        query = query.bind(first_month).bind(last_month).bind(start).bind(stop);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|(id, name, units, revenue_minor)| TopItem { id, name, units, revenue_minor }).collect())
}

/// The funnel of `period`: summed days before `split`, then the marks and payments since.
async fn funnel(
    conn: &mut AnyConnection,
    period: Period,
    split: i64,
    live: &Sales,
) -> Result<Funnel, AppError> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT step, CAST(SUM(shoppers) AS BIGINT) FROM funnel_days WHERE day >= $1 AND day < $3 GROUP BY step \
         UNION ALL \
         SELECT step, COUNT(*) FROM funnel_marks WHERE day >= $3 AND day <= $2 GROUP BY step",
    )
    .bind(period.first)
    .bind(period.last)
    .bind(split)
    .fetch_all(&mut *conn)
    .await?;
    let mut funnel = Funnel::default();
    for (step, shoppers) in rows {
        match step {
            1 => funnel.viewed += shoppers,
            2 => funnel.carted += shoppers,
            3 => funnel.checkout += shoppers,
            _ => funnel.paid += shoppers,
        }
    }
    funnel.paid += live
        .paid_shoppers
        .range(split..=period.last)
        .map(|(_, n)| n)
        .sum::<i64>();
    Ok(funnel)
}
