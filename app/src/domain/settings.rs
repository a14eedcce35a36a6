//! The shop's settings as the back office edits them: whether prices are
//! entered with tax in them, the low-stock default, the tax classes and the
//! tax rates per destination and class, with the checks on what is typed.

use super::tax::{parse_rate, rate_text};
use serde::{Deserialize, Serialize};

/// Settings every page and checkout read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopSettings {
    /// Prices are entered with tax in them (checkout takes it out).
    pub prices_include_tax: bool,
    /// The low-stock threshold of every variant without one of its own.
    pub low_stock_default: i64,
    /// Sent back with a save: a save over someone else's is refused.
    pub version: i64,
}

impl ShopSettings {
    /// What a product page says under its price.
    pub fn tax_note(&self) -> &'static str {
        if self.prices_include_tax { "Tax included" } else { "Plus tax where it applies, shown at checkout" }
    }
}

/// The settings form as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsInput {
    /// A checkbox: present ("on", "true") when ticked.
    pub prices_include_tax: String,
    pub low_stock_default: String,
}

impl SettingsInput {
    /// (prices include tax, low-stock default), or a sentence saying what is wrong.
    pub fn check(&self) -> Result<(bool, i64), String> {
        let ticked = matches!(self.prices_include_tax.trim(), "on" | "true" | "1");
        let low = self
            .low_stock_default
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=super::products::MAX_STOCK).contains(n))
            .ok_or_else(|| format!("Enter the low-stock default as a whole number from 0 to {}.", super::products::MAX_STOCK))?;
        Ok((ticked, low))
    }
}

/// A tax class with the number of products in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxClassRow {
    pub code: String,
    pub name: String,
    pub products: i64,
}

/// A tax rate: destination (region empty: the whole country), class, rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxRateRow {
    pub country: String,
    pub region: String,
    pub class: String,
    pub rate_bp: i64,
}

impl TaxRateRow {
    /// "US-CA reduced": where and for which class, for lists and the audit log.
    pub fn key_text(&self) -> String {
        let place = if self.region.is_empty() { self.country.clone() } else { format!("{}-{}", self.country, self.region) };
        format!("{place} {}", self.class)
    }

    /// "US-CA reduced 7.25%".
    pub fn text(&self) -> String {
        format!("{} {}", self.key_text(), rate_text(self.rate_bp))
    }
}

/// The settings page: settings, tax classes and rates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsPage {
    pub settings: ShopSettings,
    pub details: super::shop_details::ShopDetails,
    /// The shop's logo as uploaded, if it has one.
    pub logo: Option<super::catalog::ProductImage>,
    /// The search synonyms list as its text.
    pub synonyms: String,
    pub classes: Vec<TaxClassRow>,
    pub rates: Vec<TaxRateRow>,
}

/// A tax rate as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaxRateInput {
    pub country: String,
    pub region: String,
    pub class: String,
    pub rate: String,
}

impl TaxRateInput {
    pub fn check(&self) -> Result<TaxRateRow, String> {
        let country = self.country.trim().to_ascii_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            return Err("Enter the country as its two-letter code, e.g. GB or US.".into());
        }
        let region = self.region.trim().to_ascii_uppercase();
        if region.len() > 3 || !region.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err("Enter the region as its code of up to three letters or digits (e.g. CA), or leave it empty for the whole country.".into());
        }
        let class = super::products::tax_class_code(&self.class)?;
        Ok(TaxRateRow { country, region, class, rate_bp: parse_rate(&self.rate)? })
    }
}

/// A new tax class as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TaxClassInput {
    pub code: String,
    pub name: String,
}

impl TaxClassInput {
    /// (code, name).
    pub fn check(&self) -> Result<(String, String), String> {
        if self.code.trim().is_empty() {
            return Err("Enter the tax class's code, e.g. books.".into());
        }
        let code = super::products::tax_class_code(&self.code.to_ascii_lowercase())?;
        let name = super::products::line(&self.name, "tax class's name", 60, true)?;
        Ok((code, name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked() {
        let input = |tick: &str, low: &str| SettingsInput { prices_include_tax: tick.into(), low_stock_default: low.into() };
        assert_eq!(input("on", " 5 ").check(), Ok((true, 5)));
        assert_eq!(input("", "0").check(), Ok((false, 0)));
        for bad in ["", "-1", "2.5", "1000001", "lots"] {
            assert!(input("", bad).check().is_err(), "{bad}");
        }
    }

    #[test]
    fn rates_and_classes_are_checked() {
        let rate = |country: &str, region: &str, class: &str, rate: &str| {
            TaxRateInput { country: country.into(), region: region.into(), class: class.into(), rate: rate.into() }.check()
        };
        let row = rate(" gb ", "", "", "20").unwrap();
        assert_eq!((row.country.as_str(), row.region.as_str(), row.class.as_str(), row.rate_bp), ("GB", "", "standard", 2000));
        assert_eq!(rate("us", "ca", "reduced", "7.25").unwrap().text(), "US-CA reduced 7.25%");
        for (country, region, class, r) in [("GBR", "", "", "20"), ("G1", "", "", "20"), ("US", "CAL1", "", "5"), ("US", "", "Bad Class", "5"), ("US", "", "", "101")] {
            assert!(rate(country, region, class, r).is_err(), "{country} {region} {class} {r}");
        }
        let class = |code: &str, name: &str| TaxClassInput { code: code.into(), name: name.into() }.check();
        assert_eq!(class("Books", " Books and papers "), Ok(("books".into(), "Books and papers".into())));
        assert!(class("", "Books").is_err());
        assert!(class("books", "").is_err());
        assert!(class("b ooks", "Books").is_err());
    }
}
