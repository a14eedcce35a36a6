//! Shipping zones and their methods as the back office edits them: where a
//! zone ships (countries, regions, or everywhere else), and each method's
//! rate (flat or by weight, free above a subtotal) and delivery estimate,
//! with the checks on what is typed.

use super::money::parse_amount;
use serde::{Deserialize, Serialize};

/// The place that stands for every address no other zone names.
pub const EVERYWHERE_ELSE: &str = "**";

/// A place as stored: (country, region); region empty: the whole country.
pub type Place = (String, String);

/// "GB", "US-CA", "everywhere else".
pub fn place_text((country, region): &Place) -> String {
    match (country.as_str(), region.as_str()) {
        (EVERYWHERE_ELSE, _) => "everywhere else".into(),
        (country, "") => country.into(),
        (country, region) => format!("{country}-{region}"),
    }
}

/// Reads "GB, DE, US-CA, *": countries by their two letters, a region
/// after a hyphen, `*` for everywhere else; at least one, at most 300.
pub fn parse_places(raw: &str) -> Result<Vec<Place>, String> {
    let mut places: Vec<Place> = Vec::new();
    for item in raw.split([',', '\n', ';']).map(str::trim).filter(|i| !i.is_empty()) {
        let place = if item == "*" {
            (EVERYWHERE_ELSE.to_owned(), String::new())
        } else {
            let upper = item.to_ascii_uppercase();
            let (country, region) = upper.split_once('-').unwrap_or((&upper, ""));
            let good_country = country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase());
            let good_region = region.len() <= 3 && region.chars().all(|c| c.is_ascii_alphanumeric());
            if !good_country || !good_region || (item.contains('-') && region.is_empty()) {
                return Err(format!(
                    "“{item}” is not a place: write a country's two letters (GB), a region after a hyphen (US-CA), or * for everywhere else."
                ));
            }
            (country.to_owned(), region.to_owned())
        };
        if !places.contains(&place) {
            places.push(place);
        }
    }
    if places.is_empty() {
        return Err("Name at least one country (e.g. GB), region (US-CA) or * for everywhere else.".into());
    }
    if places.len() > 300 {
        return Err("A zone has at most 300 places.".into());
    }
    Ok(places)
}

/// A zone as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ZoneInput {
    pub name: String,
    pub places: String,
}

impl ZoneInput {
    pub fn check(&self) -> Result<(String, Vec<Place>), String> {
        let name = super::products::line(&self.name, "zone's name", 80, true)?;
        Ok((name, parse_places(&self.places)?))
    }
}

/// A shipping method as typed (amounts as a person types them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MethodInput {
    pub name: String,
    /// `flat` or `weight`.
    pub kind: String,
    pub base: String,
    /// Per started kilogram, for `weight`.
    pub per_kg: String,
    /// Empty: never free.
    pub free_above: String,
    pub min_days: String,
    pub max_days: String,
}

/// A shipping method once checked (amounts in minor units).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodFields {
    pub name: String,
    pub kind: String,
    pub base: i64,
    pub per_kg: i64,
    pub free_above: Option<i64>,
    pub min_days: Option<i64>,
    pub max_days: Option<i64>,
}

impl MethodInput {
    pub fn check(&self) -> Result<MethodFields, String> {
        let name = super::products::line(&self.name, "method's name", 80, true)?;
        let kind = match self.kind.trim() {
            "" | "flat" => "flat",
            "weight" => "weight",
            _ => return Err("A method's rate is flat or by weight.".into()),
        };
        // Nothing is a price too: a free method.
        let amount = |raw: &str, what: &str| {
            let zero = !raw.trim().is_empty() && raw.trim().chars().all(|c| c == '0' || c == '.') && raw.matches('.').count() <= 1;
            if zero { Ok(0) } else { parse_amount(raw).map_err(|e| format!("{what}: {e}")) }
        };
        let base = amount(&self.base, "Price")?;
        let per_kg = if kind == "weight" && !self.per_kg.trim().is_empty() { amount(&self.per_kg, "Price per kilogram")? } else { 0 };
        let free_above = match self.free_above.trim() {
            "" => None,
            raw => Some(amount(raw, "Free above")?),
        };
        let days = |raw: &str| -> Result<Option<i64>, String> {
            match raw.trim() {
                "" => Ok(None),
                raw => raw.parse::<i64>().ok().filter(|d| (0..=365).contains(d)).map(Some).ok_or_else(|| {
                    "Enter delivery times as whole days from 0 to 365 (or leave them empty).".to_string()
                }),
            }
        };
        let (min_days, max_days) = (days(&self.min_days)?, days(&self.max_days)?);
        let max_days = max_days.or(min_days);
        let min_days = min_days.or(max_days);
        if let (Some(min), Some(max)) = (min_days, max_days) {
            if min > max {
                return Err("The fewest days of delivery cannot be more than the most.".into());
            }
        }
        Ok(MethodFields { name, kind: kind.into(), base, per_kg, free_above, min_days, max_days })
    }
}

/// "1 day", "3–5 days", or nothing.
pub fn delivery_text(min_days: Option<i64>, max_days: Option<i64>) -> String {
    match (min_days, max_days) {
        (Some(1), Some(1)) => "1 day".into(),
        (Some(min), Some(max)) if min == max => format!("{min} days"),
        (Some(min), Some(max)) => format!("{min}–{max} days"),
        _ => String::new(),
    }
}

/// A method as the back office lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodRow {
    pub code: String,
    /// "Flat $4.99, free from $50.00 · 3–5 days".
    pub summary: String,
    pub input: MethodInput,
}

/// A zone with its places and methods.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneRow {
    pub id: i64,
    pub name: String,
    /// "GB, DE, US-CA" (as the form takes them back).
    pub places: String,
    pub methods: Vec<MethodRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_countries_regions_or_everywhere_else() {
        let places = parse_places(" gb, us-ca;DE\n*, GB ").unwrap();
        assert_eq!(
            places,
            [("GB".into(), "".into()), ("US".into(), "CA".into()), ("DE".into(), "".into()), ("**".into(), "".into())]
        );
        assert_eq!(places.iter().map(place_text).collect::<Vec<_>>(), ["GB", "US-CA", "DE", "everywhere else"]);
        for bad in ["", " , ", "GBR", "G1", "US-", "US-CALI", "**"] {
            assert!(parse_places(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn methods_are_checked() {
        let input = |kind: &str, base: &str, free: &str, min: &str, max: &str| MethodInput {
            name: "Standard".into(),
            kind: kind.into(),
            base: base.into(),
            per_kg: "2.00".into(),
            free_above: free.into(),
            min_days: min.into(),
            max_days: max.into(),
        };
        let flat = input("flat", "4.99", "50", "3", "5").check().unwrap();
        assert_eq!((flat.base, flat.per_kg, flat.free_above, flat.min_days, flat.max_days), (499, 0, Some(5_000), Some(3), Some(5)));
        assert_eq!(input("flat", "0.00", "", "", "").check().unwrap().base, 0, "a free method");
        let weight = input("weight", "12.99", "", "1", "").check().unwrap();
        assert_eq!((weight.per_kg, weight.free_above, weight.min_days, weight.max_days), (200, None, Some(1), Some(1)));
        for bad in [input("air", "1", "", "", ""), input("flat", "-1", "", "", ""), input("flat", "1", "", "5", "3"), input("flat", "1", "", "400", "")] {
            assert!(bad.check().is_err(), "{bad:?}");
        }
        assert_eq!(delivery_text(Some(3), Some(5)), "3–5 days");
        assert_eq!(delivery_text(Some(1), Some(1)), "1 day");
        assert_eq!(delivery_text(None, None), "");
    }
}
