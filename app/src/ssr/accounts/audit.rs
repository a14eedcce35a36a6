//! The audit log: security events (sign-ins, failures, password and address
//! changes, deletions) with their account, client address and time; the
//! failed sign-ins it counts lock an account per client address.

use crate::domain::account::AuditEntry;
use crate::error::AppError;
use crate::ssr::db::Db;
use crate::ssr::now;

/// Security events for the audit log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Registered,
    SignedIn,
    SignInFailed,
    SignedOut,
    EmailVerified,
    PasswordChanged,
    PasswordReset,
    RoleChanged,
    AccountDeleted,
    TwoStepEnabled,
    TwoStepFailed,
    NameChanged,
    EmailChangeRequested,
    EmailChanged,
    SignedOutEverywhere,
    ProductCreated,
    ProductChanged,
    ProductDeleted,
    StockAdjusted,
    CategoryCreated,
    CategoryChanged,
    CategoryDeleted,
    BrandCreated,
    BrandChanged,
    BrandDeleted,
    PromoCreated,
    PromoChanged,
    PromoEnded,
    SettingsChanged,
    TaxRateSaved,
    TaxRateDeleted,
    TaxClassCreated,
    TaxClassDeleted,
    ShippingZoneSaved,
    ShippingZoneDeleted,
    ShippingMethodSaved,
    ShippingMethodDeleted,
    OrderNoteAdded,
    OrderMailResent,
    StaffInvited,
    StaffRemoved,
    AccountDisabled,
    AccountEnabled,
    CustomerDataExported,
    CustomerAnonymised,
    ReviewPublished,
    ReviewRejected,
    ReviewAnswered,
    ReviewRulesChanged,
}

impl Event {
    pub fn key(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::SignedIn => "signed-in",
            Self::SignInFailed => "sign-in-failed",
            Self::SignedOut => "signed-out",
            Self::EmailVerified => "email-verified",
            Self::PasswordChanged => "password-changed",
            Self::PasswordReset => "password-reset",
            Self::RoleChanged => "role-changed",
            Self::AccountDeleted => "account-deleted",
            Self::TwoStepEnabled => "two-step-enabled",
            Self::TwoStepFailed => "two-step-failed",
            Self::NameChanged => "name-changed",
            Self::EmailChangeRequested => "email-change-requested",
            Self::EmailChanged => "email-changed",
            Self::SignedOutEverywhere => "signed-out-everywhere",
            Self::ProductCreated => "product-created",
            Self::ProductChanged => "product-changed",
            Self::ProductDeleted => "product-deleted",
            Self::StockAdjusted => "stock-adjusted",
            Self::CategoryCreated => "category-created",
            Self::CategoryChanged => "category-changed",
            Self::CategoryDeleted => "category-deleted",
            Self::BrandCreated => "brand-created",
            Self::BrandChanged => "brand-changed",
            Self::BrandDeleted => "brand-deleted",
            Self::PromoCreated => "promo-created",
            Self::PromoChanged => "promo-changed",
            Self::PromoEnded => "promo-ended",
            Self::SettingsChanged => "settings-changed",
            Self::TaxRateSaved => "tax-rate-saved",
            Self::TaxRateDeleted => "tax-rate-deleted",
            Self::TaxClassCreated => "tax-class-created",
            Self::TaxClassDeleted => "tax-class-deleted",
            Self::ShippingZoneSaved => "shipping-zone-saved",
            Self::ShippingZoneDeleted => "shipping-zone-deleted",
            Self::ShippingMethodSaved => "shipping-method-saved",
            Self::ShippingMethodDeleted => "shipping-method-deleted",
            Self::OrderNoteAdded => "order-note-added",
            Self::OrderMailResent => "order-mail-resent",
            Self::StaffInvited => "staff-invited",
            Self::StaffRemoved => "staff-removed",
            Self::AccountDisabled => "account-disabled",
            Self::AccountEnabled => "account-enabled",
            Self::CustomerDataExported => "customer-data-exported",
            Self::CustomerAnonymised => "customer-anonymised",
            Self::ReviewPublished => "review-published",
            Self::ReviewRejected => "review-rejected",
            Self::ReviewAnswered => "review-answered",
            Self::ReviewRulesChanged => "review-rules-changed",
        }
    }
}

/// What a save changed, field by field, as the audit log shows it:
/// `name “a” → “b”; price “10.00” → “12.00”`.
#[derive(Default)]
pub struct Changes(Vec<String>);

impl Changes {
    /// Notes field `name` if it went from `old` to `new`.
    pub fn field(&mut self, name: &str, old: impl Into<String>, new: impl Into<String>) {
        let (old, new) = (old.into(), new.into());
        if old != new {
            self.0.push(format!("{name} “{old}” → “{new}”"));
        }
    }

    /// Notes a change already put in words.
    pub fn field_text(&mut self, text: &str) {
        self.0.push(text.to_owned());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The changes joined, or "saved unchanged".
    pub fn text(self) -> String {
        if self.0.is_empty() { "saved unchanged".to_owned() } else { self.0.join("; ") }
    }
}

/// A long text as the audit log shows it: its first 60 characters.
pub fn summary(text: &str) -> String {
    let mut short: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        short.push('…');
    }
    short
}

/// Records a security event about `subject` (an email) and, if known, its user.
pub async fn record(db: &Db, user: Option<i64>, subject: &str, event: Event, ip: &str) -> Result<(), AppError> {
    record_change(&mut *db.pool.acquire().await?, user, subject, event, ip, "").await
}

/// Records a change staff made (`detail`: what changed, before and after)
/// inside the change's own transaction, so no change goes unrecorded.
pub async fn record_change(
    conn: &mut sqlx::AnyConnection,
    user: Option<i64>,
    subject: &str,
    event: Event,
    ip: &str,
    detail: &str,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO audit_log (at, user_id, subject, event, ip, detail) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(now())
        .bind(user)
        .bind(subject)
        .bind(event.key())
        .bind(ip)
        .bind(detail)
        .execute(conn)
        .await?;
    Ok(())
}

/// [`record_change`] for many changes by one person at once: (event, detail) each.
pub async fn record_changes(conn: &mut sqlx::AnyConnection, user: Option<i64>, subject: &str, ip: &str, changes: &[(Event, String)]) -> Result<(), AppError> {
    for chunk in changes.chunks(500) {
        let sql = crate::ssr::db::values_sql("INSERT INTO audit_log (at, user_id, subject, event, ip, detail) VALUES", chunk.len(), 6);
        let mut insert = sqlx::query(&sql);
        for (event, detail) in chunk {
            insert = insert.bind(now()).bind(user).bind(subject).bind(event.key()).bind(ip).bind(detail);
        }
        insert.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Failed sign-ins (password or code) for account `subject` since `since`:
/// from anywhere, and from the client address `ip`.
pub async fn failures_since(db: &Db, subject: &str, ip: &str, since: i64) -> Result<(i64, i64), AppError> {
    let (all, from_ip): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN ip = $5 THEN 1 ELSE 0 END), 0) FROM audit_log \
         WHERE subject = $1 AND event IN ($2, $3) AND at > $4",
    )
    .bind(subject)
    .bind(Event::SignInFailed.key())
    .bind(Event::TwoStepFailed.key())
    .bind(since)
    .bind(ip)
    .fetch_one(&db.pool)
    .await?;
    Ok((all, from_ip))
}

/// One audit log row.
#[derive(Clone, Debug, sqlx::FromRow)]
struct AuditRow {
    at: i64,
    subject: String,
    event: String,
    ip: String,
    detail: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry { at: r.at, subject: r.subject, event: r.event, ip: r.ip, detail: r.detail }
    }
}

/// The newest `limit` audit log entries.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<AuditEntry>, AppError> {
    let rows: Vec<AuditRow> = sqlx::query_as("SELECT at, subject, event, ip, detail FROM audit_log ORDER BY id DESC LIMIT $1")
        .bind(limit)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.into_iter().map(AuditEntry::from).collect())
}

/// When `id` signed up, and every security event about them.
pub async fn personal_data(db: &Db, id: i64) -> Result<(i64, Vec<AuditEntry>), AppError> {
    let (created_at,): (i64,) = sqlx::query_as("SELECT created_at FROM users WHERE id = $1").bind(id).fetch_one(&db.pool).await?;
    let events: Vec<AuditRow> =
        sqlx::query_as("SELECT at, subject, event, ip, detail FROM audit_log WHERE user_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&db.pool)
            .await?;
    Ok((created_at, events.into_iter().map(AuditEntry::from).collect()))
}
