//! What a customer agreed to: news and offers by email (the one purpose the
//! shop asks about), each change kept with when and where it was made, the
//! newest per purpose being the one that holds.

use serde::{Deserialize, Serialize};

/// The purposes a customer is asked about: stored key and what they see.
pub const PURPOSES: [(&str, &str); 1] = [("marketing", "News and offers by email")];

/// One change of a customer's consent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// A key of [`PURPOSES`].
    pub purpose: String,
    pub granted: bool,
    /// Unix seconds.
    pub at: i64,
    /// Where it was given or withdrawn: `account` (the account page).
    pub source: String,
}

impl Consent {
    /// "News and offers by email: agreed on 2026-12-07 09:30 UTC (account page)".
    pub fn text(&self) -> String {
        let label = PURPOSES.iter().find(|p| p.0 == self.purpose).map_or(self.purpose.as_str(), |p| p.1);
        let what = if self.granted { "agreed" } else { "withdrawn" };
        let source = if self.source == "account" { "account page" } else { self.source.as_str() };
        format!("{label}: {what} on {} UTC ({source})", super::time::utc(self.at))
    }
}

/// Whether `history` (newest first) says the customer agrees to `purpose` now.
pub fn agrees(history: &[Consent], purpose: &str) -> bool {
    history.iter().find(|c| c.purpose == purpose).is_some_and(|c| c.granted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_change_holds_and_reads_as_a_sentence() {
        let change = |granted: bool, at: i64| Consent { purpose: "marketing".into(), granted, at, source: "account".into() };
        let history = vec![change(false, 1_800_000_060), change(true, 1_800_000_000)];
        assert!(!agrees(&history, "marketing"), "withdrawn after it was given");
        assert!(agrees(&history[1..], "marketing"));
        assert!(!agrees(&[], "marketing"), "never asked: no");
        assert_eq!(history[1].text(), "News and offers by email: agreed on 2027-01-15 08:00 UTC (account page)");
    }
}
