//! What the account use cases share: the request's state and session, the
//! client address that limits and the audit log count, the per-client token
//! bucket of the account forms, and asking for the password again.

use super::audit::{self, Event};
use super::users;
use super::{limits, password};
use crate::error::AppError;
use crate::ssr::AppState;
use std::net::IpAddr;
use tower_sessions::Session;

/// The request's state and session (a session is started if it has none).
pub async fn context() -> Result<(AppState, Session), AppError> {
    let state = crate::ssr::state()?;
    let session = super::session_or_sign_in("continue").await?;
    Ok((state, session))
}

/// The client, as limits and the audit log count it: an IPv4 address or
/// an IPv6 /64 (so hopping within one network gains nothing).
pub async fn client_ip() -> IpAddr {
    limits::client_key(limits::request_client().await)
}

pub fn limit(state: &AppState, ip: IpAddr) -> Result<(), AppError> {
    state.auth_limiter.check(ip).map_err(|wait| AppError::TooManyRequests {
        message: "Too many attempts from your network. Wait a moment and try again.".into(),
        retry_after: wait.as_secs().max(1),
    })
}

/// The signed-in user, after checking that `password` is theirs; a wrong
/// one counts as a failed sign-in.
pub async fn reauthenticate(
    state: &AppState,
    session: &Session,
    ip: IpAddr,
    password: String,
    what: &str,
) -> Result<users::User, AppError> {
    let user = super::require_user(session, &state.db, what).await?;
    if !password::verify(password, user.password_hash.clone()).await? {
        audit::record(&state.db, Some(user.id), &user.email, Event::SignInFailed, &ip.to_string()).await?;
        return Err(AppError::BadRequest("Your password is not right.".into()));
    }
    Ok(user)
}
