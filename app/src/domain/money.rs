//! Money as integer minor units plus an ISO 4217 currency. Never a float.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 4217 currency code the shop knows how to format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    Usd,
    Eur,
    Gbp,
}

impl Currency {
    /// Parses a three-letter code such as `"USD"` (case-insensitive).
    pub fn parse(code: &str) -> Option<Self> {
        match code.to_ascii_uppercase().as_str() {
            "USD" => Some(Self::Usd),
            "EUR" => Some(Self::Eur),
            "GBP" => Some(Self::Gbp),
            _ => None,
        }
    }

    /// The three-letter code, as stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Usd => "USD",
            Self::Eur => "EUR",
            Self::Gbp => "GBP",
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Self::Usd => "$",
            Self::Eur => "€",
            Self::Gbp => "£",
        }
    }
}

/// An amount in minor units (cents) of a currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    minor: i64,
    currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    pub fn minor(self) -> i64 {
        self.minor
    }

    pub fn currency(self) -> Currency {
        self.currency
    }

    /// Adds two amounts of the same currency; `None` on mismatch or overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        (self.currency == other.currency)
            .then(|| self.minor.checked_add(other.minor))
            .flatten()
            .map(|minor| Money::new(minor, self.currency))
    }

    /// Multiplies by a quantity; `None` on overflow.
    pub fn checked_mul(self, quantity: i64) -> Option<Money> {
        self.minor
            .checked_mul(quantity)
            .map(|minor| Money::new(minor, self.currency))
    }
}

/// Reads an amount typed by a person (`12`, `12.5`, `12.50`, `$1,234.56`)
/// as minor units: positive, at most two decimals. A comma only groups
/// thousands: `5,00` (a decimal comma) is refused, never read as 500.
pub fn parse_amount(raw: &str) -> Result<i64, String> {
    let bad = || format!("\"{}\" is not an amount (write it like 12.50).", raw.trim().chars().take(20).collect::<String>());
    let typed = raw.trim().trim_start_matches(['$', '€', '£']);
    let whole = typed.split_once('.').map_or(typed, |(units, _)| units);
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or("");
    let cents_comma = typed.split_once('.').is_some_and(|(_, cents)| cents.contains(','));
    if cents_comma || (whole.contains(',') && (first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3))) {
        return Err(bad());
    }
    let cleaned: String = typed.chars().filter(|c| *c != ',').collect();
    let (units, cents) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(units) || !(cents.is_empty() || (cents.len() <= 2 && digits(cents))) {
        return Err(bad());
    }
    let cents = format!("{cents:0<2}").parse::<i64>().map_err(|_| bad())?;
    let minor = units.parse::<i64>().map_err(|_| bad())? * 100 + cents;
    if minor == 0 {
        return Err("The amount must be more than zero.".into());
    }
    Ok(minor)
}

impl fmt::Display for Money {
    /// Formats as e.g. `$1,234.56` or `-€0.05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let (units, cents) = (abs / 100, abs % 100);
        let digits = units.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "{sign}{}{grouped}.{cents:02}", self.currency.symbol())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_amounts_become_minor_units() {
        assert_eq!(parse_amount("12"), Ok(1200));
        assert_eq!(parse_amount(" 12.5 "), Ok(1250));
        assert_eq!(parse_amount("$1,234.56"), Ok(123_456));
        assert_eq!(parse_amount("0.07"), Ok(7));
        assert_eq!(parse_amount("12,345,678"), Ok(1_234_567_800));
        for bad in ["", "0", "0.00", "-5", "1.234", "1e3", "abc", ".5", "1.2.3", "9999999999999", "5,00", "2,5", "1,23,456", ",500", "1.5,0"] {
            assert!(parse_amount(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats_with_grouping_and_cents() {
        assert_eq!(Money::new(0, Currency::Usd).to_string(), "$0.00");
        assert_eq!(Money::new(5, Currency::Eur).to_string(), "€0.05");
        assert_eq!(Money::new(123_456, Currency::Usd).to_string(), "$1,234.56");
        assert_eq!(Money::new(100_000_000, Currency::Gbp).to_string(), "£1,000,000.00");
        assert_eq!(Money::new(-1999, Currency::Usd).to_string(), "-$19.99");
        assert_eq!(Money::new(i64::MIN, Currency::Usd).to_string(), "-$92,233,720,368,547,758.08");
    }

    #[test]
    fn arithmetic_refuses_mixed_currencies_and_overflow() {
        let a = Money::new(150, Currency::Usd);
        assert_eq!(a.checked_add(a), Some(Money::new(300, Currency::Usd)));
        assert_eq!(a.checked_add(Money::new(1, Currency::Eur)), None);
        assert_eq!(a.checked_mul(3), Some(Money::new(450, Currency::Usd)));
        assert_eq!(Money::new(i64::MAX, Currency::Usd).checked_mul(2), None);
    }

    #[test]
    fn parses_currency_codes() {
        assert_eq!(Currency::parse("usd"), Some(Currency::Usd));
        assert_eq!(Currency::parse("EUR").map(Currency::code), Some("EUR"));
        assert_eq!(Currency::parse("XYZ"), None);
    }
}
