//! Staff changing a variant's stock by hand (goods received, a count's
//! correction, damaged goods, returns outside an order), each change a
//! ledger line with its reason, who made it and a note; and the ledger of a
//! variant or of all a product's variants, newest first.
//! The change is one guarded `stock = stock + delta` statement, so it never
//! loses a checkout's update made at the same moment; one that takes the
//! variant down to its low-stock threshold mails as a sale would.

use crate::domain::products::{ledger_reason, LedgerLine, StockLedger, StockReason, LEDGER_LINES, MAX_STOCK};
use crate::error::AppError;
use crate::ssr::accounts::audit::{record_change, Event};
use crate::ssr::catalog::staff::{catalog_staff, reachable};
use crate::ssr::inventory::stock::alert_if_low;
use crate::ssr::now;

/// Adds `delta` (negative: takes away) units to the stock of `variant` of
/// product `id` (`None`: its only variant) for `reason`; returns the
/// variant's stock after it.
pub async fn adjust(id: i64, variant: Option<i64>, delta: &str, reason: &str, note: &str) -> Result<i64, AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let reason = StockReason::parse(reason).ok_or_else(|| AppError::BadRequest("Choose why the stock changes.".into()))?;
    let delta: i64 = delta
        .trim()
        .trim_start_matches('+')
        .parse()
        .map_err(|_| AppError::BadRequest("Enter the change as a whole number, like 12 or -3.".into()))?;
    reason.check(delta).map_err(AppError::BadRequest)?;
    let note = note.trim();
    if note.chars().count() > 200 || note.chars().any(char::is_control) {
        return Err(AppError::BadRequest("Keep the note to one line of at most 200 characters.".into()));
    }
    let ip = crate::ssr::accounts::checks::client_ip().await.to_string();
    let mut tx = state.db.begin_write().await?;
    let product = reachable(&mut tx, reach, id, false).await?;
    let ((variant, label), title) = which(&mut tx, id, variant).await?;
    let after: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE product_variants SET stock = stock + $2 WHERE id = $1 AND stock + $2 >= 0 AND stock + $2 <= $3 \
         RETURNING stock, low_stock_threshold",
    )
    .bind(variant)
    .bind(delta)
    .bind(MAX_STOCK)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((after, threshold)) = after else {
        let (stock,): (i64,) =
            sqlx::query_as("SELECT stock FROM product_variants WHERE id = $1").bind(variant).fetch_one(&mut *tx).await?;
        return Err(AppError::BadRequest(if delta < 0 {
            format!("There are only {stock} in stock: you cannot take away {}.", -delta)
        } else {
            format!("Stock is at most {MAX_STOCK} units; there are {stock} already.")
        }));
    };
    sqlx::query(
        "INSERT INTO inventory_ledger (product_id, variant_id, delta, reason, actor, at, note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
        .bind(id)
        .bind(variant)
        .bind(delta)
        .bind(reason.key())
        .bind(&user.email)
        .bind(now())
        .bind(note)
        .execute(&mut *tx)
        .await?;
    let detail = format!("product {id} “{}” variant {variant} {label}: stock {} → {after} ({}{})", product.name, after - delta, reason.label(),
        if note.is_empty() { String::new() } else { format!(": {note}") });
    record_change(&mut tx, Some(user.id), &user.email, Event::StockAdjusted, &ip, &detail).await?;
    let name = crate::domain::variants::line_name(&product.name, &title);
    alert_if_low(&mut tx, (id, variant), &name, (after - delta, after), threshold, &state.shop.public_url).await?;
    tx.commit().await?;
    Ok(after)
}

/// Variant `variant` of product `id` (its only one if it has one; all of
/// them when `None`), by id and what it is called ("Red / M", else its SKU),
/// and its option values alone ("Red / M", empty for a product sold one way).
async fn which(conn: &mut sqlx::AnyConnection, id: i64, variant: Option<i64>) -> Result<((i64, String), String), AppError> {
    let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT id, sku, option1, option2, option3 FROM product_variants WHERE product_id = $1 ORDER BY position, id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let row = match variant {
        Some(v) => rows.into_iter().find(|r| r.0 == v).ok_or_else(|| AppError::NotFound("This product has no such variant.".into()))?,
        None if rows.len() == 1 => rows.into_iter().next().ok_or(AppError::Internal)?,
        None => return Err(AppError::BadRequest("Choose which variant's stock changes.".into())),
    };
    let title = crate::domain::variants::title(&[row.2, row.3, row.4]);
    Ok(((row.0, if title.is_empty() { row.1 } else { title.clone() }), title))
}

/// The stock of variant `variant` of product `id` (`None`: of all its
/// variants together) and its newest [`LEDGER_LINES`] changes, each with
/// the stock after it.
pub async fn ledger(id: i64, variant: Option<i64>) -> Result<StockLedger, AppError> {
    let state = crate::ssr::state()?;
    let (_, reach) = catalog_staff(&state.db).await?;
    let mut conn = state.db.pool.acquire().await?;
    let product = reachable(&mut conn, reach, id, false).await?;
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM product_variants WHERE product_id = $1").bind(id).fetch_one(&mut *conn).await?;
    let chosen = match variant {
        Some(_) => Some(which(&mut conn, id, variant).await?.0),
        None if count == 1 => Some(which(&mut conn, id, None).await?.0),
        None => None,
    };
    // Each line's stock after it is the sum of the ledger up to it, read in
    // the same statement (a sale meanwhile cannot shift the column).
    let rows: Vec<(i64, i64, i64, String, Option<String>, String, String)> = sqlx::query_as(
        "SELECT l.at, l.delta, l.balance, l.reason, o.number, l.actor, l.note FROM \
             (SELECT id, at, delta, reason, order_id, actor, note, \
                     CAST(SUM(delta) OVER (ORDER BY id) AS BIGINT) AS balance \
              FROM inventory_ledger WHERE product_id = $1 AND ($3 = 0 OR variant_id = $3)) l \
         LEFT JOIN orders o ON o.id = l.order_id ORDER BY l.id DESC LIMIT $2",
    )
    .bind(id)
    .bind(LEDGER_LINES)
    .bind(chosen.as_ref().map_or(0, |c| c.0))
    .fetch_all(&mut *conn)
    .await?;
    let lines = rows
        .into_iter()
        .map(|(at, delta, balance, reason, order, actor, note)| LedgerLine {
            at,
            delta,
            balance,
            reason: ledger_reason(&reason),
            order,
            actor,
            note,
        })
        .collect();
    let (stock, threshold) = match &chosen {
        Some((v, _)) => {
            sqlx::query_as("SELECT stock, low_stock_threshold FROM product_variants WHERE id = $1").bind(v).fetch_one(&mut *conn).await?
        }
        None => (product.stock, product.low_stock_threshold),
    };
    Ok(StockLedger { product: product.name, variant: chosen, stock, low_stock_threshold: threshold, lines })
}
