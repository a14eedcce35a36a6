//! Cart and checkout arithmetic and the views the pages show: quantities,
//! shipping, tax, promo discounts and totals. Only the server computes them;
//! the client never sends a price.

use super::money::Money;
use serde::{Deserialize, Serialize};

/// Most of one product a cart line may hold.
pub const MAX_QUANTITY: i64 = 99;
/// Different items one cart, list or order holds at most: keeps every
/// statement over an order's lines far below the databases' parameter limits.
pub const MAX_LINES: usize = 50;

/// A quantity typed by a shopper: a whole number from 1 (or 0, which removes
/// the line, when `zero_removes`) to [`MAX_QUANTITY`].
pub fn parse_quantity(raw: &str, zero_removes: bool) -> Result<i64, String> {
    let low = if zero_removes { 0 } else { 1 };
    match raw.trim().parse::<i64>() {
        Ok(n) if (low..=MAX_QUANTITY).contains(&n) => Ok(n),
        _ => Err(format!("Enter a whole number of items from {low} to {MAX_QUANTITY}.")),
    }
}

/// How a shipping method is priced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShippingRule {
    /// One price per order.
    Flat { base: i64 },
    /// A base price plus a price per started kilogram.
    Weight { base: i64, per_kg: i64 },
}

/// The price of shipping `weight_grams` with `rule`, free when `free_above` is
/// reached by the goods' value after discounts. `None` on overflow.
pub fn shipping_cost(rule: ShippingRule, free_above: Option<i64>, goods: i64, weight_grams: i64) -> Option<i64> {
    if free_above.is_some_and(|limit| goods >= limit) {
        return Some(0);
    }
    match rule {
        ShippingRule::Flat { base } => Some(base),
        ShippingRule::Weight { base, per_kg } => {
            let kilos = weight_grams.max(0).checked_add(999)? / 1000;
            base.checked_add(per_kg.checked_mul(kilos)?)
        }
    }
}

/// What a promo code takes off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromoKind {
    /// Basis points of the subtotal (1000 = 10%).
    Percent(i64),
    /// Minor units, at most the subtotal.
    Fixed(i64),
}

/// The discount `kind` gives on `subtotal` (rounded down, never above it).
pub fn discount(kind: PromoKind, subtotal: i64) -> i64 {
    let off = match kind {
        PromoKind::Percent(bp) => (i128::from(subtotal) * i128::from(bp.clamp(0, 10_000)) / 10_000) as i64,
        PromoKind::Fixed(amount) => amount,
    };
    off.clamp(0, subtotal.max(0))
}

/// Tax at `rate_bp` basis points on `taxable`, rounded half up.
pub fn tax(taxable: i64, rate_bp: i64) -> i64 {
    ((i128::from(taxable.max(0)) * i128::from(rate_bp) + 5_000) / 10_000) as i64
}

/// An order's sums, in minor units of one currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub subtotal: i64,
    pub discount: i64,
    pub shipping: i64,
    pub tax: i64,
    pub total: i64,
}

impl Totals {
    /// Goods less the discount, plus shipping, plus tax on both (prices are
    /// quoted before tax). `None` on overflow.
    pub fn new(subtotal: i64, discount: i64, shipping: i64, rate_bp: i64) -> Option<Self> {
        let taxable = subtotal.checked_sub(discount)?.checked_add(shipping)?;
        let tax = tax(taxable, rate_bp);
        Some(Self { subtotal, discount, shipping, tax, total: taxable.checked_add(tax)? })
    }

    /// What the customer paid for goods listed at `value` (unit prices times
    /// quantities, before the discount) of this order: their share of the
    /// discount taken off, their share of the tax added. The discount and the
    /// goods' tax (the tax less the part charged on shipping) are shared out
    /// in proportion to list value, and the result is rounded down to the
    /// minor unit, so the refunds of several returns never add up to more
    /// than was paid; returning every item gives back exactly what the goods
    /// cost. Shipping is not part of it.
    pub fn paid_for(&self, value: i64) -> i64 {
        if self.subtotal <= 0 || value <= 0 {
            return 0;
        }
        let goods = i128::from(self.subtotal - self.discount);
        let taxable = goods + i128::from(self.shipping);
        // The tax on the goods: the whole tax when nothing was charged for shipping.
        let goods_tax = if taxable <= 0 { 0 } else { (i128::from(self.tax) * goods + taxable / 2) / taxable };
        let paid = i128::from(value.min(self.subtotal)) * (goods + goods_tax) / i128::from(self.subtotal);
        paid as i64
    }
}

/// One line of a cart or of the saved-for-later list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    /// What the line is (the lists hold variants).
    pub variant_id: i64,
    pub product_id: i64,
    pub slug: String,
    pub name: String,
    /// Its option values, "Red / M" (empty without options).
    pub variant: String,
    pub image: Option<String>,
    pub unit_price: Money,
    pub quantity: i64,
    /// Units left to sell now.
    pub stock: i64,
}

impl CartLine {
    /// "Tee (Red / M)": its name with its options.
    pub fn label(&self) -> String {
        super::variants::line_name(&self.name, &self.variant)
    }

    pub fn total(&self) -> Money {
        Money::new(self.unit_price.minor().saturating_mul(self.quantity), self.unit_price.currency())
    }
}

/// The shopper's cart as the server sees it now.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CartView {
    pub lines: Vec<CartLine>,
    pub saved: Vec<CartLine>,
    /// Sentences about changes the shopper did not make (a line capped by stock, a product gone).
    pub notices: Vec<String>,
}

impl CartView {
    /// Items in the cart (the header's count).
    pub fn count(&self) -> i64 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    pub fn subtotal(&self) -> Option<Money> {
        let first = self.lines.first()?;
        self.lines.iter().try_fold(Money::new(0, first.unit_price.currency()), |sum, l| sum.checked_add(l.total()))
    }
}

/// A shipping method with its price for the current cart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShippingOption {
    pub code: String,
    pub name: String,
    pub price: Money,
}

/// What the order will cost, computed by the server before the shopper pays.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub cart: CartView,
    pub shipping: Vec<ShippingOption>,
    pub method: String,
    pub promo: Option<String>,
    pub totals: Totals,
    pub currency: super::money::Currency,
    pub tax_rate_bp: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_whole_numbers_in_range() {
        assert_eq!(parse_quantity(" 3 ", false), Ok(3));
        assert_eq!(parse_quantity("0", true), Ok(0));
        for bad in ["0", "-1", "1.5", "1e3", "100", "9223372036854775808", "", "two"] {
            assert!(parse_quantity(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn shipping_by_rule_and_threshold() {
        let flat = ShippingRule::Flat { base: 499 };
        assert_eq!(shipping_cost(flat, Some(5000), 4999, 0), Some(499));
        assert_eq!(shipping_cost(flat, Some(5000), 5000, 0), Some(0));
        let weight = ShippingRule::Weight { base: 1299, per_kg: 200 };
        assert_eq!(shipping_cost(weight, None, 1, 0), Some(1299));
        assert_eq!(shipping_cost(weight, None, 1, 1), Some(1499), "a started kilogram counts");
        assert_eq!(shipping_cost(weight, None, 1, 2500), Some(1899));
        assert_eq!(shipping_cost(ShippingRule::Weight { base: 1, per_kg: i64::MAX }, None, 1, 5000), None);
    }

    #[test]
    fn discounts_never_exceed_the_subtotal() {
        assert_eq!(discount(PromoKind::Percent(1000), 1999), 199);
        assert_eq!(discount(PromoKind::Fixed(500), 300), 300);
        assert_eq!(discount(PromoKind::Percent(1000), i64::MAX), i64::MAX / 10);
    }

    #[test]
    fn totals_add_up_with_tax_on_goods_and_shipping() {
        let t = Totals::new(10_000, 1_000, 499, 2000).unwrap();
        assert_eq!(t.tax, 1_900); // 20% of 9,499 = 1,899.8
        assert_eq!(t.total, 10_000 - 1_000 + 499 + 1_900);
        assert_eq!(tax(1, 5000), 1, "half rounds up");
        assert!(Totals::new(i64::MAX, 0, 1, 0).is_none());
    }

    #[test]
    fn a_refund_is_what_the_customer_paid_for_the_goods() {
        // $25 + $5 of goods with SAVE5 ($5 off), no tax, free shipping:
        // the $25 item cost 25/30 of the $25 paid.
        let save5 = Totals::new(3_000, 500, 0, 0).unwrap();
        assert_eq!(save5.paid_for(2_500), 2_083, "$20.83, rounded down");
        assert_eq!(save5.paid_for(500), 416);
        assert_eq!(save5.paid_for(3_000), 2_500, "everything: exactly what the goods cost");
        // With 20% tax on goods and shipping, the goods' tax goes back with them.
        let taxed = Totals::new(10_000, 1_000, 500, 2000).unwrap();
        assert_eq!(taxed.tax, 1_900);
        assert_eq!(taxed.paid_for(10_000), 9_000 + 1_800, "goods after discount plus their tax, no shipping");
        assert_eq!(taxed.paid_for(5_000), 5_400);
        assert_eq!(Totals::new(0, 0, 500, 2000).unwrap().paid_for(100), 0);
    }

    proptest::proptest! {
        #[test]
        fn refunds_of_parts_never_add_up_to_more_than_the_goods_cost(
            prices in proptest::collection::vec(1i64..100_000, 1..8),
            off in 0i64..10_000, shipping in 0i64..5_000, rate in 0i64..3_000,
        ) {
            let subtotal: i64 = prices.iter().sum();
            let totals = Totals::new(subtotal, off.min(subtotal), shipping, rate).unwrap();
            let parts: i64 = prices.iter().map(|p| totals.paid_for(*p)).sum();
            let whole = totals.paid_for(subtotal);
            proptest::prop_assert!(parts <= whole);
            proptest::prop_assert!(whole <= totals.total - totals.shipping);
            proptest::prop_assert!(parts + prices.len() as i64 > whole, "each part loses under a cent");
        }
    }
}
