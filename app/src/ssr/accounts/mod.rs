//! Accounts on the server: sessions and the signed-in user of a request
//! (here), and in the modules below the use cases (signing up and in, two
//! steps, passwords, the profile, consents), the users table with its emailed tokens
//! and audit log, password hashing, TOTP, rate limits, saved addresses and
//! the session store.

pub mod addresses;
pub mod audit;
pub mod checks;
pub mod consents;
pub mod limits;
pub mod password;
pub mod people;
pub mod profile;
pub mod recovery;
pub mod registration;
pub mod sign_in;
pub mod store;
pub mod totp;
pub mod two_step;
pub mod users;

use crate::error::AppError;
use crate::ssr::db::Db;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tower_sessions::Session;
use crate::domain::account::Role;
use users::User;

/// How long a session lasts at most, however active (ASVS 3.3.2).
pub const ABSOLUTE_TIMEOUT_SECS: i64 = 30 * 86_400;
/// How long an idle session lasts.
pub const IDLE_TIMEOUT_DAYS: i64 = 7;
/// How long a staff member's session lasts at most: one working day.
pub const STAFF_ABSOLUTE_SECS: i64 = 12 * 3600;
/// How long a staff member's session lasts without a request.
pub const STAFF_IDLE_SECS: i64 = 30 * 60;
/// How often a staff session records that it was used (a session write).
const STAFF_SEEN_EVERY_SECS: i64 = 60;

/// Whether a sign-in made at `at` and last used at `seen` still holds at
/// `now`: shoppers' for [`ABSOLUTE_TIMEOUT_SECS`] (their idle limit is the
/// cookie's), staff's for [`STAFF_ABSOLUTE_SECS`] and only while used within
/// [`STAFF_IDLE_SECS`].
pub fn sign_in_holds(staff: bool, at: i64, seen: i64, now: i64) -> bool {
    if staff {
        now - at < STAFF_ABSOLUTE_SECS && now - seen.max(at) < STAFF_IDLE_SECS
    } else {
        now - at < ABSOLUTE_TIMEOUT_SECS
    }
}

const SESSION_KEY: &str = "account";

/// How long a password reset link stays valid.
pub const RESET_TTL_SECS: i64 = 3600;

/// Makes `email` staff, creating the account if needed, and returns a
/// single-use link (valid for an hour) to set its password: an admin, or with
/// `seller` (a seller's slug) that seller's staff. For the command line.
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
    let (id, link) = make_staff(db, &email, role, seller_id, public_url).await?;
    audit::record(db, Some(id), &email, audit::Event::RoleChanged, "command line").await?;
    Ok(link)
}

/// Gives `email` (checked) the staff `role` (with `seller` for a seller's
/// staff), creating the account if needed, and mails a single-use link
/// (valid for an hour) to set its password; staff then turn on two-step
/// sign-in before the back office lets them in. An existing account loses
/// every credential first, so whoever registered the address before cannot
/// keep a way in. The account's id and the link; the caller records it in
/// the audit log.
pub async fn make_staff(
    db: &Db,
    email: &str,
    role: crate::domain::account::Role,
    seller: Option<i64>,
    public_url: &str,
) -> Result<(i64, String), AppError> {
    // No one knows this password: the owner sets theirs with the link.
    let unusable = password::hash(random_token()).await?;
    let id = match users::by_email(db, email).await? {
        Some(user) => {
            // Whoever registered this address first (perhaps not its owner)
            // loses every way in: password, two-step secret, links, sessions.
            users::reset_credentials(db, user.id, &unusable).await?;
            user.id
        }
        None => users::create(db, email, &unusable, "", role)
            .await?
            .ok_or_else(|| AppError::Conflict(format!("{email} was registered a moment ago: try again.")))?,
    };
    users::set_role(db, id, role, seller).await?;
    users::set_disabled(db, id, None).await?;
    users::mark_verified(db, id).await?;
    let token = users::issue_token(db, id, users::Purpose::ResetPassword, RESET_TTL_SECS).await?;
    let link = format!("{public_url}/account/reset?token={token}");
    let shop = crate::ssr::settings::brand::name_in(db).await;
    let body = format!(
        "Choose your password by opening this link within an hour:\n\n{link}\n\nYou were made staff ({}) of \
         the {shop} shop at {public_url}. After choosing your password, turn on two-step sign-in in your \
         account: the back office asks for it.\n\nIf you did not expect this, tell the shop's owner.",
        role.label().to_lowercase()
    );
    crate::ssr::mail::enqueue(&db.pool, email, &format!("Set your {shop} staff password"), &body).await?;
    Ok((id, link))
}

/// What a session remembers about who signed in.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct SignedIn {
    user: i64,
    /// The user's session epoch at sign-in; a newer one ends this session.
    epoch: i64,
    at: i64,
    /// Whether this sign-in passed the second step (a code from the
    /// authenticator app). A session of an account with two-step sign-in
    /// counts only when it did.
    #[serde(default)]
    second_step: bool,
    /// When the session was last used, for staff's idle limit (updated at
    /// most once a minute); 0 before the first use.
    #[serde(default)]
    seen: i64,
}

/// Signs `user` in on `session`, under a new session id (no fixation);
/// `second_step` says whether they also gave a code from their app.
pub async fn start_session(session: &Session, user: &User, second_step: bool) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.remove::<SignedIn>(PENDING_KEY).await.map_err(session_error)?;
    let now = users::now();
    let signed_in = SignedIn { user: user.id, epoch: user.session_epoch, at: now, second_step, seen: now };
    session.insert(SESSION_KEY, signed_in).await.map_err(session_error)
}

/// What comes after the first step of a sign-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FirstStep {
    /// The user is signed in.
    SignedIn,
    /// The account has two-step sign-in: the session waits for a code.
    CodeOwed,
}

impl FirstStep {
    /// The page the browser goes to next.
    pub fn next_page(self) -> &'static str {
        match self {
            Self::SignedIn => "/account",
            Self::CodeOwed => "/account/two-step",
        }
    }
}

/// Signs `user` in after a password or an emailed link (reset, confirmation)
/// proved who they are. Neither is enough for an account with two-step
/// sign-in (a link proves only the mailbox): that session waits for the code.
pub async fn first_step(session: &Session, user: &User) -> Result<FirstStep, AppError> {
    if user.disabled_at.is_some() {
        return Err(AppError::Forbidden("This account is disabled. Write to the shop if you think this is a mistake.".into()));
    }
    if user.totp_secret.is_some() {
        await_second_step(session, user).await?;
        Ok(FirstStep::CodeOwed)
    } else {
        start_session(session, user, false).await?;
        Ok(FirstStep::SignedIn)
    }
}

const PENDING_KEY: &str = "two-step";
/// How long a password-checked sign-in waits for its second step.
const PENDING_SECS: i64 = 300;

/// Remembers that `user` gave the right password and now owes a code from
/// their authenticator app; nobody is signed in yet.
pub async fn await_second_step(session: &Session, user: &User) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session.remove::<SignedIn>(SESSION_KEY).await.map_err(session_error)?;
    let pending = SignedIn { user: user.id, epoch: user.session_epoch, at: users::now(), second_step: false, seen: 0 };
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

/// This request's session. Requests without a cookie that are not server
/// function calls skip the session layer (see the server's router), so a page
/// rendered for an anonymous visitor has none: nobody is signed in there.
pub async fn request_session() -> Option<Session> {
    leptos_axum::extract::<Session>().await.ok()
}

/// This request's session, for a use case that needs one: without one nobody
/// is signed in, so the answer is 401 "Sign in to {what}." (never a 500).
pub async fn session_or_sign_in(what: &str) -> Result<Session, AppError> {
    request_session().await.ok_or_else(|| AppError::Unauthorized(format!("Sign in to {what}.")))
}

/// The signed-in user of this request, if any (none without a session).
pub async fn request_user(db: &Db) -> Result<Option<User>, AppError> {
    match request_session().await {
        Some(session) => current_user(&session, db).await,
        None => Ok(None),
    }
}

/// Records `event` with `detail` in the audit log under `user`'s name (and
/// the request's address), then commits `tx`: the change and its record go
/// together.
pub async fn commit_audited(
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    user: &User,
    event: audit::Event,
    detail: &str,
) -> Result<(), AppError> {
    let ip = checks::client_ip().await.to_string();
    audit::record_change(&mut tx, Some(user.id), &user.email, event, &ip, detail).await?;
    tx.commit().await?;
    Ok(())
}

/// The signed-in admin doing `what`: 401 without a session, 403 for anyone
/// else, sellers' staff too.
pub async fn signed_in_admin(db: &Db, what: &str) -> Result<User, AppError> {
    let session = session_or_sign_in(what).await?;
    require_admin(&session, db, what).await
}

/// The signed-in staff member of this request working in `area`, with
/// two-step sign-in (401 without a session, 403 for anyone else).
pub async fn signed_in_staff(db: &Db, area: Area, what: &str) -> Result<(User, Staff), AppError> {
    let session = session_or_sign_in(what).await?;
    require_staff(&session, db, area, what).await
}

/// The signed-in staff member who reaches all of `area` (an admin, or the
/// area's manager): 401 without a session, 403 for anyone else, sellers' staff too.
pub async fn signed_in_manager(db: &Db, area: Area, what: &str) -> Result<User, AppError> {
    match signed_in_staff(db, area, what).await? {
        (user, Staff::Admin) => Ok(user),
        (_, Staff::Seller(_)) => Err(AppError::Forbidden(format!("Only admins can {what}."))),
    }
}

/// Signs out: the session and its cookie are gone.
pub async fn end_session(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

/// The signed-in user, if any. A session older than the absolute timeout,
/// from before the user's last password change, or of a disabled account,
/// is ended here.
pub async fn current_user(session: &Session, db: &Db) -> Result<Option<User>, AppError> {
    let Some(signed_in) = session.get::<SignedIn>(SESSION_KEY).await.map_err(session_error)? else {
        return Ok(None);
    };
    let user = users::by_id(db, signed_in.user).await?;
    let now = users::now();
    match user {
        Some(user)
            if user.session_epoch == signed_in.epoch
                && user.disabled_at.is_none()
                && sign_in_holds(user.role() != Role::Customer, signed_in.at, signed_in.seen, now)
                && (signed_in.second_step || user.totp_secret.is_none()) =>
        {
            if user.role() != Role::Customer && now - signed_in.seen >= STAFF_SEEN_EVERY_SECS {
                let seen = SignedIn { seen: now, ..signed_in };
                session.insert(SESSION_KEY, seen).await.map_err(session_error)?;
            }
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

/// How far a staff member reaches in the area they work in: `Admin` is all
/// of it (admins, and the area's manager), `Seller` only that seller's
/// products and the orders holding them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Staff {
    Admin,
    Seller(i64),
}

/// The parts of the back office that roles other than admin work in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    /// Products, variants, images, stock, categories and brands.
    Catalog,
    /// Orders, parcels, returns, refunds, cancelling.
    Orders,
}

/// The signed-in staff member (with two-step sign-in on) and their reach in
/// `area`, or 401/403 with a sentence.
pub async fn require_staff(session: &Session, db: &Db, area: Area, what: &str) -> Result<(User, Staff), AppError> {
    let user = require_user(session, db, what).await?;
    let staff = staff_reach(&user, Some(area), what)?;
    Ok((user, staff))
}

/// The signed-in admin (with two-step sign-in on), or 401/403 with a sentence.
pub async fn require_admin(session: &Session, db: &Db, what: &str) -> Result<User, AppError> {
    let user = require_user(session, db, what).await?;
    match staff_reach(&user, None, what) {
        Ok(Staff::Admin) => Ok(user),
        Err(refusal) if user.role() == crate::domain::account::Role::Admin => Err(refusal),
        _ => Err(AppError::Forbidden(format!("Only admins can {what}."))),
    }
}

/// What `user` may work on as staff in `area` (`None`: what only admins
/// do); refused for customers, managers outside their area, sellers' staff
/// not linked to a seller, and staff without two-step sign-in.
fn staff_reach(user: &User, area: Option<Area>, what: &str) -> Result<Staff, AppError> {
    use crate::domain::account::Role;
    let staff = match (user.role(), user.seller_id, area) {
        (Role::Admin, _, _) => Staff::Admin,
        (Role::CatalogManager, _, Some(Area::Catalog)) | (Role::OrderManager, _, Some(Area::Orders)) => Staff::Admin,
        (role @ (Role::CatalogManager | Role::OrderManager), _, _) => {
            return Err(AppError::Forbidden(format!("As {} you cannot {what}.", role.label().to_lowercase())))
        }
        (Role::Seller, Some(seller), _) => Staff::Seller(seller),
        (Role::Seller, None, _) => {
            return Err(AppError::Forbidden("Your account is not linked to a seller yet: ask an admin.".into()))
        }
        (Role::Customer, _, _) => return Err(AppError::Forbidden(format!("Only staff can {what}."))),
    };
    if user.totp_secret.is_none() {
        return Err(AppError::Forbidden("Staff need two-step sign-in: turn it on in your account first.".into()));
    }
    Ok(staff)
}

/// Keeps `session` signed in after the user's epoch moved on (their own
/// password change), under a new id, with the second step as it was.
pub async fn renew_session(session: &Session, user: &User, epoch: i64) -> Result<(), AppError> {
    let second_step = session.get::<SignedIn>(SESSION_KEY).await.map_err(session_error)?.is_some_and(|s| s.second_step);
    start_session(session, &User { session_epoch: epoch, ..user.clone() }, second_step).await
}

/// Marks `session` as past the second step: its user just gave a code from
/// their app (while turning two-step sign-in on).
pub async fn passed_second_step(session: &Session, user: &User) -> Result<(), AppError> {
    start_session(session, user, true).await
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

/// Whether `token` has the shape of a [`random_token`] (64 hex digits), so
/// a link's token of any other shape is refused before the database is asked.
pub fn token_shape(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_64_hex_digits_look_like_a_token() {
        assert!(token_shape(&random_token()));
        assert!(!token_shape(&"ab".repeat(31)));
        assert!(!token_shape(&format!("{}zz", "ab".repeat(31))));
        assert!(!token_shape(""));
    }

    #[test]
    fn staff_sign_ins_last_a_working_day_and_end_after_half_an_hour_unused() {
        let at = 1_000_000;
        assert!(sign_in_holds(false, at, at, at + 29 * 86_400), "a shopper's lasts 30 days");
        assert!(!sign_in_holds(false, at, at, at + 30 * 86_400));
        assert!(sign_in_holds(true, at, at + 11 * 3600, at + 11 * 3600 + 29 * 60), "staff in use keep theirs");
        assert!(!sign_in_holds(true, at, at + 11 * 3600, at + 11 * 3600 + 31 * 60), "half an hour unused ends it");
        assert!(!sign_in_holds(true, at, at + 12 * 3600 - 1, at + 12 * 3600), "twelve hours end it, however busy");
        assert!(sign_in_holds(true, at, 0, at + 60), "a session from before `seen` counts from sign-in");
        assert!(!sign_in_holds(true, at, 0, at + 31 * 60));
    }
}
