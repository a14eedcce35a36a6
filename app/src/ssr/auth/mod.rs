//! Accounts on the server: password hashing, sessions in the database, the
//! signed-in user of a request, emailed tokens, rate limits and the audit log.

pub mod limits;
pub mod password;
pub mod store;
pub mod totp;
pub mod users;

use crate::error::AppError;
use crate::ssr::db::Db;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tower_sessions::Session;
use users::User;

/// How long a session lasts at most, however active (ASVS 3.3.2).
pub const ABSOLUTE_TIMEOUT_SECS: i64 = 30 * 86_400;
/// How long an idle session lasts.
pub const IDLE_TIMEOUT_DAYS: i64 = 7;

const SESSION_KEY: &str = "account";

/// How long a password reset link stays valid.
pub const RESET_TTL_SECS: i64 = 3600;

/// Makes `email` staff, creating the account if needed, and returns a
/// single-use link (valid for an hour) to set its password: an admin, or with
/// `seller` (a seller's slug) that seller's staff.
pub async fn create_staff(db: &Db, email: &str, seller: Option<&str>, public_url: &str) -> Result<String, AppError> {
    use crate::domain::account::{parse_email, Role};
    let email = parse_email(email).map_err(AppError::BadRequest)?;
    let (role, seller_id) = match seller {
        None => (Role::Admin, None),
        Some(slug) => {
            let id: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM sellers WHERE slug = $1").bind(slug.trim()).fetch_optional(&db.pool).await?;
            let (id,) = id.ok_or_else(|| AppError::NotFound(format!("There is no seller {:?}.", slug.trim())))?;
            (Role::Seller, Some(id))
        }
    };
    let id = match users::by_email(db, &email).await? {
        Some(user) => user.id,
        None => {
            // No one knows this password: the owner sets theirs with the link.
            let unusable = password::hash(random_token()).await?;
            users::create(db, &email, &unusable, "", role).await?.ok_or(AppError::Internal)?
        }
    };
    users::set_role(db, id, role, seller_id).await?;
    users::mark_verified(db, id).await?;
    users::audit(db, Some(id), &email, users::Event::RoleChanged, "command line").await?;
    let token = users::issue_token(db, id, users::Purpose::ResetPassword, RESET_TTL_SECS).await?;
    Ok(format!("{public_url}/account/reset?token={token}"))
}

/// What a session remembers about who signed in.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct SignedIn {
    user: i64,
    /// The user's session epoch at sign-in; a newer one ends this session.
    epoch: i64,
    at: i64,
}

/// Signs `user` in on `session`, under a new session id (no fixation).
pub async fn start_session(session: &Session, user: &User) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.remove::<SignedIn>(PENDING_KEY).await.map_err(session_error)?;
    let signed_in = SignedIn { user: user.id, epoch: user.session_epoch, at: users::now() };
    session.insert(SESSION_KEY, signed_in).await.map_err(session_error)
}

const PENDING_KEY: &str = "two-step";
/// How long a password-checked sign-in waits for its second step.
const PENDING_SECS: i64 = 300;

/// Remembers that `user` gave the right password and now owes a code from
/// their authenticator app; nobody is signed in yet.
pub async fn await_second_step(session: &Session, user: &User) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.remove::<SignedIn>(SESSION_KEY).await.map_err(session_error)?;
    let pending = SignedIn { user: user.id, epoch: user.session_epoch, at: users::now() };
    session.insert(PENDING_KEY, pending).await.map_err(session_error)
}

/// The user whose second step is awaited, if the wait is recent.
pub async fn awaiting_second_step(session: &Session, db: &Db) -> Result<Option<User>, AppError> {
    let Some(pending) = session.get::<SignedIn>(PENDING_KEY).await.map_err(session_error)? else { return Ok(None) };
    if users::now() - pending.at > PENDING_SECS {
        return Ok(None);
    }
    Ok(users::by_id(db, pending.user).await?.filter(|u| u.session_epoch == pending.epoch))
}

/// Signs out: the session and its cookie are gone.
pub async fn end_session(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

/// The signed-in user, if any. A session older than the absolute timeout, or
/// from before the user's last password change, is ended here.
pub async fn current_user(session: &Session, db: &Db) -> Result<Option<User>, AppError> {
    let Some(signed_in) = session.get::<SignedIn>(SESSION_KEY).await.map_err(session_error)? else {
        return Ok(None);
    };
    let user = users::by_id(db, signed_in.user).await?;
    match user {
        Some(user) if user.session_epoch == signed_in.epoch && users::now() - signed_in.at < ABSOLUTE_TIMEOUT_SECS => {
            Ok(Some(user))
        }
        _ => {
            end_session(session).await?;
            Ok(None)
        }
    }
}

/// The signed-in user, or 401 with "Sign in to {what}."
pub async fn require_user(session: &Session, db: &Db, what: &str) -> Result<User, AppError> {
    current_user(session, db).await?.ok_or_else(|| AppError::Unauthorized(format!("Sign in to {what}.")))
}

/// Who works on orders: admins on all of them, a seller's staff on those
/// holding that seller's items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Staff {
    Admin,
    Seller(i64),
}

/// The signed-in staff member (with two-step sign-in on) and their reach, or
/// 401/403 with a sentence.
pub async fn require_staff(session: &Session, db: &Db, what: &str) -> Result<(User, Staff), AppError> {
    let user = require_user(session, db, what).await?;
    let staff = staff_reach(&user, what)?;
    Ok((user, staff))
}

/// The signed-in admin (with two-step sign-in on), or 401/403 with a sentence.
pub async fn require_admin(session: &Session, db: &Db, what: &str) -> Result<User, AppError> {
    let user = require_user(session, db, what).await?;
    match staff_reach(&user, what) {
        Ok(Staff::Admin) => Ok(user),
        Err(refusal) if user.role() == crate::domain::account::Role::Admin => Err(refusal),
        _ => Err(AppError::Forbidden(format!("Only admins can {what}."))),
    }
}

/// What `user` may work on as staff; refused for customers, sellers' staff
/// not linked to a seller, and staff without two-step sign-in.
fn staff_reach(user: &User, what: &str) -> Result<Staff, AppError> {
    use crate::domain::account::Role;
    let staff = match (user.role(), user.seller_id) {
        (Role::Admin, _) => Staff::Admin,
        (Role::Seller, Some(seller)) => Staff::Seller(seller),
        (Role::Seller, None) => {
            return Err(AppError::Forbidden("Your account is not linked to a seller yet: ask an admin.".into()))
        }
        (Role::Customer, _) => return Err(AppError::Forbidden(format!("Only staff can {what}."))),
    };
    if user.totp_secret.is_none() {
        return Err(AppError::Forbidden("Staff need two-step sign-in: turn it on in your account first.".into()));
    }
    Ok(staff)
}

/// Keeps `session` signed in after the user's epoch moved on (their own
/// password change), under a new id.
pub async fn renew_session(session: &Session, user: &User, epoch: i64) -> Result<(), AppError> {
    start_session(session, &User { session_epoch: epoch, ..user.clone() }).await
}

/// Logs a session store failure; the user sees a generic error.
pub fn session_error(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "session store error");
    AppError::Internal
}

/// 32 random bytes, hex-encoded: an emailed token.
pub fn random_token() -> String {
    hex(&random_bytes::<32>())
}

/// `N` bytes from the operating system's random source.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// The SHA-256 of a token, as stored (a database leak reveals no usable token).
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes of a hex string (as written by [`hex`]).
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}
