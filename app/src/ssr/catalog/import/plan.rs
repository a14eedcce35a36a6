//! What importing a batch of products would do: the shop's side read in a
//! few statements per batch (products by handle, their options and
//! variants, and who holds each SKU), then each line decided: created,
//! changed (and how), unchanged, or refused (and why). The dry run shows
//! the plan; the job writes it (`write.rs`) in the same transaction that
//! read it, so what it writes is what it checked.

use crate::domain::catalog_import::{Group, ImportLine, Outcome, ReportLine};
use crate::domain::money::Currency;
use crate::domain::products::ProductStatus;
use crate::error::AppError;
use crate::ssr::accounts::audit::Changes;
use crate::ssr::accounts::Staff;
use crate::ssr::catalog::staff::amount_text;
use crate::ssr::db::placeholders;
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};

/// What the shop has that a file's lines name, read once per job.
pub struct Lookups {
    brands: HashMap<String, i64>,
    /// Slug → (id, department: its top-level ancestor).
    categories: HashMap<String, (i64, i64)>,
    /// Category id → department.
    departments: HashMap<i64, i64>,
    tax_classes: HashSet<String>,
    pub low_stock_default: i64,
}

impl Lookups {
    pub async fn read(conn: &mut AnyConnection) -> Result<Self, AppError> {
        let brands: Vec<(String, i64)> = sqlx::query_as("SELECT slug, id FROM brands").fetch_all(&mut *conn).await?;
        let categories: Vec<(String, i64, Option<i64>)> =
            sqlx::query_as("SELECT slug, id, parent_id FROM categories").fetch_all(&mut *conn).await?;
        let classes: Vec<(String,)> = sqlx::query_as("SELECT code FROM tax_classes").fetch_all(&mut *conn).await?;
        let (low_stock_default,): (i64,) =
            sqlx::query_as("SELECT low_stock_default FROM shop_settings WHERE id = 1").fetch_one(&mut *conn).await?;
        Ok(Self {
            departments: categories.iter().map(|(_, id, parent)| (*id, parent.unwrap_or(*id))).collect(),
            brands: brands.into_iter().collect(),
            categories: categories.into_iter().map(|(slug, id, parent)| (slug, (id, parent.unwrap_or(id)))).collect(),
            tax_classes: classes.into_iter().map(|(c,)| c).collect(),
            low_stock_default,
        })
    }
}

/// A product as stored, with what an import compares.
#[derive(sqlx::FromRow)]
pub struct StoredProduct {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub status: String,
    pub brand_id: i64,
    pub category_id: i64,
    pub tax_class: String,
    pub currency: String,
    pub description: String,
    pub seller_id: Option<i64>,
    /// Its images without alt text (a product needs none to be published).
    pub no_alt: i64,
}

/// A variant as stored.
#[derive(Clone, sqlx::FromRow)]
pub struct StoredVariant {
    pub id: i64,
    pub product_id: i64,
    pub sku: String,
    pub option1: String,
    pub option2: String,
    pub option3: String,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub stock: i64,
    pub weight_grams: i64,
    pub low_stock_threshold: i64,
    pub low_stock_own: i64,
}

impl StoredVariant {
    fn values(&self, options: usize) -> Vec<String> {
        [&self.option1, &self.option2, &self.option3].into_iter().take(options).cloned().collect()
    }
}

/// A product's fields as they are to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductRow {
    pub slug: String,
    pub name: String,
    pub status: ProductStatus,
    pub brand_id: i64,
    pub category_id: i64,
    pub department_id: i64,
    pub tax_class: String,
    pub currency: Currency,
    pub description: String,
}

/// A variant's fields as they are to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantRow {
    pub sku: String,
    pub values: Vec<String>,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub stock: i64,
    pub weight_grams: i64,
    pub low_stock_threshold: i64,
    pub low_stock_own: bool,
}

/// What to write for one product.
#[derive(Debug, Default)]
pub struct Plan {
    /// A product to create (with its option names and variants), or the id of the one to change.
    pub create: Option<(ProductRow, Vec<String>, Vec<VariantRow>)>,
    pub product: Option<i64>,
    /// Its fields, when any of them change.
    pub fields: Option<ProductRow>,
    /// New variants of the existing product.
    pub new_variants: Vec<VariantRow>,
    /// Changed variants: (id, stock before, as they are to be).
    pub changed: Vec<(i64, i64, VariantRow)>,
    /// Whether the product is sold one way (its variant's fields are its own).
    pub one_way: bool,
    /// What the audit log says of it (empty: nothing changes).
    pub audit: String,
    pub lines: Vec<ReportLine>,
}

/// What the shop holds of a batch's products: by handle, and who holds each SKU.
pub struct Stored {
    products: HashMap<String, StoredProduct>,
    options: HashMap<i64, Vec<String>>,
    variants: HashMap<i64, Vec<StoredVariant>>,
    /// SKU → product id, for every SKU the batch names.
    skus: HashMap<String, i64>,
}

/// Reads what the shop holds of `groups`, in five statements; with `lock`
/// (an import's write transaction) its products and variants stay locked
/// on PostgreSQL until it ends, so no one else's change meanwhile is lost.
pub async fn read_stored(conn: &mut AnyConnection, groups: &[Group], lock: bool) -> Result<Stored, AppError> {
    let locked = if lock && crate::ssr::db::is_postgres(conn) { " FOR UPDATE" } else { "" };
    let handles: Vec<&str> = groups.iter().map(|g| g.handle.as_str()).collect();
    let mut stored = Stored { products: HashMap::new(), options: HashMap::new(), variants: HashMap::new(), skus: HashMap::new() };
    if handles.is_empty() {
        return Ok(stored);
    }
    let sql = format!(
        "SELECT p.id, p.slug, p.name, p.status, p.brand_id, p.category_id, p.tax_class, p.currency, p.description, p.seller_id, \
                (SELECT COUNT(*) FROM product_images i WHERE i.product_id = p.id AND TRIM(i.alt) = '') AS no_alt \
         FROM products p WHERE p.slug IN ({}){locked}",
        placeholders(1, handles.len())
    );
    let mut query = sqlx::query_as::<_, StoredProduct>(&sql);
    for handle in &handles {
        query = query.bind(*handle);
    }
    let ids: Vec<i64> = {
        let products = query.fetch_all(&mut *conn).await?;
        let ids = products.iter().map(|p| p.id).collect();
        stored.products = products.into_iter().map(|p| (p.slug.clone(), p)).collect();
        ids
    };
    if !ids.is_empty() {
        let list = placeholders(1, ids.len());
        let sql = format!("SELECT product_id, name FROM product_options WHERE product_id IN ({list}) ORDER BY product_id, position");
        let mut query = sqlx::query_as::<_, (i64, String)>(&sql);
        for id in &ids {
            query = query.bind(*id);
        }
        for (product, name) in query.fetch_all(&mut *conn).await? {
            stored.options.entry(product).or_default().push(name);
        }
        let sql = format!(
            "SELECT id, product_id, sku, option1, option2, option3, price_minor, compare_at_minor, stock, weight_grams, \
                    low_stock_threshold, low_stock_own \
             FROM product_variants WHERE product_id IN ({list}) ORDER BY product_id, position, id{locked}"
        );
        let mut query = sqlx::query_as::<_, StoredVariant>(&sql);
        for id in &ids {
            query = query.bind(*id);
        }
        for variant in query.fetch_all(&mut *conn).await? {
            stored.skus.insert(variant.sku.clone(), variant.product_id);
            stored.variants.entry(variant.product_id).or_default().push(variant);
        }
    }
    // The SKUs the batch names that its products do not hold: someone else's?
    let others: Vec<&str> =
        groups.iter().flat_map(|g| &g.lines).map(|l| l.sku.as_str()).filter(|s| !stored.skus.contains_key(*s)).collect();
    for chunk in others.chunks(2000) {
        let sql = format!("SELECT sku, product_id FROM product_variants WHERE sku IN ({})", placeholders(1, chunk.len()));
        let mut query = sqlx::query_as::<_, (String, i64)>(&sql);
        for sku in chunk {
            query = query.bind(*sku);
        }
        stored.skus.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(stored)
}

/// The plan for `group`, given what the shop holds and who imports (`reach`).
pub fn plan(group: &Group, stored: &Stored, lookups: &Lookups, reach: Staff) -> Plan {
    let refuse_all = |why: &str| Plan { lines: refused(group, why), ..Plan::default() };
    let product = stored.products.get(group.handle.as_str());
    if let (Some(p), Staff::Seller(seller)) = (product, reach) {
        if p.seller_id != Some(seller) {
            return refuse_all(&format!("Another seller's product is at /p/{}: choose another handle.", group.handle.as_str()));
        }
    }
    let fields = match product_row(group, product, lookups) {
        Ok(fields) => fields,
        Err(why) => return refuse_all(&why),
    };
    match product {
        None => plan_new(group, fields, stored, lookups),
        Some(p) => plan_change(group, p, fields, stored, lookups),
    }
}

/// Every line of `group` refused for `why`.
fn refused(group: &Group, why: &str) -> Vec<ReportLine> {
    group.lines.iter().map(|l| ReportLine { line: l.line, sku: l.sku.clone(), outcome: Outcome::Refused(why.to_owned()) }).collect()
}

/// The product's fields as the file makes them (a left-out column keeps the
/// stored value, or for a new product takes the default).
fn product_row(group: &Group, stored: Option<&StoredProduct>, lookups: &Lookups) -> Result<ProductRow, String> {
    let cells = &group.product;
    let new = stored.is_none();
    let needed = |what: &str| format!("A new product needs a {what}: the file has no {what} column.");
    let name = match (&cells.name, stored) {
        (Some(name), _) => name.clone(),
        (None, Some(p)) => p.name.clone(),
        (None, None) => return Err(needed("name")),
    };
    let brand_id = match (&cells.brand, stored) {
        (Some(slug), _) => *lookups.brands.get(slug).ok_or_else(|| format!("There is no brand “{slug}”: add it under Brands first."))?,
        (None, Some(p)) => p.brand_id,
        (None, None) => return Err(needed("brand")),
    };
    let (category_id, department_id) = match (&cells.category, stored) {
        (Some(slug), _) => *lookups.categories.get(slug).ok_or_else(|| format!("There is no category “{slug}”: add it under Categories first."))?,
        (None, Some(p)) => (p.category_id, lookups.departments.get(&p.category_id).copied().unwrap_or(p.category_id)),
        (None, None) => return Err(needed("category")),
    };
    let tax_class = match (&cells.tax_class, stored) {
        (Some(code), _) if !lookups.tax_classes.contains(code) => return Err(format!("There is no tax class “{code}”: add it in Settings first.")),
        (Some(code), _) => code.clone(),
        (None, Some(p)) => p.tax_class.clone(),
        (None, None) => "standard".to_owned(),
    };
    let status = cells.status.or_else(|| stored.map(|p| ProductStatus::parse(&p.status).unwrap_or(ProductStatus::Draft))).unwrap_or(ProductStatus::Draft);
    let description = cells.description.clone().or_else(|| stored.map(|p| p.description.clone())).unwrap_or_default();
    let currency = cells.currency.or_else(|| stored.and_then(|p| Currency::parse(&p.currency))).unwrap_or(Currency::Usd);
    if status == ProductStatus::Active && stored.is_none_or(|p| p.status != "active") {
        let mut missing = Vec::new();
        if description.trim().is_empty() {
            missing.push("a description");
        }
        if stored.is_some_and(|p| p.no_alt > 0) {
            missing.push("alt text for every image");
        }
        if !missing.is_empty() {
            return Err(format!("To publish {}, it needs {} (or import it as a draft).", if new { "a new product" } else { "this product" }, missing.join(" and ")));
        }
    }
    Ok(ProductRow { slug: group.handle.as_str().to_owned(), name, status, brand_id, category_id, department_id, tax_class, currency, description })
}

/// A new variant from `line`: its price is needed, the rest has defaults.
fn new_variant(line: &ImportLine, lookups: &Lookups) -> Result<VariantRow, String> {
    let price = line.price.ok_or("A new variant needs a price: the file has no price column.")?;
    let threshold = line.low_stock.flatten();
    Ok(VariantRow {
        sku: line.sku.clone(),
        values: line.values.clone().unwrap_or_default(),
        price_minor: price,
        compare_at_minor: line.compare_at.flatten(),
        stock: line.stock.unwrap_or(0),
        weight_grams: line.weight_grams.unwrap_or(0),
        low_stock_threshold: threshold.unwrap_or(lookups.low_stock_default),
        low_stock_own: threshold.is_some(),
    })
}

/// A SKU the batch's line names that another product holds.
fn held_elsewhere(stored: &Stored, sku: &str, product: Option<i64>) -> Option<String> {
    stored
        .skus
        .get(sku)
        .filter(|holder| Some(**holder) != product)
        .map(|_| format!("The SKU {sku} is another product's: each SKU is one variant (change it in the file, or in that product's editor)."))
}

fn plan_new(group: &Group, fields: ProductRow, stored: &Stored, lookups: &Lookups) -> Plan {
    let options = group.product.options.clone().unwrap_or_default();
    if options.is_empty() && group.lines.len() > 1 {
        return Plan {
            lines: refused(group, "A product sold one way has one variant: give its lines options (option1_name, option1_value …) to sell it several ways."),
            ..Plan::default()
        };
    }
    let mut plan = Plan { one_way: options.is_empty(), ..Plan::default() };
    let mut variants = Vec::new();
    for line in &group.lines {
        match held_elsewhere(stored, &line.sku, None).map_or_else(|| new_variant(line, lookups), Err) {
            Ok(variant) => {
                variants.push(variant);
                plan.lines.push(ReportLine { line: line.line, sku: line.sku.clone(), outcome: Outcome::Created });
            }
            Err(why) => plan.lines.push(ReportLine { line: line.line, sku: line.sku.clone(), outcome: Outcome::Refused(why) }),
        }
    }
    if !variants.is_empty() {
        plan.audit = format!(
            "product “{}” ({}) created with {} variant{} ({})",
            fields.name,
            fields.slug,
            variants.len(),
            if variants.len() == 1 { "" } else { "s" },
            variants.iter().map(|v| v.sku.as_str()).collect::<Vec<_>>().join(", ")
        );
        plan.create = Some((fields, options, variants));
    }
    plan
}

fn plan_change(group: &Group, product: &StoredProduct, fields: ProductRow, stored: &Stored, lookups: &Lookups) -> Plan {
    let names = stored.options.get(&product.id).cloned().unwrap_or_default();
    if let Some(file) = group.product.options.as_ref().filter(|file| **file != names) {
        let shown = |n: &[String]| if n.is_empty() { "none".to_owned() } else { n.join(", ") };
        return Plan {
            lines: refused(group, &format!(
                "Its options in the shop are {}; the file says {}. Change a product's options in its editor, then import again.",
                shown(&names),
                shown(file)
            )),
            ..Plan::default()
        };
    }
    let variants = stored.variants.get(&product.id).map(Vec::as_slice).unwrap_or_default();
    let mut plan = Plan { product: Some(product.id), one_way: names.is_empty(), ..Plan::default() };
    let mut audit = Changes::default();
    let before = ProductRow {
        slug: product.slug.clone(),
        name: product.name.clone(),
        status: ProductStatus::parse(&product.status).unwrap_or(ProductStatus::Draft),
        brand_id: product.brand_id,
        category_id: product.category_id,
        department_id: fields.department_id,
        tax_class: product.tax_class.clone(),
        currency: Currency::parse(&product.currency).unwrap_or(Currency::Usd),
        description: product.description.clone(),
    };
    let mut product_changes = Changes::default();
    product_changes.field("name", before.name.clone(), fields.name.clone());
    product_changes.field("status", before.status.key(), fields.status.key());
    product_changes.field("brand", before.brand_id.to_string(), fields.brand_id.to_string());
    product_changes.field("category", before.category_id.to_string(), fields.category_id.to_string());
    product_changes.field("tax class", before.tax_class.clone(), fields.tax_class.clone());
    product_changes.field("currency", before.currency.code(), fields.currency.code());
    if before.description != fields.description {
        product_changes.field("description", crate::ssr::accounts::audit::summary(&before.description), crate::ssr::accounts::audit::summary(&fields.description));
    }
    // Whether anything differs (the audit's words shorten long descriptions).
    let differs = (&before.name, before.status, before.brand_id, before.category_id, &before.tax_class, before.currency, &before.description)
        != (&fields.name, fields.status, fields.brand_id, fields.category_id, &fields.tax_class, fields.currency, &fields.description);
    let product_said = differs.then(|| product_changes.text());
    let mut product_text = product_said.clone();
    if differs {
        plan.fields = Some(fields);
    }
    for line in &group.lines {
        let outcome = match variants.iter().find(|v| v.sku == line.sku) {
            Some(variant) => change_variant(line, variant, names.len(), lookups).map(|(row, text)| {
                if let (Some(row), Some(text)) = (row, &text) {
                    audit.field_text(&format!("{}: {text}", line.sku));
                    plan.changed.push((variant.id, variant.stock, row));
                }
                text
            }),
            None => held_elsewhere(stored, &line.sku, Some(product.id)).map_or_else(
                || add_variant(line, variants, &plan.new_variants, names.len(), lookups).map(|row| {
                    audit.field_text(&format!("variant {} added", line.sku));
                    plan.new_variants.push(row);
                    None
                }),
                Err,
            ),
        };
        let outcome = match outcome {
            Err(why) => Outcome::Refused(why),
            Ok(None) if variants.iter().all(|v| v.sku != line.sku) => Outcome::Created,
            Ok(text) => {
                // The product's own changes show on its first line.
                match (product_text.take(), text) {
                    (None, None) => Outcome::Unchanged,
                    (Some(p), None) => Outcome::Changed(p),
                    (None, Some(v)) => Outcome::Changed(v),
                    (Some(p), Some(v)) => Outcome::Changed(format!("{p}; {v}")),
                }
            }
        };
        plan.lines.push(ReportLine { line: line.line, sku: line.sku.clone(), outcome });
    }
    if plan.lines.iter().all(|l| matches!(l.outcome, Outcome::Refused(_))) {
        // Every line is refused: the product is left as it is.
        return Plan { lines: plan.lines, ..Plan::default() };
    }
    if plan.fields.is_some() || !audit.is_empty() {
        let mut all = Vec::new();
        all.extend(product_said);
        if !audit.is_empty() {
            all.push(audit.text());
        }
        plan.audit = format!("product {} “{}”: {}", product.id, product.name, all.join("; "));
    }
    plan
}

/// `line`'s changes to stored `variant`: the variant as it is to be and
/// what changes, or `(None, None)` when nothing does.
fn change_variant(line: &ImportLine, variant: &StoredVariant, options: usize, lookups: &Lookups) -> Result<(Option<VariantRow>, Option<String>), String> {
    let stored_values = variant.values(options);
    if let Some(values) = line.values.as_ref().filter(|v| **v != stored_values) {
        return Err(format!(
            "The SKU {} is {} in the shop, not {}: change a variant's options in the product's editor.",
            line.sku,
            shown_values(&stored_values),
            shown_values(values)
        ));
    }
    let price = line.price.unwrap_or(variant.price_minor);
    let compare_at = line.compare_at.unwrap_or(variant.compare_at_minor);
    if compare_at.is_some_and(|was| was <= price) {
        return Err("The compare-at price must be higher than the price (it shows the saving).".into());
    }
    let (threshold, own) = match line.low_stock {
        None => (variant.low_stock_threshold, variant.low_stock_own == 1),
        Some(None) => (lookups.low_stock_default, false),
        Some(Some(n)) => (n, true),
    };
    let row = VariantRow {
        sku: variant.sku.clone(),
        values: stored_values,
        price_minor: price,
        compare_at_minor: compare_at,
        stock: line.stock.unwrap_or(variant.stock),
        weight_grams: line.weight_grams.unwrap_or(variant.weight_grams),
        low_stock_threshold: threshold,
        low_stock_own: own,
    };
    let mut changes = Changes::default();
    let money = |m: Option<i64>| m.map(amount_text).unwrap_or_default();
    changes.field("price", amount_text(variant.price_minor), amount_text(row.price_minor));
    changes.field("compare-at price", money(variant.compare_at_minor), money(row.compare_at_minor));
    changes.field("stock", variant.stock.to_string(), row.stock.to_string());
    changes.field("weight", variant.weight_grams.to_string(), row.weight_grams.to_string());
    let shown = |n: i64, own: bool| if own { n.to_string() } else { "shop default".to_owned() };
    changes.field("low-stock threshold", shown(variant.low_stock_threshold, variant.low_stock_own == 1), shown(row.low_stock_threshold, row.low_stock_own));
    if changes.is_empty() {
        return Ok((None, None));
    }
    Ok((Some(row), Some(changes.text())))
}

/// A new variant of an existing product: it needs options, and values no other variant has.
fn add_variant(line: &ImportLine, stored: &[StoredVariant], added: &[VariantRow], options: usize, lookups: &Lookups) -> Result<VariantRow, String> {
    if options == 0 {
        let sku = stored.first().map_or("", |v| v.sku.as_str());
        return Err(format!(
            "This product is sold one way (as SKU {sku}): give it options in its editor to add variants, or use SKU {sku} to change it."
        ));
    }
    let row = new_variant(line, lookups)?;
    if row.values.len() != options {
        return Err(format!("A new variant of this product needs a value for each of its {options} options."));
    }
    if let Some(same) = stored.iter().find(|v| v.values(options) == row.values) {
        return Err(format!("{} is already the variant with SKU {}.", shown_values(&row.values), same.sku));
    }
    if added.iter().any(|v| v.values == row.values) {
        return Err(format!("{} is already a new variant in this file.", shown_values(&row.values)));
    }
    Ok(row)
}

fn shown_values(values: &[String]) -> String {
    if values.is_empty() { "sold one way".to_owned() } else { values.join(" / ") }
}
