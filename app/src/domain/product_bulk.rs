//! Bulk actions on the back office's product list: what staff may do to many
//! products at once (publish, unpublish, archive, put in a category, change
//! the price by a percentage), how the form's fields are read, and the price
//! arithmetic (in minor units, rounded half away from zero).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most products one bulk action changes (two list pages).
pub const MAX_BULK: usize = 100;

/// One bulk action, checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BulkAction {
    Publish,
    Unpublish,
    Archive,
    /// Into the category with this id.
    Category(i64),
    /// Prices changed by this many hundredths of a percent (-1250: 12.5 % off).
    Price(i64),
}

impl BulkAction {
    /// The action a form names, with its category or percentage.
    pub fn parse(action: &str, category: &str, percent: &str) -> Result<Self, String> {
        match action.trim() {
            "publish" => Ok(Self::Publish),
            "unpublish" => Ok(Self::Unpublish),
            "archive" => Ok(Self::Archive),
            "category" => category
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .map(Self::Category)
                .ok_or_else(|| "Choose the category to put the products in.".to_string()),
            "price" => parse_percent(percent).map(Self::Price),
            "" => Err("Choose what to do with the selected products.".into()),
            _ => Err("Unknown bulk action.".into()),
        }
    }
}

/// `"-12.5"`, `"+5"`, `"10 %"` → hundredths of a percent; from -90 % to +1000 %,
/// at most two decimals, never 0.
pub fn parse_percent(raw: &str) -> Result<i64, String> {
    let text = raw.trim().trim_end_matches('%').trim();
    let problem = || "Enter the change in percent, from -90 to 1000 (e.g. -15 for 15 % off).".to_string();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let numeric = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 4 || fraction.len() > 2 || !numeric(whole) || !numeric(fraction) {
        return Err(problem());
    }
    let hundredths = whole.parse::<i64>().map_err(|_| problem())? * 100 + format!("{fraction:0<2}").parse::<i64>().map_err(|_| problem())?;
    let value = if negative { -hundredths } else { hundredths };
    match value {
        0 => Err("A change of 0 % changes nothing.".into()),
        v if (-9_000..=100_000).contains(&v) => Ok(v),
        _ => Err(problem()),
    }
}

/// `minor` changed by `hundredths` of a percent, rounded half away from zero.
pub fn adjusted_price(minor: i64, hundredths: i64) -> i64 {
    let scaled = minor as i128 * (10_000 + hundredths) as i128;
    let rounded = (scaled + 5_000) / 10_000; // prices are never negative
    rounded.clamp(0, i64::MAX as i128) as i64
}

/// The ids of the checked boxes (`selected[<id>]=on`), at most [`MAX_BULK`].
pub fn selected_ids(selected: &BTreeMap<String, String>) -> Result<Vec<i64>, String> {
    let mut ids: Vec<i64> = selected.keys().map(|k| k.trim().parse::<i64>().map_err(|_| "Unknown product in the selection.".to_string())).collect::<Result<_, _>>()?;
    ids.sort_unstable();
    ids.dedup();
    match ids.len() {
        0 => Err("Select the products first.".into()),
        n if n > MAX_BULK => Err(format!("Select at most {MAX_BULK} products at once.")),
        _ => Ok(ids),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_read_as_people_write_them() {
        assert_eq!(parse_percent("-12.5"), Ok(-1250));
        assert_eq!(parse_percent("+5"), Ok(500));
        assert_eq!(parse_percent(" 10 %"), Ok(1000));
        assert_eq!(parse_percent("0.05"), Ok(5));
        assert_eq!(parse_percent("1000"), Ok(100_000));
        assert_eq!(parse_percent("-90"), Ok(-9000));
        for bad in ["", "-", "abc", "-91", "1000.01", "1.234", "0", "1e3", "--5", ".5x", "99999"] {
            assert!(parse_percent(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn prices_change_in_minor_units_rounded_half_away_from_zero() {
        assert_eq!(adjusted_price(1999, -1000), 1799); // 1799.1
        assert_eq!(adjusted_price(1000, -1250), 875);
        assert_eq!(adjusted_price(5, 1000), 6); // 5.5 rounds up
        assert_eq!(adjusted_price(1, -9000), 0); // 0.1
        assert_eq!(adjusted_price(0, 500), 0);
        assert_eq!(adjusted_price(i64::MAX / 2, 100_000), i64::MAX);
    }

    #[test]
    fn the_form_names_an_action_and_its_argument() {
        assert_eq!(BulkAction::parse("publish", "", ""), Ok(BulkAction::Publish));
        assert_eq!(BulkAction::parse("category", "12", ""), Ok(BulkAction::Category(12)));
        assert!(BulkAction::parse("category", "", "").is_err());
        assert_eq!(BulkAction::parse("price", "", "-15"), Ok(BulkAction::Price(-1500)));
        assert!(BulkAction::parse("delete", "", "").is_err());
        assert!(BulkAction::parse("", "", "").is_err());
    }

    #[test]
    fn the_selection_is_the_checked_ids() {
        let pick = |keys: &[&str]| keys.iter().map(|k| (k.to_string(), "on".to_string())).collect::<BTreeMap<_, _>>();
        assert_eq!(selected_ids(&pick(&["3", "12"])), Ok(vec![3, 12]));
        assert!(selected_ids(&pick(&[])).is_err());
        assert!(selected_ids(&pick(&["x"])).is_err());
        let many: Vec<String> = (0..=MAX_BULK).map(|i| i.to_string()).collect();
        assert!(selected_ids(&pick(&many.iter().map(String::as_str).collect::<Vec<_>>())).is_err());
    }
}
