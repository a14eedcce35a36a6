//! Signing in and out: the password step with its per-account failure lock
//! and progressive delay, the second step (a code from the app or a
//! recovery code), and the guest cart taken into the account.

use super::checks::{client_ip, context, limit};
use super::audit::{self, Event};
use super::users;
use super::registration::send_confirmation;
use super::{password, totp};
use crate::domain::account::parse_email;
use crate::error::AppError;
use crate::ssr::AppState;
use std::net::IpAddr;

/// Failed sign-ins for one account within this window count towards its limit.
const FAILURE_WINDOW_SECS: i64 = 15 * 60;

/// Failed sign-ins in the window after which the account refuses more.
const MAX_FAILURES: i64 = 10;

pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    let (state, session) = context().await?;
    let ip = client_ip().await;
    limit(&state, ip)?;
    let email = parse_email(&email).map_err(AppError::BadRequest)?;
    let db = &state.db;
    refuse_if_locked(&state, &email, ip).await?;
    let user = users::by_email(db, &email).await?;
    // An unknown email costs the same hash check as a wrong password.
    let stored = match &user {
        Some(u) => u.password_hash.clone(),
        None => password::dummy_hash().await.to_owned(),
    };
    let matches = password::verify(password, stored).await?;
    let user = match (user, matches) {
        (Some(user), true) => user,
        (user, _) => {
            audit::record(db, user.map(|u| u.id), &email, Event::SignInFailed, &ip.to_string()).await?;
            return Err(AppError::Unauthorized("That email and password do not match an account.".into()));
        }
    };
    if user.disabled_at.is_some() {
        audit::record(db, Some(user.id), &email, Event::SignInFailed, &ip.to_string()).await?;
        return Err(AppError::Forbidden("This account is disabled. Write to the shop if you think this is a mistake.".into()));
    }
    if user.email_verified_at.is_none() {
        send_confirmation(&state, user.id, &user.email).await?;
        return Err(AppError::Unauthorized(
            "Confirm your email address first: we just sent you a new link.".into(),
        ));
    }
    let next = super::first_step(&session, &user).await?;
    if next == super::FirstStep::SignedIn {
        crate::ssr::cart::adopt_guest_cart(&state.db, &session, user.id).await?;
        audit::record(db, Some(user.id), &email, Event::SignedIn, &ip.to_string()).await?;
    }
    leptos_axum::redirect(next.next_page());
    Ok(())
}

/// Refuses this client for an account it failed to sign in to too often,
/// and slows everyone down for an account under attack. Nobody else can
/// lock the owner out: the lock is per account and client address, and
/// from anywhere else the owner only waits a little (or resets the
/// password by mail).
async fn refuse_if_locked(state: &AppState, email: &str, ip: IpAddr) -> Result<(), AppError> {
    let since = users::now() - FAILURE_WINDOW_SECS;
    let (failures, from_here) = audit::failures_since(&state.db, email, &ip.to_string(), since).await?;
    if from_here >= MAX_FAILURES {
        return Err(AppError::TooManyRequests {
            message: "Too many failed sign-ins for this account from your network. Try again in 15 minutes, \
                      or reset your password by email."
                .into(),
            retry_after: FAILURE_WINDOW_SECS as u64,
        });
    }
    if failures >= 3 {
        // Progressive delay: 0.1 s, 0.2 s, 0.4 s, ... at most 1.6 s.
        let delay = 100u64 << (failures - 3).min(4);
        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
    Ok(())
}

pub async fn two_step_sign_in(code: String) -> Result<(), AppError> {
    let (state, session) = context().await?;
    let ip = client_ip().await;
    limit(&state, ip)?;
    let db = &state.db;
    let user = super::awaiting_second_step(&session, db)
        .await?
        .ok_or_else(|| AppError::Unauthorized("Sign in again: the time for the code ran out.".into()))?;
    refuse_if_locked(&state, &user.email, ip).await?;
    let secret = user.totp_secret.as_deref().and_then(super::unhex).unwrap_or_default();
    let last = user.totp_last_step.map(|s| s as u64);
    let accepted = match totp::verify(&secret, &code, users::now() as u64, last) {
        Some(step) => users::use_totp_step(db, user.id, step as i64).await?,
        None => users::use_recovery_code(db, user.id, &code).await?,
    };
    if !accepted {
        audit::record(db, Some(user.id), &user.email, Event::TwoStepFailed, &ip.to_string()).await?;
        return Err(AppError::Unauthorized("That code is not right, or was already used.".into()));
    }
    super::start_session(&session, &user, true).await?;
    crate::ssr::cart::adopt_guest_cart(&state.db, &session, user.id).await?;
    audit::record(db, Some(user.id), &user.email, Event::SignedIn, &ip.to_string()).await?;
    leptos_axum::redirect("/account");
    Ok(())
}

pub async fn sign_out() -> Result<(), AppError> {
    let (state, session) = context().await?;
    if let Some(user) = super::current_user(&session, &state.db).await? {
        audit::record(&state.db, Some(user.id), &user.email, Event::SignedOut, &client_ip().await.to_string())
            .await?;
    }
    super::end_session(&session).await?;
    leptos_axum::redirect("/");
    Ok(())
}
