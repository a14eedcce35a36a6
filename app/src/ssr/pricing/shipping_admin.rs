//! Admins managing shipping: zones (their name and places; a place is in
//! one zone at most) and each zone's methods (rate and delivery time).
//! Checkout reads the same rows (`quote`), so a change applies to the next
//! cart. Orders keep the method's code and price they were placed with.
//! Every change is in the audit log.

use crate::domain::money::{Currency, Money};
use crate::domain::shipping::{delivery_text, place_text, MethodFields, MethodInput, MethodRow, Place, ZoneInput, ZoneRow};
use crate::error::AppError;
use crate::ssr::accounts::audit::Event;
use crate::ssr::accounts::commit_audited;
use crate::ssr::accounts::users::User;
use crate::ssr::db::Statement;
use sqlx::AnyConnection;

const WHAT: &str = "manage shipping";

async fn admin() -> Result<User, AppError> {
    crate::ssr::accounts::signed_in_admin(&crate::ssr::state()?.db, WHAT).await
}


type StoredMethod = (i64, String, String, String, i64, i64, Option<i64>, Option<i64>, Option<i64>);

/// Every zone, with its places and methods.
pub async fn page() -> Result<Vec<ZoneRow>, AppError> {
    admin().await?;
    let mut conn = crate::ssr::state()?.db.pool.acquire().await?;
    let zones: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM shipping_zones ORDER BY position, id").fetch_all(&mut *conn).await?;
    let places: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT zone_id, country, region FROM shipping_zone_places ORDER BY country, region").fetch_all(&mut *conn).await?;
    let methods: Vec<StoredMethod> = sqlx::query_as(
        "SELECT zone_id, code, name, kind, base_minor, per_kg_minor, free_above_minor, min_days, max_days FROM shipping_methods \
         WHERE zone_id IS NOT NULL ORDER BY position, code",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(zones
        .into_iter()
        .map(|(id, name)| ZoneRow {
            id,
            name,
            places: places
                .iter()
                .filter(|p| p.0 == id)
                .map(|(_, country, region)| match place_text(&(country.clone(), region.clone())).as_str() {
                    "everywhere else" => "*".to_owned(),
                    text => text.to_owned(),
                })
                .collect::<Vec<_>>()
                .join(", "),
            methods: methods.iter().filter(|m| m.0 == id).map(method_row).collect(),
        })
        .collect())
}

fn method_row((_, code, name, kind, base, per_kg, free_above, min_days, max_days): &StoredMethod) -> MethodRow {
    // Rates are typed in the shop's main currency; the summary shows amounts without guessing another.
    let money = |minor: i64| Money::new(minor, Currency::Usd).to_string();
    let amount = crate::ssr::catalog::staff::amount_text;
    let mut summary = if kind == "weight" { format!("{} + {} per kg", money(*base), money(*per_kg)) } else { format!("Flat {}", money(*base)) };
    if let Some(free) = free_above {
        summary.push_str(&format!(", free from {}", money(*free)));
    }
    let days = delivery_text(*min_days, *max_days);
    if !days.is_empty() {
        summary.push_str(&format!(" · {days}"));
    }
    MethodRow {
        code: code.clone(),
        summary,
        input: MethodInput {
            name: name.clone(),
            kind: kind.clone(),
            base: amount(*base),
            per_kg: amount(*per_kg),
            free_above: free_above.map(amount).unwrap_or_default(),
            min_days: min_days.map(|d| d.to_string()).unwrap_or_default(),
            max_days: max_days.map(|d| d.to_string()).unwrap_or_default(),
        },
    }
}

/// Refuses places another zone than `zone` already has.
async fn places_free(conn: &mut AnyConnection, zone: i64, places: &[Place]) -> Result<(), AppError> {
    for place in places {
        let taken: Option<(String,)> = sqlx::query_as(
            "SELECT z.name FROM shipping_zone_places p JOIN shipping_zones z ON z.id = p.zone_id \
             WHERE p.country = $1 AND p.region = $2 AND p.zone_id <> $3",
        )
        .bind(&place.0)
        .bind(&place.1)
        .bind(zone)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some((other,)) = taken {
            return Err(AppError::Conflict(format!("{} is already in the zone “{other}”: take it out there first.", place_text(place))));
        }
    }
    Ok(())
}

/// Creates a zone (`id` 0) or renames zone `id` and replaces its places.
pub async fn save_zone(id: i64, input: ZoneInput) -> Result<i64, AppError> {
    let user = admin().await?;
    let (name, places) = input.check().map_err(AppError::BadRequest)?;
    let mut tx = crate::ssr::state()?.db.begin_write().await?;
    places_free(&mut tx, id, &places).await?;
    let clash = |e: sqlx::Error| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => AppError::Conflict(format!("There is already a zone called “{name}”.")),
        other => other.into(),
    };
    let (id, before) = if id == 0 {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO shipping_zones (name, position) SELECT $1, COALESCE(MAX(position), 0) + 1 FROM shipping_zones RETURNING id",
        )
        .bind(&name)
        .fetch_one(&mut *tx)
        .await
        .map_err(clash)?;
        (id, "new".to_owned())
    } else {
        let old: Option<(String,)> = sqlx::query_as("SELECT name FROM shipping_zones WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        let (old,) = old.ok_or_else(|| AppError::NotFound("There is no such shipping zone.".into()))?;
        sqlx::query("UPDATE shipping_zones SET name = $2 WHERE id = $1").bind(id).bind(&name).execute(&mut *tx).await.map_err(clash)?;
        sqlx::query("DELETE FROM shipping_zone_places WHERE zone_id = $1").bind(id).execute(&mut *tx).await?;
        (id, format!("was “{old}”"))
    };
    for place in &places {
        sqlx::query("INSERT INTO shipping_zone_places (zone_id, country, region) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(&place.0)
            .bind(&place.1)
            .execute(&mut *tx)
            .await
            .map_err(|e| match e {
                // Another admin put it in their zone a moment ago.
                sqlx::Error::Database(d) if d.is_unique_violation() => {
                    AppError::Conflict(format!("{} was just put in another zone: reload the page.", place_text(place)))
                }
                other => other.into(),
            })?;
    }
    let list = places.iter().map(place_text).collect::<Vec<_>>().join(", ");
    commit_audited(tx, &user, Event::ShippingZoneSaved, &format!("shipping zone {id} “{name}” ({before}): {list}")).await?;
    Ok(id)
}

/// Deletes zone `id` with its methods: its places are then shipped to by
/// no zone (or "everywhere else"'s).
pub async fn delete_zone(id: i64) -> Result<(), AppError> {
    let user = admin().await?;
    let mut tx = crate::ssr::state()?.db.begin_write().await?;
    sqlx::query("DELETE FROM shipping_methods WHERE zone_id = $1").bind(id).execute(&mut *tx).await?;
    let gone: Option<(String,)> = sqlx::query_as("DELETE FROM shipping_zones WHERE id = $1 RETURNING name").bind(id).fetch_optional(&mut *tx).await?;
    let (name,) = gone.ok_or_else(|| AppError::NotFound("There is no such shipping zone.".into()))?;
    commit_audited(tx, &user, Event::ShippingZoneDeleted, &format!("shipping zone {id} “{name}” deleted with its methods")).await
}

/// Binds a method's code and zone as `$1` and `$2`, its fields as `$3`…`$9`.
fn with_method<'q>(statement: Statement<'q>, code: &'q str, zone: i64, m: &'q MethodFields) -> Statement<'q> {
    statement
        .bind(code)
        .bind(zone)
        .bind(&m.name)
        .bind(&m.kind)
        .bind(m.base)
        .bind(m.per_kg)
        .bind(m.free_above)
        .bind(m.min_days)
        .bind(m.max_days)
}

/// Adds a method to zone `zone` (`code` empty) or changes method `code` of it.
pub async fn save_method(zone: i64, code: String, input: MethodInput) -> Result<(), AppError> {
    let user = admin().await?;
    let m: MethodFields = input.check().map_err(AppError::BadRequest)?;
    let mut tx = crate::ssr::state()?.db.begin_write().await?;
    let found: Option<(String,)> = sqlx::query_as("SELECT name FROM shipping_zones WHERE id = $1").bind(zone).fetch_optional(&mut *tx).await?;
    let (zone_name,) = found.ok_or_else(|| AppError::NotFound("There is no such shipping zone.".into()))?;
    let code = if code.trim().is_empty() {
        let base: String = crate::domain::slug::Slug::from_title(&m.name).as_str().chars().take(40).collect();
        let mut chosen = None;
        for n in 1..=100 {
            let candidate = if n == 1 { format!("{base}-{zone}") } else { format!("{base}-{zone}-{n}") };
            let taken: Option<(String,)> =
                sqlx::query_as("SELECT code FROM shipping_methods WHERE code = $1").bind(&candidate).fetch_optional(&mut *tx).await?;
            if taken.is_none() {
                chosen = Some(candidate);
                break;
            }
        }
        let code = chosen.ok_or_else(|| AppError::Conflict("This zone has too many methods of that name.".into()))?;
        with_method(
            sqlx::query(
                "INSERT INTO shipping_methods (code, zone_id, name, kind, base_minor, per_kg_minor, free_above_minor, min_days, max_days, position) \
                 SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE(MAX(position), 0) + 1 FROM shipping_methods",
            ),
            &code,
            zone,
            &m,
        )
        .execute(&mut *tx)
        .await?;
        code
    } else {
        let done = with_method(
            sqlx::query(
                "UPDATE shipping_methods SET name = $3, kind = $4, base_minor = $5, per_kg_minor = $6, free_above_minor = $7, \
                     min_days = $8, max_days = $9 WHERE code = $1 AND zone_id = $2",
            ),
            code.trim(),
            zone,
            &m,
        )
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(AppError::NotFound("This zone has no such shipping method.".into()));
        }
        code.trim().to_owned()
    };
    let stored: StoredMethod = (zone, code.clone(), m.name.clone(), m.kind.clone(), m.base, m.per_kg, m.free_above, m.min_days, m.max_days);
    let detail = format!("shipping method {code} of “{zone_name}”: {} — {}", m.name, method_row(&stored).summary);
    commit_audited(tx, &user, Event::ShippingMethodSaved, &detail).await
}

/// Deletes shipping method `code` (orders placed with it keep what they paid for shipping).
pub async fn delete_method(code: String) -> Result<(), AppError> {
    let user = admin().await?;
    let mut tx = crate::ssr::state()?.db.begin_write().await?;
    let gone: Option<(String,)> =
        sqlx::query_as("DELETE FROM shipping_methods WHERE code = $1 RETURNING name").bind(code.trim()).fetch_optional(&mut *tx).await?;
    let (name,) = gone.ok_or_else(|| AppError::NotFound("There is no such shipping method.".into()))?;
    commit_audited(tx, &user, Event::ShippingMethodDeleted, &format!("shipping method {} “{name}” deleted", code.trim())).await
}
