//! The staff's order list: orders by state, payment, day and seller (a
//! seller's staff see only orders holding their seller's items), searched by
//! number, email, name or SKU, newest first, page by page with no end; and
//! the same selection as CSV, read in batches so an export of every order
//! never holds them all.

use super::access::SELLER_SCOPE;
use super::history::{filter_states, in_states};
use crate::domain::address::Address;
use crate::domain::money::{Currency, Money};
use crate::domain::order_desk::{csv_amount, csv_line, CheckedFilter, OrderFilter, OrderList, PaymentFilter, StaffOrderRow};
use crate::domain::orders::OrderStatus;
use crate::domain::pagination::{PageRequest, PER_PAGE};
use crate::domain::time::utc;
use crate::error::AppError;
use crate::ssr::accounts::Staff;
use crate::ssr::Db;

/// A search of the staff's list: an order's number or a SKU exactly, or
/// part of the buyer's email or of the delivery address (the name in it),
/// in any case. `$3` is the text in capitals, `$4` the LIKE pattern.
const SEARCH: &str = "($3 = '' OR number = $3 OR LOWER(email) LIKE $4 ESCAPE '!' OR LOWER(ship_to) LIKE $4 ESCAPE '!' \
     OR EXISTS (SELECT 1 FROM order_lines s WHERE s.order_id = orders.id AND UPPER(s.sku) = $3))";

/// Where the order's payment stands: a [`PaymentFilter`] key, or '' (a
/// cancelled order never paid). Refunds first: a refunded order was paid.
const PAYMENT_STATE: &str = "(CASE \
     WHEN EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = orders.id AND r.status = 'succeeded') \
       OR EXISTS (SELECT 1 FROM payments pm WHERE pm.order_id = orders.id AND pm.status = 'refunded') THEN 'refunded' \
     WHEN EXISTS (SELECT 1 FROM payments pm WHERE pm.order_id = orders.id AND pm.status = 'succeeded') THEN 'paid' \
     WHEN EXISTS (SELECT 1 FROM payments pm WHERE pm.order_id = orders.id AND pm.status IN ('declined', 'failed')) \
       AND NOT EXISTS (SELECT 1 FROM payments pm WHERE pm.order_id = orders.id AND pm.status IN ('processing', 'requires-action')) \
       THEN 'failed' \
     WHEN status = 'pending-payment' THEN 'awaiting' ELSE '' END)";

/// The order's units and their worth: all of them (`$2` = 0), else seller
/// `$2`'s (a seller's staff's own; for an admin filtering by seller, that seller's).
const GOODS: &str = "FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = orders.id AND ($2 = 0 OR p.seller_id = $2)";

/// What one request selects: whose orders, in which states, with which filters.
pub struct Selection {
    /// Whether the viewer reaches every order (and sees buyers' totals and payments).
    full: bool,
    seller: i64,
    states: Vec<OrderStatus>,
    filter: CheckedFilter,
}

impl Selection {
    /// Checks `filter` for `reach`: a seller's staff see their own seller's orders only.
    pub fn of(reach: Staff, filter: &OrderFilter) -> Result<Self, AppError> {
        let checked = filter.check().map_err(AppError::BadRequest)?;
        let seller = match reach {
            Staff::Admin => checked.seller,
            Staff::Seller(_) if checked.payment.is_some() => {
                return Err(AppError::Forbidden("Payments are for admins and order managers to see.".into()))
            }
            Staff::Seller(own) if checked.seller == 0 || checked.seller == own => own,
            Staff::Seller(_) => return Err(AppError::Forbidden("You see your own seller's orders only.".into())),
        };
        Ok(Self { full: reach == Staff::Admin, seller, states: filter_states(filter.status.trim())?, filter: checked })
    }

    /// The condition on `orders`; its parameters are bound by [`Selection::bind`] as `$1`–`$7`.
    fn clauses(&self) -> String {
        // `$1` is a constant 0: SELLER_SCOPE's seller is `$2`.
        format!(
            "$1 = 0 AND {SELLER_SCOPE} AND {} AND {SEARCH} AND created_at >= $5 AND created_at < $6 AND ($7 = '' OR {PAYMENT_STATE} = $7)",
            in_states(&self.states)
        )
    }

    fn bind<'q>(&'q self, query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        let search = &self.filter.search;
        query
            .bind(0i64)
            .bind(self.seller)
            .bind(search.to_uppercase())
            .bind(crate::ssr::db::contains_pattern(search))
            .bind(self.filter.from.unwrap_or(i64::MIN))
            .bind(self.filter.to.unwrap_or(i64::MAX))
            .bind(self.filter.payment.map_or("", PaymentFilter::key))
    }
}

/// An order as the list and the export read it.
#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    number: String,
    status: String,
    currency: String,
    created_at: i64,
    email: String,
    ship_to: String,
    payment: String,
    units: i64,
    goods: i64,
    subtotal_minor: i64,
    discount_minor: i64,
    shipping_minor: i64,
    tax_minor: i64,
    total_minor: i64,
    refunded: i64,
    shipping_method: String,
}

/// The columns of [`Row`] after `SELECT` (sums cast: PostgreSQL sums BIGINT as NUMERIC).
fn columns() -> String {
    format!(
        "id, number, status, currency, created_at, email, ship_to, {PAYMENT_STATE} AS payment, \
         CAST((SELECT COALESCE(SUM(l.quantity), 0) {GOODS}) AS BIGINT) AS units, \
         CAST((SELECT COALESCE(SUM(l.quantity * l.unit_price_minor), 0) {GOODS}) AS BIGINT) AS goods, \
         subtotal_minor, discount_minor, shipping_minor, tax_minor, total_minor, \
         CAST((SELECT COALESCE(SUM(r.amount_minor), 0) FROM refunds r WHERE r.order_id = orders.id AND r.status = 'succeeded') AS BIGINT) AS refunded, \
         shipping_method"
    )
}

impl Row {
    fn address(&self) -> Address {
        serde_json::from_str(&self.ship_to).unwrap_or_default()
    }

    fn currency(&self) -> Result<Currency, AppError> {
        Currency::parse(&self.currency).ok_or(AppError::Internal)
    }

    /// The list's row; a seller's staff see their own goods' worth, not the buyer's total.
    fn listed(self, full: bool) -> Result<StaffOrderRow, AppError> {
        let total = if full { self.total_minor } else { self.goods };
        Ok(StaffOrderRow {
            status: OrderStatus::parse(&self.status).ok_or(AppError::Internal)?,
            payment: PaymentFilter::parse(&self.payment).filter(|_| full),
            total: Money::new(total, self.currency()?),
            name: self.address().full_name,
            number: self.number,
            created_at: self.created_at,
            email: self.email,
            items: self.units,
        })
    }
}

/// The sellers an admin may filter by.
async fn sellers(db: &Db, reach: Staff) -> Result<Vec<(i64, String)>, AppError> {
    if reach != Staff::Admin {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as("SELECT id, name FROM sellers ORDER BY name, id").fetch_all(&db.pool).await?)
}

/// The page of the list `filter` asks for, newest first.
pub async fn staff_orders(filter: OrderFilter) -> Result<OrderList, AppError> {
    let state = crate::ssr::state()?;
    let reach = crate::ssr::accounts::signed_in_staff(&state.db, crate::ssr::accounts::Area::Orders, "see orders").await?.1;
    let selection = Selection::of(reach, &filter)?;
    let request = PageRequest::parse(Some(&filter.page)).map_err(AppError::BadRequest)?;
    let clauses = selection.clauses();
    let count = format!("SELECT COUNT(*) FROM orders WHERE {clauses}");
    let total: i64 = sqlx::Row::try_get(&selection.bind(sqlx::query(&count)).fetch_one(&state.db.pool).await?, 0)?;
    let info = request.resolve(total.max(0) as u64);
    let page = format!("SELECT {} FROM orders WHERE {clauses} ORDER BY created_at DESC, id DESC LIMIT $8 OFFSET $9", columns());
    let rows = selection
        .bind(sqlx::query(&page))
        .bind(i64::from(PER_PAGE))
        .bind(i64::from(info.page - 1) * i64::from(PER_PAGE))
        .fetch_all(&state.db.pool)
        .await?;
    let rows = rows
        .iter()
        .map(|row| <Row as sqlx::FromRow<_>>::from_row(row).map_err(AppError::from)?.listed(selection.full))
        .collect::<Result<_, _>>()?;
    Ok(OrderList { rows, page: info, sellers: sellers(&state.db, reach).await? })
}

/// Orders read per batch of an export.
const BATCH: i64 = 500;

/// The CSV's header line.
pub fn csv_header() -> String {
    csv_line(&[
        "Order", "Placed (UTC)", "Status", "Payment", "Email", "Name", "City", "Country", "Items", "Subtotal", "Discount",
        "Shipping", "Tax", "Total", "Refunded", "Currency", "Shipping method",
    ])
}

/// The export's next batch of orders after `after` (the last batch's
/// (created_at, id), newest first), as CSV lines; empty at the end. A
/// seller's staff get their goods' worth as subtotal and total, and nothing
/// of the buyer's payment, discount, shipping, tax or refunds.
pub async fn csv_batch(db: &Db, selection: &Selection, after: Option<(i64, i64)>) -> Result<(String, Option<(i64, i64)>), AppError> {
    let (at, id) = after.unwrap_or((i64::MAX, i64::MAX));
    let sql = format!(
        "SELECT {} FROM orders WHERE {} AND (created_at < $8 OR (created_at = $8 AND id < $9)) \
         ORDER BY created_at DESC, id DESC LIMIT $10",
        columns(),
        selection.clauses()
    );
    let rows = selection.bind(sqlx::query(&sql)).bind(at).bind(id).bind(BATCH).fetch_all(&db.pool).await?;
    let (mut out, mut last) = (String::new(), None);
    for row in &rows {
        let row = <Row as sqlx::FromRow<_>>::from_row(row)?;
        let currency = row.currency()?;
        let amount = csv_amount;
        let address = row.address();
        let admin = selection.full;
        let shown = |minor: i64| if admin { amount(minor) } else { String::new() };
        let status = OrderStatus::parse(&row.status).ok_or(AppError::Internal)?;
        let payment = PaymentFilter::parse(&row.payment).filter(|_| admin).map_or("", PaymentFilter::label);
        out.push_str(&csv_line(&[
            row.number.as_str(),
            &utc(row.created_at),
            status.label(),
            payment,
            &row.email,
            &address.full_name,
            &address.city,
            &address.country,
            &row.units.to_string(),
            &amount(if admin { row.subtotal_minor } else { row.goods }),
            &shown(row.discount_minor),
            &shown(row.shipping_minor),
            &shown(row.tax_minor),
            &amount(if admin { row.total_minor } else { row.goods }),
            &shown(row.refunded),
            currency.code(),
            &row.shipping_method,
        ]));
        last = Some((row.created_at, row.id));
    }
    Ok((out, last.filter(|_| rows.len() as i64 == BATCH)))
}

/// The line export's header: one line per order line.
pub fn lines_csv_header() -> String {
    csv_line(&[
        "Order", "Placed (UTC)", "Status", "Email", "SKU", "Product", "Variant", "Quantity", "Unit price", "Discount", "Tax",
        "Currency",
    ])
}

/// The line export's next batch: the lines of the next orders after
/// `after`, as [`csv_batch`] reads them; a seller's staff (or an admin
/// filtering by seller) get that seller's lines, and only admins the lines'
/// discounts and tax.
pub async fn lines_csv_batch(db: &Db, selection: &Selection, after: Option<(i64, i64)>) -> Result<(String, Option<(i64, i64)>), AppError> {
    let (at, id) = after.unwrap_or((i64::MAX, i64::MAX));
    let sql = format!(
        "SELECT o.number, o.created_at, o.id, o.status, o.email, o.currency, l.sku, l.name, l.variant, l.quantity, \
                l.unit_price_minor, l.discount_minor, l.tax_minor \
         FROM (SELECT id FROM orders WHERE {} AND (created_at < $8 OR (created_at = $8 AND id < $9)) \
               ORDER BY created_at DESC, id DESC LIMIT $10) b \
         JOIN orders o ON o.id = b.id JOIN order_lines l ON l.order_id = o.id JOIN products p ON p.id = l.product_id \
         WHERE ($2 = 0 OR p.seller_id = $2) ORDER BY o.created_at DESC, o.id DESC, l.sku",
        selection.clauses()
    );
    type Line = (String, i64, i64, String, String, String, String, String, String, i64, i64, i64, i64);
    let rows = selection.bind(sqlx::query(&sql)).bind(at).bind(id).bind(BATCH).fetch_all(&db.pool).await?;
    let (mut out, mut last, mut orders) = (String::new(), None, 0);
    for row in &rows {
        let (number, created_at, id, status, email, currency, sku, name, variant, quantity, price, discount, tax) =
            <Line as sqlx::FromRow<_>>::from_row(row)?;
        if last.map(|(_, was)| was) != Some(id) {
            orders += 1;
        }
        let status = OrderStatus::parse(&status).ok_or(AppError::Internal)?;
        let shown = |minor: i64| if selection.full { csv_amount(minor) } else { String::new() };
        out.push_str(&csv_line(&[
            number.as_str(),
            &utc(created_at),
            status.label(),
            &email,
            &sku,
            &name,
            &variant,
            &quantity.to_string(),
            &csv_amount(price),
            &shown(discount),
            &shown(tax),
            &currency,
        ]));
        last = Some((created_at, id));
    }
    Ok((out, last.filter(|_| orders == BATCH)))
}
