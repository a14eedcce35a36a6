//! Wishlist mails: when a saved item comes back in stock, or its price falls
//! below the lowest its owner has seen, one mail goes to them through the
//! outbox, and never a second for the same event. Each saved line keeps
//! what its owner was last told (`seen_out`, `seen_price_minor`; set when it
//! is saved, `ssr/cart/mod.rs::put`); a sweep in the chores
//! (`ssr/chores.rs`) compares them with today's stock and prices, whatever
//! changed them (the back office, an import, a cancelled order, a return).
//! Each event is claimed by a conditional update in the transaction that
//! queues its mail, so app servers sweeping at once send it once. The
//! events a sweep finds for one customer go out as one mail, with a link
//! that turns these mails off without signing in.

use crate::domain::money::{Currency, Money};
use crate::domain::variants::{line_name, title};
use crate::domain::wishlist::{hide_address, AlertSetting};
use crate::error::AppError;
use crate::ssr::accounts::{random_token, token_shape};
use crate::ssr::{mail, now, Shop};
use sqlx::AnyConnection;
use std::collections::BTreeMap;

/// Whether customer `user` gets wishlist mails (yes, until they say no).
pub async fn enabled(conn: &mut AnyConnection, user: i64) -> Result<bool, AppError> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT enabled FROM wishlist_alerts WHERE user_id = $1").bind(user).fetch_optional(conn).await?;
    Ok(row.is_none_or(|(on,)| on == 1))
}

/// The token of `user`'s unsubscribe link, made on first use.
async fn token_for(conn: &mut AnyConnection, user: i64) -> Result<String, AppError> {
    sqlx::query("INSERT INTO wishlist_alerts (user_id, token, enabled, changed_at) VALUES ($1, $2, 1, $3) ON CONFLICT (user_id) DO NOTHING")
        .bind(user)
        .bind(random_token())
        .bind(now())
        .execute(&mut *conn)
        .await?;
    let (token,): (String,) = sqlx::query_as("SELECT token FROM wishlist_alerts WHERE user_id = $1").bind(user).fetch_one(conn).await?;
    Ok(token)
}

/// Turns `user`'s wishlist mails on or off.
async fn set(conn: &mut AnyConnection, user: i64, on: bool) -> Result<(), AppError> {
    token_for(conn, user).await?;
    sqlx::query("UPDATE wishlist_alerts SET enabled = $2, changed_at = $3 WHERE user_id = $1")
        .bind(user)
        .bind(i64::from(on))
        .bind(now())
        .execute(conn)
        .await?;
    Ok(())
}

/// The signed-in customer turns their wishlist mails on or off.
pub async fn set_mine(on: bool) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let session = crate::ssr::accounts::session_or_sign_in("get mails about your wishlist").await?;
    let user = crate::ssr::accounts::require_user(&session, &state.db, "get mails about your wishlist").await?;
    let mut tx = state.db.begin_write().await?;
    set(&mut tx, user.id, on).await?;
    Ok(tx.commit().await?)
}

fn unknown_link() -> AppError {
    AppError::NotFound("This unsubscribe link is not one of ours: copy the whole link from the mail.".into())
}

/// The customer an unsubscribe link's `token` names, with their address.
async fn by_token(conn: &mut AnyConnection, token: &str) -> Result<(i64, String, bool), AppError> {
    if !token_shape(token) {
        return Err(unknown_link());
    }
    let row: Option<(i64, String, i64)> = sqlx::query_as(
        "SELECT a.user_id, u.email, a.enabled FROM wishlist_alerts a JOIN users u ON u.id = a.user_id WHERE a.token = $1",
    )
    .bind(token)
    .fetch_optional(conn)
    .await?;
    let (user, email, on) = row.ok_or_else(unknown_link)?;
    Ok((user, email, on == 1))
}

/// What the unsubscribe link `token` is about.
pub async fn setting(token: &str) -> Result<AlertSetting, AppError> {
    let state = crate::ssr::state()?;
    let (_, email, enabled) = by_token(&mut *state.db.pool.acquire().await?, token).await?;
    Ok(AlertSetting { address: hide_address(&email), enabled })
}

/// Turns the mails of the unsubscribe link `token` off (or on again); says what it did.
pub async fn set_by_token(token: &str, on: bool) -> Result<String, AppError> {
    let state = crate::ssr::state()?;
    let mut tx = state.db.begin_write().await?;
    let (user, email, _) = by_token(&mut tx, token).await?;
    set(&mut tx, user, on).await?;
    tx.commit().await?;
    Ok(if on {
        format!("Wishlist mails to {} are on again.", hide_address(&email))
    } else {
        format!("No more wishlist mails to {}. Your wishlist itself stays as it is.", hide_address(&email))
    })
}

/// A saved line the sweep found: its cart, owner and variant, and what it costs now.
type Due = (i64, Option<i64>, i64, i64, Option<i64>, String, String, String, String, String, String);

/// The saved lines (cart, owner, variant, price, seen price, currency, name,
/// options, slug) matching `condition`.
async fn due(conn: &mut AnyConnection, condition: &str) -> Result<Vec<Due>, AppError> {
    Ok(sqlx::query_as(&format!(
        "SELECT ci.cart_id, c.user_id, ci.variant_id, v.price_minor, ci.seen_price_minor, p.currency, p.name, \
                v.option1, v.option2, v.option3, p.slug \
         FROM cart_items ci JOIN carts c ON c.id = ci.cart_id JOIN product_variants v ON v.id = ci.variant_id \
         JOIN products p ON p.id = v.product_id \
         WHERE ci.list = 'saved' AND v.stock > 0 AND p.status = 'active' AND {condition} ORDER BY ci.cart_id, ci.added_at"
    ))
    .fetch_all(conn)
    .await?)
}

/// One mail line: what happened to a saved item, and where to buy it.
fn event_line(row: &Due, back: bool, shop_url: &str) -> String {
    let (_, _, variant, price, seen, currency, name, o1, o2, o3, slug) = row;
    let currency = Currency::parse(currency).unwrap_or(Currency::Usd);
    let label = line_name(name, &title(&[o1, o2, o3]));
    let now_costs = Money::new(*price, currency);
    let was = (*seen).filter(|seen| seen > price).map(|seen| format!(", was {}", Money::new(seen, currency)));
    let what = if back { "is back in stock" } else { "costs less" };
    format!("- {label} {what}: {now_costs}{}\n  {shop_url}/p/{slug}?variant={variant}\n", was.unwrap_or_default())
}

/// Finds and mails every wishlist event since the last sweep; the number of mails queued.
pub async fn sweep(shop: &Shop) -> Result<usize, AppError> {
    let shop_url = shop.public_url.trim_end_matches('/').to_owned();
    let shop_name = crate::ssr::settings::brand::name_in(&shop.db).await;
    let mut tx = shop.db.begin_write().await?;
    // Lines sold out (or not sold) now wait for their next return to stock.
    sqlx::query(
        "UPDATE cart_items SET seen_out = 1 WHERE list = 'saved' AND seen_out = 0 AND variant_id IN \
         (SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id WHERE v.stock = 0 OR p.status <> 'active')",
    )
    .execute(&mut *tx)
    .await?;
    // Each event is claimed by the update that ends it: a line another
    // sweep has claimed already updates nothing here.
    let mut events: BTreeMap<i64, String> = BTreeMap::new();
    for row in due(&mut tx, "ci.seen_out = 1").await? {
        let claimed = sqlx::query(
            "UPDATE cart_items SET seen_out = 0, \
                 seen_price_minor = CASE WHEN seen_price_minor IS NULL OR seen_price_minor > $3 THEN $3 ELSE seen_price_minor END \
             WHERE cart_id = $1 AND list = 'saved' AND variant_id = $2 AND seen_out = 1",
        )
        .bind(row.0)
        .bind(row.2)
        .bind(row.3)
        .execute(&mut *tx)
        .await?;
        if let (1, Some(user)) = (claimed.rows_affected(), row.1) {
            events.entry(user).or_default().push_str(&event_line(&row, true, &shop_url));
        }
    }
    for row in due(&mut tx, "ci.seen_out = 0 AND v.price_minor < ci.seen_price_minor").await? {
        let claimed = sqlx::query(
            "UPDATE cart_items SET seen_price_minor = $3 WHERE cart_id = $1 AND list = 'saved' AND variant_id = $2 AND seen_price_minor = $4",
        )
        .bind(row.0)
        .bind(row.2)
        .bind(row.3)
        .bind(row.4)
        .execute(&mut *tx)
        .await?;
        if let (1, Some(user)) = (claimed.rows_affected(), row.1) {
            events.entry(user).or_default().push_str(&event_line(&row, false, &shop_url));
        }
    }
    let mut mails = 0;
    for (user, lines) in events {
        // Only to an active, confirmed address that still wants them.
        let to: Option<(String,)> =
            sqlx::query_as("SELECT email FROM users WHERE id = $1 AND disabled_at IS NULL AND email_verified_at IS NOT NULL")
                .bind(user)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((to,)) = to else { continue };
        if !enabled(&mut tx, user).await? {
            continue;
        }
        let token = token_for(&mut tx, user).await?;
        let body = format!(
            "Hello,\n\nNews about your wishlist at {shop_name}:\n\n{lines}\nYour wishlist:\n{shop_url}/wishlist\n\n\
             You get this mail because these items are on your wishlist. To stop these mails, open:\n\
             {shop_url}/wishlist/unsubscribe?token={token}\n"
        );
        let subject = format!("{shop_name}: news about your wishlist");
        mail::enqueue(&mut *tx, &to, &subject, &body).await?;
        mails += 1;
    }
    tx.commit().await?;
    Ok(mails)
}
