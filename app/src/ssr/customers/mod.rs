//! Customers in the back office: the list searched by email or name, one
//! customer's page (account, orders, addresses, cart), and disabling an
//! account. Admins and order managers see customers; only admins change
//! them. Exporting and anonymising are in [`data`].

pub mod data;

use crate::domain::customers::{customer_search, CartLine, CustomerList, CustomerRow, CustomerView};
use crate::domain::money::{Currency, Money};
use crate::domain::orders::{OrderStatus, OrderSummary};
use crate::domain::pagination::{PageRequest, PER_PAGE};
use crate::error::AppError;
use crate::ssr::accounts::audit::Event;
use crate::ssr::accounts::users::{self, User};
use crate::ssr::accounts::{commit_audited, signed_in_admin, signed_in_manager, Area};
use crate::ssr::{now, Db};

/// The signed-in admin or order manager looking at customers.
async fn viewer(db: &Db) -> Result<User, AppError> {
    signed_in_manager(db, Area::Orders, "see customers").await
}

/// Customer `id` (not staff), or 404.
pub(crate) async fn customer(db: &Db, id: &str) -> Result<User, AppError> {
    let not_found = || AppError::NotFound("There is no such customer.".into());
    let id: i64 = id.trim().parse().map_err(|_| not_found())?;
    users::by_id(db, id).await?.filter(|u| !u.role().is_staff()).ok_or_else(not_found)
}

pub async fn list(q: String, page: String) -> Result<CustomerList, AppError> {
    let state = crate::ssr::state()?;
    viewer(&state.db).await?;
    let search = customer_search(&q).map_err(AppError::BadRequest)?;
    let request = PageRequest::parse(Some(&page)).map_err(AppError::BadRequest)?;
    let like = crate::ssr::db::contains_pattern(&search);
    const WHERE: &str = "role = 'customer' AND ($1 = '' OR email LIKE $2 ESCAPE '!' OR LOWER(display_name) LIKE $2 ESCAPE '!')";
    let (total,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM users WHERE {WHERE}"))
        .bind(&search)
        .bind(&like)
        .fetch_one(&state.db.pool)
        .await?;
    let info = request.resolve(total.max(0) as u64);
    let rows: Vec<(i64, String, String, i64, i64, Option<i64>)> = sqlx::query_as(&format!(
        "SELECT id, email, display_name, created_at, (SELECT COUNT(*) FROM orders o WHERE o.user_id = users.id), disabled_at \
         FROM users WHERE {WHERE} ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(&search)
    .bind(&like)
    .bind(i64::from(PER_PAGE))
    .bind(i64::from(info.page - 1) * i64::from(PER_PAGE))
    .fetch_all(&state.db.pool)
    .await?;
    let rows = rows
        .into_iter()
        .map(|(id, email, name, created_at, orders, disabled)| CustomerRow { id, email, name, created_at, orders, disabled: disabled.is_some() })
        .collect();
    Ok(CustomerList { rows, page: info })
}

/// `user`'s orders, newest first.
pub(crate) async fn orders_of(db: &Db, user: i64) -> Result<Vec<(i64, OrderSummary)>, AppError> {
    let rows: Vec<(i64, String, String, i64, String, i64)> = sqlx::query_as(
        "SELECT id, number, status, total_minor, currency, created_at FROM orders WHERE user_id = $1 ORDER BY created_at DESC, id DESC",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    rows.into_iter()
        .map(|(id, number, status, total, currency, created_at)| {
            let status = OrderStatus::parse(&status).ok_or(AppError::Internal)?;
            let total = Money::new(total, Currency::parse(&currency).ok_or(AppError::Internal)?);
            Ok((id, OrderSummary { number, status, total, created_at }))
        })
        .collect()
}

/// `user`'s cart and saved list.
pub(crate) async fn cart_of(db: &Db, user: i64) -> Result<Vec<CartLine>, AppError> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT ci.list, p.name, v.sku, ci.quantity FROM carts c JOIN cart_items ci ON ci.cart_id = c.id \
         JOIN product_variants v ON v.id = ci.variant_id JOIN products p ON p.id = v.product_id \
         WHERE c.user_id = $1 ORDER BY ci.list, ci.added_at",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(list, name, sku, quantity)| CartLine { list, name, sku, quantity }).collect())
}

pub async fn view(id: String) -> Result<CustomerView, AppError> {
    let state = crate::ssr::state()?;
    let me = viewer(&state.db).await?;
    let user = customer(&state.db, &id).await?;
    Ok(CustomerView {
        id: user.id,
        orders: orders_of(&state.db, user.id).await?.into_iter().map(|(_, o)| o).collect(),
        addresses: crate::ssr::accounts::addresses::of_user(&state.db, user.id).await?,
        cart: cart_of(&state.db, user.id).await?,
        consents: crate::ssr::accounts::consents::history(&state.db, user.id).await?,
        verified: user.email_verified_at.is_some(),
        two_step: user.totp_secret.is_some(),
        disabled: user.disabled_at.is_some(),
        created_at: sqlx::query_as::<_, (i64,)>("SELECT created_at FROM users WHERE id = $1").bind(user.id).fetch_one(&state.db.pool).await?.0,
        admin: me.role() == crate::domain::account::Role::Admin,
        email: user.email,
        name: user.display_name,
    })
}

/// Admins: disable (`disabled=on`; their sessions end, sign-in is refused) or enable customer `id`.
pub async fn set_disabled(id: String, disabled: String) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let admin = signed_in_admin(&state.db, "disable customers").await?;
    let user = customer(&state.db, &id).await?;
    let disable = disabled.trim() == "on";
    let mut tx = state.db.begin_write().await?;
    sqlx::query("UPDATE users SET disabled_at = $2, session_epoch = session_epoch + 1 WHERE id = $1")
        .bind(user.id)
        .bind(disable.then(now))
        .execute(&mut *tx)
        .await?;
    let event = if disable { Event::AccountDisabled } else { Event::AccountEnabled };
    commit_audited(tx, &admin, event, &user.email).await?;
    leptos_axum::redirect(&format!("/admin/customers/{}", user.id));
    Ok(())
}
