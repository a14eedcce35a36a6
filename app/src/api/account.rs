//! Accounts: register, confirm the email address, sign in and out, change the
//! password. Every function decides on the server who may do what; messages
//! never tell whether an email address has an account.

use crate::domain::account::{AuditEntry, TwoStepSetup, UserSummary};
use crate::domain::customers::MyData;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The signed-in user, if any.
#[server(endpoint = "account/me")]
pub async fn current_user() -> Result<Option<UserSummary>, AppError> {
    let state = crate::ssr::state()?;
    Ok(crate::ssr::accounts::request_user(&state.db).await?.map(|u| u.summary()))
}

/// The header's personal part (cart items, who is signed in), asked by the
/// browser once a page has loaded: the pages themselves are the same for all.
#[server(endpoint = "visitor")]
pub async fn visitor() -> Result<crate::domain::account::Visitor, AppError> {
    crate::ssr::cart::shopper::visitor().await
}

/// Creates an account and emails a confirmation link. The answer is the same
/// whether or not the address already has an account (whose owner is told by
/// email instead).
#[server(endpoint = "account/register")]
pub async fn register(email: String, name: String, password: String) -> Result<String, AppError> {
    crate::ssr::accounts::registration::register(email, name, password).await
}

/// Confirms an email address with the emailed token and signs its owner in.
#[server(endpoint = "account/confirm")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    crate::ssr::accounts::registration::confirm_email(token).await
}

#[server(endpoint = "account/sign-in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    crate::ssr::accounts::sign_in::sign_in(email, password).await
}

#[server(endpoint = "account/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    crate::ssr::accounts::sign_in::sign_out().await
}

/// Changes the password of the signed-in user; every other session ends.
#[server(endpoint = "account/password")]
pub async fn change_password(current: String, new: String) -> Result<String, AppError> {
    crate::ssr::accounts::recovery::change_password(current, new).await
}

/// Emails a link to choose a new password. The answer is the same whether or
/// not the address has an account.
#[server(endpoint = "account/forgot")]
pub async fn request_password_reset(email: String) -> Result<String, AppError> {
    crate::ssr::accounts::recovery::request_password_reset(email).await
}

/// Sets a new password with an emailed reset token; every session ends, and
/// this browser is signed in.
#[server(endpoint = "account/reset")]
pub async fn reset_password(token: String, new: String) -> Result<(), AppError> {
    crate::ssr::accounts::recovery::reset_password(token, new).await
}

/// Everything the shop holds about the signed-in user, as a JSON download.
#[server(endpoint = "account/export", input = GetUrl)]
pub async fn export_my_data() -> Result<MyData, AppError> {
    crate::ssr::accounts::profile::export_my_data().await
}

/// The signed-in user's consents, newest first.
#[server(endpoint = "account/consents", input = GetUrl)]
pub async fn my_consents() -> Result<Vec<crate::domain::consents::Consent>, AppError> {
    crate::ssr::accounts::consents::mine().await
}

/// The signed-in user agrees to news and offers by email (`marketing` is
/// the ticked box's "on") or withdraws; back to the account page.
#[server(endpoint = "account/consents/save")]
pub async fn save_consents(#[server(default)] marketing: String) -> Result<(), AppError> {
    crate::ssr::accounts::consents::set_mine("marketing", marketing == "on").await?;
    leptos_axum::redirect("/account");
    Ok(())
}

/// Deletes the signed-in user's account after checking their password. Their
/// security events stay in the audit log without the email address.
#[server(endpoint = "account/delete")]
pub async fn delete_account(password: String) -> Result<(), AppError> {
    crate::ssr::accounts::profile::delete_account(password).await
}

/// A new secret for the signed-in user's authenticator app, once they gave
/// their password again (a borrowed session cannot enrol its own app);
/// two-step sign-in is on once [`enable_two_step`] gets a code made with it.
#[server(endpoint = "account/two-step/start")]
pub async fn start_two_step(password: String) -> Result<TwoStepSetup, AppError> {
    crate::ssr::accounts::two_step::start_two_step(password).await
}

/// Turns two-step sign-in on, given a code from the app; returns ten
/// single-use recovery codes, shown this once.
#[server(endpoint = "account/two-step/enable")]
pub async fn enable_two_step(code: String) -> Result<Vec<String>, AppError> {
    crate::ssr::accounts::two_step::enable_two_step(code).await
}

/// The second step of signing in: a code from the app, or a recovery code.
#[server(endpoint = "account/two-step")]
pub async fn two_step_sign_in(code: String) -> Result<(), AppError> {
    crate::ssr::accounts::sign_in::two_step_sign_in(code).await
}

/// The newest security events (admins only).
#[server(endpoint = "admin/audit")]
pub async fn audit_log() -> Result<Vec<AuditEntry>, AppError> {
    crate::ssr::accounts::profile::audit_log().await
}

/// Changes the signed-in user's display name.
#[server(endpoint = "account/profile")]
pub async fn change_name(name: String) -> Result<String, AppError> {
    crate::ssr::accounts::profile::change_name(name).await
}

/// Emails a link to `email` that moves the account there; needs the password.
/// The answer is the same whether or not the address has an account.
#[server(endpoint = "account/email")]
pub async fn request_email_change(password: String, email: String) -> Result<String, AppError> {
    crate::ssr::accounts::profile::request_email_change(password, email).await
}

/// Moves the account to the address the emailed link was sent to.
#[server(endpoint = "account/email/confirm")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    crate::ssr::accounts::profile::confirm_email_change(token).await
}

/// Ends every other session of the signed-in user (other browsers and devices).
#[server(endpoint = "account/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<String, AppError> {
    crate::ssr::accounts::profile::sign_out_everywhere().await
}
