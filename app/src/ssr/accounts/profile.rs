//! The signed-in user's own account: name, email address (moved through a
//! link sent to the new one), signing out other devices, downloading their
//! data and deleting the account; and the audit log admins read.

use super::checks::{client_ip, context, limit, reauthenticate};
use super::registration::CONFIRM_TTL_SECS;
use super::audit::{self, Event};
use super::users;
use crate::domain::account::{parse_email, parse_name, AuditEntry};
use crate::domain::customers::MyData;
use crate::error::AppError;
use crate::ssr::mail;

pub async fn change_name(name: String) -> Result<String, AppError> {
    let (state, session) = context().await?;
    let user = super::require_user(&session, &state.db, "change your name").await?;
    let name = parse_name(&name).map_err(AppError::BadRequest)?;
    users::set_name(&state.db, user.id, &name).await?;
    audit::record(&state.db, Some(user.id), &user.email, Event::NameChanged, &client_ip().await.to_string()).await?;
    Ok("Your name was saved.".into())
}

/// Email changes one account may ask for in a day.
const EMAIL_CHANGES_PER_DAY: i64 = 5;

pub async fn request_email_change(password: String, email: String) -> Result<String, AppError> {
    let (state, session) = context().await?;
    let ip = client_ip().await;
    limit(&state, ip)?;
    let db = &state.db;
    let user = reauthenticate(&state, &session, ip, password, "change your email address").await?;
    let email = parse_email(&email).map_err(AppError::BadRequest)?;
    if email == user.email {
        return Err(AppError::BadRequest("That is already your address.".into()));
    }
    if users::email_changes_since(db, user.id, users::now() - 86_400).await? >= EMAIL_CHANGES_PER_DAY {
        return Err(AppError::TooManyRequests {
            message: "You asked for too many address changes today. Try again tomorrow.".into(),
            retry_after: 86_400,
        });
    }
    audit::record(db, Some(user.id), &user.email, Event::EmailChangeRequested, &ip.to_string()).await?;
    if users::by_email(db, &email).await?.is_some() {
        let shop = crate::ssr::settings::brand::shop_name(&state.cache.brand, &state.db).await;
        let body = format!(
            "Someone asked to move another {shop} account to this address, which already has an \
             account. Nothing was changed. If it was not you, you can ignore this message."
        );
        mail::enqueue(&db.pool, &email, &format!("Your {shop} account"), &body).await?;
    } else {
        let token = users::request_email_change(db, user.id, &email, CONFIRM_TTL_SECS).await?;
        let body = format!(
            "To use this address for your {} account, open this link within 24 hours:\n\n\
             {}/account/email-change?token={token}\n\nIf you did not ask for this, ignore this message.",
            crate::ssr::settings::brand::shop_name(&state.cache.brand, &state.db).await,
            state.public_url
        );
        mail::enqueue(&db.pool, &email, "Confirm your new email address", &body).await?;
    }
    Ok(format!("We sent a link to {email}. Your address changes when you open it."))
}

pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    let (state, session) = context().await?;
    let ip = client_ip().await;
    limit(&state, ip)?;
    let db = &state.db;
    let signed_in = super::current_user(&session, db).await?;
    let (user, old, new) = match users::change_email(db, &token).await? {
        users::EmailChange::Done { user, old, new } => (user, old, new),
        users::EmailChange::Expired => {
            return Err(AppError::BadRequest("This link has expired or was already used.".into()))
        }
        users::EmailChange::Taken => {
            return Err(AppError::BadRequest("That address now belongs to another account.".into()))
        }
    };
    audit::record(db, Some(user), &new, Event::EmailChanged, &ip.to_string()).await?;
    let shop = crate::ssr::settings::brand::shop_name(&state.cache.brand, &state.db).await;
    let body = format!(
        "The email address of your {shop} account was changed to {new}. If you did not do this, reply to \
         this message at once."
    );
    mail::enqueue(&db.pool, &old, &format!("Your {shop} email address was changed"), &body).await?;
    // The change ended every session; the browser that opened the link stays signed in if it was.
    match (signed_in, users::by_id(db, user).await?) {
        (Some(before), Some(after)) if before.id == after.id => {
            super::renew_session(&session, &after, after.session_epoch).await?;
            leptos_axum::redirect("/account");
        }
        _ => leptos_axum::redirect("/account/sign-in"),
    }
    Ok(())
}

pub async fn sign_out_everywhere() -> Result<String, AppError> {
    let (state, session) = context().await?;
    let user = super::require_user(&session, &state.db, "sign out your other sessions").await?;
    let epoch = users::bump_epoch(&state.db, user.id).await?;
    super::renew_session(&session, &user, epoch).await?;
    let ip = client_ip().await.to_string();
    audit::record(&state.db, Some(user.id), &user.email, Event::SignedOutEverywhere, &ip).await?;
    Ok("You were signed out on every other browser and device.".into())
}

pub async fn export_my_data() -> Result<MyData, AppError> {
    let (state, session) = context().await?;
    let user = super::require_user(&session, &state.db, "download your data").await?;
    let data = crate::ssr::customers::data::personal_data(&state.db, &user).await?;
    crate::ssr::customers::data::as_download("oxcart-my-data.json");
    Ok(data)
}

pub async fn delete_account(password: String) -> Result<(), AppError> {
    let (state, session) = context().await?;
    let ip = client_ip().await;
    limit(&state, ip)?;
    let db = &state.db;
    let user = reauthenticate(&state, &session, ip, password, "delete your account").await?;
    // The last admin who can sign in stays: the shop would have nobody to run it.
    let mut tx = db.begin_write().await?;
    super::people::keep_an_admin(&mut tx, &user).await?;
    users::delete_in(&mut tx, &user).await?;
    tx.commit().await?;
    audit::record(db, None, &format!("deleted account {}", user.id), Event::AccountDeleted, &ip.to_string()).await?;
    super::end_session(&session).await?;
    leptos_axum::redirect("/");
    Ok(())
}

/// Audit log entries an admin sees at once.
const AUDIT_PAGE: i64 = 200;

pub async fn audit_log() -> Result<Vec<AuditEntry>, AppError> {
    let (state, session) = context().await?;
    super::require_admin(&session, &state.db, "see the audit log").await?;
    let rows = audit::recent(&state.db, AUDIT_PAGE).await?;
    Ok(rows)
}
