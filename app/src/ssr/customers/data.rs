//! A customer's personal data: everything the shop holds about an account
//! (for the customer's own download and an admin's export on request), and
//! anonymising on request: the account, its addresses and cart go; its
//! orders (and those placed as a guest with its very address) stay for the accounts with the buyer's name, address (all but
//! country and region, which taxes need), email and phone removed.

use crate::domain::customers::MyData;
use crate::domain::address::Address;
use crate::domain::orders::OrderStatus;
use crate::error::AppError;
use crate::ssr::accounts::audit::{self, Event};
use crate::ssr::accounts::users::{self, User};
use crate::ssr::accounts::{commit_audited, signed_in_admin};
use crate::ssr::Db;

/// Everything the shop holds about `user`.
pub async fn personal_data(db: &Db, user: &User) -> Result<MyData, AppError> {
    let (created_at, security_events) = audit::personal_data(db, user.id).await?;
    let mut orders = Vec::new();
    for (id, _) in super::orders_of(db, user.id).await? {
        orders.push(crate::ssr::orders::view::load(db, id).await?);
    }
    Ok(MyData {
        account: user.summary(),
        created_at,
        security_events,
        addresses: crate::ssr::accounts::addresses::of_user(db, user.id).await?,
        orders,
        cart: super::cart_of(db, user.id).await?,
        consents: crate::ssr::accounts::consents::history(db, user.id).await?,
        reviews: crate::ssr::reviews::moderate::of_author(db, user.id).await?,
    })
}

/// Asks the browser to save the answer as a file named `name`.
pub fn as_download(name: &str) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(value) = axum::http::HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            response.insert_header(axum::http::header::CONTENT_DISPOSITION, value);
        }
    }
}

/// Admins: customer `id`'s data, on their request (recorded in the audit log).
pub async fn export(id: String) -> Result<MyData, AppError> {
    let state = crate::ssr::state()?;
    let admin = signed_in_admin(&state.db, "export customers' data").await?;
    let user = super::customer(&state.db, &id).await?;
    let data = personal_data(&state.db, &user).await?;
    let tx = state.db.begin_write().await?;
    commit_audited(tx, &admin, Event::CustomerDataExported, &user.email).await?;
    as_download(&format!("customer-{}.json", user.id));
    Ok(data)
}

/// What stays of a delivery address once anonymised: the country and region.
fn anonymised(ship_to: &str) -> String {
    let kept: Address = serde_json::from_str(ship_to).unwrap_or_default();
    let address = Address { full_name: "Anonymised customer".into(), country: kept.country, region: kept.region, ..Address::default() };
    serde_json::to_string(&address).unwrap_or_else(|_| "{}".into())
}

/// Admins: anonymise customer `id` on their request; `confirm` must be the
/// customer's email. Refused while one of their orders is still open.
pub async fn anonymise(id: String, confirm: String) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let admin = signed_in_admin(&state.db, "anonymise customers").await?;
    let user = super::customer(&state.db, &id).await?;
    if confirm.trim().to_lowercase() != user.email {
        return Err(AppError::BadRequest("Type the customer's email address to confirm.".into()));
    }
    // Their orders: the account's, and those placed as a guest with its very
    // address (not merely the same canonical one: `a+1@` may be someone else's account).
    let mut tx = state.db.begin_write().await?;
    let orders: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, number, status, ship_to FROM orders WHERE user_id = $1 OR (user_id IS NULL AND lower(email) = $2) ORDER BY id",
    )
    .bind(user.id)
    .bind(user.email.to_lowercase())
    .fetch_all(&mut *tx)
    .await?;
    let finished = |status: &str| {
        matches!(
            OrderStatus::parse(status),
            Some(OrderStatus::Delivered | OrderStatus::Cancelled | OrderStatus::Refunded | OrderStatus::PartiallyRefunded)
        )
    };
    let open: Vec<&str> = orders.iter().filter(|(_, _, status, _)| !finished(status)).map(|(_, number, _, _)| number.as_str()).collect();
    if !open.is_empty() {
        return Err(AppError::Conflict(format!(
            "{} has orders still open ({}): anonymise once they are delivered, cancelled or refunded.",
            user.email,
            open.join(", ")
        )));
    }
    for (order, _, _, ship_to) in &orders {
        sqlx::query(
            "UPDATE orders SET email = 'anonymised-' || CAST(id AS TEXT) || '@invalid', customer = 'anonymised:' || CAST(id AS TEXT), \
             ship_to = $2, user_id = NULL WHERE id = $1",
        )
        .bind(order)
        .bind(anonymised(ship_to))
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM outbox_emails WHERE order_id = $1").bind(order).execute(&mut *tx).await?;
        sqlx::query("UPDATE promo_redemptions SET customer = 'anonymised:' || CAST(order_id AS TEXT) WHERE order_id = $1")
            .bind(order)
            .execute(&mut *tx)
            .await?;
    }
    users::delete_in(&mut tx, &user).await?;
    let detail = format!("account {}, {} orders kept without personal data", user.id, orders.len());
    commit_audited(tx, &admin, Event::CustomerAnonymised, &detail).await?;
    leptos_axum::redirect("/admin/customers");
    Ok(())
}
