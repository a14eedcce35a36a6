//! Turning two-step sign-in on: a new secret for the authenticator app once
//! the password was given again, then a code made with it, which returns
//! ten single-use recovery codes.

use super::checks::{client_ip, context, limit, reauthenticate};
use super::audit::{self, Event};
use super::users;
use super::totp;
use crate::domain::account::TwoStepSetup;
use crate::error::AppError;

const SETUP_KEY: &str = "two-step-setup";

/// Recovery codes given out when two-step sign-in is turned on.
const RECOVERY_CODES: usize = 10;

pub async fn start_two_step(password: String) -> Result<TwoStepSetup, AppError> {
    let (state, session) = context().await?;
    let ip = client_ip().await;
    limit(&state, ip)?;
    let user = reauthenticate(&state, &session, ip, password, "set up two-step sign-in").await?;
    let secret = super::random_bytes::<20>();
    session.insert(SETUP_KEY, super::hex(&secret)).await.map_err(super::session_error)?;
    Ok(TwoStepSetup { secret: totp::base32(&secret), uri: totp::setup_uri(&secret, &user.email) })
}

pub async fn enable_two_step(code: String) -> Result<Vec<String>, AppError> {
    let (state, session) = context().await?;
    let ip = client_ip().await;
    limit(&state, ip)?;
    let user = super::require_user(&session, &state.db, "set up two-step sign-in").await?;
    let secret = session.get::<String>(SETUP_KEY).await.map_err(super::session_error)?;
    let secret = secret.as_deref().and_then(super::unhex).ok_or_else(|| {
        AppError::BadRequest("Start the set-up again: the secret for your app has expired.".into())
    })?;
    let step = totp::verify(&secret, &code, users::now() as u64, None).ok_or_else(|| {
        AppError::BadRequest("That code is not right. Check the time on your device and try the newest code.".into())
    })?;
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let hex = super::hex(&super::random_bytes::<5>());
            format!("{}-{}", &hex[..5], &hex[5..])
        })
        .collect();
    let hashes: Vec<String> = codes.iter().map(|c| super::token_hash(c)).collect();
    users::enable_totp(&state.db, user.id, &super::hex(&secret), step as i64, &hashes).await?;
    // The code just given is this session's second step.
    super::passed_second_step(&session, &user).await?;
    session.remove::<String>(SETUP_KEY).await.map_err(super::session_error)?;
    audit::record(&state.db, Some(user.id), &user.email, Event::TwoStepEnabled, &ip.to_string()).await?;
    Ok(codes)
}
