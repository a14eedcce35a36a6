//! The shop's own details (name, contact, the seller's address, VAT number
//! and legal text for invoices, the order-number prefix) and the search
//! synonyms list: read by invoices, checkout and the settings page, edited
//! by admins with optimistic concurrency, every change in the audit log.

use crate::domain::shop_details::{parse_synonyms, synonyms_text, DetailsInput, ShopDetails};
use crate::error::AppError;
use crate::ssr::accounts::audit::{summary, Changes, Event};
use crate::ssr::accounts::commit_audited;
use sqlx::AnyConnection;

/// The details as stored now.
pub async fn current(conn: &mut AnyConnection) -> Result<ShopDetails, AppError> {
    let (name, contact_email, contact_phone, address, vat_number, legal_text, order_prefix, version): (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
    ) = sqlx::query_as(
        "SELECT shop_name, contact_email, contact_phone, seller_address, vat_number, legal_text, order_prefix, details_version \
         FROM shop_settings WHERE id = 1",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(ShopDetails { name, contact_email, contact_phone, address, vat_number, legal_text, order_prefix, version })
}

/// The details as stored now, on a connection of the pool.
pub async fn load(db: &crate::ssr::db::Db) -> Result<ShopDetails, AppError> {
    current(&mut *db.pool.acquire().await?).await
}

/// The prefix new order numbers take.
pub async fn order_prefix(conn: &mut AnyConnection) -> Result<String, AppError> {
    let (prefix,): (String,) = sqlx::query_as("SELECT order_prefix FROM shop_settings WHERE id = 1").fetch_one(&mut *conn).await?;
    Ok(prefix)
}

/// Admins: saves the details if they are still at `version`.
pub async fn save(version: i64, input: DetailsInput) -> Result<(), AppError> {
    let user = super::admin_only().await?;
    let details = input.check(version).map_err(AppError::BadRequest)?;
    let mut tx = crate::ssr::state()?.db.begin_write().await?;
    let before = current(&mut tx).await?;
    let saved = sqlx::query(
        "UPDATE shop_settings SET shop_name = $1, contact_email = $2, contact_phone = $3, seller_address = $4, vat_number = $5, \
             legal_text = $6, order_prefix = $7, details_version = details_version + 1, updated_at = $8 \
         WHERE id = 1 AND details_version = $9",
    )
    .bind(&details.name)
    .bind(&details.contact_email)
    .bind(&details.contact_phone)
    .bind(&details.address)
    .bind(&details.vat_number)
    .bind(&details.legal_text)
    .bind(&details.order_prefix)
    .bind(crate::ssr::now())
    .bind(version)
    .execute(&mut *tx)
    .await?;
    if saved.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "Someone else saved the shop's details after you opened them, so yours were not saved. Reload the page and make your change again.".into(),
        ));
    }
    let mut changes = Changes::default();
    changes.field("name", before.name, details.name);
    changes.field("contact email", before.contact_email, details.contact_email);
    changes.field("contact phone", before.contact_phone, details.contact_phone);
    changes.field("address", summary(&before.address.replace('\n', ", ")), summary(&details.address.replace('\n', ", ")));
    changes.field("VAT number", before.vat_number, details.vat_number);
    changes.field("legal text", summary(&before.legal_text), summary(&details.legal_text));
    changes.field("order number prefix", before.order_prefix, details.order_prefix);
    // Every page shows the name: each server empties its caches.
    crate::ssr::cache::note_catalog_change(&mut tx).await?;
    commit_audited(tx, &user, Event::SettingsChanged, &format!("shop details: {}", changes.text())).await
}

/// The synonyms list as its text.
pub async fn synonyms(conn: &mut AnyConnection) -> Result<String, AppError> {
    let pairs: Vec<(String, String)> =
        sqlx::query_as("SELECT term, synonym FROM search_synonyms ORDER BY term, synonym").fetch_all(&mut *conn).await?;
    Ok(synonyms_text(&pairs))
}

/// Admins: replaces the synonyms list with `text`; every app server's
/// search reads it again within seconds.
pub async fn save_synonyms(text: &str) -> Result<(), AppError> {
    let user = super::admin_only().await?;
    let pairs = parse_synonyms(text).map_err(AppError::BadRequest)?;
    let mut tx = crate::ssr::state()?.db.begin_write().await?;
    let before = synonyms(&mut tx).await?;
    sqlx::query("DELETE FROM search_synonyms").execute(&mut *tx).await?;
    for chunk in pairs.chunks(400) {
        let sql = crate::ssr::db::rows_sql("INSERT INTO search_synonyms (term, synonym) VALUES", chunk.len(), 2);
        let mut insert = sqlx::query(&sql);
        for (term, synonym) in chunk {
            insert = insert.bind(term).bind(synonym);
        }
        insert.execute(&mut *tx).await?;
    }
    let after = synonyms_text(&pairs);
    let detail = format!("search synonyms: {} lines → {} lines", before.lines().count(), after.lines().count());
    crate::ssr::cache::note_catalog_change(&mut tx).await?;
    commit_audited(tx, &user, Event::SettingsChanged, &detail).await
}
