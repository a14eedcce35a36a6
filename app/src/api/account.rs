//! Accounts: register, confirm the email address, sign in and out, change the
//! password. Every function decides on the server who may do what; messages
//! never tell whether an email address has an account.

use crate::domain::account::{AuditEntry, MyData, TwoStepSetup, UserSummary};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The signed-in user, if any.
#[server(endpoint = "account/me")]
pub async fn current_user() -> Result<Option<UserSummary>, AppError> {
    let state = crate::ssr::state()?;
    let Some(session) = crate::ssr::auth::request_session().await else { return Ok(None) };
    Ok(crate::ssr::auth::current_user(&session, &state.db).await?.map(|u| u.summary()))
}

/// Creates an account and emails a confirmation link. The answer is the same
/// whether or not the address already has an account (whose owner is told by
/// email instead).
#[server(endpoint = "account/register")]
pub async fn register(email: String, name: String, password: String) -> Result<String, AppError> {
    server::register(email, name, password).await
}

/// Confirms an email address with the emailed token and signs its owner in.
#[server(endpoint = "account/confirm")]
pub async fn confirm_email(token: String) -> Result<(), AppError> {
    server::confirm_email(token).await
}

#[server(endpoint = "account/sign-in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    server::sign_in(email, password).await
}

#[server(endpoint = "account/sign-out")]
pub async fn sign_out() -> Result<(), AppError> {
    server::sign_out().await
}

/// Changes the password of the signed-in user; every other session ends.
#[server(endpoint = "account/password")]
pub async fn change_password(current: String, new: String) -> Result<String, AppError> {
    server::change_password(current, new).await
}

/// Emails a link to choose a new password. The answer is the same whether or
/// not the address has an account.
#[server(endpoint = "account/forgot")]
pub async fn request_password_reset(email: String) -> Result<String, AppError> {
    server::request_password_reset(email).await
}

/// Sets a new password with an emailed reset token; every session ends, and
/// this browser is signed in.
#[server(endpoint = "account/reset")]
pub async fn reset_password(token: String, new: String) -> Result<(), AppError> {
    server::reset_password(token, new).await
}

/// Everything the shop holds about the signed-in user, as a JSON download.
#[server(endpoint = "account/export", input = GetUrl)]
pub async fn export_my_data() -> Result<MyData, AppError> {
    server::export_my_data().await
}

/// Deletes the signed-in user's account after checking their password. Their
/// security events stay in the audit log without the email address.
#[server(endpoint = "account/delete")]
pub async fn delete_account(password: String) -> Result<(), AppError> {
    server::delete_account(password).await
}

/// A new secret for the signed-in user's authenticator app, once they gave
/// their password again (a borrowed session cannot enrol its own app);
/// two-step sign-in is on once [`enable_two_step`] gets a code made with it.
#[server(endpoint = "account/two-step/start")]
pub async fn start_two_step(password: String) -> Result<TwoStepSetup, AppError> {
    server::start_two_step(password).await
}

/// Turns two-step sign-in on, given a code from the app; returns ten
/// single-use recovery codes, shown this once.
#[server(endpoint = "account/two-step/enable")]
pub async fn enable_two_step(code: String) -> Result<Vec<String>, AppError> {
    server::enable_two_step(code).await
}

/// The second step of signing in: a code from the app, or a recovery code.
#[server(endpoint = "account/two-step")]
pub async fn two_step_sign_in(code: String) -> Result<(), AppError> {
    server::two_step_sign_in(code).await
}

/// The newest security events (admins only).
#[server(endpoint = "admin/audit")]
pub async fn audit_log() -> Result<Vec<AuditEntry>, AppError> {
    server::audit_log().await
}

/// Changes the signed-in user's display name.
#[server(endpoint = "account/profile")]
pub async fn change_name(name: String) -> Result<String, AppError> {
    server::change_name(name).await
}

/// Emails a link to `email` that moves the account there; needs the password.
/// The answer is the same whether or not the address has an account.
#[server(endpoint = "account/email")]
pub async fn request_email_change(password: String, email: String) -> Result<String, AppError> {
    server::request_email_change(password, email).await
}

/// Moves the account to the address the emailed link was sent to.
#[server(endpoint = "account/email/confirm")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    server::confirm_email_change(token).await
}

/// Ends every other session of the signed-in user (other browsers and devices).
#[server(endpoint = "account/sign-out-everywhere")]
pub async fn sign_out_everywhere() -> Result<String, AppError> {
    server::sign_out_everywhere().await
}

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use crate::domain::account::{parse_email, parse_name, AuditEntry, MyData, Role, TwoStepSetup};
    use crate::ssr::auth::totp;
    use crate::error::AppError;
    use crate::ssr::auth::users::{self, Event, Purpose};
    use crate::ssr::auth::{self, password, RESET_TTL_SECS};
    use crate::ssr::{mail, AppState};
    use std::net::IpAddr;
    use tower_sessions::Session;

    /// Failed sign-ins for one account within this window count towards its limit.
    const FAILURE_WINDOW_SECS: i64 = 15 * 60;
    /// Failed sign-ins in the window after which the account refuses more.
    const MAX_FAILURES: i64 = 10;
    /// How long a confirmation link stays valid.
    const CONFIRM_TTL_SECS: i64 = 24 * 3600;
    /// Audit log entries an admin sees at once.
    const AUDIT_PAGE: i64 = 200;

    pub async fn context() -> Result<(AppState, Session), AppError> {
        let state = crate::ssr::state()?;
        let session = auth::session_or_sign_in("continue").await?;
        Ok((state, session))
    }

    /// The client's address (peer address of the connection).
    /// The client, as limits and the audit log count it: an IPv4 address or
    /// an IPv6 /64 (so hopping within one network gains nothing).
    pub(crate) async fn client_ip() -> IpAddr {
        crate::ssr::auth::limits::client_key(crate::ssr::auth::limits::request_client().await)
    }

    pub(crate) fn limit(state: &AppState, ip: IpAddr) -> Result<(), AppError> {
        state.auth_limiter.check(ip).map_err(|wait| AppError::TooManyRequests {
            message: "Too many attempts from your network. Wait a moment and try again.".into(),
            retry_after: wait.as_secs().max(1),
        })
    }

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
                users::audit(db, Some(id), &email, Event::Registered, &ip.to_string()).await?;
                send_confirmation(&state, id, &email).await?;
            }
            None => {
                let body = format!(
                    "Someone tried to create an Oxcart account with this address, which already has one.\n\n\
                     If it was you, sign in at {0}/account/sign-in. If you forgot your password, you can \
                     reset it there. If it was not you, you can ignore this message.",
                    state.public_url
                );
                mail::enqueue(&db.pool, &email, "Your Oxcart account", &body).await?;
            }
        }
        Ok(format!("We sent a message to {email}. Open the link in it to confirm your address and finish signing up."))
    }

    async fn send_confirmation(state: &AppState, user: i64, email: &str) -> Result<(), AppError> {
        let token = users::issue_token(&state.db, user, Purpose::VerifyEmail, CONFIRM_TTL_SECS).await?;
        let body = format!(
            "Welcome to Oxcart.\n\nConfirm your email address by opening this link within 24 hours:\n\n\
             {}/account/confirm?token={token}\n\nIf you did not sign up, ignore this message.",
            state.public_url
        );
        mail::enqueue(&state.db.pool, email, "Confirm your email address", &body).await
    }

    pub async fn confirm_email(token: String) -> Result<(), AppError> {
        let (state, session) = context().await?;
        let expired =
            || AppError::BadRequest("This link has expired or was already used. Sign in to get a new one.".into());
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(expired());
        }
        let db = &state.db;
        let id = users::redeem_token(db, &token, Purpose::VerifyEmail).await?.ok_or_else(expired)?;
        users::mark_verified(db, id).await?;
        let user = users::by_id(db, id).await?.ok_or_else(expired)?;
        users::audit(db, Some(id), &user.email, Event::EmailVerified, &client_ip().await.to_string()).await?;
        let next = auth::first_step(&session, &user).await?;
        if next == auth::FirstStep::SignedIn {
            crate::ssr::shop::cart::adopt_guest_cart(&state.db, &session, user.id).await?;
        }
        leptos_axum::redirect(next.next_page());
        Ok(())
    }

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
                users::audit(db, user.map(|u| u.id), &email, Event::SignInFailed, &ip.to_string()).await?;
                return Err(AppError::Unauthorized("That email and password do not match an account.".into()));
            }
        };
        if user.email_verified_at.is_none() {
            send_confirmation(&state, user.id, &user.email).await?;
            return Err(AppError::Unauthorized(
                "Confirm your email address first: we just sent you a new link.".into(),
            ));
        }
        let next = auth::first_step(&session, &user).await?;
        if next == auth::FirstStep::SignedIn {
            crate::ssr::shop::cart::adopt_guest_cart(&state.db, &session, user.id).await?;
            users::audit(db, Some(user.id), &email, Event::SignedIn, &ip.to_string()).await?;
        }
        leptos_axum::redirect(next.next_page());
        Ok(())
    }

    pub async fn sign_out() -> Result<(), AppError> {
        let (state, session) = context().await?;
        if let Some(user) = auth::current_user(&session, &state.db).await? {
            users::audit(&state.db, Some(user.id), &user.email, Event::SignedOut, &client_ip().await.to_string())
                .await?;
        }
        auth::end_session(&session).await?;
        leptos_axum::redirect("/");
        Ok(())
    }

    /// The signed-in user, after checking that `password` is theirs; a wrong
    /// one counts as a failed sign-in.
    pub(crate) async fn reauthenticate(
        state: &AppState,
        session: &Session,
        ip: IpAddr,
        password: String,
        what: &str,
    ) -> Result<users::User, AppError> {
        let user = auth::require_user(session, &state.db, what).await?;
        if !password::verify(password, user.password_hash.clone()).await? {
            users::audit(&state.db, Some(user.id), &user.email, Event::SignInFailed, &ip.to_string()).await?;
            return Err(AppError::BadRequest("Your password is not right.".into()));
        }
        Ok(user)
    }

    /// Refuses this client for an account it failed to sign in to too often,
    /// and slows everyone down for an account under attack. Nobody else can
    /// lock the owner out: the lock is per account and client address, and
    /// from anywhere else the owner only waits a little (or resets the
    /// password by mail).
    async fn refuse_if_locked(state: &AppState, email: &str, ip: IpAddr) -> Result<(), AppError> {
        let since = users::now() - FAILURE_WINDOW_SECS;
        let (failures, from_here) = users::failures_since(&state.db, email, &ip.to_string(), since).await?;
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

    pub async fn change_password(current: String, new: String) -> Result<String, AppError> {
        let (state, session) = context().await?;
        let ip = client_ip().await;
        limit(&state, ip)?;
        let db = &state.db;
        let user = reauthenticate(&state, &session, ip, current, "change your password").await?;
        password::check_new(&new, &user.email, &user.display_name).await?;
        let epoch = users::set_password(db, user.id, &password::hash(new).await?).await?;
        auth::renew_session(&session, &user, epoch).await?;
        users::audit(db, Some(user.id), &user.email, Event::PasswordChanged, &ip.to_string()).await?;
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
            let body = format!(
                "Someone asked to reset the password of your Oxcart account. To choose a new one, open this \
                 link within an hour:\n\n{}/account/reset?token={token}\n\nIf it was not you, ignore this \
                 message: your password stays as it is.",
                state.public_url
            );
            mail::enqueue(&state.db.pool, &email, "Reset your Oxcart password", &body).await?;
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
        users::audit(db, Some(id), &user.email, Event::PasswordReset, &ip.to_string()).await?;
        // The link proves the mailbox, not the authenticator app: an account
        // with two-step sign-in still owes its code.
        let next = auth::first_step(&session, &users::User { session_epoch: epoch, ..user }).await?;
        leptos_axum::redirect(next.next_page());
        Ok(())
    }

    pub async fn audit_log() -> Result<Vec<AuditEntry>, AppError> {
        let (state, session) = context().await?;
        auth::require_admin(&session, &state.db, "see the audit log").await?;
        let rows = users::recent_audit(&state.db, AUDIT_PAGE).await?;
        Ok(rows)
    }

    pub async fn export_my_data() -> Result<MyData, AppError> {
        let (state, session) = context().await?;
        let user = auth::require_user(&session, &state.db, "download your data").await?;
        let (created_at, events) = users::personal_data(&state.db, user.id).await?;
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.insert_header(
                axum::http::header::CONTENT_DISPOSITION,
                axum::http::HeaderValue::from_static("attachment; filename=\"oxcart-my-data.json\""),
            );
        }
        Ok(MyData {
            account: user.summary(),
            created_at,
            security_events: events,
        })
    }

    pub async fn delete_account(password: String) -> Result<(), AppError> {
        let (state, session) = context().await?;
        let ip = client_ip().await;
        limit(&state, ip)?;
        let db = &state.db;
        let user = reauthenticate(&state, &session, ip, password, "delete your account").await?;
        users::delete(db, &user).await?;
        users::audit(db, None, &format!("deleted account {}", user.id), Event::AccountDeleted, &ip.to_string()).await?;
        auth::end_session(&session).await?;
        leptos_axum::redirect("/");
        Ok(())
    }

    pub async fn change_name(name: String) -> Result<String, AppError> {
        let (state, session) = context().await?;
        let user = auth::require_user(&session, &state.db, "change your name").await?;
        let name = parse_name(&name).map_err(AppError::BadRequest)?;
        users::set_name(&state.db, user.id, &name).await?;
        users::audit(&state.db, Some(user.id), &user.email, Event::NameChanged, &client_ip().await.to_string()).await?;
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
        users::audit(db, Some(user.id), &user.email, Event::EmailChangeRequested, &ip.to_string()).await?;
        if users::by_email(db, &email).await?.is_some() {
            let body = "Someone asked to move another Oxcart account to this address, which already has an \
                        account. Nothing was changed. If it was not you, you can ignore this message.";
            mail::enqueue(&db.pool, &email, "Your Oxcart account", body).await?;
        } else {
            let token = users::request_email_change(db, user.id, &email, CONFIRM_TTL_SECS).await?;
            let body = format!(
                "To use this address for your Oxcart account, open this link within 24 hours:\n\n\
                 {}/account/email-change?token={token}\n\nIf you did not ask for this, ignore this message.",
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
        let signed_in = auth::current_user(&session, db).await?;
        let (user, old, new) = match users::change_email(db, &token).await? {
            users::EmailChange::Done { user, old, new } => (user, old, new),
            users::EmailChange::Expired => {
                return Err(AppError::BadRequest("This link has expired or was already used.".into()))
            }
            users::EmailChange::Taken => {
                return Err(AppError::BadRequest("That address now belongs to another account.".into()))
            }
        };
        users::audit(db, Some(user), &new, Event::EmailChanged, &ip.to_string()).await?;
        let body = format!(
            "The email address of your Oxcart account was changed to {new}. If you did not do this, reply to \
             this message at once."
        );
        mail::enqueue(&db.pool, &old, "Your Oxcart email address was changed", &body).await?;
        // The change ended every session; the browser that opened the link stays signed in if it was.
        match (signed_in, users::by_id(db, user).await?) {
            (Some(before), Some(after)) if before.id == after.id => {
                auth::renew_session(&session, &after, after.session_epoch).await?;
                leptos_axum::redirect("/account");
            }
            _ => leptos_axum::redirect("/account/sign-in"),
        }
        Ok(())
    }

    pub async fn sign_out_everywhere() -> Result<String, AppError> {
        let (state, session) = context().await?;
        let user = auth::require_user(&session, &state.db, "sign out your other sessions").await?;
        let epoch = users::bump_epoch(&state.db, user.id).await?;
        auth::renew_session(&session, &user, epoch).await?;
        let ip = client_ip().await.to_string();
        users::audit(&state.db, Some(user.id), &user.email, Event::SignedOutEverywhere, &ip).await?;
        Ok("You were signed out on every other browser and device.".into())
    }

    const SETUP_KEY: &str = "two-step-setup";
    /// Recovery codes given out when two-step sign-in is turned on.
    const RECOVERY_CODES: usize = 10;

    pub async fn start_two_step(password: String) -> Result<TwoStepSetup, AppError> {
        let (state, session) = context().await?;
        let ip = client_ip().await;
        limit(&state, ip)?;
        let user = reauthenticate(&state, &session, ip, password, "set up two-step sign-in").await?;
        let secret = auth::random_bytes::<20>();
        session.insert(SETUP_KEY, auth::hex(&secret)).await.map_err(auth::session_error)?;
        Ok(TwoStepSetup { secret: totp::base32(&secret), uri: totp::setup_uri(&secret, &user.email) })
    }

    pub async fn enable_two_step(code: String) -> Result<Vec<String>, AppError> {
        let (state, session) = context().await?;
        let ip = client_ip().await;
        limit(&state, ip)?;
        let user = auth::require_user(&session, &state.db, "set up two-step sign-in").await?;
        let secret = session.get::<String>(SETUP_KEY).await.map_err(auth::session_error)?;
        let secret = secret.as_deref().and_then(auth::unhex).ok_or_else(|| {
            AppError::BadRequest("Start the set-up again: the secret for your app has expired.".into())
        })?;
        let step = totp::verify(&secret, &code, users::now() as u64, None).ok_or_else(|| {
            AppError::BadRequest("That code is not right. Check the time on your device and try the newest code.".into())
        })?;
        let codes: Vec<String> = (0..RECOVERY_CODES)
            .map(|_| {
                let hex = auth::hex(&auth::random_bytes::<5>());
                format!("{}-{}", &hex[..5], &hex[5..])
            })
            .collect();
        let hashes: Vec<String> = codes.iter().map(|c| auth::token_hash(c)).collect();
        users::enable_totp(&state.db, user.id, &auth::hex(&secret), step as i64, &hashes).await?;
        // The code just given is this session's second step.
        auth::passed_second_step(&session, &user).await?;
        session.remove::<String>(SETUP_KEY).await.map_err(auth::session_error)?;
        users::audit(&state.db, Some(user.id), &user.email, Event::TwoStepEnabled, &ip.to_string()).await?;
        Ok(codes)
    }

    pub async fn two_step_sign_in(code: String) -> Result<(), AppError> {
        let (state, session) = context().await?;
        let ip = client_ip().await;
        limit(&state, ip)?;
        let db = &state.db;
        let user = auth::awaiting_second_step(&session, db)
            .await?
            .ok_or_else(|| AppError::Unauthorized("Sign in again: the time for the code ran out.".into()))?;
        refuse_if_locked(&state, &user.email, ip).await?;
        let secret = user.totp_secret.as_deref().and_then(auth::unhex).unwrap_or_default();
        let last = user.totp_last_step.map(|s| s as u64);
        let accepted = match totp::verify(&secret, &code, users::now() as u64, last) {
            Some(step) => users::use_totp_step(db, user.id, step as i64).await?,
            None => users::use_recovery_code(db, user.id, &code).await?,
        };
        if !accepted {
            users::audit(db, Some(user.id), &user.email, Event::TwoStepFailed, &ip.to_string()).await?;
            return Err(AppError::Unauthorized("That code is not right, or was already used.".into()));
        }
        auth::start_session(&session, &user, true).await?;
        crate::ssr::shop::cart::adopt_guest_cart(&state.db, &session, user.id).await?;
        users::audit(db, Some(user.id), &user.email, Event::SignedIn, &ip.to_string()).await?;
        leptos_axum::redirect("/account");
        Ok(())
    }
}
