//! Users and their emailed tokens in the database (the audit log is in
//! [`super::audit`]).

use crate::domain::account::{Role, UserSummary};
use crate::error::AppError;
use crate::ssr::db::Db;

/// A user row.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub role: String,
    pub email_verified_at: Option<i64>,
    pub session_epoch: i64,
    /// Hex of the TOTP secret, when two-step sign-in is on.
    pub totp_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    /// The seller whose orders a seller's staff member works on.
    pub seller_id: Option<i64>,
    /// When an admin disabled the account: it cannot sign in.
    pub disabled_at: Option<i64>,
}

impl User {
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Customer)
    }

    pub fn summary(&self) -> UserSummary {
        UserSummary {
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            role: self.role(),
            email_verified: self.email_verified_at.is_some(),
            two_step: self.totp_secret.is_some(),
        }
    }
}

const COLUMNS: &str =
    "id, email, password_hash, display_name, role, email_verified_at, session_epoch, totp_secret, totp_last_step, seller_id, disabled_at";

pub async fn by_email(db: &Db, email: &str) -> Result<Option<User>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE email = $1")).bind(email).fetch_optional(&db.pool).await?)
}

pub async fn by_id(db: &Db, id: i64) -> Result<Option<User>, AppError> {
    by_id_in(&mut *db.pool.acquire().await?, id).await
}

/// [`by_id`] on the caller's connection (inside its transaction).
pub async fn by_id_in(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Option<User>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = $1")).bind(id).fetch_optional(&mut *conn).await?)
}

/// Creates a user; `None` when the email is taken.
pub async fn create(db: &Db, email: &str, password_hash: &str, name: &str, role: Role) -> Result<Option<i64>, AppError> {
    let id: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO users (email, password_hash, display_name, role, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email)
    .bind(password_hash)
    .bind(name)
    .bind(role.key())
    .bind(now())
    .fetch_optional(&db.pool)
    .await?;
    Ok(id.map(|(id,)| id))
}

/// Sets a new password and ends every session signed in with the old one;
/// outstanding reset and confirmation links die with it.
pub async fn set_password(db: &Db, id: i64, password_hash: &str) -> Result<i64, AppError> {
    let mut tx = db.pool.begin().await?;
    let (epoch,): (i64,) = sqlx::query_as(
        "UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1 WHERE id = $1 RETURNING session_epoch",
    )
    .bind(id)
    .bind(password_hash)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM auth_tokens WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(epoch)
}

/// Takes every credential away from account `id`: an unusable password
/// (`password_hash`), no two-step secret or recovery codes, no outstanding
/// links, no sessions. What promoting an existing account to staff does, so
/// whoever registered the address before cannot keep a way in.
pub async fn reset_credentials(db: &Db, id: i64, password_hash: &str) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "UPDATE users SET password_hash = $2, totp_secret = NULL, totp_last_step = NULL, \
         session_epoch = session_epoch + 1 WHERE id = $1",
    )
    .bind(id)
    .bind(password_hash)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM auth_tokens WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM email_changes WHERE user_id = $1 AND used_at IS NULL").bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of `id` (they hold an older epoch); returns the new epoch.
pub async fn bump_epoch(db: &Db, id: i64) -> Result<i64, AppError> {
    let (epoch,): (i64,) =
        sqlx::query_as("UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1 RETURNING session_epoch")
            .bind(id)
            .fetch_one(&db.pool)
            .await?;
    Ok(epoch)
}

pub async fn set_name(db: &Db, id: i64, name: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET display_name = $2 WHERE id = $1").bind(id).bind(name).execute(&db.pool).await?;
    Ok(())
}

/// A single-use token that moves `user` to `new_email` when redeemed.
pub async fn request_email_change(db: &Db, user: i64, new_email: &str, ttl_secs: i64) -> Result<String, AppError> {
    let token = super::random_token();
    sqlx::query(
        "INSERT INTO email_changes (token_hash, user_id, new_email, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(super::token_hash(&token))
    .bind(user)
    .bind(new_email)
    .bind(now() + ttl_secs)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(token)
}

/// Email changes `user` asked for since `since`.
pub async fn email_changes_since(db: &Db, user: i64, since: i64) -> Result<i64, AppError> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM email_changes WHERE user_id = $1 AND created_at > $2")
        .bind(user)
        .bind(since)
        .fetch_one(&db.pool)
        .await?;
    Ok(n)
}

/// Why an email change did not happen.
pub enum EmailChange {
    Done { user: i64, old: String, new: String },
    /// Unknown, used or expired link.
    Expired,
    /// Another account took the address meanwhile.
    Taken,
}

/// Uses up an email change token and moves the account to its address, in
/// one transaction; every session of the account ends (new epoch).
pub async fn change_email(db: &Db, token: &str) -> Result<EmailChange, AppError> {
    let mut tx = db.pool.begin().await?;
    let change: Option<(i64, String)> = sqlx::query_as(
        "UPDATE email_changes SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
         RETURNING user_id, new_email",
    )
    .bind(super::token_hash(token))
    .bind(now())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((user, new)) = change else { return Ok(EmailChange::Expired) };
    let old: Option<(String,)> = sqlx::query_as("SELECT email FROM users WHERE id = $1").bind(user).fetch_optional(&mut *tx).await?;
    let Some((old,)) = old else { return Ok(EmailChange::Expired) };
    let moved = sqlx::query(
        "UPDATE users SET email = $2, email_verified_at = $3, session_epoch = session_epoch + 1 WHERE id = $1",
    )
    .bind(user)
    .bind(&new)
    .bind(now())
    .execute(&mut *tx)
    .await;
    match moved {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Ok(EmailChange::Taken),
        other => other?,
    };
    // Links mailed to the old address (reset, confirmation) die with it.
    sqlx::query("DELETE FROM auth_tokens WHERE user_id = $1").bind(user).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(EmailChange::Done { user, old, new })
}

/// What an emailed token is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    fn key(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify-email",
            Self::ResetPassword => "reset-password",
        }
    }
}

/// A new single-use token for `user`, valid for `ttl_secs`; only its hash is stored.
pub async fn issue_token(db: &Db, user: i64, purpose: Purpose, ttl_secs: i64) -> Result<String, AppError> {
    let token = super::random_token();
    sqlx::query(
        "INSERT INTO auth_tokens (token_hash, user_id, purpose, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(super::token_hash(&token))
    .bind(user)
    .bind(purpose.key())
    .bind(now() + ttl_secs)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(token)
}

/// Tokens issued to `user` for `purpose` since `since`.
pub async fn tokens_since(db: &Db, user: i64, purpose: Purpose, since: i64) -> Result<i64, AppError> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM auth_tokens WHERE user_id = $1 AND purpose = $2 AND created_at > $3")
            .bind(user)
            .bind(purpose.key())
            .bind(since)
            .fetch_one(&db.pool)
            .await?;
    Ok(n)
}

/// The user `token` belongs to, if it is valid for `purpose`, without using it up.
pub async fn token_user(db: &Db, token: &str, purpose: Purpose) -> Result<Option<i64>, AppError> {
    let user: Option<(i64,)> = sqlx::query_as(
        "SELECT user_id FROM auth_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    )
    .bind(super::token_hash(token))
    .bind(purpose.key())
    .bind(now())
    .fetch_optional(&db.pool)
    .await?;
    Ok(user.map(|(id,)| id))
}

/// Uses up `token` if it is valid for `purpose`: the user it belongs to, or
/// `None` when it is unknown, used or expired. Two concurrent uses cannot both win.
pub async fn redeem_token(db: &Db, token: &str, purpose: Purpose) -> Result<Option<i64>, AppError> {
    let user: Option<(i64,)> = sqlx::query_as(
        "UPDATE auth_tokens SET used_at = $3 \
         WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING user_id",
    )
    .bind(super::token_hash(token))
    .bind(purpose.key())
    .bind(now())
    .fetch_optional(&db.pool)
    .await?;
    Ok(user.map(|(id,)| id))
}

/// Gives `id` a role and, for a seller's staff, their seller.
pub async fn set_role(db: &Db, id: i64, role: Role, seller: Option<i64>) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET role = $2, seller_id = $3, session_epoch = session_epoch + 1 WHERE id = $1")
        .bind(id)
        .bind(role.key())
        .bind(seller)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Disables account `id` (`Some(when)`), ending its sessions, or enables it again (`None`).
pub async fn set_disabled(db: &Db, id: i64, at: Option<i64>) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET disabled_at = $2, session_epoch = session_epoch + CASE WHEN $2 IS NULL THEN 0 ELSE 1 END WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Deletes `user`, the mail sent to them and their reviews;
/// their audit log entries stay, under a placeholder instead of the address. One transaction.
pub async fn delete(db: &Db, user: &User) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await?;
    delete_in(&mut tx, user).await?;
    tx.commit().await?;
    Ok(())
}

/// [`delete`] inside the caller's transaction.
pub async fn delete_in(tx: &mut sqlx::AnyConnection, user: &User) -> Result<(), AppError> {
    sqlx::query("UPDATE audit_log SET subject = $2 WHERE user_id = $1 OR subject = $3")
        .bind(user.id)
        .bind(format!("deleted account {}", user.id))
        .bind(&user.email)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM outbox_emails WHERE to_address = $1").bind(&user.email).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM auth_tokens WHERE user_id = $1").bind(user.id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM email_changes WHERE user_id = $1").bind(user.id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM consents WHERE user_id = $1").bind(user.id).execute(&mut *tx).await?;
    crate::ssr::reviews::forget::author(&mut *tx, user.id).await?;
    sqlx::query("DELETE FROM users WHERE id = $1").bind(user.id).execute(&mut *tx).await?;
    Ok(())
}

pub async fn mark_verified(db: &Db, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET email_verified_at = COALESCE(email_verified_at, $2) WHERE id = $1")
        .bind(id)
        .bind(now())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Turns two-step sign-in on with `secret` (hex), replacing any recovery codes
/// with `code_hashes`; `step` is the time step of the code that proved it.
pub async fn enable_totp(db: &Db, id: i64, secret: &str, step: i64, code_hashes: &[String]) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("UPDATE users SET totp_secret = $2, totp_last_step = $3 WHERE id = $1")
        .bind(id)
        .bind(secret)
        .bind(step)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
    for hash in code_hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(id)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Records `step` as used if it is newer than the last one; false when a
/// concurrent or earlier sign-in already used it.
pub async fn use_totp_step(db: &Db, id: i64, step: i64) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
    )
    .bind(id)
    .bind(step)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Uses up a recovery code; false when it is unknown or used.
pub async fn use_recovery_code(db: &Db, id: i64, code: &str) -> Result<bool, AppError> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $3 WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
    )
    .bind(id)
    .bind(super::token_hash(&code.trim().to_lowercase()))
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub use crate::ssr::now;
