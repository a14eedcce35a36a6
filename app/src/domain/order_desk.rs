//! The order desk's rules, shared by the list page, its CSV export and its
//! packing slips: the list's filters as the address carries them, checked
//! once; staff notes and the order's mails; CSV cells that a spreadsheet
//! cannot mistake for formulas.

use super::time::parse_utc;
use serde::{Deserialize, Serialize};

/// Where an order's payment stands, as the list filters it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PaymentFilter {
    /// Placed and not paid yet.
    Awaiting,
    /// Paid, nothing refunded.
    Paid,
    /// Some or all of it refunded.
    Refunded,
    /// A payment was declined or failed and none succeeded.
    Failed,
}

impl PaymentFilter {
    pub const ALL: [Self; 4] = [Self::Awaiting, Self::Paid, Self::Refunded, Self::Failed];

    pub fn key(self) -> &'static str {
        match self {
            Self::Awaiting => "awaiting",
            Self::Paid => "paid",
            Self::Refunded => "refunded",
            Self::Failed => "failed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Awaiting => "Awaiting payment",
            Self::Paid => "Paid",
            Self::Refunded => "Refunded (some or all)",
            Self::Failed => "Payment failed",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// The list's filters as the address carries them (`?status=&q=&payment=&from=&to=&seller=&page=`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFilter {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub payment: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub seller: String,
    #[serde(default)]
    pub page: String,
}

/// The filters once checked; `to` is exclusive (the day after the last day asked for).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedFilter {
    pub search: String,
    pub payment: Option<PaymentFilter>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// 0 for every seller.
    pub seller: i64,
}

impl OrderFilter {
    /// Checks everything but the state and the page (their rules live with the order list).
    pub fn check(&self) -> Result<CheckedFilter, String> {
        let search = self.q.trim().to_owned();
        if search.chars().count() > 100 {
            return Err("Search for at most 100 characters.".into());
        }
        let payment = match self.payment.trim() {
            "" => None,
            key => Some(PaymentFilter::parse(key).ok_or("Choose a payment state from the list.")?),
        };
        let day = |text: &str, what: &str| -> Result<Option<i64>, String> {
            match text.trim() {
                "" => Ok(None),
                typed if typed.len() == 10 => parse_utc(typed).map(Some),
                _ => Err(format!("Give the {what} date as a day, like 2027-01-31.")),
            }
        };
        let (from, to) = (day(&self.from, "first")?, day(&self.to, "last")?.map(|d| d + 86_400));
        if let (Some(from), Some(to)) = (from, to) {
            if to <= from {
                return Err("The last day comes before the first.".into());
            }
        }
        let seller = match self.seller.trim() {
            "" => 0,
            typed => typed.parse::<i64>().ok().filter(|s| *s > 0).ok_or("Choose a seller from the list.")?,
        };
        Ok(CheckedFilter { search, payment, from, to, seller })
    }

    /// The query string for these filters with `page` (none when 1), without the leading `?`.
    pub fn query(&self, page: u32) -> String {
        let pairs = [
            ("status", self.status.as_str()),
            ("q", self.q.as_str()),
            ("payment", self.payment.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
            ("seller", self.seller.as_str()),
        ];
        let mut parts: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", super::search::url_encode(v.trim())))
            .collect();
        if page > 1 {
            parts.push(format!("page={page}"));
        }
        parts.join("&")
    }
}

/// One order in the staff's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffOrderRow {
    pub number: String,
    pub status: super::orders::OrderStatus,
    pub payment: Option<PaymentFilter>,
    /// The buyer's total; for a seller's staff, their own goods' worth.
    pub total: super::money::Money,
    pub created_at: i64,
    pub email: String,
    /// The name on the delivery address.
    pub name: String,
    pub items: i64,
}

/// A page of the staff's order list, with the sellers an admin may filter by.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderList {
    pub rows: Vec<StaffOrderRow>,
    pub page: super::pagination::PageInfo,
    /// (id, name); empty for a seller's staff.
    pub sellers: Vec<(i64, String)>,
}

/// A staff note on an order: never shown to the shopper.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderNote {
    pub at: i64,
    pub author: String,
    pub body: String,
}

/// A mail sent (or waiting to be sent) about an order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderMail {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub queued_at: i64,
    pub sent_at: Option<i64>,
    /// Why the last attempt failed, while it is still unsent.
    pub error: String,
}

/// A note's text: trimmed, 1–2,000 characters, line breaks allowed.
pub fn note_body(text: &str) -> Result<String, String> {
    let text = text.trim().replace("\r\n", "\n");
    if text.is_empty() {
        return Err("Write the note first.".into());
    }
    if text.chars().count() > 2000 {
        return Err("Keep a note to 2,000 characters.".into());
    }
    if text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err("A note is plain text.".into());
    }
    Ok(text)
}

/// The order numbers ticked in the list's form (its `pick[<number>]`
/// fields), at most 100, each once.
pub fn picked_numbers(numbers: impl IntoIterator<Item = String>) -> Result<Vec<String>, String> {
    let mut numbers: Vec<String> = numbers.into_iter().filter(|n| !n.is_empty() && n.len() <= 64).collect();
    numbers.sort();
    numbers.dedup();
    match numbers.len() {
        0 => Err("Tick the orders first.".into()),
        n if n > 100 => Err("Choose at most 100 orders at a time.".into()),
        _ => Ok(numbers),
    }
}

/// The numbers in a query string's `pick[<number>]` keys.
pub fn picks_in_query(pairs: &[(String, String)]) -> impl Iterator<Item = String> + '_ {
    pairs.iter().filter_map(|(key, _)| key.strip_prefix("pick[")?.strip_suffix(']').map(str::to_owned))
}

/// An amount in minor units as a spreadsheet reads it: `1234.50`, `-0.05`.
pub fn csv_amount(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", minor.unsigned_abs() / 100, minor.unsigned_abs() % 100)
}

/// One CSV line (RFC 4180, CRLF), each cell quoted when it must be. A cell
/// a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return) gets a leading `'`, as OWASP advises.
pub fn csv_line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let cell = cell.as_ref();
        let cell = if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err() {
            format!("'{cell}")
        } else {
            cell.to_owned()
        };
        if cell.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&cell.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&cell);
        }
    }
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_checked() {
        let f = |payment: &str, from: &str, to: &str, seller: &str| {
            OrderFilter { payment: payment.into(), from: from.into(), to: to.into(), seller: seller.into(), ..Default::default() }.check()
        };
        let ok = f("refunded", "2026-11-23", "2026-11-23", "4").unwrap();
        assert_eq!(ok.payment, Some(PaymentFilter::Refunded));
        assert_eq!((ok.from, ok.to, ok.seller), (Some(1_795_392_000), Some(1_795_392_000 + 86_400), 4));
        assert!(f("free", "", "", "").is_err());
        assert!(f("", "2026-11-24", "2026-11-23", "").is_err(), "last day before the first");
        assert!(f("", "2026-11-23T10:00", "", "").is_err(), "a day, not a time");
        assert!(f("", "", "", "-1").is_err() && f("", "", "", "x").is_err());
        let long = OrderFilter { q: "x".repeat(101), ..Default::default() };
        assert!(long.check().is_err());
    }

    #[test]
    fn query_keeps_the_filters() {
        let filter = OrderFilter { status: "paid".into(), q: "a b&c".into(), from: "2026-11-23".into(), ..Default::default() };
        assert_eq!(filter.query(1), "status=paid&q=a+b%26c&from=2026-11-23");
        assert_eq!(OrderFilter::default().query(3), "page=3");
    }

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(csv_line(&["a", "b,c", "say \"hi\""]), "a,\"b,c\",\"say \"\"hi\"\"\"\r\n");
        assert_eq!(csv_line(&["=HYPERLINK(\"x\")", "+1 555", "-12.50", "@sum"]), "\"'=HYPERLINK(\"\"x\"\")\",'+1 555,-12.50,'@sum\r\n");
        assert_eq!(csv_line(&["two\nlines"]), "\"two\nlines\"\r\n");
        assert_eq!((csv_amount(123_450), csv_amount(-5), csv_amount(0)), ("1234.50".into(), "-0.05".into(), "0.00".into()));
    }

    #[test]
    fn notes_and_picks() {
        assert_eq!(note_body("  call back\r\nat 5 "), Ok("call back\nat 5".into()));
        assert!(note_body(" ").is_err() && note_body(&"x".repeat(2001)).is_err() && note_body("a\u{7}").is_err());
        let pairs: Vec<(String, String)> =
            [("pick[OX-2]", "on"), ("pick[OX-1]", "on"), ("pick[OX-1]", "on"), ("other", "1")].map(|(k, v)| (k.into(), v.into())).to_vec();
        assert_eq!(picked_numbers(picks_in_query(&pairs)), Ok(vec!["OX-1".to_owned(), "OX-2".to_owned()]));
        assert!(picked_numbers(picks_in_query(&pairs[3..])).is_err());
        assert!(picked_numbers((0..101).map(|n| format!("OX-{n}"))).is_err());
    }
}
