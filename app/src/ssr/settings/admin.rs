//! Admins editing the shop's settings: prices with or without tax, the
//! low-stock default (every variant without a threshold of its own follows
//! it), tax classes and the rates per destination and class. Admins only;
//! every change is in the audit log with its before and after, and a change
//! product pages show reaches every app server through the change log.

use crate::domain::settings::{SettingsInput, SettingsPage, TaxClassInput, TaxClassRow, TaxRateInput, TaxRateRow};
use crate::domain::tax::rate_text;
use crate::error::AppError;
use crate::ssr::accounts::audit::{Changes, Event};
use crate::ssr::accounts::commit_audited;

use super::admin_only as admin;


/// The settings, the tax classes (with how many products each has) and the rates.
pub async fn page() -> Result<SettingsPage, AppError> {
    admin().await?;
    let mut conn = crate::ssr::state()?.db.pool.acquire().await?;
    let settings = super::current(&mut conn).await?;
    let classes: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT c.code, c.name, (SELECT COUNT(*) FROM products p WHERE p.tax_class = c.code) FROM tax_classes c ORDER BY c.position, c.code",
    )
    .fetch_all(&mut *conn)
    .await?;
    let rates: Vec<(String, String, String, i64)> =
        sqlx::query_as("SELECT country, region, tax_class, rate_bp FROM tax_rates ORDER BY country, region, tax_class")
            .fetch_all(&mut *conn)
            .await?;
    use crate::ssr::catalog::pictures::{image_of, Owner};
    Ok(SettingsPage {
        logo: image_of(&mut conn, Owner::Shop, 1).await?,
        settings,
        details: super::details::current(&mut conn).await?,
        synonyms: super::details::synonyms(&mut conn).await?,
        classes: classes.into_iter().map(|(code, name, products)| TaxClassRow { code, name, products }).collect(),
        rates: rates.into_iter().map(|(country, region, class, rate_bp)| TaxRateRow { country, region, class, rate_bp }).collect(),
    })
}

/// Saves the settings if they are still at `version`. A new low-stock
/// default moves every threshold that follows it.
pub async fn save(version: i64, input: SettingsInput) -> Result<(), AppError> {
    let user = admin().await?;
    let (included, low) = input.check().map_err(AppError::BadRequest)?;
    let mut tx = crate::ssr::state()?.db.begin_write().await?;
    let before = super::current(&mut tx).await?;
    let saved = sqlx::query(
        "UPDATE shop_settings SET prices_include_tax = $1, low_stock_default = $2, version = version + 1, updated_at = $3 \
         WHERE id = 1 AND version = $4",
    )
    .bind(i64::from(included))
    .bind(low)
    .bind(crate::ssr::now())
    .bind(version)
    .execute(&mut *tx)
    .await?;
    if saved.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "Someone else saved the settings after you opened them, so yours were not saved. Reload the page and make your change again.".into(),
        ));
    }
    if low != before.low_stock_default {
        for table in ["products", "product_variants"] {
            sqlx::query(&format!("UPDATE {table} SET low_stock_threshold = $1 WHERE low_stock_own = 0"))
                .bind(low)
                .execute(&mut *tx)
                .await?;
        }
    }
    let mut changes = Changes::default();
    let tax = |included: bool| if included { "included" } else { "added" };
    changes.field("prices' tax", tax(before.prices_include_tax), tax(included));
    changes.field("low-stock default", before.low_stock_default.to_string(), low.to_string());
    // Product pages say whether tax is included: every server drops its copies.
    crate::ssr::cache::note_catalog_change(&mut tx).await?;
    commit_audited(tx, &user, Event::SettingsChanged, &format!("settings: {}", changes.text())).await
}

/// Sets the rate of a destination and class (new, or replacing the one it had).
pub async fn save_rate(input: TaxRateInput) -> Result<(), AppError> {
    let user = admin().await?;
    let rate = input.check().map_err(AppError::BadRequest)?;
    let mut tx = crate::ssr::state()?.db.begin_write().await?;
    let class: Option<(String,)> =
        sqlx::query_as("SELECT code FROM tax_classes WHERE code = $1").bind(&rate.class).fetch_optional(&mut *tx).await?;
    class.ok_or_else(|| AppError::BadRequest("Choose the tax class from the list.".into()))?;
    let before: Option<(i64,)> =
        sqlx::query_as("SELECT rate_bp FROM tax_rates WHERE country = $1 AND region = $2 AND tax_class = $3")
            .bind(&rate.country)
            .bind(&rate.region)
            .bind(&rate.class)
            .fetch_optional(&mut *tx)
            .await?;
    sqlx::query(
        "INSERT INTO tax_rates (country, region, tax_class, rate_bp) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (country, region, tax_class) DO UPDATE SET rate_bp = excluded.rate_bp",
    )
    .bind(&rate.country)
    .bind(&rate.region)
    .bind(&rate.class)
    .bind(rate.rate_bp)
    .execute(&mut *tx)
    .await?;
    let was = before.map_or_else(|| "none".to_owned(), |(bp,)| rate_text(bp));
    let detail = format!("tax rate {}: {was} → {}", rate.key_text(), rate_text(rate.rate_bp));
    commit_audited(tx, &user, Event::TaxRateSaved, &detail).await
}

/// Deletes a destination's rate for a class (its goods then pay the standard rate there).
pub async fn delete_rate(country: String, region: String, class: String) -> Result<(), AppError> {
    let user = admin().await?;
    let (country, region, class) = (country.trim().to_ascii_uppercase(), region.trim().to_ascii_uppercase(), class.trim().to_owned());
    let mut tx = crate::ssr::state()?.db.begin_write().await?;
    let gone: Option<(i64,)> =
        sqlx::query_as("DELETE FROM tax_rates WHERE country = $1 AND region = $2 AND tax_class = $3 RETURNING rate_bp")
            .bind(&country)
            .bind(&region)
            .bind(&class)
            .fetch_optional(&mut *tx)
            .await?;
    let (rate_bp,) = gone.ok_or_else(|| AppError::NotFound("There is no such tax rate.".into()))?;
    let row = TaxRateRow { country, region, class, rate_bp };
    commit_audited(tx, &user, Event::TaxRateDeleted, &format!("tax rate {} deleted", row.text())).await
}

/// Adds a tax class (its goods pay the standard rate until it has rates).
pub async fn add_class(input: TaxClassInput) -> Result<(), AppError> {
    let user = admin().await?;
    let (code, name) = input.check().map_err(AppError::BadRequest)?;
    let mut tx = crate::ssr::state()?.db.begin_write().await?;
    // (`WHERE` keeps SQLite from reading `ON` as a join's.)
    let added = sqlx::query(
        "INSERT INTO tax_classes (code, name, position) SELECT $1, $2, COALESCE(MAX(position), 0) + 1 FROM tax_classes \
         WHERE 1 = 1 ON CONFLICT (code) DO NOTHING",
    )
    .bind(&code)
    .bind(&name)
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() != 1 {
        return Err(AppError::Conflict(format!("There is already a tax class “{code}”.")));
    }
    commit_audited(tx, &user, Event::TaxClassCreated, &format!("tax class {code} “{name}” created")).await
}

/// Deletes a tax class no product has, with its rates. The standard class stays.
pub async fn delete_class(code: String) -> Result<(), AppError> {
    let user = admin().await?;
    let code = code.trim().to_owned();
    if code == "standard" {
        return Err(AppError::Conflict("The standard class stays: every other class falls back to its rates.".into()));
    }
    let mut tx = crate::ssr::state()?.db.begin_write().await?;
    let (used,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM products WHERE tax_class = $1").bind(&code).fetch_one(&mut *tx).await?;
    if used > 0 {
        return Err(AppError::Conflict(format!(
            "{used} product(s) are in the tax class “{code}”: move them to another class first."
        )));
    }
    sqlx::query("DELETE FROM tax_rates WHERE tax_class = $1").bind(&code).execute(&mut *tx).await?;
    let gone = sqlx::query("DELETE FROM tax_classes WHERE code = $1").bind(&code).execute(&mut *tx).await?;
    if gone.rows_affected() != 1 {
        return Err(AppError::NotFound("There is no such tax class.".into()));
    }
    commit_audited(tx, &user, Event::TaxClassDeleted, &format!("tax class {code} deleted with its rates")).await
}
