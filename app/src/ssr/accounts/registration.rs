//! Signing up: an account and a confirmation link by mail (the answer is the
//! same whether or not the address has an account), and the link that
//! confirms the address and signs its owner in.

use super::checks::{client_ip, context, limit};
use super::audit::{self, Event};
use super::users::{self, Purpose};
use super::password;
use crate::domain::account::{parse_email, parse_name, Role};
use crate::error::AppError;
use crate::ssr::{mail, AppState};

/// How long a confirmation link stays valid.
pub const CONFIRM_TTL_SECS: i64 = 24 * 3600;

pub async fn register(email: String, name: String, password: String) -> Result<String, AppError> {
    let (state, _) = context().await?;
    let ip = client_ip().await;
    limit(&state, ip)?;
    let email = parse_email(&email).map_err(AppError::BadRequest)?;
    let name = parse_name(&name).map_err(AppError::BadRequest)?;
    password::check_new(&password, &email, &name).await?;
    let hash = password::hash(password).await?;
    let db = &state.db;
    match users::create(db, &email, &hash, &name, Role::Customer).await? {
        Some(id) => {
            audit::record(db, Some(id), &email, Event::Registered, &ip.to_string()).await?;
            send_confirmation(&state, id, &email).await?;
        }
        None => {
            let shop = crate::ssr::settings::brand::shop_name(&state.cache.brand, &state.db).await;
            let body = format!(
                "Someone tried to create an account at {shop} with this address, which already has one.\n\n\
                 If it was you, sign in at {0}/account/sign-in. If you forgot your password, you can \
                 reset it there. If it was not you, you can ignore this message.",
                state.public_url
            );
            mail::enqueue(&db.pool, &email, &format!("Your {shop} account"), &body).await?;
        }
    }
    Ok(format!("We sent a message to {email}. Open the link in it to confirm your address and finish signing up."))
}

pub async fn send_confirmation(state: &AppState, user: i64, email: &str) -> Result<(), AppError> {
    let token = users::issue_token(&state.db, user, Purpose::VerifyEmail, CONFIRM_TTL_SECS).await?;
    let body = format!(
        "Welcome to {}.\n\nConfirm your email address by opening this link within 24 hours:\n\n\
         {}/account/confirm?token={token}\n\nIf you did not sign up, ignore this message.",
        crate::ssr::settings::brand::shop_name(&state.cache.brand, &state.db).await,
        state.public_url
    );
    mail::enqueue(&state.db.pool, email, "Confirm your email address", &body).await
}

pub async fn confirm_email(token: String) -> Result<(), AppError> {
    let (state, session) = context().await?;
    let expired =
        || AppError::BadRequest("This link has expired or was already used. Sign in to get a new one.".into());
    if !super::token_shape(&token) {
        return Err(expired());
    }
    let db = &state.db;
    let id = users::redeem_token(db, &token, Purpose::VerifyEmail).await?.ok_or_else(expired)?;
    users::mark_verified(db, id).await?;
    let user = users::by_id(db, id).await?.ok_or_else(expired)?;
    audit::record(db, Some(id), &user.email, Event::EmailVerified, &client_ip().await.to_string()).await?;
    let next = super::first_step(&session, &user).await?;
    if next == super::FirstStep::SignedIn {
        crate::ssr::cart::adopt_guest_cart(&state.db, &session, user.id).await?;
    }
    leptos_axum::redirect(next.next_page());
    Ok(())
}
