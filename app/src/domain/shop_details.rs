//! The shop's own details as the back office edits them: its name, contact,
//! the seller's address and VAT number and the legal text its invoices
//! carry, the prefix of its order numbers; and the search synonyms list,
//! one line per word (`tee: t-shirt, tshirt`), with the checks on each;
//! and what every page shows of the shop, its name and logo ([`Brand`]).

use serde::{Deserialize, Serialize};

/// The shop's details (invoices, order numbers, mails).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopDetails {
    pub name: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// The seller's postal address, line by line.
    pub address: String,
    pub vat_number: String,
    /// What every invoice says at its foot (registration, terms).
    pub legal_text: String,
    /// Order numbers are `<prefix>-` and eight characters.
    pub order_prefix: String,
    /// Sent back with a save: a save over someone else's is refused.
    pub version: i64,
}

/// What every page shows of the shop: its name (header, footer, titles)
/// and its logo, a rendition of the uploaded picture sized for the header.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Brand {
    pub name: String,
    /// Empty: no logo (the header shows the name).
    pub logo: String,
    /// The logo's size at the header's height.
    pub logo_width: u32,
    pub logo_height: u32,
}

/// How tall the header shows the logo, in CSS pixels.
pub const LOGO_HEIGHT: u32 = 40;

impl Brand {
    /// From the stored name and picture (its widest file's URL and size).
    pub fn new(name: String, picture: &str, width: u32, height: u32) -> Self {
        let shown = (width > 0 && height > 0)
            .then(|| (u64::from(LOGO_HEIGHT) * u64::from(width) / u64::from(height)).clamp(1, u64::from(6 * LOGO_HEIGHT)) as u32);
        // Twice the shown width, for sharp logos on dense screens.
        let logo = shown.and_then(|w| super::media::rendition(picture, 2 * w));
        match (logo, shown) {
            (Some(logo), Some(w)) => Self { name, logo, logo_width: w, logo_height: LOGO_HEIGHT },
            _ => Self { name, ..Self::default() },
        }
    }
}

impl Default for ShopDetails {
    fn default() -> Self {
        Self {
            name: "Oxcart".into(),
            contact_email: String::new(),
            contact_phone: String::new(),
            address: String::new(),
            vat_number: String::new(),
            legal_text: String::new(),
            order_prefix: "OX".into(),
            version: 1,
        }
    }
}

impl ShopDetails {
    /// What an invoice says of the seller, line by line: address, VAT number, contact.
    pub fn seller_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.address.lines().map(str::to_owned).collect();
        if !self.vat_number.is_empty() {
            lines.push(format!("VAT number {}", self.vat_number));
        }
        lines.extend([&self.contact_email, &self.contact_phone].into_iter().filter(|c| !c.is_empty()).cloned());
        lines
    }
}

/// The details form as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DetailsInput {
    pub name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub address: String,
    pub vat_number: String,
    pub legal_text: String,
    pub order_prefix: String,
}

impl DetailsInput {
    /// The details as they are to be saved (at `version`), or a sentence saying what is wrong.
    pub fn check(&self, version: i64) -> Result<ShopDetails, String> {
        let name = super::products::line(&self.name, "shop's name", 80, true)?;
        let email = self.contact_email.trim().to_lowercase();
        if !email.is_empty() && super::account::parse_email(&email).is_err() {
            return Err(format!("“{email}” is not an email address."));
        }
        let phone = self.contact_phone.trim();
        if phone.len() > 30 || !phone.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c)) {
            return Err("Write the phone number with digits, spaces and + - ( ) . / only (at most 30).".into());
        }
        let address = text_block(&self.address, "address", 8, 300)?;
        let vat: String = self.vat_number.trim().to_uppercase();
        if vat.len() > 20 || !vat.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-') {
            return Err("A VAT number has letters, digits, spaces and hyphens only (at most 20), like DE123456789.".into());
        }
        let legal = text_block(&self.legal_text, "legal text", 40, 4_000)?;
        let prefix = self.order_prefix.trim().to_uppercase();
        if !(2..=6).contains(&prefix.len()) || !prefix.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            return Err("The order number prefix is 2 to 6 letters or digits, like OX or SHOP1.".into());
        }
        Ok(ShopDetails {
            name,
            contact_email: email,
            contact_phone: phone.to_owned(),
            address,
            vat_number: vat,
            legal_text: legal,
            order_prefix: prefix,
            version,
        })
    }
}

/// Some lines of text: trimmed, at most `lines` lines and `most` characters.
fn text_block(raw: &str, what: &str, lines: usize, most: usize) -> Result<String, String> {
    let text: String = raw.replace("\r\n", "\n").lines().map(str::trim_end).collect::<Vec<_>>().join("\n").trim().to_owned();
    if text.lines().count() > lines || text.chars().count() > most || text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(format!("Keep the {what} to {lines} lines of at most {most} characters in all."));
    }
    Ok(text)
}

/// Whether `number` is an order number: a prefix of 2 to 6 capitals or
/// digits, a hyphen and 8 capitals or digits.
pub fn is_order_number(number: &str) -> bool {
    number.split_once('-').is_some_and(|(prefix, code)| {
        (2..=6).contains(&prefix.len())
            && prefix.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            && code.len() == 8
            && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    })
}

/// The most lines the synonyms list has.
pub const MAX_SYNONYM_LINES: usize = 500;

/// Reads the synonyms list: one line per word, `word: synonym, synonym`
/// (a search for either finds both). Words are lower-cased; the pairs, each once.
pub fn parse_synonyms(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    if lines.len() > MAX_SYNONYM_LINES {
        return Err(format!("The synonyms list has at most {MAX_SYNONYM_LINES} lines."));
    }
    for line in lines {
        let Some((term, synonyms)) = line.split_once(':') else {
            return Err(format!("Write each line as “word: synonym, synonym”, like “tee: t-shirt, tshirt” (not “{}”).", line.chars().take(40).collect::<String>()));
        };
        let word = |w: &str| -> Result<String, String> {
            let w = w.trim().to_lowercase();
            if w.is_empty() || w.chars().count() > 40 || w.chars().any(|c| c.is_control() || c == ',' || c == ':') {
                return Err(format!("A word of the synonyms list is 1 to 40 characters (in “{}”).", line.chars().take(40).collect::<String>()));
            }
            Ok(w)
        };
        let term = word(term)?;
        let mut any = false;
        for synonym in synonyms.split(',').filter(|s| !s.trim().is_empty()) {
            let synonym = word(synonym)?;
            any = true;
            if synonym != term && !pairs.contains(&(term.clone(), synonym.clone())) {
                pairs.push((term.clone(), synonym));
            }
        }
        if !any {
            return Err(format!("Give {term} at least one synonym."));
        }
    }
    Ok(pairs)
}

/// The pairs as the list's text: one line per word, in order.
pub fn synonyms_text(pairs: &[(String, String)]) -> String {
    let mut lines: Vec<(String, Vec<String>)> = Vec::new();
    for (term, synonym) in pairs {
        match lines.iter_mut().find(|(t, _)| t == term) {
            Some((_, list)) => list.push(synonym.clone()),
            None => lines.push((term.clone(), vec![synonym.clone()])),
        }
    }
    lines.into_iter().map(|(t, list)| format!("{t}: {}", list.join(", "))).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_brand_picks_a_logo_file_sized_for_the_header() {
        let picture = "/media/0123456789abcdef0123-1280.png";
        let brand = Brand::new("Fern & Co".into(), picture, 1280, 320);
        assert_eq!((brand.logo_width, brand.logo_height), (160, 40), "4:1 at the header's height");
        assert_eq!(brand.logo, "/media/0123456789abcdef0123-320.png", "twice as wide as shown");
        let plain = Brand::new("Fern & Co".into(), "", 0, 0);
        assert_eq!((plain.logo.as_str(), plain.logo_width), ("", 0));
        assert_eq!(Brand::new("X".into(), "/media/0123456789abcdef0123-100.png", 100, 1000).logo_width, 4, "a tall logo keeps its shape");
        assert_eq!(Brand::new("X".into(), "/not-an-upload.png", 100, 100).logo, "", "only an upload's files");
    }

    #[test]
    fn details_are_checked_and_tidied() {
        let input = DetailsInput {
            name: " Acme Goods ".into(),
            contact_email: "Shop@Acme.Example".into(),
            contact_phone: "+49 30 123-45".into(),
            address: "Acme GmbH\r\nMain St 1  \r\n10115 Berlin".into(),
            vat_number: "de 123456789".into(),
            legal_text: "Registered in Berlin, HRB 1.".into(),
            order_prefix: "acme".into(),
        };
        let details = input.check(3).unwrap();
        assert_eq!((details.name.as_str(), details.contact_email.as_str(), details.order_prefix.as_str()), ("Acme Goods", "shop@acme.example", "ACME"));
        assert_eq!(details.address, "Acme GmbH\nMain St 1\n10115 Berlin");
        assert_eq!(details.seller_lines(), ["Acme GmbH", "Main St 1", "10115 Berlin", "VAT number DE 123456789", "shop@acme.example", "+49 30 123-45"]);
        let bad = |f: fn(&mut DetailsInput)| {
            let mut i = input.clone();
            f(&mut i);
            i.check(1).unwrap_err()
        };
        assert!(bad(|i| i.name = " ".into()).contains("shop's name"));
        assert!(bad(|i| i.contact_email = "nope".into()).contains("not an email"));
        assert!(bad(|i| i.order_prefix = "O".into()).contains("2 to 6"));
        assert!(bad(|i| i.order_prefix = "OX-1".into()).contains("2 to 6"));
        assert!(bad(|i| i.vat_number = "DE<1>".into()).contains("VAT"));
        assert!(bad(|i| i.address = "a\n".repeat(9)).contains("8 lines"));
    }

    #[test]
    fn order_numbers_carry_any_prefix() {
        assert!(is_order_number("OX-ABCD2345"));
        assert!(is_order_number("SHOP1-ABCD2345"));
        assert!(!is_order_number("OX-abcd2345"));
        assert!(!is_order_number("OX-ABC"));
        assert!(!is_order_number("O-ABCD2345"));
        assert!(!is_order_number("ABCD2345"));
    }

    #[test]
    fn the_synonyms_list_reads_back_as_written() {
        let pairs = parse_synonyms("# words shoppers use\nTee: t-shirt, tshirt\n\nsofa: couch, tee\n").unwrap();
        assert_eq!(pairs.len(), 4);
        assert_eq!(pairs[0], ("tee".to_owned(), "t-shirt".to_owned()));
        assert_eq!(synonyms_text(&pairs), "tee: t-shirt, tshirt\nsofa: couch, tee");
        assert_eq!(parse_synonyms(&synonyms_text(&pairs)).unwrap(), pairs);
        assert!(parse_synonyms("tee t-shirt").unwrap_err().contains("word: synonym"));
        assert!(parse_synonyms("tee:").unwrap_err().contains("at least one"));
        assert!(parse_synonyms(&"a: b\n".repeat(MAX_SYNONYM_LINES + 1)).unwrap_err().contains("at most"));
    }
}
