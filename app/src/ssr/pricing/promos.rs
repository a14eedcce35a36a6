//! Promo codes: what a code takes off, and its uses counted per code and
//! per customer (taken with the order, given back when the order is
//! released or cancelled, taken again when its payment is retried).

use crate::domain::checkout::{discount, PromoKind};
use crate::error::AppError;
use crate::ssr::now;
use sqlx::AnyConnection;

type PromoRow = (String, i64, i64, i64, Option<i64>, Option<i64>, Option<i64>, i64);

/// Records that `order` used promo `code` for `customer`, unless that
/// customer used it up already: the check is part of the insert, which runs
/// after the caller took the code's row lock (`uses = uses + 1`), so orders
/// of one customer racing on PostgreSQL see each other's uses. Each use also
/// takes the customer's next numbered slot under a unique index, a second
/// guard whatever the isolation.
pub async fn redeem(tx: &mut AnyConnection, code: &str, order: i64, customer: &str) -> Result<(), AppError> {
    let inserted = sqlx::query(
        "INSERT INTO promo_redemptions (code, order_id, customer, slot) \
         SELECT $1, $2, $3, (SELECT COALESCE(MAX(slot), 0) + 1 FROM promo_redemptions WHERE code = $1 AND customer = $3) \
         WHERE (SELECT COUNT(*) FROM promo_redemptions WHERE code = $1 AND customer = $3) \
           < COALESCE((SELECT max_per_customer FROM promo_codes WHERE code = $1), 9223372036854775807)",
    )
    .bind(code)
    .bind(order)
    .bind(customer)
    .execute(&mut *tx)
    .await;
    let used = || AppError::BadRequest(format!("You have already used the promo code {code}."));
    match inserted {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(used()),
        Ok(done) if done.rows_affected() == 0 => Err(used()),
        other => other.map(|_| ()).map_err(AppError::from),
    }
}

/// Gives back the promo use of `order` (unpaid and expired, or cancelled):
/// the code's use count goes down and the customer may use it again.
pub async fn give_back_promo(conn: &mut AnyConnection, order: i64) -> Result<(), AppError> {
    let freed: Option<(String,)> =
        sqlx::query_as("DELETE FROM promo_redemptions WHERE order_id = $1 RETURNING code").bind(order).fetch_optional(&mut *conn).await?;
    if let Some((code,)) = freed {
        sqlx::query("UPDATE promo_codes SET uses = uses - 1 WHERE code = $1 AND uses > 0").bind(code).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Takes the promo use of `order` again (its payment is retried after its
/// hold expired), under the same rules as when it was placed.
pub async fn retake_promo(conn: &mut AnyConnection, order: i64) -> Result<(), AppError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT o.promo_code, o.customer FROM orders o \
         WHERE o.id = $1 AND o.promo_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM promo_redemptions r WHERE r.order_id = o.id)",
    )
    .bind(order)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((code, customer)) = row else { return Ok(()) };
    let gone = || AppError::Conflict(format!("The promo code {code} was used up while this order waited. Place the order again."));
    let used = sqlx::query("UPDATE promo_codes SET uses = uses + 1 WHERE code = $1 AND (max_uses IS NULL OR uses < max_uses)")
        .bind(&code)
        .execute(&mut *conn)
        .await?;
    if used.rows_affected() != 1 {
        return Err(gone());
    }
    redeem(conn, &code, order, &customer).await
}

/// The discount `code` gives on `subtotal` for `customer`, or why it gives none.
pub async fn promo_discount(conn: &mut AnyConnection, code: &str, subtotal: i64, customer: &str) -> Result<i64, AppError> {
    let row: Option<PromoRow> = sqlx::query_as(
        "SELECT kind, amount, min_subtotal_minor, starts_at, ends_at, max_uses, max_per_customer, uses \
         FROM promo_codes WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?;
    let refuse = |why: String| Err(AppError::BadRequest(why));
    let Some((kind, amount, min_subtotal, starts, ends, max_uses, per_customer, uses)) = row else {
        return refuse(format!("The promo code {code} does not exist."));
    };
    let now = now();
    if now < starts {
        return refuse(format!("The promo code {code} is not valid yet."));
    }
    if ends.is_some_and(|end| now >= end) {
        return refuse(format!("The promo code {code} has expired."));
    }
    if max_uses.is_some_and(|max| uses >= max) {
        return refuse(format!("The promo code {code} has been used up."));
    }
    if subtotal < min_subtotal {
        return refuse(format!("The promo code {code} needs a subtotal of at least {:.2}.", min_subtotal as f64 / 100.0));
    }
    if let (Some(max), false) = (per_customer, customer.is_empty()) {
        let (used,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM promo_redemptions WHERE code = $1 AND customer = $2")
            .bind(code)
            .bind(customer)
            .fetch_one(&mut *conn)
            .await?;
        if used >= max {
            return refuse(format!("You have already used the promo code {code}."));
        }
    }
    let kind = if kind == "percent" { PromoKind::Percent(amount) } else { PromoKind::Fixed(amount) };
    Ok(discount(kind, subtotal))
}
