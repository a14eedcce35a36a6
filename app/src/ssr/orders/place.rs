//! Placing an order: priced on the server, idempotent by the request's key,
//! at most a few unpaid orders per customer, its stock taken last. The
//! group commit ([`super::group_commit`]) calls this for each order of a group.

use crate::domain::address::Address;
use crate::domain::variants::line_name;
use crate::error::AppError;
use crate::ssr::db::{placeholders, Db};
use crate::ssr::inventory::stock::{take_stock, RESERVE_SECS};
use crate::ssr::now;
use crate::ssr::pricing::promos::redeem;
use crate::ssr::pricing::quote::{price, promo_customer, Destination, PricedLine};
use sqlx::AnyConnection;

/// Unpaid orders one customer ([`promo_customer`]) may hold stock with at
/// once. A soft bound: on PostgreSQL two orders of one customer at the same
/// moment may both pass the count.
pub const MAX_UNPAID_ORDERS: i64 = 5;

/// Refuses a new order while its customer holds stock with
/// [`MAX_UNPAID_ORDERS`] unpaid ones already (stock hoarding).
async fn refuse_hoarding(tx: &mut AnyConnection, checkout: &Checkout) -> Result<(), AppError> {
    let (unpaid,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM orders WHERE customer = $1 AND status = 'pending-payment' AND stock_held = 1",
    )
    .bind(&checkout.customer)
    .fetch_one(&mut *tx)
    .await?;
    if unpaid >= MAX_UNPAID_ORDERS {
        return Err(AppError::Conflict(format!(
            "You have {unpaid} unpaid orders holding items. Pay for one or cancel it before placing another."
        )));
    }
    Ok(())
}

/// What the shopper submits at checkout (validated).
pub struct Checkout {
    pub idempotency_key: String,
    pub email: String,
    pub user: Option<i64>,
    pub address: Address,
    pub method: String,
    pub promo: String,
    /// Who the order counts for in per-customer limits ([`promo_customer`]).
    pub customer: String,
    /// Where the order comes from, and how many orders such a client may
    /// place ([`Checkout::from_client`]); unknown and unlimited by default.
    pub client: std::net::IpAddr,
    pub rate: crate::ssr::accounts::limits::Limit,
}

impl Checkout {
    /// Checks what the shopper typed: a signed-in `user` may leave `email`
    /// empty (the account's address is used); the address must be complete.
    pub fn new(
        idempotency_key: String,
        email: &str,
        user: Option<&crate::ssr::accounts::users::User>,
        address: Address,
        method: &str,
        promo: &str,
    ) -> Result<Self, AppError> {
        let email = match (user, email.trim()) {
            (Some(user), "") => user.email.clone(),
            (_, typed) => crate::domain::account::parse_email(typed).map_err(AppError::BadRequest)?,
        };
        let address = Address { id: 0, country: address.country.trim().to_ascii_uppercase(), ..address };
        let customer = promo_customer(user.map_or(email.as_str(), |u| u.email.as_str()));
        Ok(Checkout {
            customer,
            idempotency_key,
            email,
            user: user.map(|u| u.id),
            address: address.validated().map_err(AppError::BadRequest)?,
            method: method.trim().to_owned(),
            promo: promo.trim().to_ascii_uppercase(),
            client: std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
            rate: crate::ssr::accounts::limits::Limit { most: 0, window_secs: 0 },
        })
    }

    /// The order comes from `client`, who may place `rate` orders.
    pub fn from_client(self, client: std::net::IpAddr, rate: crate::ssr::accounts::limits::Limit) -> Self {
        Self { client, rate, ..self }
    }
}

/// What an order is made of.
pub enum Items {
    /// The shopper's cart (emptied by the order).
    Cart(i64),
    /// (variant id, quantity) pairs sent by an API client.
    Lines(Vec<(i64, i64)>),
}

impl Checkout {
    /// A digest of what was asked, so a reused key with other contents is noticed.
    fn digest(&self, items: &Items) -> String {
        let a = &self.address;
        let lines = match items {
            Items::Cart(_) => String::new(),
            Items::Lines(lines) => lines.iter().map(|(p, q)| format!("{p}x{q}")).collect::<Vec<_>>().join(","),
        };
        let parts = [
            &self.email, &a.full_name, &a.line1, &a.line2, &a.city, &a.region, &a.postal_code, &a.country, &a.phone,
            &self.method, &self.promo, &lines,
        ];
        let joined: Vec<&str> = parts.iter().map(|s| s.as_str()).collect();
        crate::ssr::accounts::token_hash(&joined.join("\u{1f}"))
    }
}

/// A placed order: its number and the secret that opens its page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub number: String,
    pub access_token: String,
}

/// A key is 16–100 letters, digits, `-` or `_` (a UUID fits).
pub fn valid_key(key: &str) -> bool {
    (16..=100).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The order an earlier request with this key placed, if the request was the same.
pub(super) async fn find_by_key(db: &Db, checkout: &Checkout, items: &Items) -> Result<Option<Placed>, AppError> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT number, access_token, request_hash FROM orders WHERE idempotency_key = $1")
            .bind(&checkout.idempotency_key)
            .fetch_optional(&db.pool)
            .await?;
    match row {
        None => Ok(None),
        Some((number, access_token, hash)) if hash == checkout.digest(items) => Ok(Some(Placed { number, access_token })),
        Some(_) => Err(AppError::Conflict(
            "This checkout was already submitted with other details. Reload the page to start again.".into(),
        )),
    }
}

/// Places the order for `items` inside the caller's transaction (see
/// [`super::group_commit`], which groups orders): priced at today's prices, the order
/// row with its totals, its lines, the promo use, the cart emptied, and last
/// the stock (guarded decrement per product, in id order) with its ledger
/// entries. `None` when an order with the same idempotency key exists already.
pub(super) async fn place_in_transaction(
    tx: &mut AnyConnection,
    items: &Items,
    checkout: &Checkout,
    shop_url: &str,
) -> Result<Option<Placed>, AppError> {
    let lines: Vec<(i64, i64)> = match items {
        Items::Cart(cart) => {
            sqlx::query_as("SELECT variant_id, quantity FROM cart_items WHERE cart_id = $1 AND list = 'cart' ORDER BY variant_id")
                .bind(cart)
                .fetch_all(&mut *tx)
                .await?
        }
        Items::Lines(lines) => lines.clone(),
    };
    let to = Destination {
        country: &checkout.address.country,
        region: &checkout.address.region,
        method: &checkout.method,
        promo: &checkout.promo,
        customer: &checkout.customer,
    };
    let priced = price(&mut *tx, &lines, &to).await?;
    if let Some(why) = &priced.unshippable {
        return Err(AppError::BadRequest(why.clone()));
    }
    if !checkout.method.is_empty() && priced.method != checkout.method {
        return Err(AppError::BadRequest("Choose one of the shipping methods offered for this address.".into()));
    }
    crate::ssr::accounts::limits::hit(tx, "order", checkout.client, checkout.rate, "orders").await?;
    refuse_hoarding(tx, checkout).await?;
    let prefix = crate::ssr::settings::details::order_prefix(tx).await?;
    let placed = Placed { number: order_number(&prefix), access_token: crate::ssr::accounts::random_token() };
    let (now, t) = (now(), priced.totals);
    let id: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO orders (number, idempotency_key, request_hash, user_id, email, status, currency, subtotal_minor, \
         discount_minor, shipping_minor, tax_minor, total_minor, shipping_method, promo_code, ship_to, reserved_until, \
         access_token, created_at, updated_at, customer, tax_included, shipping_tax_minor, shipping_tax_bp) \
         VALUES ($1, $2, $3, $4, $5, 'pending-payment', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18, $19, $20, $21) \
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(&placed.number)
    .bind(&checkout.idempotency_key)
    .bind(checkout.digest(items))
    .bind(checkout.user)
    .bind(&checkout.email)
    .bind(priced.currency.code())
    .bind(t.subtotal)
    .bind(t.discount)
    .bind(t.shipping)
    .bind(t.tax)
    .bind(t.total)
    .bind(&priced.method)
    .bind(&priced.promo)
    .bind(serde_json::to_string(&checkout.address).map_err(|_| AppError::Internal)?)
    .bind(now + RESERVE_SECS)
    .bind(&placed.access_token)
    .bind(now)
    .bind(&checkout.customer)
    .bind(i64::from(t.tax_included))
    .bind(priced.shipping_tax)
    .bind(priced.shipping_rate_bp)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((order,)) = id else { return Ok(None) };
    insert_lines(tx, order, &priced.lines).await?;
    if let Some(code) = &priced.promo {
        let used = sqlx::query("UPDATE promo_codes SET uses = uses + 1 WHERE code = $1 AND (max_uses IS NULL OR uses < max_uses)")
            .bind(code)
            .execute(&mut *tx)
            .await?;
        if used.rows_affected() != 1 {
            return Err(AppError::BadRequest(format!("The promo code {code} has been used up.")));
        }
        redeem(tx, code, order, to.customer).await?;
    }
    if let Items::Cart(cart) = items {
        sqlx::query("DELETE FROM cart_items WHERE cart_id = $1 AND list = 'cart'").bind(cart).execute(&mut *tx).await?;
    }
    // Stock last: on PostgreSQL a hot product's row stays locked only from here to the commit.
    // In (product, variant) order, so two orders of the same products never lock them crosswise.
    let mut lines: Vec<&PricedLine> = priced.lines.iter().collect();
    lines.sort_by_key(|line| (line.product_id, line.variant_id));
    for line in lines {
        take_stock(&mut *tx, order, line.variant_id, line.quantity, &line_name(&line.name, &line.variant), shop_url).await?;
    }
    Ok(Some(placed))
}

/// The order's lines, in one statement.
async fn insert_lines(conn: &mut AnyConnection, order: i64, lines: &[PricedLine]) -> Result<(), AppError> {
    let rows: Vec<String> = (0..lines.len()).map(|i| format!("($1, {})", placeholders(2 + 10 * i, 10))).collect();
    let sql = format!(
        "INSERT INTO order_lines (order_id, variant_id, product_id, name, variant, sku, unit_price_minor, quantity, \
         tax_rate_bp, discount_minor, tax_minor) VALUES {}",
        rows.join(", ")
    );
    let mut query = sqlx::query(&sql).bind(order);
    for line in lines {
        query = query
            .bind(line.variant_id)
            .bind(line.product_id)
            .bind(&line.name)
            .bind(&line.variant)
            .bind(&line.sku)
            .bind(line.unit_price)
            .bind(line.quantity)
            .bind(line.rate_bp)
            .bind(line.tax.discount)
            .bind(line.tax.tax);
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// Takes `order`'s row lock until the transaction ends, so the statements
/// after it see (on PostgreSQL) what a concurrent transaction on the order
/// committed, and that transaction's guarded updates see this one's. (SQLite's
/// `BEGIN IMMEDIATE` serializes writers already.)
pub async fn lock(conn: &mut AnyConnection, order: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE orders SET updated_at = updated_at WHERE id = $1").bind(order).execute(&mut *conn).await?;
    Ok(())
}

/// The shop's prefix (`OX` until it is changed), a hyphen and eight
/// characters without look-alikes (0/O, 1/I).
fn order_number(prefix: &str) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let bytes = crate::ssr::accounts::random_bytes::<8>();
    let code: String = bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect();
    format!("{prefix}-{code}")
}
