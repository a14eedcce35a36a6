//! Passwords: changing one (the current one first, every other session
//! ends), and a forgotten one reset through an emailed link (at most three
//! an hour per account; the answer is the same whether or not it exists).

use super::checks::{client_ip, context, limit, reauthenticate};
use super::audit::{self, Event};
use super::users::{self, Purpose};
use super::{password, RESET_TTL_SECS};
use crate::domain::account::parse_email;
use crate::error::AppError;
use crate::ssr::mail;

pub async fn change_password(current: String, new: String) -> Result<String, AppError> {
    let (state, session) = context().await?;
    let ip = client_ip().await;
    limit(&state, ip)?;
    let db = &state.db;
    let user = reauthenticate(&state, &session, ip, current, "change your password").await?;
    password::check_new(&new, &user.email, &user.display_name).await?;
    let epoch = users::set_password(db, user.id, &password::hash(new).await?).await?;
    super::renew_session(&session, &user, epoch).await?;
    audit::record(db, Some(user.id), &user.email, Event::PasswordChanged, &ip.to_string()).await?;
    Ok("Your password was changed. You were signed out everywhere else.".into())
}

pub async fn request_password_reset(email: String) -> Result<String, AppError> {
    let (state, _) = context().await?;
    limit(&state, client_ip().await)?;
    let email = parse_email(&email).map_err(AppError::BadRequest)?;
    let user = users::by_email(&state.db, &email).await?;
    let since = users::now() - RESET_TTL_SECS;
    // At most three links an hour per account, whoever asks; the answer stays the same.
    if let Some(user) = user {
        if users::tokens_since(&state.db, user.id, Purpose::ResetPassword, since).await? >= 3 {
            return Ok(reset_answer(&email));
        }
        let token = users::issue_token(&state.db, user.id, Purpose::ResetPassword, RESET_TTL_SECS).await?;
        let shop = crate::ssr::settings::brand::shop_name(&state.cache.brand, &state.db).await;
        let body = format!(
            "Someone asked to reset the password of your {shop} account. To choose a new one, open this \
             link within an hour:\n\n{}/account/reset?token={token}\n\nIf it was not you, ignore this \
             message: your password stays as it is.",
            state.public_url
        );
        mail::enqueue(&state.db.pool, &email, &format!("Reset your {shop} password"), &body).await?;
    }
    Ok(reset_answer(&email))
}

fn reset_answer(email: &str) -> String {
    format!("If an account uses {email}, we sent it a link to choose a new password. The link works for one hour.")
}

pub async fn reset_password(token: String, new: String) -> Result<(), AppError> {
    let (state, session) = context().await?;
    let ip = client_ip().await;
    limit(&state, ip)?;
    let expired = || AppError::BadRequest("This link has expired or was already used. Ask for a new one.".into());
    let db = &state.db;
    let id = users::token_user(db, &token, Purpose::ResetPassword).await?.ok_or_else(expired)?;
    let user = users::by_id(db, id).await?.ok_or_else(expired)?;
    // Check the new password before using the link up, so a refused one can be retried.
    password::check_new(&new, &user.email, &user.display_name).await?;
    if users::redeem_token(db, &token, Purpose::ResetPassword).await? != Some(id) {
        return Err(expired());
    }
    let epoch = users::set_password(db, id, &password::hash(new).await?).await?;
    users::mark_verified(db, id).await?; // the link proved the address
    audit::record(db, Some(id), &user.email, Event::PasswordReset, &ip.to_string()).await?;
    // The link proves the mailbox, not the authenticator app: an account
    // with two-step sign-in still owes its code.
    let next = super::first_step(&session, &users::User { session_epoch: epoch, ..user }).await?;
    leptos_axum::redirect(next.next_page());
    Ok(())
}
