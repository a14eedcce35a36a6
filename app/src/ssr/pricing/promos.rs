//! Promo codes: what a code does to a cart (an amount off the items it
//! applies to, or free shipping), and its uses counted per code and per
//! customer (taken with the order, given back when the order is
//! released or cancelled, taken again when its payment is retried).

use crate::domain::promos::Offer;
use crate::error::AppError;
use crate::ssr::db::placeholders;
use crate::ssr::now;
use sqlx::AnyConnection;

type PromoRow = (String, i64, i64, i64, Option<i64>, Option<i64>, Option<i64>, i64, i64);

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

/// What a promo code does to one cart: what it takes off the goods, whether
/// shipping is free, and which lines it applies to (all of them unless the
/// code is restricted to some categories or products).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PromoEffect {
    pub off: i64,
    pub free_shipping: bool,
    pub applies: Vec<bool>,
}

/// What `code` does to a cart of `lines` (product id, value) for
/// `customer`, or why it does nothing: its window, its uses, the items it
/// applies to (a category reaches into its subcategories) and their
/// subtotal against its minimum.
pub async fn promo_effect(conn: &mut AnyConnection, code: &str, lines: &[(i64, i64)], customer: &str) -> Result<PromoEffect, AppError> {
    let row: Option<PromoRow> = sqlx::query_as(
        "SELECT kind, amount, min_subtotal_minor, starts_at, ends_at, max_uses, max_per_customer, uses, restricted \
         FROM promo_codes WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?;
    let refuse = |why: String| Err(AppError::BadRequest(why));
    let Some((kind, amount, min_subtotal, starts, ends, max_uses, per_customer, uses, restricted)) = row else {
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
    let reach = if restricted == 1 { Some(reach(conn, code, lines).await?) } else { None };
    let applies: Vec<bool> = lines.iter().map(|(product, _)| reach.as_ref().is_none_or(|ids| ids.contains(product))).collect();
    if !applies.contains(&true) {
        return refuse(format!("The promo code {code} does not apply to anything in your cart."));
    }
    let subtotal = lines.iter().zip(&applies).filter(|(_, a)| **a).fold(0i64, |sum, ((_, value), _)| sum.saturating_add(*value));
    if subtotal < min_subtotal {
        let items = if reach.is_some() { " on the items it applies to" } else { "" };
        return refuse(format!("The promo code {code} needs a subtotal of at least {:.2}{items}.", min_subtotal as f64 / 100.0));
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
    let offer = Offer::from_stored(&kind, amount);
    Ok(PromoEffect { off: offer.off(subtotal), free_shipping: offer == Offer::FreeShipping, applies })
}

/// Of the products of `lines`, those restricted code `code` applies to (none
/// when its categories and products were all deleted since).
async fn reach(conn: &mut AnyConnection, code: &str, lines: &[(i64, i64)]) -> Result<Vec<i64>, AppError> {
    let sql = format!(
        "WITH RECURSIVE reach (id) AS ( \
             SELECT category_id FROM promo_code_categories WHERE code = $1 \
             UNION SELECT c.id FROM categories c JOIN reach r ON c.parent_id = r.id) \
         SELECT p.id FROM products p WHERE p.id IN ({}) \
           AND (p.category_id IN (SELECT id FROM reach) OR p.id IN (SELECT product_id FROM promo_code_products WHERE code = $1))",
        placeholders(2, lines.len())
    );
    let mut query = sqlx::query_as::<_, (i64,)>(&sql).bind(code);
    for (product, _) in lines {
        query = query.bind(*product);
    }
    Ok(query.fetch_all(&mut *conn).await?.into_iter().map(|r| r.0).collect())
}
