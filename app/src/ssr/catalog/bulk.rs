//! Staff acting on many products at once from the list: publish, unpublish,
//! archive, put in a category, or change prices by a percentage. One
//! transaction; each product is checked as its own editor would check it
//! (out of reach: "not found"; publishing needs what `missing` lists; a new
//! price must stay under the compare-at price), and what could not be done
//! is said product by product while the rest goes through. Each change is
//! in the audit log.

use super::staff::{catalog_staff, missing, reachable};
use crate::domain::product_bulk::{adjusted_price, BulkAction};
use crate::domain::products::ProductStatus;
use crate::error::AppError;
use crate::ssr::accounts::audit::{record_change, Event};
use crate::ssr::now;

/// Applies `action` to products `ids`; a sentence saying what was done.
pub async fn apply(ids: &[i64], action: BulkAction) -> Result<String, AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let ip = crate::ssr::accounts::checks::client_ip().await.to_string();
    let mut tx = state.db.begin_write().await?;
    let department = match action {
        BulkAction::Category(category) => {
            let found: Option<(i64, Option<i64>)> =
                sqlx::query_as("SELECT id, parent_id FROM categories WHERE id = $1").bind(category).fetch_optional(&mut *tx).await?;
            let (id, parent) = found.ok_or_else(|| AppError::BadRequest("Choose the category from the list.".into()))?;
            Some(parent.unwrap_or(id))
        }
        _ => None,
    };
    let (mut changed, mut skipped) = (0, Vec::new());
    for &id in ids {
        let product = match reachable(&mut tx, reach, id, true).await {
            Ok(product) => product,
            Err(AppError::NotFound(_)) => {
                skipped.push(format!("#{id}: there is no such product"));
                continue;
            }
            Err(error) => return Err(error),
        };
        let name = &product.name;
        let detail = match action {
            BulkAction::Publish | BulkAction::Unpublish | BulkAction::Archive => {
                let to = match action {
                    BulkAction::Publish => ProductStatus::Active,
                    BulkAction::Unpublish => ProductStatus::Draft,
                    _ => ProductStatus::Archived,
                };
                if product.status() == to {
                    skipped.push(format!("{name}: already {}", to.label().to_lowercase()));
                    continue;
                }
                if to == ProductStatus::Active {
                    let missing = missing(&mut tx, &product).await?;
                    if !missing.is_empty() {
                        skipped.push(format!("{name}: needs {}", missing.join(" and ")));
                        continue;
                    }
                }
                sqlx::query("UPDATE products SET status = $2, version = version + 1, updated_at = $3 WHERE id = $1")
                    .bind(id)
                    .bind(to.key())
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                format!("status “{}” → “{}”", product.status, to.key())
            }
            BulkAction::Category(category) => {
                if product.category_id == category {
                    skipped.push(format!("{name}: already in that category"));
                    continue;
                }
                sqlx::query("UPDATE products SET category_id = $2, department_id = $3, version = version + 1, updated_at = $4 WHERE id = $1")
                    .bind(id)
                    .bind(category)
                    .bind(department)
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                format!("category “{}” → “{category}”", product.category_id)
            }
            BulkAction::Price(hundredths) => {
                let price = adjusted_price(product.price_minor, hundredths);
                if product.compare_at_minor.is_some_and(|was| was <= price) {
                    skipped.push(format!("{name}: the new price would not be under its compare-at price"));
                    continue;
                }
                if price == product.price_minor {
                    skipped.push(format!("{name}: the price stays the same"));
                    continue;
                }
                sqlx::query("UPDATE products SET price_minor = $2, version = version + 1, updated_at = $3 WHERE id = $1")
                    .bind(id)
                    .bind(price)
                    .bind(now())
                    .execute(&mut *tx)
                    .await?;
                super::variants::scale_prices(&mut tx, id, hundredths).await?;
                let money = |minor: i64| format!("{} {}", super::staff::amount_text(minor), product.currency);
                format!("price “{}” → “{}”", money(product.price_minor), money(price))
            }
        };
        let detail = format!("product {id} “{name}”: {detail} (bulk)");
        record_change(&mut tx, Some(user.id), &user.email, Event::ProductChanged, &ip, &detail).await?;
        changed += 1;
    }
    tx.commit().await?;
    let done = match changed {
        1 => "1 product changed.".to_owned(),
        n => format!("{n} products changed."),
    };
    Ok(if skipped.is_empty() { done } else { format!("{done} Not changed: {}.", skipped.join("; ")) })
}
