//! Promo codes as the back office edits them: the form as posted, its
//! checked fields (a code of letters and digits, a percentage up to 100, an
//! amount off or free shipping, a minimum subtotal, a start and an optional
//! end in UTC, limits in all and per customer, the categories and products
//! it is restricted to), a code in the list with its use, and what a code
//! takes off the items it applies to.

use super::money::parse_amount;
use super::time::{parse_utc, utc};
use serde::{Deserialize, Serialize};

/// The promo form as typed (amounts as written, times as `YYYY-MM-DD` or
/// `YYYY-MM-DDTHH:MM`, UTC; empty limits and end: none).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromoInput {
    #[serde(default)]
    pub code: String,
    /// `percent` or `fixed`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub min_subtotal: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub max_uses: String,
    #[serde(default)]
    pub max_per_customer: String,
    /// Category handles, comma-separated; empty: every category.
    #[serde(default)]
    pub categories: String,
    /// Product handles, comma-separated; empty: every product.
    #[serde(default)]
    pub products: String,
}

/// At most this many categories, and as many products, per promo code.
pub const MAX_TARGETS: usize = 200;

/// What a code takes off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Offer {
    /// Basis points of the subtotal (1000 = 10%).
    Percent(i64),
    /// Minor units off the subtotal.
    Fixed(i64),
    /// Every shipping method of the destination costs nothing.
    FreeShipping,
}

impl Offer {
    /// The stored kind and amount.
    pub fn stored(self) -> (&'static str, i64) {
        match self {
            Self::Percent(bp) => ("percent", bp),
            Self::Fixed(minor) => ("fixed", minor),
            Self::FreeShipping => ("free_shipping", 0),
        }
    }

    pub fn from_stored(kind: &str, amount: i64) -> Self {
        match kind {
            "percent" => Self::Percent(amount),
            "free_shipping" => Self::FreeShipping,
            _ => Self::Fixed(amount),
        }
    }

    /// What it takes off `subtotal` (the items it applies to), rounded
    /// down and never above it; free shipping takes nothing off the goods.
    pub fn off(self, subtotal: i64) -> i64 {
        let off = match self {
            Self::Percent(bp) => (i128::from(subtotal) * i128::from(bp.clamp(0, 10_000)) / 10_000) as i64,
            Self::Fixed(amount) => amount,
            Self::FreeShipping => 0,
        };
        off.clamp(0, subtotal.max(0))
    }

    /// "10% off", "$5.00 off".
    pub fn text(self) -> String {
        match self {
            Self::Percent(bp) if bp % 100 == 0 => format!("{}% off", bp / 100),
            Self::Percent(bp) => format!("{}.{:02}% off", bp / 100, bp % 100),
            Self::Fixed(minor) => format!("{} off", money_text(minor)),
            Self::FreeShipping => "free shipping".into(),
        }
    }
}

/// Minor units as the form shows them: `12.50`.
fn amount_text(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

fn money_text(minor: i64) -> String {
    format!("${}", amount_text(minor))
}

/// A promo's checked fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PromoFields {
    pub code: String,
    pub offer: Offer,
    pub min_subtotal: i64,
    pub starts_at: i64,
    pub ends_at: Option<i64>,
    pub max_uses: Option<i64>,
    pub max_per_customer: Option<i64>,
    /// Handles of the categories (with their subcategories) and products it
    /// applies to, sorted; both empty: the whole cart.
    pub categories: Vec<String>,
    pub products: Vec<String>,
}

/// A list of handles as typed (commas, spaces or lines between them),
/// lower-cased, sorted and without repeats.
fn handles(raw: &str, what: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = raw.split(|c: char| c == ',' || c.is_whitespace()).filter(|h| !h.is_empty()).map(str::to_ascii_lowercase).collect();
    if let Some(bad) = out.iter().find(|h| h.len() > 200 || !h.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')) {
        return Err(format!("\"{bad}\" is not a {what} handle (letters, digits and -, as in its address)."));
    }
    out.sort();
    out.dedup();
    if out.len() > MAX_TARGETS {
        return Err(format!("A promo code names at most {MAX_TARGETS} {what}s; choose their categories instead."));
    }
    Ok(out)
}
/// An optional whole number of uses: empty is none.
fn limit(raw: &str, what: &str) -> Result<Option<i64>, String> {
    match raw.trim() {
        "" => Ok(None),
        text => match text.parse::<i64>() {
            Ok(n) if (1..=1_000_000_000).contains(&n) => Ok(Some(n)),
            _ => Err(format!("{what} must be a whole number from 1 (or empty for no limit).")),
        },
    }
}

impl PromoInput {
    /// Checks the form; `now` is the start when none is given.
    pub fn parse(&self, now: i64) -> Result<PromoFields, String> {
        let code = self.code.trim().to_ascii_uppercase();
        if !(3..=32).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err("A code is 3 to 32 letters, digits, - or _ (e.g. SUMMER25).".into());
        }
        let offer = match self.kind.as_str() {
            "percent" => {
                let raw = self.amount.trim().trim_end_matches('%').trim();
                let bp = parse_amount(raw).map_err(|_| format!("\"{raw}\" is not a percentage (write it like 10 or 12.5)."))?;
                if bp > 10_000 {
                    return Err("A percentage off is at most 100.".into());
                }
                Offer::Percent(bp)
            }
            "fixed" => Offer::Fixed(parse_amount(&self.amount)?),
            "free_shipping" => Offer::FreeShipping,
            _ => return Err("Choose what the code gives: a percentage off, an amount off or free shipping.".into()),
        };
        let min_subtotal = match self.min_subtotal.trim() {
            "" | "0" => 0,
            raw => parse_amount(raw)?,
        };
        let starts_at = match self.starts.trim() {
            "" => now,
            raw => parse_utc(raw).map_err(|e| format!("Start: {e}"))?,
        };
        let ends_at = match self.ends.trim() {
            "" => None,
            raw => Some(parse_utc(raw).map_err(|e| format!("End: {e}"))?),
        };
        if ends_at.is_some_and(|end| end <= starts_at) {
            return Err("The end must come after the start.".into());
        }
        Ok(PromoFields {
            code,
            offer,
            min_subtotal,
            starts_at,
            ends_at,
            max_uses: limit(&self.max_uses, "Uses in all")?,
            max_per_customer: limit(&self.max_per_customer, "Uses per customer")?,
            categories: handles(&self.categories, "category")?,
            products: handles(&self.products, "product")?,
        })
    }
}

impl PromoFields {
    /// The form showing these fields again.
    pub fn input(&self) -> PromoInput {
        let (kind, amount) = self.offer.stored();
        let time = |secs: i64| utc(secs).replace(' ', "T");
        PromoInput {
            code: self.code.clone(),
            kind: kind.to_owned(),
            amount: if amount == 0 { String::new() } else { amount_text(amount) },
            min_subtotal: if self.min_subtotal == 0 { String::new() } else { amount_text(self.min_subtotal) },
            starts: time(self.starts_at),
            ends: self.ends_at.map(time).unwrap_or_default(),
            max_uses: self.max_uses.map(|n| n.to_string()).unwrap_or_default(),
            max_per_customer: self.max_per_customer.map(|n| n.to_string()).unwrap_or_default(),
            categories: self.categories.join(", "),
            products: self.products.join(", "),
        }
    }

    /// Whether it applies to some items only.
    pub fn restricted(&self) -> bool {
        !self.categories.is_empty() || !self.products.is_empty()
    }

    /// Where the code stands at `now`, having been used `uses` times.
    pub fn state(&self, now: i64, uses: i64) -> PromoState {
        if self.ends_at.is_some_and(|end| now >= end) {
            PromoState::Ended
        } else if self.max_uses.is_some_and(|max| uses >= max) {
            PromoState::UsedUp
        } else if now < self.starts_at {
            PromoState::Scheduled
        } else {
            PromoState::Active
        }
    }
}

/// Where a promo code stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PromoState {
    Scheduled,
    Active,
    UsedUp,
    Ended,
}

impl PromoState {
    pub fn text(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Active => "active",
            Self::UsedUp => "used up",
            Self::Ended => "ended",
        }
    }
}

/// A promo code in the back office's list, with its use: orders holding it
/// now (paid or awaiting payment; released and cancelled orders give their
/// use back) and what it took off them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PromoRow {
    pub input: PromoInput,
    /// "10% off · from $25.00 · 3 per customer".
    pub summary: String,
    /// "2026-12-06 10:00 → 2026-12-31 23:59" or "from 2026-12-06 10:00".
    pub window: String,
    pub state: PromoState,
    pub uses: i64,
    pub max_uses: Option<i64>,
    /// Orders that used it and are paid (or further along).
    pub paid_orders: i64,
    /// What it took off those orders, and what they came to, in minor units.
    pub discount_given: i64,
    pub revenue: i64,
}

impl PromoRow {
    pub fn new(fields: &PromoFields, now: i64, uses: i64, (paid_orders, discount_given, revenue): (i64, i64, i64)) -> Self {
        let mut summary = vec![fields.offer.text()];
        if fields.min_subtotal > 0 {
            summary.push(format!("from {}", money_text(fields.min_subtotal)));
        }
        if let Some(n) = fields.max_per_customer {
            summary.push(format!("{n} per customer"));
        }
        if !fields.categories.is_empty() {
            summary.push(format!("only in {}", fields.categories.join(", ")));
        }
        if !fields.products.is_empty() {
            summary.push(format!("only on {}", fields.products.join(", ")));
        }
        let window = match fields.ends_at {
            Some(end) => format!("{} → {}", utc(fields.starts_at), utc(end)),
            None => format!("from {}", utc(fields.starts_at)),
        };
        Self {
            input: fields.input(),
            summary: summary.join(" · "),
            window,
            state: fields.state(now, uses),
            uses,
            max_uses: fields.max_uses,
            paid_orders,
            discount_given,
            revenue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(code: &str, kind: &str, amount: &str) -> PromoInput {
        PromoInput { code: code.into(), kind: kind.into(), amount: amount.into(), ..Default::default() }
    }

    #[test]
    fn a_promo_form_is_checked_and_shown_again() {
        let now = 1_790_000_000; // 2026-09-21, before the promo's start
        let mut form = input(" summer25 ", "percent", "12.5%");
        form.min_subtotal = "25".into();
        form.starts = "2027-01-01".into();
        form.ends = "2027-01-31T23:59".into();
        form.max_per_customer = "2".into();
        let fields = form.parse(now).unwrap();
        assert_eq!((fields.code.as_str(), fields.offer, fields.min_subtotal), ("SUMMER25", Offer::Percent(1250), 2500));
        assert_eq!(utc(fields.starts_at), "2027-01-01 00:00");
        assert_eq!(fields.ends_at.map(utc).as_deref(), Some("2027-01-31 23:59"));
        assert_eq!((fields.max_uses, fields.max_per_customer), (None, Some(2)));
        assert_eq!(fields.input().parse(now).unwrap(), fields, "the form shown again saves the same promo");
        assert_eq!(fields.state(now, 0), PromoState::Scheduled);
        let row = PromoRow::new(&fields, now, 0, (0, 0, 0));
        assert_eq!(row.summary, "12.50% off · from $25.00 · 2 per customer");
        assert_eq!(row.window, "2027-01-01 00:00 → 2027-01-31 23:59");

        let fixed = input("FIVE", "fixed", "5").parse(now).unwrap();
        assert_eq!((fixed.offer.text(), fixed.starts_at, fixed.ends_at), ("$5.00 off".to_owned(), now, None));
    }

    #[test]
    fn bad_promo_forms_say_what_is_wrong() {
        let now = 1_800_000_000;
        let refused = |form: PromoInput, part: &str| {
            let error = form.parse(now).unwrap_err();
            assert!(error.contains(part), "{error}");
        };
        refused(input("X", "percent", "10"), "3 to 32");
        refused(input("NO SPACES", "percent", "10"), "letters");
        refused(input("HALF", "percent", "150"), "at most 100");
        refused(input("HALF", "percent", "-5"), "percentage");
        refused(input("HALF", "fixed", "0"), "more than zero");
        refused(input("HALF", "fixed", "abc"), "not an amount");
        refused(input("HALF", "free", "1"), "Choose what");
        refused(input("HALF", "fixed", ""), "amount");
        refused(PromoInput { starts: "2027-02-30".into(), ..input("HALF", "fixed", "1") }, "Start");
        refused(PromoInput { ends: "2020-01-01".into(), ..input("HALF", "fixed", "1") }, "after the start");
        refused(PromoInput { max_uses: "0".into(), ..input("HALF", "fixed", "1") }, "Uses in all");
        refused(PromoInput { max_per_customer: "1.5".into(), ..input("HALF", "fixed", "1") }, "per customer");
    }

    #[test]
    fn free_shipping_and_restrictions_save_and_show_again() {
        let mut form = input("shipfree", "free_shipping", "");
        form.categories = " Shirts, mugs\nshirts ".into();
        form.products = "blue-cup".into();
        let fields = form.parse(120).unwrap();
        assert_eq!(fields.offer, Offer::FreeShipping);
        assert_eq!((fields.categories.clone(), fields.products.clone()), (vec!["mugs".to_owned(), "shirts".to_owned()], vec!["blue-cup".to_owned()]));
        assert!(fields.restricted());
        assert_eq!(fields.input().parse(120).unwrap(), fields, "the form shown again saves the same promo");
        assert_eq!(PromoRow::new(&fields, 120, 0, (0, 0, 0)).summary, "free shipping · only in mugs, shirts · only on blue-cup");
        assert_eq!(Offer::FreeShipping.off(5000), 0);
        assert!(!input("ALL", "fixed", "1").parse(120).unwrap().restricted());

        let bad = PromoInput { categories: "shirts, <b>".into(), ..input("BAD", "percent", "5") };
        assert!(bad.parse(120).unwrap_err().contains("not a category handle"));
        let many = PromoInput { products: (0..=MAX_TARGETS).map(|n| format!("p{n}")).collect::<Vec<_>>().join(","), ..input("MANY", "percent", "5") };
        assert!(many.parse(120).unwrap_err().contains("at most"));
    }

    #[test]
    fn an_offer_takes_off_at_most_the_subtotal() {
        assert_eq!(Offer::Percent(1000).off(1999), 199);
        assert_eq!(Offer::Fixed(500).off(300), 300);
        assert_eq!(Offer::Percent(1000).off(i64::MAX), i64::MAX / 10);
        assert_eq!(Offer::Fixed(500).off(-1), 0);
    }

    #[test]
    fn a_promo_ends_or_is_used_up() {
        let fields = input("ONCE", "fixed", "1").parse(100).unwrap();
        assert_eq!(fields.state(100, 0), PromoState::Active);
        let ended = PromoFields { ends_at: Some(200), ..fields.clone() };
        assert_eq!(ended.state(200, 0), PromoState::Ended);
        let counted = PromoFields { max_uses: Some(3), ..fields };
        assert_eq!(counted.state(150, 3), PromoState::UsedUp);
    }
}
