//! Postal addresses a user saves for checkout, and their validation.

use serde::{Deserialize, Serialize};

/// Addresses one account may keep.
pub const MAX_ADDRESSES: usize = 20;

/// A saved address; `id` is 0 for one not saved yet.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub id: i64,
    pub full_name: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    pub phone: String,
}

impl Address {
    /// The lines of the address as written on a parcel or an invoice (the
    /// phone number too when `with_phone`), empty ones left out.
    pub fn lines(&self, with_phone: bool) -> Vec<String> {
        let town = format!("{} {} {}", self.postal_code, self.city, self.region);
        let phone = if with_phone { self.phone.as_str() } else { "" };
        [self.full_name.as_str(), &self.line1, &self.line2, &town, &self.country, phone]
            .into_iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// The address with every field trimmed and checked; the error names the
    /// field and what is wrong with it.
    pub fn validated(self) -> Result<Self, String> {
        let field = |value: &str, label: &str, required: bool, max: usize| -> Result<String, String> {
            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
            if required && value.is_empty() {
                return Err(format!("Enter the {label}."));
            }
            if value.chars().count() > max {
                return Err(format!("The {label} can be at most {max} characters long."));
            }
            if value.chars().any(|c| c.is_control() || super::account::is_invisible(c)) {
                return Err(format!("The {label} cannot contain control or invisible characters."));
            }
            Ok(value)
        };
        let postal_code = field(&self.postal_code, "postal code", true, 16)?.to_uppercase();
        if !postal_code.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-') {
            return Err("A postal code has only letters, digits, spaces and hyphens.".into());
        }
        let country = field(&self.country, "country code", true, 60)?.to_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            return Err("Enter the country as its two-letter code, like GB, DE or US.".into());
        }
        let phone = field(&self.phone, "phone number", false, 32)?;
        if !phone.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) {
            return Err("A phone number has only digits, spaces and + - ( ).".into());
        }
        Ok(Self {
            id: self.id,
            full_name: field(&self.full_name, "full name", true, 100)?,
            line1: field(&self.line1, "address", true, 200)?,
            line2: field(&self.line2, "second address line", false, 200)?,
            city: field(&self.city, "town or city", true, 100)?,
            region: field(&self.region, "region", false, 100)?,
            postal_code,
            country,
            phone,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home() -> Address {
        Address {
            full_name: " Ada  Lovelace ".into(),
            line1: "12 St James's Square".into(),
            city: "London".into(),
            postal_code: "sw1y 4jh".into(),
            country: "gb".into(),
            ..Default::default()
        }
    }

    #[test]
    fn fields_are_tidied() {
        let a = home().validated().unwrap();
        assert_eq!((a.full_name.as_str(), a.postal_code.as_str(), a.country.as_str()), ("Ada Lovelace", "SW1Y 4JH", "GB"));
    }

    #[test]
    fn each_bad_field_gets_its_own_sentence() {
        let cases: [(Address, &str); 6] = [
            (Address { city: " ".into(), ..home() }, "town or city"),
            (Address { country: "GBR".into(), ..home() }, "two-letter code"),
            (Address { country: "1!".into(), ..home() }, "two-letter code"),
            (Address { postal_code: "<b>".into(), ..home() }, "postal code"),
            (Address { phone: "call me".into(), ..home() }, "phone number"),
            (Address { line1: "x".repeat(201), ..home() }, "at most 200"),
        ];
        for (address, message) in cases {
            let err = address.validated().unwrap_err();
            assert!(err.contains(message), "{err}");
        }
    }
}
