//! Staff, as admins manage them from the back office: the list, inviting by
//! email (a set-password link; two-step sign-in before the back office lets
//! them in), changing a role, disabling and enabling, and removing from
//! staff (the account stays, as a customer's). The shop always keeps one
//! admin who can sign in: the last one cannot be demoted, disabled or removed.
//! Admins only; every change in the audit log.

use super::audit::Event;
use super::users::{self, User};
use super::{commit_audited, signed_in_admin};
use crate::domain::account::{parse_email, Role};
use crate::domain::people::{staff_role, PeoplePage, StaffMember};
use crate::error::AppError;
use crate::ssr::{now, Db};

const WHAT: &str = "manage staff";

type MemberRow = (i64, String, String, String, Option<i64>, Option<String>, Option<String>, Option<i64>, Option<i64>);

pub async fn people() -> Result<PeoplePage, AppError> {
    let state = crate::ssr::state()?;
    let me = signed_in_admin(&state.db, WHAT).await?;
    let rows: Vec<MemberRow> = sqlx::query_as(
        "SELECT u.id, u.email, u.display_name, u.role, u.seller_id, s.name, u.totp_secret, u.disabled_at, \
             (SELECT MAX(a.at) FROM audit_log a WHERE a.user_id = u.id AND a.event = 'signed-in') \
         FROM users u LEFT JOIN sellers s ON s.id = u.seller_id WHERE u.role <> 'customer' ORDER BY u.email",
    )
    .fetch_all(&state.db.pool)
    .await?;
    let staff = rows
        .into_iter()
        .map(|(id, email, name, role, seller, seller_name, totp, disabled, last)| StaffMember {
            id,
            email,
            name,
            role: Role::parse(&role).unwrap_or(Role::Customer),
            seller: seller.zip(seller_name),
            two_step: totp.is_some(),
            disabled: disabled.is_some(),
            last_sign_in: last,
        })
        .collect();
    let sellers = sqlx::query_as("SELECT id, name FROM sellers ORDER BY name, id").fetch_all(&state.db.pool).await?;
    Ok(PeoplePage { staff, sellers, me: me.id })
}

async fn seller_exists(db: &Db, seller: Option<i64>) -> Result<(), AppError> {
    if let Some(seller) = seller {
        let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM sellers WHERE id = $1").bind(seller).fetch_optional(&db.pool).await?;
        found.ok_or_else(|| AppError::BadRequest("Choose a seller from the list.".into()))?;
    }
    Ok(())
}

fn back() {
    leptos_axum::redirect("/admin/people");
}

/// Invites `email` as staff in `role` (with `seller` for a seller's staff).
pub async fn invite(email: String, role: String, seller: String) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let admin = signed_in_admin(&state.db, WHAT).await?;
    let email = parse_email(&email).map_err(AppError::BadRequest)?;
    let (role, seller) = staff_role(&role, &seller).map_err(AppError::BadRequest)?;
    seller_exists(&state.db, seller).await?;
    if let Some(user) = users::by_email(&state.db, &email).await? {
        if user.role().is_staff() {
            return Err(AppError::Conflict(format!("{email} is staff already: change their role in the list.")));
        }
    }
    if users::by_email(&state.db, &email).await?.is_some_and(|u| u.disabled_at.is_some()) {
        return Err(AppError::Conflict(format!("{email}'s account is disabled: enable it on the customers page first.")));
    }
    let (id, _) = super::make_staff(&state.db, &email, role, seller, &state.shop.public_url).await?;
    let tx = state.db.begin_write().await?;
    let detail = format!("{email} invited as {}", role.label().to_lowercase());
    commit_audited(tx, &admin, Event::StaffInvited, &detail).await?;
    tracing::info!(user = id, "staff invited");
    back();
    Ok(())
}

/// What a change does to a staff member.
enum Change {
    Role(Role, Option<i64>),
    Disable,
    Enable,
    /// Back to a customer's account.
    Remove,
}

impl Change {
    /// Whether after it the account is an admin who can sign in.
    fn leaves_admin(&self, user: &User) -> bool {
        match self {
            Change::Role(role, _) => *role == Role::Admin && user.disabled_at.is_none(),
            Change::Disable | Change::Remove => false,
            Change::Enable => user.role() == Role::Admin,
        }
    }
}

/// Takes the lock that admin changes queue on (SQLite's write lock is
/// taken by the transaction itself; PostgreSQL locks the settings row).
async fn admin_lock(tx: &mut sqlx::AnyConnection) -> Result<(), AppError> {
    if crate::ssr::db::is_postgres(tx) {
        sqlx::query("SELECT id FROM shop_settings WHERE id = 1 FOR UPDATE").execute(&mut *tx).await?;
    }
    Ok(())
}

/// Refuses (409) when `user` is the last admin who can sign in (enabled,
/// with two-step sign-in). Call inside a write transaction; it takes the
/// admin lock (again, which changes nothing) before counting.
pub(super) async fn keep_an_admin(tx: &mut sqlx::AnyConnection, user: &User) -> Result<(), AppError> {
    if user.role() != Role::Admin || user.disabled_at.is_some() || user.totp_secret.is_none() {
        return Ok(());
    }
    admin_lock(tx).await?;
    let (others,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL AND totp_secret IS NOT NULL AND id <> $1")
            .bind(user.id)
            .fetch_one(&mut *tx)
            .await?;
    if others == 0 {
        return Err(AppError::Conflict(
            "The shop needs an admin who can sign in: make someone else admin (with two-step sign-in) first.".into(),
        ));
    }
    Ok(())
}

/// Applies `change` to staff member `id` in one transaction, refusing to
/// leave the shop without an admin who can sign in. The member is read
/// again under the lock, so two admins' changes never pass the check on
/// each other's stale rows.
async fn apply(id: &str, change: Change) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let admin = signed_in_admin(&state.db, WHAT).await?;
    let id: i64 = id.trim().parse().map_err(|_| AppError::BadRequest("Choose a staff member from the list.".into()))?;
    if id == admin.id && matches!(change, Change::Disable | Change::Remove) {
        return Err(AppError::Conflict("You cannot disable or remove your own account: ask another admin.".into()));
    }
    if let Change::Role(_, seller) = change {
        seller_exists(&state.db, seller).await?;
    }
    let mut tx = state.db.begin_write().await?;
    admin_lock(&mut tx).await?;
    let user = users::by_id_in(&mut tx, id).await?.filter(|u| u.role().is_staff());
    let user = user.ok_or_else(|| AppError::NotFound("There is no such staff member.".into()))?;
    if !change.leaves_admin(&user) {
        keep_an_admin(&mut tx, &user).await?;
    }
    let (event, detail) = match change {
        Change::Role(role, seller) => {
            sqlx::query("UPDATE users SET role = $2, seller_id = $3, session_epoch = session_epoch + 1 WHERE id = $1")
                .bind(user.id)
                .bind(role.key())
                .bind(seller)
                .execute(&mut *tx)
                .await?;
            (Event::RoleChanged, format!("{}: {} → {}", user.email, user.role().label(), role.label()))
        }
        Change::Disable | Change::Enable => {
            let disabled = matches!(change, Change::Disable).then(now);
            sqlx::query("UPDATE users SET disabled_at = $2, session_epoch = session_epoch + 1 WHERE id = $1")
                .bind(user.id)
                .bind(disabled)
                .execute(&mut *tx)
                .await?;
            let event = if disabled.is_some() { Event::AccountDisabled } else { Event::AccountEnabled };
            (event, user.email.clone())
        }
        Change::Remove => {
            sqlx::query("UPDATE users SET role = 'customer', seller_id = NULL, session_epoch = session_epoch + 1 WHERE id = $1")
                .bind(user.id)
                .execute(&mut *tx)
                .await?;
            (Event::StaffRemoved, format!("{}: was {}", user.email, user.role().label()))
        }
    };
    commit_audited(tx, &admin, event, &detail).await?;
    back();
    Ok(())
}

pub async fn change_role(id: String, role: String, seller: String) -> Result<(), AppError> {
    let (role, seller) = staff_role(&role, &seller).map_err(AppError::BadRequest)?;
    apply(&id, Change::Role(role, seller)).await
}

/// `disabled` is "on" to disable, anything else to enable.
pub async fn set_disabled(id: String, disabled: String) -> Result<(), AppError> {
    apply(&id, if disabled.trim() == "on" { Change::Disable } else { Change::Enable }).await
}

pub async fn remove(id: String) -> Result<(), AppError> {
    apply(&id, Change::Remove).await
}
