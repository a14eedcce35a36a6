//! Saved addresses, always read and changed through their owner's id, so one
//! user can never reach another's.

use crate::ssr::Db;
use crate::domain::address::{Address, MAX_ADDRESSES};
use crate::error::AppError;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    full_name: String,
    line1: String,
    line2: String,
    city: String,
    region: String,
    postal_code: String,
    country: String,
    phone: String,
}

impl From<Row> for Address {
    fn from(r: Row) -> Self {
        Address {
            id: r.id,
            full_name: r.full_name,
            line1: r.line1,
            line2: r.line2,
            city: r.city,
            region: r.region,
            postal_code: r.postal_code,
            country: r.country,
            phone: r.phone,
        }
    }
}

/// `user`'s addresses, oldest first.
pub async fn of_user(db: &Db, user: i64) -> Result<Vec<Address>, AppError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, full_name, line1, line2, city, region, postal_code, country, phone \
         FROM addresses WHERE user_id = $1 ORDER BY id",
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(Address::from).collect())
}

/// Adds `address` to `user`'s; its new id.
pub async fn insert(db: &Db, user: i64, a: &Address) -> Result<i64, AppError> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO addresses (user_id, full_name, line1, line2, city, region, postal_code, country, phone, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(user)
    .bind(&a.full_name)
    .bind(&a.line1)
    .bind(&a.line2)
    .bind(&a.city)
    .bind(&a.region)
    .bind(&a.postal_code)
    .bind(&a.country)
    .bind(&a.phone)
    .bind(crate::ssr::accounts::users::now())
    .fetch_one(&db.pool)
    .await?;
    Ok(id)
}

/// Changes `user`'s address `a.id`; false when they have no such address.
pub async fn update(db: &Db, user: i64, a: &Address) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE addresses SET full_name = $3, line1 = $4, line2 = $5, city = $6, region = $7, postal_code = $8, \
         country = $9, phone = $10 WHERE id = $1 AND user_id = $2",
    )
    .bind(a.id)
    .bind(user)
    .bind(&a.full_name)
    .bind(&a.line1)
    .bind(&a.line2)
    .bind(&a.city)
    .bind(&a.region)
    .bind(&a.postal_code)
    .bind(&a.country)
    .bind(&a.phone)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes `user`'s address `id`; false when they have no such address.
pub async fn delete(db: &Db, user: i64, id: i64) -> Result<bool, AppError> {
    let done = sqlx::query("DELETE FROM addresses WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The state and the signed-in user's id.
async fn owner() -> Result<(crate::ssr::AppState, i64), AppError> {
    let state = crate::ssr::state()?;
    let session = crate::ssr::accounts::session_or_sign_in("manage your addresses").await?;
    let user = crate::ssr::accounts::require_user(&session, &state.db, "manage your addresses").await?;
    Ok((state, user.id))
}

/// The same answer for someone else's address and one that does not exist.
fn not_yours() -> AppError {
    AppError::NotFound("There is no such address in your account.".into())
}

/// The signed-in user's addresses.
pub async fn mine() -> Result<Vec<Address>, AppError> {
    let (state, user) = owner().await?;
    of_user(&state.db, user).await
}

/// Saves a new address (`id` 0) or changes one of the signed-in user's, at
/// most [`MAX_ADDRESSES`] of them.
pub async fn save(address: Address) -> Result<Address, AppError> {
    let (state, user) = owner().await?;
    let address = address.validated().map_err(AppError::BadRequest)?;
    if address.id == 0 {
        if of_user(&state.db, user).await?.len() >= MAX_ADDRESSES {
            return Err(AppError::BadRequest(format!("You can keep at most {MAX_ADDRESSES} addresses.")));
        }
        let id = insert(&state.db, user, &address).await?;
        return Ok(Address { id, ..address });
    }
    if !update(&state.db, user, &address).await? {
        return Err(not_yours());
    }
    Ok(address)
}

/// Deletes one of the signed-in user's addresses.
pub async fn forget(id: i64) -> Result<(), AppError> {
    let (state, user) = owner().await?;
    if !delete(&state.db, user, id).await? {
        return Err(not_yours());
    }
    Ok(())
}

/// The signed-in user's addresses to deliver to; none for a guest.
pub async fn for_checkout() -> Result<Vec<Address>, AppError> {
    let state = crate::ssr::state()?;
    match super::request_user(&state.db).await? {
        Some(user) => of_user(&state.db, user.id).await,
        None => Ok(Vec::new()),
    }
}
