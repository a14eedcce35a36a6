//! Placing orders: pricing on the server, stock taken off the shelf with a
//! guarded decrement (never below zero, the schema refuses it too), every
//! movement in the inventory ledger, idempotent by the request's key, and
//! reservations released when their time runs out.

use crate::domain::address::Address;
use crate::domain::checkout::{
    discount, shipping_cost, PromoKind, ShippingOption, ShippingRule, Totals,
};
use crate::domain::money::{Currency, Money};
use crate::error::AppError;
use crate::ssr::db::{placeholders, Db};
use crate::ssr::now;
use sqlx::AnyConnection;

/// How long an unpaid order holds its stock.
pub const RESERVE_SECS: i64 = 15 * 60;

/// A priced cart line.
#[derive(Clone, Debug)]
pub struct PricedLine {
    pub product_id: i64,
    pub name: String,
    pub unit_price: i64,
    pub quantity: i64,
    pub stock: i64,
}

/// A cart priced for one destination, shipping method and promo code.
#[derive(Clone, Debug)]
pub struct Priced {
    pub lines: Vec<PricedLine>,
    pub currency: Currency,
    pub options: Vec<ShippingOption>,
    pub method: String,
    pub promo: Option<String>,
    pub rate_bp: i64,
    pub totals: Totals,
}

/// Where the goods go and how, as far as the price depends on it.
pub struct Destination<'a> {
    pub country: &'a str,
    pub region: &'a str,
    /// Empty: the first method.
    pub method: &'a str,
    /// Empty: none.
    pub promo: &'a str,
    /// Who buys ([`promo_customer`]), for per-customer promo limits; empty
    /// when not known yet.
    pub customer: &'a str,
}

/// Who a promo use or an unpaid order counts for, from the buyer's address
/// (a signed-in shopper's account address, whatever they typed): its
/// canonical form, so `a+1@` and `a+2@` are one customer, and an account
/// and a guest checkout with its address are one too.
pub fn promo_customer(email: &str) -> String {
    format!("email:{}", crate::domain::account::canonical_email(email))
}

type ProductRow = (i64, String, i64, String, i64, i64);
/// A shipping method, and the destination's tax rate (basis points) if it has one.
type MethodRow = (String, String, String, i64, i64, Option<i64>, Option<i64>);
type PromoRow = (String, i64, i64, i64, Option<i64>, Option<i64>, Option<i64>, i64);

/// Prices `lines` (product id, quantity) with today's prices, shipping and tax.
pub async fn price(conn: &mut AnyConnection, lines: &[(i64, i64)], to: &Destination<'_>) -> Result<Priced, AppError> {
    if lines.is_empty() {
        return Err(AppError::BadRequest("Your cart is empty.".into()));
    }
    let ids: Vec<i64> = lines.iter().map(|l| l.0).collect();
    let sql = format!(
        "SELECT id, name, price_minor, currency, stock, weight_grams FROM products WHERE id IN ({})",
        placeholders(1, ids.len())
    );
    let mut query = sqlx::query_as::<_, ProductRow>(&sql);
    for id in &ids {
        query = query.bind(id);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let overflow = || AppError::BadRequest("That order is too large.".into());
    let (mut priced, mut currency, mut subtotal, mut weight) = (Vec::new(), None, 0i64, 0i64);
    for &(product_id, quantity) in lines {
        let Some((_, name, price, code, stock, grams)) = rows.iter().find(|r| r.0 == product_id).cloned() else {
            return Err(AppError::BadRequest("An item in your cart is no longer sold: remove it to check out.".into()));
        };
        let code = Currency::parse(&code).ok_or(AppError::Internal)?;
        if *currency.get_or_insert(code) != code {
            return Err(AppError::BadRequest("Items priced in different currencies cannot be bought together.".into()));
        }
        subtotal = subtotal.checked_add(price.checked_mul(quantity).ok_or_else(overflow)?).ok_or_else(overflow)?;
        weight = weight.saturating_add(grams.saturating_mul(quantity));
        priced.push(PricedLine { product_id, name, unit_price: price, quantity, stock });
    }
    let currency = currency.ok_or(AppError::Internal)?;

    let promo = to.promo.trim().to_ascii_uppercase();
    let off = if promo.is_empty() { 0 } else { promo_discount(conn, &promo, subtotal, to.customer).await? };
    let goods = subtotal - off;

    // The tax rate for the destination rides along with every method row (one round trip).
    let methods: Vec<MethodRow> = sqlx::query_as(
        "SELECT code, name, kind, base_minor, per_kg_minor, free_above_minor, \
                (SELECT rate_bp FROM tax_rates WHERE country = $1 AND region IN ($2, '') \
                 ORDER BY length(region) DESC LIMIT 1) \
         FROM shipping_methods ORDER BY position, code",
    )
    .bind(to.country)
    .bind(to.region.trim().to_ascii_uppercase())
    .fetch_all(&mut *conn)
    .await?;
    let rate_bp = methods.first().and_then(|m| m.6).unwrap_or(0);
    let mut options = Vec::new();
    for (code, name, kind, base, per_kg, free_above, _) in methods {
        let rule = if kind == "weight" { ShippingRule::Weight { base, per_kg } } else { ShippingRule::Flat { base } };
        let cost = shipping_cost(rule, free_above, goods, weight).ok_or_else(overflow)?;
        options.push(ShippingOption { code, name, price: Money::new(cost, currency) });
    }
    let chosen = match to.method {
        "" => options.first(),
        code => options.iter().find(|o| o.code == code),
    }
    .ok_or_else(|| AppError::BadRequest("Choose one of the shipping methods offered.".into()))?;
    let method = chosen.code.clone();
    let shipping = chosen.price.minor();
    let totals = Totals::new(subtotal, off, shipping, rate_bp).ok_or_else(overflow)?;
    Ok(Priced { lines: priced, currency, options, method, promo: (!promo.is_empty()).then_some(promo), rate_bp, totals })
}

/// Records that `order` used promo `code` for `customer`, unless that
/// customer used it up already: the check is part of the insert, which runs
/// after the caller took the code's row lock (`uses = uses + 1`), so orders
/// of one customer racing on PostgreSQL see each other's uses. Each use also
/// takes the customer's next numbered slot under a unique index, a second
/// guard whatever the isolation.
async fn redeem(tx: &mut AnyConnection, code: &str, order: i64, customer: &str) -> Result<(), AppError> {
    let inserted = sqlx::query(
        "INSERT INTO promo_redemptions (code, order_id, customer, slot) \
         SELECT $1, $2, $3, (SELECT COALESCE(MAX(slot), 0) + 1 FROM promo_redemptions WHERE code = $1 AND customer = $3) \
         WHERE (SELECT COUNT(*) FROM promo_redemptions WHERE code = $1 AND customer = $3) \
           < COALESCE((SELECT max_per_customer FROM promo_codes WHERE code = $1), 9223372036854775807)",
    )
    .bind(code)
    .bind(order)
    .bind(customer)
    .execute(&mut *tx)
    .await;
    let used = || AppError::BadRequest(format!("You have already used the promo code {code}."));
    match inserted {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(used()),
        Ok(done) if done.rows_affected() == 0 => Err(used()),
        other => other.map(|_| ()).map_err(AppError::from),
    }
}

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

/// Gives back the promo use of `order` (unpaid and expired, or cancelled):
/// the code's use count goes down and the customer may use it again.
pub async fn give_back_promo(conn: &mut AnyConnection, order: i64) -> Result<(), AppError> {
    let freed: Option<(String,)> =
        sqlx::query_as("DELETE FROM promo_redemptions WHERE order_id = $1 RETURNING code").bind(order).fetch_optional(&mut *conn).await?;
    if let Some((code,)) = freed {
        sqlx::query("UPDATE promo_codes SET uses = uses - 1 WHERE code = $1 AND uses > 0").bind(code).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Takes the promo use of `order` again (its payment is retried after its
/// hold expired), under the same rules as when it was placed.
async fn retake_promo(conn: &mut AnyConnection, order: i64) -> Result<(), AppError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT o.promo_code, o.customer FROM orders o \
         WHERE o.id = $1 AND o.promo_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM promo_redemptions r WHERE r.order_id = o.id)",
    )
    .bind(order)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((code, customer)) = row else { return Ok(()) };
    let gone = || AppError::Conflict(format!("The promo code {code} was used up while this order waited. Place the order again."));
    let used = sqlx::query("UPDATE promo_codes SET uses = uses + 1 WHERE code = $1 AND (max_uses IS NULL OR uses < max_uses)")
        .bind(&code)
        .execute(&mut *conn)
        .await?;
    if used.rows_affected() != 1 {
        return Err(gone());
    }
    redeem(conn, &code, order, &customer).await
}

/// The discount `code` gives on `subtotal` for `customer`, or why it gives none.
async fn promo_discount(conn: &mut AnyConnection, code: &str, subtotal: i64, customer: &str) -> Result<i64, AppError> {
    let row: Option<PromoRow> = sqlx::query_as(
        "SELECT kind, amount, min_subtotal_minor, starts_at, ends_at, max_uses, max_per_customer, uses \
         FROM promo_codes WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?;
    let refuse = |why: String| Err(AppError::BadRequest(why));
    let Some((kind, amount, min_subtotal, starts, ends, max_uses, per_customer, uses)) = row else {
        return refuse(format!("The promo code {code} does not exist."));
    };
    let now = now();
    if now < starts {
        return refuse(format!("The promo code {code} is not valid yet."));
    }
    if ends.is_some_and(|end| now >= end) {
        return refuse(format!("The promo code {code} has expired."));
    }
    if max_uses.is_some_and(|max| uses >= max) {
        return refuse(format!("The promo code {code} has been used up."));
    }
    if subtotal < min_subtotal {
        return refuse(format!("The promo code {code} needs a subtotal of at least {:.2}.", min_subtotal as f64 / 100.0));
    }
    if let (Some(max), false) = (per_customer, customer.is_empty()) {
        let (used,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM promo_redemptions WHERE code = $1 AND customer = $2")
            .bind(code)
            .bind(customer)
            .fetch_one(&mut *conn)
            .await?;
        if used >= max {
            return refuse(format!("You have already used the promo code {code}."));
        }
    }
    let kind = if kind == "percent" { PromoKind::Percent(amount) } else { PromoKind::Fixed(amount) };
    Ok(discount(kind, subtotal))
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
    pub rate: crate::ssr::auth::limits::Limit,
}

impl Checkout {
    /// Checks what the shopper typed: a signed-in `user` may leave `email`
    /// empty (the account's address is used); the address must be complete.
    pub fn new(
        idempotency_key: String,
        email: &str,
        user: Option<&crate::ssr::auth::users::User>,
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
            rate: crate::ssr::auth::limits::Limit { most: 0, window_secs: 0 },
        })
    }

    /// The order comes from `client`, who may place `rate` orders.
    pub fn from_client(self, client: std::net::IpAddr, rate: crate::ssr::auth::limits::Limit) -> Self {
        Self { client, rate, ..self }
    }
}

/// What an order is made of.
pub enum Items {
    /// The shopper's cart (emptied by the order).
    Cart(i64),
    /// (product id, quantity) pairs sent by an API client.
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
        crate::ssr::auth::token_hash(&joined.join("\u{1f}"))
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
pub(super) async fn earlier(db: &Db, checkout: &Checkout, items: &Items) -> Result<Option<Placed>, AppError> {
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
/// [`super::desk`], which groups orders): priced at today's prices, the order
/// row with its totals, its lines, the promo use, the cart emptied, and last
/// the stock (guarded decrement per product, in id order) with its ledger
/// entries. `None` when an order with the same idempotency key exists already.
pub(super) async fn place_in(tx: &mut AnyConnection, items: &Items, checkout: &Checkout) -> Result<Option<Placed>, AppError> {
    let lines: Vec<(i64, i64)> = match items {
        Items::Cart(cart) => {
            sqlx::query_as("SELECT product_id, quantity FROM cart_items WHERE cart_id = $1 AND list = 'cart' ORDER BY product_id")
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
    crate::ssr::auth::limits::hit(tx, "order", checkout.client, checkout.rate, "orders").await?;
    refuse_hoarding(tx, checkout).await?;
    let placed = Placed { number: order_number(), access_token: crate::ssr::auth::random_token() };
    let (now, t) = (now(), priced.totals);
    let id: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO orders (number, idempotency_key, request_hash, user_id, email, status, currency, subtotal_minor, \
         discount_minor, shipping_minor, tax_minor, total_minor, shipping_method, promo_code, ship_to, reserved_until, \
         access_token, created_at, updated_at, customer) \
         VALUES ($1, $2, $3, $4, $5, 'pending-payment', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $18) \
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
    for line in &priced.lines {
        take_stock(&mut *tx, order, line.product_id, line.quantity, &line.name).await?;
    }
    Ok(Some(placed))
}

/// The order's lines, in one statement.
async fn insert_lines(conn: &mut AnyConnection, order: i64, lines: &[PricedLine]) -> Result<(), AppError> {
    let rows: Vec<String> = (0..lines.len()).map(|i| format!("($1, {})", placeholders(2 + 4 * i, 4))).collect();
    let sql = format!("INSERT INTO order_lines (order_id, product_id, name, unit_price_minor, quantity) VALUES {}", rows.join(", "));
    let mut query = sqlx::query(&sql).bind(order);
    for line in lines {
        query = query.bind(line.product_id).bind(&line.name).bind(line.unit_price).bind(line.quantity);
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// Takes `quantity` of `product` off the shelf for `order`: the guarded
/// decrement, its ledger entry, and a low-stock mail to the admins when the
/// stock falls to the product's threshold.
async fn take_stock(conn: &mut AnyConnection, order: i64, product: i64, quantity: i64, name: &str) -> Result<(), AppError> {
    let left: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE products SET stock = stock - $2 WHERE id = $1 AND stock >= $2 RETURNING stock, low_stock_threshold",
    )
    .bind(product)
    .bind(quantity)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((left, threshold)) = left else {
        let (stock,): (i64,) =
            sqlx::query_as("SELECT stock FROM products WHERE id = $1").bind(product).fetch_one(&mut *conn).await?;
        return Err(AppError::Conflict(match stock {
            0 => format!("{name} has just sold out. Remove it from your cart to check out."),
            n => format!("Only {n} left of {name}. Lower the quantity to check out."),
        }));
    };
    ledger(conn, product, -quantity, "reserved", order).await?;
    if left <= threshold && left + quantity > threshold {
        sqlx::query(
            "INSERT INTO outbox_emails (to_address, subject, body, created_at, next_attempt_at) \
             SELECT email, $1, $2, $3, $3 FROM users WHERE role = 'admin'",
        )
        .bind(format!("Low stock: {name}"))
        .bind(format!("{name} (product {product}) is down to {left} in stock. Restock it from the admin pages."))
        .bind(now())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn ledger(conn: &mut AnyConnection, product: i64, delta: i64, reason: &str, order: i64) -> Result<(), AppError> {
    sqlx::query("INSERT INTO inventory_ledger (product_id, delta, reason, order_id, actor, at) VALUES ($1, $2, $3, $4, 'checkout', $5)")
        .bind(product)
        .bind(delta)
        .bind(reason)
        .bind(order)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Puts an unpaid order's stock back on the shelf (once); false if it held none.
pub async fn release(db: &Db, order: i64) -> Result<bool, AppError> {
    let mut tx = db.begin_write().await?;
    // Guarded by status in the same statement: a payment that marks the order
    // paid meanwhile (PostgreSQL re-checks the row after its lock) keeps the stock.
    if !restock_where(&mut tx, order, "AND status = 'pending-payment'").await? {
        return Ok(false);
    }
    give_back_promo(&mut tx, order).await?;
    tx.commit().await?;
    Ok(true)
}

/// Puts the stock `order` holds back on the shelf, with ledger entries;
/// false if it held none (already released, or never).
pub async fn restock(conn: &mut AnyConnection, order: i64) -> Result<bool, AppError> {
    restock_where(conn, order, "").await
}

/// [`restock`], only if the order also matches `condition` (SQL after `AND`s).
async fn restock_where(conn: &mut AnyConnection, order: i64, condition: &str) -> Result<bool, AppError> {
    let held = sqlx::query(&format!("UPDATE orders SET stock_held = 0, updated_at = $2 WHERE id = $1 AND stock_held = 1 {condition}"))
        .bind(order)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    if held.rows_affected() != 1 {
        return Ok(false);
    }
    let lines: Vec<(i64, i64)> =
        sqlx::query_as("SELECT product_id, quantity FROM order_lines WHERE order_id = $1 ORDER BY product_id")
            .bind(order)
            .fetch_all(&mut *conn)
            .await?;
    for (product, quantity) in lines {
        sqlx::query("UPDATE products SET stock = stock + $2 WHERE id = $1").bind(product).bind(quantity).execute(&mut *conn).await?;
        ledger(conn, product, quantity, "released", order).await?;
    }
    Ok(true)
}

/// Takes `order`'s row lock until the transaction ends, so the statements
/// after it see (on PostgreSQL) what a concurrent transaction on the order
/// committed, and that transaction's guarded updates see this one's. (SQLite's
/// `BEGIN IMMEDIATE` serializes writers already.)
pub async fn lock(conn: &mut AnyConnection, order: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE orders SET updated_at = updated_at WHERE id = $1").bind(order).execute(&mut *conn).await?;
    Ok(())
}

/// Takes a released order's stock again (a shopper retrying payment), for
/// another [`RESERVE_SECS`]. Refused when something sold out meanwhile.
pub async fn hold_again(conn: &mut AnyConnection, order: i64) -> Result<(), AppError> {
    let now = now();
    let held = sqlx::query(
        "UPDATE orders SET stock_held = 1, reserved_until = $2, updated_at = $3 \
         WHERE id = $1 AND stock_held = 0 AND status = 'pending-payment'",
    )
    .bind(order)
    .bind(now + RESERVE_SECS)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if held.rows_affected() == 1 {
        let lines: Vec<(i64, i64, String)> =
            sqlx::query_as("SELECT product_id, quantity, name FROM order_lines WHERE order_id = $1 ORDER BY product_id")
                .bind(order)
                .fetch_all(&mut *conn)
                .await?;
        for (product, quantity, name) in lines {
            take_stock(conn, order, product, quantity, &name).await?;
        }
        retake_promo(conn, order).await?;
    }
    Ok(())
}

/// Releases the stock of unpaid orders whose time ran out (no payment in
/// flight); returns how many.
pub async fn release_expired(db: &Db) -> Result<usize, AppError> {
    let due: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM orders o WHERE status = 'pending-payment' AND stock_held = 1 AND reserved_until < $1 \
         AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status = 'processing') LIMIT 200",
    )
    .bind(now())
    .fetch_all(&db.pool)
    .await?;
    let mut released = 0;
    for (order,) in due {
        released += usize::from(release(db, order).await?);
    }
    Ok(released)
}

/// `OX-` and eight characters without look-alikes (0/O, 1/I).
fn order_number() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let bytes = crate::ssr::auth::random_bytes::<8>();
    let code: String = bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect();
    format!("OX-{code}")
}
