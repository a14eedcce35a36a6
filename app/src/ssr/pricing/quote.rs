//! Pricing a cart on the server: today's prices, the shipping method the
//! destination allows, its tax rate and the promo code's discount.

use super::promos::promo_discount;
use crate::domain::checkout::{shipping_cost, ShippingOption, ShippingRule, Totals};
use crate::domain::money::{Currency, Money};
use crate::error::AppError;
use crate::ssr::db::placeholders;
use sqlx::AnyConnection;

/// A priced cart line.
#[derive(Clone, Debug)]
pub struct PricedLine {
    pub variant_id: i64,
    pub product_id: i64,
    pub name: String,
    /// Its option values, "Red / M" (empty without options).
    pub variant: String,
    pub sku: String,
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

type VariantRow = (i64, i64, String, String, String, String, String, i64, String, i64, i64);
/// A shipping method, and the destination's tax rate (basis points) if it has one.
type MethodRow = (String, String, String, i64, i64, Option<i64>, Option<i64>);

/// Prices `lines` (variant id, quantity) with today's prices, shipping and tax.
pub async fn price(conn: &mut AnyConnection, lines: &[(i64, i64)], to: &Destination<'_>) -> Result<Priced, AppError> {
    if lines.is_empty() {
        return Err(AppError::BadRequest("Your cart is empty.".into()));
    }
    let ids: Vec<i64> = lines.iter().map(|l| l.0).collect();
    let sql = format!(
        "SELECT v.id, p.id, p.name, v.option1, v.option2, v.option3, v.sku, v.price_minor, p.currency, v.stock, v.weight_grams \
         FROM product_variants v JOIN products p ON p.id = v.product_id WHERE p.status = 'active' AND v.id IN ({})",
        placeholders(1, ids.len())
    );
    let mut query = sqlx::query_as::<_, VariantRow>(&sql);
    for id in &ids {
        query = query.bind(id);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let overflow = || AppError::BadRequest("That order is too large.".into());
    let (mut priced, mut currency, mut subtotal, mut weight) = (Vec::new(), None, 0i64, 0i64);
    for &(variant_id, quantity) in lines {
        let Some((_, product_id, name, o1, o2, o3, sku, price, code, stock, grams)) = rows.iter().find(|r| r.0 == variant_id).cloned()
        else {
            return Err(AppError::BadRequest("An item in your cart is no longer sold: remove it to check out.".into()));
        };
        let code = Currency::parse(&code).ok_or(AppError::Internal)?;
        if *currency.get_or_insert(code) != code {
            return Err(AppError::BadRequest("Items priced in different currencies cannot be bought together.".into()));
        }
        subtotal = subtotal.checked_add(price.checked_mul(quantity).ok_or_else(overflow)?).ok_or_else(overflow)?;
        weight = weight.saturating_add(grams.saturating_mul(quantity));
        let variant = crate::domain::variants::title(&[o1, o2, o3]);
        priced.push(PricedLine { variant_id, product_id, name, variant, sku, unit_price: price, quantity, stock });
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
