//! Cart and checkout arithmetic and the views the pages show: quantities,
//! shipping, tax and totals. Only the server computes them;
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

pub use super::tax::Totals;

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
    /// Whether the prices hold the tax ("Tax included"), from the shop's settings.
    #[serde(default)]
    pub tax_note: String,
    /// What customers who bought the cart's products also bought (not in it).
    #[serde(default)]
    pub suggestions: Vec<super::catalog::ProductCard>,
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
    /// The tax at each rate (goods and shipping), for the summary.
    pub taxes: Vec<super::tax::RateTax>,
    /// Why the address cannot be shipped to (no zone has it), if so.
    #[serde(default)]
    pub shipping_notice: Option<String>,
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
}
