//! Pricing a cart on the server: today's prices, the shipping method the
//! destination allows, the promo code's discount (on the items it applies
//! to) or free shipping, and tax at each product's
//! tax class rate for the destination (shipping at its standard rate), added
//! to the prices or taken out of them as the shop's settings say.

use super::promos::{promo_effect, PromoEffect};
use crate::domain::checkout::{shipping_cost, ShippingOption, ShippingRule, Totals};
use crate::domain::money::{Currency, Money};
use crate::domain::shipping::delivery_text;
use crate::domain::tax::{tax_order, LineTax, RateTax, Taxable};
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
    /// Its tax class's rate for the destination, its share of the discount and its tax.
    pub rate_bp: i64,
    pub tax: LineTax,
}

/// A cart priced for one destination, shipping method and promo code.
#[derive(Clone, Debug)]
pub struct Priced {
    pub lines: Vec<PricedLine>,
    pub currency: Currency,
    pub options: Vec<ShippingOption>,
    pub method: String,
    pub promo: Option<String>,
    /// Why nothing can be sent to the destination (no zone, or no method in
    /// its zone); the order cannot be placed then.
    pub unshippable: Option<String>,
    /// Shipping's tax rate (the destination's standard rate) and its tax.
    pub shipping_rate_bp: i64,
    pub shipping_tax: i64,
    pub by_rate: Vec<RateTax>,
    pub totals: Totals,
}

/// Where the goods go and how, as far as the price depends on it.
pub struct Destination<'a> {
    pub country: &'a str,
    pub region: &'a str,
    /// Empty, or one the zone does not offer: its first method (placing an
    /// order checks that it got the one asked for).
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

type VariantRow = (i64, i64, String, String, String, String, String, i64, String, i64, i64, String);
/// A shipping method of the destination's zone, with its delivery time in days.
type MethodRow = (String, String, String, i64, i64, Option<i64>, Option<i64>, Option<i64>);

/// Prices `lines` (variant id, quantity) with today's prices, shipping and tax.
pub async fn price(conn: &mut AnyConnection, lines: &[(i64, i64)], to: &Destination<'_>) -> Result<Priced, AppError> {
    if lines.is_empty() {
        return Err(AppError::BadRequest("Your cart is empty.".into()));
    }
    let ids: Vec<i64> = lines.iter().map(|l| l.0).collect();
    let sql = format!(
        "SELECT v.id, p.id, p.name, v.option1, v.option2, v.option3, v.sku, v.price_minor, p.currency, v.stock, v.weight_grams, p.tax_class \
         FROM product_variants v JOIN products p ON p.id = v.product_id WHERE p.status = 'active' AND v.id IN ({})",
        placeholders(1, ids.len())
    );
    let mut query = sqlx::query_as::<_, VariantRow>(&sql);
    for id in &ids {
        query = query.bind(id);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let overflow = || AppError::BadRequest("That order is too large.".into());
    let (mut priced, mut classes, mut currency, mut subtotal, mut weight) = (Vec::new(), Vec::new(), None, 0i64, 0i64);
    for &(variant_id, quantity) in lines {
        let Some((_, product_id, name, o1, o2, o3, sku, price, code, stock, grams, class)) = rows.iter().find(|r| r.0 == variant_id).cloned()
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
        classes.push(class);
        priced.push(PricedLine { variant_id, product_id, name, variant, sku, unit_price: price, quantity, stock, rate_bp: 0, tax: LineTax::default() });
    }
    let currency = currency.ok_or(AppError::Internal)?;

    let promo = to.promo.trim().to_ascii_uppercase();
    let effect = if promo.is_empty() {
        PromoEffect { applies: vec![true; priced.len()], ..Default::default() }
    } else {
        let values: Vec<(i64, i64)> = priced.iter().map(|l| (l.product_id, l.unit_price * l.quantity)).collect();
        promo_effect(conn, &promo, &values, to.customer).await?
    };
    let goods = subtotal - effect.off;

    let region = to.region.trim().to_ascii_uppercase();
    // The methods of the destination's zone: a region's own zone first, then its country's, then everywhere else.
    let methods: Vec<MethodRow> = sqlx::query_as(
        "SELECT code, name, kind, base_minor, per_kg_minor, free_above_minor, min_days, max_days FROM shipping_methods \
         WHERE zone_id = (SELECT zone_id FROM shipping_zone_places WHERE (country = $1 AND region IN ($2, '')) OR country = '**' \
                          ORDER BY CASE WHEN country = '**' THEN 1 ELSE 0 END, length(region) DESC LIMIT 1) \
         ORDER BY position, code",
    )
    .bind(to.country)
    .bind(&region)
    .fetch_all(&mut *conn)
    .await?;
    let included = crate::ssr::settings::current(conn).await?.prices_include_tax;
    let rates = rates_for(conn, to.country, to.region).await?;
    let standard = rates.rate("standard");
    let mut options = Vec::new();
    for (code, name, kind, base, per_kg, free_above, min_days, max_days) in methods {
        let rule = if kind == "weight" { ShippingRule::Weight { base, per_kg } } else { ShippingRule::Flat { base } };
        let cost = if effect.free_shipping { 0 } else { shipping_cost(rule, free_above, goods, weight).ok_or_else(overflow)? };
        let mut name = match delivery_text(min_days, max_days) {
            days if days.is_empty() => name,
            days => format!("{name} ({days})"),
        };
        if effect.free_shipping {
            name = format!("{name}, free with {promo}");
        }
        options.push(ShippingOption { code, name, price: Money::new(cost, currency) });
    }
    let (method, shipping, unshippable) = if options.is_empty() {
        let place = if region.is_empty() { to.country.to_owned() } else { format!("{}-{region}", to.country) };
        (String::new(), 0, Some(format!("We do not ship to {place} yet. Choose another address, or ask us.")))
    } else {
        // A method this zone does not offer (the shopper changed the address): its first.
        let chosen = options.iter().find(|o| o.code == to.method).unwrap_or(&options[0]);
        (chosen.code.clone(), chosen.price.minor(), None)
    };
    for (line, class) in priced.iter_mut().zip(&classes) {
        line.rate_bp = rates.rate(class);
    }
    let taxable: Vec<Taxable> = priced
        .iter()
        .zip(&effect.applies)
        .map(|(l, applies)| Taxable { value: l.unit_price * l.quantity, rate_bp: l.rate_bp, discounted: *applies })
        .collect();
    let taxed = tax_order(&taxable, effect.off, shipping, standard, included).ok_or_else(overflow)?;
    for (line, tax) in priced.iter_mut().zip(taxed.lines) {
        line.tax = tax;
    }
    Ok(Priced {
        lines: priced,
        currency,
        options,
        method,
        promo: (!promo.is_empty()).then_some(promo),
        unshippable,
        shipping_rate_bp: standard,
        shipping_tax: taxed.shipping_tax,
        by_rate: taxed.by_rate,
        totals: taxed.totals,
    })
}

/// A destination's tax rates by class: the region's own rate for a class
/// before the country's; a class with neither is taxed at the standard rate.
struct Rates(Vec<(String, i64)>);

impl Rates {
    fn rate(&self, class: &str) -> i64 {
        let find = |class: &str| self.0.iter().find(|(c, _)| c == class).map(|r| r.1);
        find(class).or_else(|| find("standard")).unwrap_or(0)
    }
}

async fn rates_for(conn: &mut AnyConnection, country: &str, region: &str) -> Result<Rates, AppError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT tax_class, rate_bp FROM tax_rates WHERE country = $1 AND region IN ($2, '') ORDER BY length(region) DESC, tax_class",
    )
    .bind(country)
    .bind(region.trim().to_ascii_uppercase())
    .fetch_all(&mut *conn)
    .await?;
    Ok(Rates(rows))
}
