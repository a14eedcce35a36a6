//! A product's options and variants: which variant a shopper means (by id,
//! by option values, or the only one), the picker's data for the product
//! page, and the back office's changes: setting the options (the variants
//! follow: kept where their values stay, relabelled in order, the rest
//! removed when nothing holds them) and editing one variant's SKU, price,
//! compare-at price, weight, low-stock threshold and picture.
//! `products.price_minor` and `compare_at_minor` follow the cheapest variant
//! (cards, sorting and search show "from" it); `products.stock` is their
//! sum (a trigger).

use crate::domain::money::{Currency, Money};
use crate::domain::money::parse_amount;
use crate::domain::product_bulk::adjusted_price;
use crate::domain::variants::{
    check_sku, combinations, options_text, parse_options, suggested_sku, title, ProductOption, StaffVariant, Variant,
    MAX_OPTIONS,
};
use crate::error::AppError;
use crate::ssr::accounts::audit::{record_change, Event};
use crate::ssr::catalog::staff::{catalog_staff, reachable};
use crate::ssr::now;
use sqlx::AnyConnection;

type VariantRow = (i64, String, String, String, String, i64, Option<i64>, i64, Option<String>);

const VARIANT_COLUMNS: &str =
    "id, sku, option1, option2, option3, price_minor, compare_at_minor, stock, image_url FROM product_variants";

/// Product `id`'s option names, in order.
async fn option_names(conn: &mut AnyConnection, product: i64) -> Result<Vec<String>, AppError> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT name FROM product_options WHERE product_id = $1 ORDER BY position")
        .bind(product)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

async fn variant_rows(conn: &mut AnyConnection, product: i64) -> Result<Vec<VariantRow>, AppError> {
    Ok(sqlx::query_as(&format!("SELECT {VARIANT_COLUMNS} WHERE product_id = $1 ORDER BY position, id"))
        .bind(product)
        .fetch_all(&mut *conn)
        .await?)
}

/// The options (with their values in the variants' order) and variants of
/// product `id`, priced in `currency`, as its page offers them.
pub async fn for_page(conn: &mut AnyConnection, product: i64, currency: Currency) -> Result<(Vec<ProductOption>, Vec<Variant>), AppError> {
    let names = option_names(conn, product).await?;
    let rows = variant_rows(conn, product).await?;
    let mut options: Vec<ProductOption> = names.into_iter().map(|name| ProductOption { name, values: Vec::new() }).collect();
    let mut variants = Vec::with_capacity(rows.len());
    for (id, sku, o1, o2, o3, price, compare_at, stock, image) in rows {
        let values: Vec<String> = [o1, o2, o3].into_iter().take(options.len()).collect();
        for (option, value) in options.iter_mut().zip(&values) {
            if !option.values.contains(value) {
                option.values.push(value.clone());
            }
        }
        variants.push(Variant {
            id,
            sku,
            values,
            price: Money::new(price, currency),
            compare_at: compare_at.filter(|was| *was > price).map(|was| Money::new(was, currency)),
            stock,
            image,
        });
    }
    Ok((options, variants))
}

/// Which variant of active product `product` the shopper means: `variant`
/// when given (it must be the product's), else the one with option
/// `values` (one per option), else its only variant.
pub async fn resolve(conn: &mut AnyConnection, product: i64, variant: Option<i64>, values: &[String; 3]) -> Result<i64, AppError> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT v.id, v.option1, v.option2, v.option3 FROM product_variants v JOIN products p ON p.id = v.product_id \
         WHERE v.product_id = $1 AND p.status = 'active' ORDER BY v.position, v.id",
    )
    .bind(product)
    .fetch_all(&mut *conn)
    .await?;
    if rows.is_empty() {
        return Err(AppError::NotFound("That product is no longer sold.".into()));
    }
    if let Some(id) = variant {
        return rows
            .iter()
            .find(|r| r.0 == id)
            .map(|r| r.0)
            .ok_or_else(|| AppError::NotFound("That variant of the product is no longer sold.".into()));
    }
    let names = option_names(conn, product).await?;
    if names.is_empty() {
        return Ok(rows[0].0);
    }
    let chosen: Vec<&str> = values.iter().map(|v| v.trim()).collect();
    let unchosen: Vec<&str> =
        names.iter().zip(&chosen).filter(|(_, v)| v.is_empty()).map(|(n, _)| n.as_str()).collect();
    if !unchosen.is_empty() {
        return Err(AppError::BadRequest(format!("Choose a {} first.", unchosen.join(" and ").to_lowercase())));
    }
    rows.iter()
        .find(|(_, a, b, c)| [a, b, c].iter().zip(&chosen).take(names.len()).all(|(x, y)| x.as_str() == *y))
        .map(|r| r.0)
        .ok_or_else(|| AppError::NotFound(format!("{} is not sold in that combination.", title(&chosen))))
}

/// [`resolve`] for an API client's order line: `variant` of `product`, or
/// its only variant; an unknown product is a bad request (not a missing page).
pub async fn resolve_line(db: &crate::ssr::db::Db, product: i64, variant: Option<i64>) -> Result<i64, AppError> {
    let mut conn = db.pool.acquire().await?;
    match resolve(&mut conn, product, variant, &Default::default()).await {
        Err(AppError::NotFound(_)) => {
            Err(AppError::BadRequest("An item in your cart is no longer sold: remove it to check out.".into()))
        }
        other => other,
    }
}

/// Gives new product `product` (no options yet) its default variant, with
/// the product's price, weight and threshold and no stock.
pub async fn create_default(conn: &mut AnyConnection, product: i64) -> Result<(), AppError> {
    let sku = free_sku(conn, &format!("SKU-{product}")).await?;
    sqlx::query(
        "INSERT INTO product_variants (product_id, position, sku, price_minor, compare_at_minor, stock, weight_grams, \
             low_stock_threshold, low_stock_own, created_at) \
         SELECT id, 0, $2, price_minor, compare_at_minor, 0, weight_grams, low_stock_threshold, low_stock_own, $3 \
         FROM products WHERE id = $1",
    )
    .bind(product)
    .bind(&sku)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Gives copy `copy` of product `original` the same options and variants
/// (SKUs with `-COPY` and a number, no stock, the same pictures).
pub async fn copy_variants(conn: &mut AnyConnection, original: i64, copy: i64) -> Result<(), AppError> {
    sqlx::query("INSERT INTO product_options (product_id, position, name) SELECT $2, position, name FROM product_options WHERE product_id = $1")
        .bind(original)
        .bind(copy)
        .execute(&mut *conn)
        .await?;
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT sku, id FROM product_variants WHERE product_id = $1 ORDER BY position, id")
        .bind(original)
        .fetch_all(&mut *conn)
        .await?;
    for (sku, id) in rows {
        let new_sku = free_sku(conn, &format!("{}-COPY", sku.chars().take(56).collect::<String>())).await?;
        sqlx::query(
            "INSERT INTO product_variants (product_id, position, sku, option1, option2, option3, price_minor, compare_at_minor, \
                 stock, weight_grams, low_stock_threshold, low_stock_own, image_url, created_at) \
             SELECT $2, position, $3, option1, option2, option3, price_minor, compare_at_minor, 0, weight_grams, \
                 low_stock_threshold, low_stock_own, image_url, $4 FROM product_variants WHERE id = $1",
        )
        .bind(id)
        .bind(copy)
        .bind(&new_sku)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// `wanted`, or `wanted-2`, `wanted-3`, … if another variant has it.
async fn free_sku(conn: &mut AnyConnection, wanted: &str) -> Result<String, AppError> {
    for n in 1..=1000 {
        let candidate = if n == 1 { wanted.to_owned() } else { format!("{wanted}-{n}") };
        let taken: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM product_variants WHERE sku = $1").bind(&candidate).fetch_optional(&mut *conn).await?;
        if taken.is_none() {
            return Ok(candidate);
        }
    }
    Err(AppError::Conflict("No free SKU could be found; enter one yourself.".into()))
}

/// After the product editor saved product `product`: without options its
/// one variant takes the product's price, compare-at price, weight and
/// threshold; with options the product shows its cheapest variant's.
pub async fn follow_product(conn: &mut AnyConnection, product: i64) -> Result<(), AppError> {
    if option_names(conn, product).await?.is_empty() {
        sqlx::query(
            "UPDATE product_variants SET price_minor = (SELECT price_minor FROM products WHERE id = $1), \
                 compare_at_minor = (SELECT compare_at_minor FROM products WHERE id = $1), \
                 weight_grams = (SELECT weight_grams FROM products WHERE id = $1), \
                 low_stock_threshold = (SELECT low_stock_threshold FROM products WHERE id = $1), \
                 low_stock_own = (SELECT low_stock_own FROM products WHERE id = $1), version = version + 1 \
             WHERE product_id = $1",
        )
        .bind(product)
        .execute(&mut *conn)
        .await?;
        return Ok(());
    }
    summarize(conn, product).await
}

/// The bulk price change: every variant of product `product` by
/// `hundredths` of a percent (see [`adjusted_price`]); the product then
/// shows its cheapest (without options: its one variant has its price).
pub async fn scale_prices(conn: &mut AnyConnection, product: i64, hundredths: i64) -> Result<(), AppError> {
    if option_names(conn, product).await?.is_empty() {
        return follow_product(conn, product).await;
    }
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, price_minor FROM product_variants WHERE product_id = $1").bind(product).fetch_all(&mut *conn).await?;
    for (id, price) in rows {
        sqlx::query("UPDATE product_variants SET price_minor = $2, version = version + 1 WHERE id = $1")
            .bind(id)
            .bind(adjusted_price(price, hundredths))
            .execute(&mut *conn)
            .await?;
    }
    summarize(conn, product).await
}

/// Product `product` shows its cheapest variant's price and compare-at price.
async fn summarize(conn: &mut AnyConnection, product: i64) -> Result<(), AppError> {
    let cheapest: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT price_minor, compare_at_minor FROM product_variants WHERE product_id = $1 ORDER BY price_minor, position, id LIMIT 1",
    )
    .bind(product)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((price, compare_at)) = cheapest {
        sqlx::query("UPDATE products SET price_minor = $2, compare_at_minor = $3, updated_at = $4 WHERE id = $1")
            .bind(product)
            .bind(price)
            .bind(compare_at)
            .bind(now())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Product `id`'s options as the editor's text and its variants as the
/// editor's table.
pub async fn for_editor(conn: &mut AnyConnection, product: i64) -> Result<(String, Vec<StaffVariant>), AppError> {
    let names = option_names(conn, product).await?;
    let rows: Vec<(i64, String, String, String, String, i64, Option<i64>, i64, i64, i64, Option<String>, i64, i64, i64)> = sqlx::query_as(
        "SELECT v.id, v.sku, v.option1, v.option2, v.option3, v.price_minor, v.compare_at_minor, v.stock, v.weight_grams, \
                v.low_stock_threshold, v.image_url, (SELECT COUNT(*) FROM order_lines l WHERE l.variant_id = v.id), v.version, \
                v.low_stock_own \
         FROM product_variants v WHERE v.product_id = $1 ORDER BY v.position, v.id",
    )
    .bind(product)
    .fetch_all(&mut *conn)
    .await?;
    let mut options: Vec<ProductOption> = names.into_iter().map(|name| ProductOption { name, values: Vec::new() }).collect();
    let amount = crate::ssr::catalog::staff::amount_text;
    let variants = rows
        .into_iter()
        .map(|(id, sku, o1, o2, o3, price, compare_at, stock, weight, threshold, image, orders, version, own)| {
            let values: Vec<String> = [o1, o2, o3].into_iter().take(options.len()).collect();
            for (option, value) in options.iter_mut().zip(&values) {
                if !option.values.contains(value) {
                    option.values.push(value.clone());
                }
            }
            StaffVariant {
                id,
                version,
                sku,
                title: title(&values),
                price: amount(price),
                compare_at: compare_at.map(amount).unwrap_or_default(),
                weight_grams: weight.to_string(),
                // Empty: it follows the shop's low-stock default.
                low_stock: if own == 1 { threshold.to_string() } else { String::new() },
                image: image.unwrap_or_default(),
                stock,
                ordered: orders > 0,
            }
        })
        .collect();
    Ok((options_text(&options), variants))
}

/// Staff: sets product `product`'s options from the editor's text. Variants
/// whose values stay are kept; the others take the new combinations in
/// order (their stock, SKU and history with them), new combinations get new
/// variants (the product's price, no stock), and variants left over are
/// removed, which is refused for one with stock or orders. Refused when
/// the product was saved by someone else since `version` (the editor's).
pub async fn set_options(product: i64, version: i64, text: &str) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let options = parse_options(text).map_err(AppError::BadRequest)?;
    let ip = crate::ssr::accounts::checks::client_ip().await.to_string();
    let mut tx = state.db.begin_write().await?;
    let stored = reachable(&mut tx, reach, product, true).await?;
    if stored.version != version {
        return Err(super::staff::stale_product());
    }
    let before_names = option_names(&mut tx, product).await?;
    let rows: Vec<(i64, String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT v.id, v.sku, v.option1, v.option2, v.option3, v.stock, (SELECT COUNT(*) FROM order_lines l WHERE l.variant_id = v.id) \
         FROM product_variants v WHERE v.product_id = $1 ORDER BY v.position, v.id",
    )
    .bind(product)
    .fetch_all(&mut *tx)
    .await?;
    let wanted = combinations(&options);
    let values_of = |r: &(i64, String, String, String, String, i64, i64)| -> Vec<String> {
        [r.2.clone(), r.3.clone(), r.4.clone()].into_iter().take(options.len()).collect()
    };
    // Which existing variant each wanted combination is: the same values, else a spare one in order.
    let mut assigned: Vec<Option<usize>> =
        wanted.iter().map(|combo| rows.iter().position(|r| before_names.len() == options.len() && &values_of(r) == combo)).collect();
    let mut spare: Vec<usize> = (0..rows.len()).filter(|i| !assigned.contains(&Some(*i))).collect();
    spare.reverse();
    for slot in assigned.iter_mut().filter(|a| a.is_none()) {
        *slot = spare.pop();
    }
    spare.reverse();
    for &i in &spare {
        let (_, sku, _, _, _, stock, orders) = &rows[i];
        let name = title(&[rows[i].2.as_str(), rows[i].3.as_str(), rows[i].4.as_str()]);
        let name = if name.is_empty() { sku.clone() } else { name };
        if *stock > 0 {
            return Err(AppError::Conflict(format!(
                "These options drop the variant {name}, which has {stock} in stock: take its stock to 0 first."
            )));
        }
        if *orders > 0 {
            return Err(AppError::Conflict(format!("These options drop the variant {name}, which has been ordered: it stays.")));
        }
    }
    // Values move in two steps, so no combination is briefly held twice (the unique key).
    for (position, slot) in assigned.iter().enumerate() {
        if let Some(i) = slot {
            sqlx::query("UPDATE product_variants SET option1 = $2, option2 = '', option3 = '', position = $3 WHERE id = $1")
                .bind(rows[*i].0)
                .bind(format!("\u{1f}{position}"))
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
        }
    }
    for &i in &spare {
        sqlx::query("DELETE FROM product_variants WHERE id = $1").bind(rows[i].0).execute(&mut *tx).await?;
    }
    let base = rows.first().map(|r| r.1.clone()).unwrap_or_else(|| format!("SKU-{product}"));
    let base: String = base.split('-').take(2).collect::<Vec<_>>().join("-");
    for (position, (combo, slot)) in wanted.iter().zip(&assigned).enumerate() {
        let value = |k: usize| combo.get(k).cloned().unwrap_or_default();
        match slot {
            Some(i) => {
                sqlx::query("UPDATE product_variants SET option1 = $2, option2 = $3, option3 = $4, version = version + 1 WHERE id = $1")
                    .bind(rows[*i].0)
                    .bind(value(0))
                    .bind(value(1))
                    .bind(value(2))
                    .execute(&mut *tx)
                    .await?;
            }
            None => {
                let sku = free_sku(&mut tx, &suggested_sku(&base, combo)).await?;
                sqlx::query(
                    "INSERT INTO product_variants (product_id, position, sku, option1, option2, option3, price_minor, \
                         compare_at_minor, stock, weight_grams, low_stock_threshold, low_stock_own, created_at) \
                     SELECT id, $2, $3, $4, $5, $6, price_minor, compare_at_minor, 0, weight_grams, low_stock_threshold, \
                         low_stock_own, $7 \
                     FROM products WHERE id = $1",
                )
                .bind(product)
                .bind(position as i64)
                .bind(&sku)
                .bind(value(0))
                .bind(value(1))
                .bind(value(2))
                .bind(now())
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    sqlx::query("DELETE FROM product_options WHERE product_id = $1").bind(product).execute(&mut *tx).await?;
    for (i, option) in options.iter().enumerate().take(MAX_OPTIONS) {
        sqlx::query("INSERT INTO product_options (product_id, position, name) VALUES ($1, $2, $3)")
            .bind(product)
            .bind(i as i64 + 1)
            .bind(&option.name)
            .execute(&mut *tx)
            .await?;
    }
    summarize(&mut tx, product).await?;
    sqlx::query("UPDATE products SET version = version + 1 WHERE id = $1").bind(product).execute(&mut *tx).await?;
    let before = if before_names.is_empty() { "none".to_owned() } else { before_names.join(", ") };
    let after = options_text(&options).replace('\n', "; ");
    let detail = format!(
        "product {product} “{}”: options {before} → {}; {} variants",
        stored.name,
        if after.is_empty() { "none".to_owned() } else { after },
        wanted.len()
    );
    record_change(&mut tx, Some(user.id), &user.email, Event::ProductChanged, &ip, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// What the back office sends for one variant.
pub struct VariantInput<'a> {
    pub sku: &'a str,
    pub price: &'a str,
    pub compare_at: &'a str,
    pub weight_grams: &'a str,
    pub low_stock: &'a str,
    /// One of the product's image URLs, or empty for the product's first.
    pub image: &'a str,
}

/// Staff: saves variant `variant` of product `product`, unless someone
/// else saved it since `version` (the one the editor showed).
pub async fn save_variant(product: i64, variant: i64, version: i64, input: VariantInput<'_>) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (user, reach) = catalog_staff(&state.db).await?;
    let sku = check_sku(input.sku).map_err(AppError::BadRequest)?;
    let price = parse_amount(input.price).map_err(|e| AppError::BadRequest(format!("Price: {e}")))?;
    let compare_at = match input.compare_at.trim() {
        "" => None,
        raw => Some(parse_amount(raw).map_err(|e| AppError::BadRequest(format!("Compare-at price: {e}")))?),
    };
    if compare_at.is_some_and(|was| was <= price) {
        return Err(AppError::BadRequest("The compare-at price must be higher than the price (it is shown as a saving).".into()));
    }
    let whole = |raw: &str, what: &str| -> Result<i64, AppError> {
        raw.trim().parse::<i64>().ok().filter(|n| (0..=1_000_000).contains(n)).ok_or_else(|| {
            AppError::BadRequest(format!("Enter the {what} as a whole number from 0 to 1000000."))
        })
    };
    let weight = whole(input.weight_grams, "weight in grams")?;
    let own = crate::domain::products::low_stock(input.low_stock).map_err(AppError::BadRequest)?;
    let ip = crate::ssr::accounts::checks::client_ip().await.to_string();
    let mut tx = state.db.begin_write().await?;
    let stored = reachable(&mut tx, reach, product, true).await?;
    // Empty: the shop's default, which it then follows.
    let threshold = match own {
        Some(n) => n,
        None => crate::ssr::settings::for_copying(&mut tx).await?.low_stock_default,
    };
    let image = match input.image.trim() {
        "" => None,
        url => {
            let found: Option<(String,)> = sqlx::query_as("SELECT url FROM product_images WHERE product_id = $1 AND url = $2")
                .bind(product)
                .bind(url)
                .fetch_optional(&mut *tx)
                .await?;
            Some(found.ok_or_else(|| AppError::BadRequest("Choose one of the product's own images.".into()))?.0)
        }
    };
    let before: Option<(String, i64, Option<i64>, i64, i64, Option<String>, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT sku, price_minor, compare_at_minor, weight_grams, low_stock_threshold, image_url, option1, option2, option3, version, \
                low_stock_own \
         FROM product_variants WHERE id = $1 AND product_id = $2",
    )
    .bind(variant)
    .bind(product)
    .fetch_optional(&mut *tx)
    .await?;
    let (old_sku, old_price, old_compare, old_weight, old_threshold, old_image, o1, o2, o3, stored_version, old_own) =
        before.ok_or_else(|| AppError::NotFound("This product has no such variant.".into()))?;
    let label = title(&[o1, o2, o3]);
    if stored_version != version {
        let named = if label.is_empty() { old_sku } else { label };
        return Err(AppError::Conflict(format!(
            "Someone else changed the variant {named} after you opened it, so your changes to it were not saved. \
             Copy what you typed, reload the page to see their version, and make your changes again."
        )));
    }
    let done = sqlx::query(
        "UPDATE product_variants SET sku = $3, price_minor = $4, compare_at_minor = $5, weight_grams = $6, \
             low_stock_threshold = $7, image_url = $8, low_stock_own = $9, version = version + 1 WHERE id = $1 AND product_id = $2",
    )
    .bind(variant)
    .bind(product)
    .bind(&sku)
    .bind(price)
    .bind(compare_at)
    .bind(weight)
    .bind(threshold)
    .bind(&image)
    .bind(i64::from(own.is_some()))
    .execute(&mut *tx)
    .await;
    match done {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AppError::Conflict(format!("Another variant already has the SKU {sku}.")));
        }
        other => {
            other?;
        }
    }
    // Without options, the product's own fields are the variant's.
    if option_names(&mut tx, product).await?.is_empty() {
        sqlx::query(
            "UPDATE products SET price_minor = $2, compare_at_minor = $3, weight_grams = $4, low_stock_threshold = $5, \
                 low_stock_own = $7, version = version + 1, updated_at = $6 WHERE id = $1",
        )
        .bind(product)
        .bind(price)
        .bind(compare_at)
        .bind(weight)
        .bind(threshold)
        .bind(now())
        .bind(i64::from(own.is_some()))
        .execute(&mut *tx)
        .await?;
    } else {
        summarize(&mut tx, product).await?;
    }
    let amount = crate::ssr::catalog::staff::amount_text;
    let mut changes = crate::ssr::accounts::audit::Changes::default();
    changes.field("SKU", old_sku, sku.clone());
    changes.field("price", amount(old_price), amount(price));
    changes.field("compare-at price", old_compare.map(amount).unwrap_or_default(), compare_at.map(amount).unwrap_or_default());
    changes.field("weight", old_weight.to_string(), weight.to_string());
    let shown = |own: Option<i64>| own.map_or_else(|| "shop default".to_owned(), |n| n.to_string());
    changes.field("low-stock threshold", shown((old_own == 1).then_some(old_threshold)), shown(own));
    changes.field("image", old_image.unwrap_or_default(), image.unwrap_or_default());
    let detail = format!("product {product} “{}” variant {variant} {label}: {}", stored.name, changes.text());
    record_change(&mut tx, Some(user.id), &user.email, Event::ProductChanged, &ip, &detail).await?;
    tx.commit().await?;
    Ok(())
}
