//! Admins managing promo codes: the list with each code's use (orders that
//! hold it now, and what it took off the paid ones), create, change (the
//! code itself stays: orders name it; its categories and products are named
//! by handle and kept by id) and end now. Checkout reads the same
//! rows (`promos`), so a change applies to the next cart. Every change is in
//! the audit log with its before and after.

use crate::domain::promos::{Offer, PromoFields, PromoInput, PromoRow};
use crate::domain::time::utc;
use crate::error::AppError;
use crate::ssr::accounts::audit::{record_change, Changes, Event};
use crate::ssr::accounts::users::User;
use crate::ssr::db::{placeholders, values_sql};
use crate::ssr::now;
use sqlx::AnyConnection;
use std::collections::HashMap;

const WHAT: &str = "manage promo codes";

/// The signed-in admin: 401 without a session, 403 for anyone else.
async fn promo_admin() -> Result<User, AppError> {
    crate::ssr::accounts::signed_in_admin(&crate::ssr::state()?.db, WHAT).await
}

type Stored = (String, String, i64, i64, i64, Option<i64>, Option<i64>, Option<i64>, i64);

const COLUMNS: &str = "code, kind, amount, min_subtotal_minor, starts_at, ends_at, max_uses, max_per_customer, uses";

fn fields((code, kind, amount, min_subtotal, starts_at, ends_at, max_uses, max_per_customer, _): Stored, targets: &mut Targets) -> PromoFields {
    let (categories, products) = targets.remove(&code).unwrap_or_default();
    let offer = Offer::from_stored(&kind, amount);
    PromoFields { code, offer, min_subtotal, starts_at, ends_at, max_uses, max_per_customer, categories, products }
}

/// Each restricted code's category and product handles, sorted.
type Targets = HashMap<String, (Vec<String>, Vec<String>)>;

/// The handles `code` (or every code, `None`) is restricted to.
async fn targets(conn: &mut AnyConnection, code: Option<&str>) -> Result<Targets, AppError> {
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT t.code, 0, c.slug FROM promo_code_categories t JOIN categories c ON c.id = t.category_id WHERE $1 IS NULL OR t.code = $1 \
         UNION ALL SELECT t.code, 1, p.slug FROM promo_code_products t JOIN products p ON p.id = t.product_id WHERE $1 IS NULL OR t.code = $1 \
         ORDER BY 1, 2, 3",
    )
    .bind(code)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Targets::new();
    for (code, product, handle) in rows {
        let entry = out.entry(code).or_default();
        if product == 1 { entry.1.push(handle) } else { entry.0.push(handle) }
    }
    Ok(out)
}

/// Restricts `promo` to its categories and products, replacing what it had;
/// a handle that names nothing is refused.
async fn set_targets(conn: &mut AnyConnection, promo: &PromoFields) -> Result<(), AppError> {
    for table in ["promo_code_categories", "promo_code_products"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE code = $1")).bind(&promo.code).execute(&mut *conn).await?;
    }
    sqlx::query("UPDATE promo_codes SET restricted = $2 WHERE code = $1")
        .bind(&promo.code)
        .bind(i64::from(promo.restricted()))
        .execute(&mut *conn)
        .await?;
    for (table, column, source, what, handles) in [
        ("promo_code_categories", "category_id", "categories", "category", &promo.categories),
        ("promo_code_products", "product_id", "products", "product", &promo.products),
    ] {
        if handles.is_empty() {
            continue;
        }
        let sql = format!("SELECT id, slug FROM {source} WHERE slug IN ({})", placeholders(1, handles.len()));
        let mut query = sqlx::query_as::<_, (i64, String)>(&sql);
        for handle in handles {
            query = query.bind(handle);
        }
        let found = query.fetch_all(&mut *conn).await?;
        if let Some(missing) = handles.iter().find(|h| !found.iter().any(|f| &f.1 == *h)) {
            return Err(AppError::BadRequest(format!("There is no {what} with the handle \"{missing}\".")));
        }
        let sql = values_sql(&format!("INSERT INTO {table} (code, {column}) VALUES"), found.len(), 2);
        let mut query = sqlx::query(&sql);
        for (id, _) in &found {
            query = query.bind(&promo.code).bind(*id);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Every promo code, newest start first, with its use.
pub async fn list() -> Result<Vec<PromoRow>, AppError> {
    promo_admin().await?;
    let state = crate::ssr::state()?;
    let mut conn = state.db.pool.acquire().await?;
    let codes: Vec<Stored> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM promo_codes ORDER BY starts_at DESC, code")).fetch_all(&mut *conn).await?;
    let mut targets = targets(&mut conn, None).await?;
    let paid: HashMap<String, (i64, i64, i64)> = sqlx::query_as::<_, (String, i64, i64, i64)>(
        "SELECT promo_code, COUNT(*), CAST(COALESCE(SUM(discount_minor), 0) AS BIGINT), CAST(COALESCE(SUM(total_minor), 0) AS BIGINT) \
         FROM orders WHERE promo_code IS NOT NULL AND status NOT IN ('pending-payment', 'cancelled') GROUP BY promo_code",
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|(code, orders, off, total)| (code, (orders, off, total)))
    .collect();
    let now = now();
    Ok(codes
        .into_iter()
        .map(|row| {
            let uses = row.8;
            let used = paid.get(&row.0).copied().unwrap_or((0, 0, 0));
            PromoRow::new(&fields(row, &mut targets), now, uses, used)
        })
        .collect())
}

async fn stored(conn: &mut AnyConnection, code: &str) -> Result<Option<PromoFields>, AppError> {
    let row: Option<Stored> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM promo_codes WHERE code = $1")).bind(code).fetch_optional(&mut *conn).await?;
    let mut targets = targets(conn, Some(code)).await?;
    Ok(row.map(|row| fields(row, &mut targets)))
}

/// What changed between two versions of a promo, for the audit log.
fn changes(before: &PromoFields, after: &PromoFields) -> String {
    let (was, is) = (before.input(), after.input());
    let mut out = Changes::default();
    out.field("offer", before.offer.text(), after.offer.text());
    out.field("minimum subtotal", was.min_subtotal, is.min_subtotal);
    out.field("start", was.starts, is.starts);
    out.field("end", was.ends, is.ends);
    out.field("uses in all", was.max_uses, is.max_uses);
    out.field("uses per customer", was.max_per_customer, is.max_per_customer);
    out.field("categories", was.categories, is.categories);
    out.field("products", was.products, is.products);
    out.text()
}

/// `query` with the promo's columns bound as `$1`…`$8`: code, kind, amount,
/// minimum subtotal, start, end, uses in all, uses per customer.
fn bound<'q>(query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>, promo: &PromoFields) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let (kind, amount) = promo.offer.stored();
    query
        .bind(promo.code.clone())
        .bind(kind)
        .bind(amount)
        .bind(promo.min_subtotal)
        .bind(promo.starts_at)
        .bind(promo.ends_at)
        .bind(promo.max_uses)
        .bind(promo.max_per_customer)
}

/// Creates promo `input.code` (`new`), or changes it; returns the code.
pub async fn save(input: PromoInput, new: bool) -> Result<String, AppError> {
    let user = promo_admin().await?;
    let state = crate::ssr::state()?;
    let ip = crate::ssr::accounts::checks::client_ip().await.to_string();
    let mut tx = state.db.begin_write().await?;
    let before = stored(&mut tx, input.code.trim().to_ascii_uppercase().as_str()).await?;
    // A change keeps the start it had when the form leaves it empty.
    let start = before.as_ref().map_or(now(), |b| b.starts_at);
    let promo = input.parse(start).map_err(AppError::BadRequest)?;
    let (event, detail) = match (before, new) {
        (Some(_), true) => return Err(AppError::Conflict(format!("There is a promo code {} already. Change that one instead.", promo.code))),
        (None, false) => return Err(AppError::NotFound(format!("There is no promo code {}.", promo.code))),
        (None, true) => {
            bound(sqlx::query(
                "INSERT INTO promo_codes (code, kind, amount, min_subtotal_minor, starts_at, ends_at, max_uses, max_per_customer, uses) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)",
            ), &promo)
            .execute(&mut *tx)
            .await
            .map_err(|error| match error {
                sqlx::Error::Database(e) if e.is_unique_violation() => {
                    AppError::Conflict(format!("Someone created the promo code {} a moment ago.", promo.code))
                }
                other => other.into(),
            })?;
            let row = PromoRow::new(&promo, now(), 0, (0, 0, 0));
            let limit = promo.max_uses.map_or("no limit".to_owned(), |n| n.to_string());
            (Event::PromoCreated, format!("promo {} created: {}; {}; uses in all: {limit}", promo.code, row.summary, row.window))
        }
        (Some(before), false) => {
            let updated = bound(sqlx::query(
                "UPDATE promo_codes SET kind = $2, amount = $3, min_subtotal_minor = $4, starts_at = $5, ends_at = $6, max_uses = $7, \
                 max_per_customer = $8 WHERE code = $1 AND (CAST($7 AS BIGINT) IS NULL OR uses <= $7)",
            ), &promo)
            .execute(&mut *tx)
            .await?;
            if updated.rows_affected() == 0 {
                return Err(AppError::BadRequest(format!(
                    "{} has been used more often than {} times already. Set a higher limit, or end it now.",
                    promo.code,
                    promo.max_uses.unwrap_or(0)
                )));
            }
            (Event::PromoChanged, format!("promo {}: {}", promo.code, changes(&before, &promo)))
        }
    };
    set_targets(&mut tx, &promo).await?;
    record_change(&mut tx, Some(user.id), &user.email, event, &ip, &detail).await?;
    tx.commit().await?;
    Ok(promo.code)
}

/// Ends promo `code` now: checkout refuses it from this moment; orders
/// that used it keep their discount.
pub async fn end_now(code: String) -> Result<(), AppError> {
    let user = promo_admin().await?;
    let state = crate::ssr::state()?;
    let ip = crate::ssr::accounts::checks::client_ip().await.to_string();
    let code = code.trim().to_ascii_uppercase();
    let now = now();
    let mut tx = state.db.begin_write().await?;
    let before = stored(&mut tx, &code).await?.ok_or_else(|| AppError::NotFound(format!("There is no promo code {code}.")))?;
    if before.ends_at.is_some_and(|end| end <= now) {
        return Ok(()); // ended already
    }
    // Its start moves to at least a minute before its end: the form shows
    // times to the minute, and must show a start before the end to save again.
    sqlx::query("UPDATE promo_codes SET ends_at = $2, starts_at = CASE WHEN starts_at < $2 - 60 THEN starts_at ELSE $2 - 60 END WHERE code = $1")
        .bind(&code)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let was = before.ends_at.map_or("no end".to_owned(), |end| format!("until {}", utc(end)));
    let detail = format!("promo {code} ended now (was: {was})");
    record_change(&mut tx, Some(user.id), &user.email, Event::PromoEnded, &ip, &detail).await?;
    tx.commit().await?;
    Ok(())
}
