//! Options and variants: a product has up to [`MAX_OPTIONS`] options (size,
//! colour, …), each with its values, and one variant per combination, each
//! its own stock-keeping unit. A product without options has one default
//! variant with no option values. Parsing the back office's option text,
//! the combinations it makes, and picking a variant from chosen values.

use super::money::Money;
use serde::{Deserialize, Serialize};

/// Options a product may have (the variants' option columns).
pub const MAX_OPTIONS: usize = 3;
/// Values one option may have.
pub const MAX_VALUES: usize = 30;
/// Variants one product may have.
pub const MAX_VARIANTS: usize = 100;

/// An option and its values, in the order shoppers see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductOption {
    pub name: String,
    pub values: Vec<String>,
}

/// A variant as the storefront shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub id: i64,
    pub sku: String,
    /// One value per option of the product, in the options' order.
    pub values: Vec<String>,
    pub price: Money,
    pub compare_at: Option<Money>,
    pub stock: i64,
    /// The picture to show when it is chosen (`None`: the product's first).
    pub image: Option<String>,
}

impl Variant {
    /// "Red / M"; empty for a default variant.
    pub fn title(&self) -> String {
        title(&self.values)
    }
}

/// A variant as the back office edits it (amounts as typed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffVariant {
    pub id: i64,
    /// Moves on at every change: a save from an older editor is refused.
    pub version: i64,
    pub sku: String,
    /// "Red / M"; empty for a default variant.
    pub title: String,
    pub price: String,
    pub compare_at: String,
    pub weight_grams: String,
    pub low_stock: String,
    /// Its picture's URL, empty for the product's first.
    pub image: String,
    pub stock: i64,
    /// Held by an order: it cannot be dropped.
    pub ordered: bool,
}

/// The option values joined as shoppers read them: "Red / M".
pub fn title<S: AsRef<str>>(values: &[S]) -> String {
    values.iter().map(AsRef::as_ref).filter(|v| !v.is_empty()).collect::<Vec<_>>().join(" / ")
}

/// What a shopper calls a line of a cart or an order: "Tee (Red / M)", or
/// just the name for a product without options.
pub fn line_name(name: &str, variant: &str) -> String {
    if variant.is_empty() { name.to_owned() } else { format!("{name} ({variant})") }
}

/// The variant whose values are `chosen` (one per option, in order).
pub fn pick<'a, S: AsRef<str>>(variants: &'a [Variant], chosen: &[S]) -> Option<&'a Variant> {
    variants.iter().find(|v| v.values.len() == chosen.len() && v.values.iter().zip(chosen).all(|(a, b)| a == b.as_ref()))
}

/// Whether some variant has `value` for option `index` together with the
/// other `chosen` values (what a picker greys out when not).
pub fn offered<S: AsRef<str>>(variants: &[Variant], chosen: &[S], index: usize, value: &str) -> bool {
    variants.iter().any(|v| {
        v.values.get(index).is_some_and(|x| x == value)
            && v.values.iter().zip(chosen).enumerate().all(|(i, (a, b))| i == index || a == b.as_ref())
    })
}

/// Reads the back office's options text, one option per line as
/// `Name: value, value, …` (an empty text: no options, the default variant).
pub fn parse_options(text: &str) -> Result<Vec<ProductOption>, String> {
    let mut options: Vec<ProductOption> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((name, values)) = line.split_once(':') else {
            return Err(format!("Write each option as “Name: value, value”, like “Size: S, M, L” (not “{line}”)."));
        };
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 40 || name.chars().any(char::is_control) {
            return Err("An option's name is 1 to 40 characters, like Size or Colour.".into());
        }
        if options.iter().any(|o| o.name.eq_ignore_ascii_case(name)) {
            return Err(format!("The option {name} is there twice."));
        }
        let mut kept: Vec<String> = Vec::new();
        for value in values.split(',').map(str::trim).filter(|v| !v.is_empty()) {
            if value.chars().count() > 40 || value.chars().any(char::is_control) || value.contains('/') {
                return Err(format!("A value of {name} is at most 40 characters, without “/”."));
            }
            if kept.iter().any(|k| k.eq_ignore_ascii_case(value)) {
                return Err(format!("{name} has the value {value} twice."));
            }
            kept.push(value.to_owned());
        }
        if kept.is_empty() {
            return Err(format!("Give {name} at least one value."));
        }
        if kept.len() > MAX_VALUES {
            return Err(format!("An option has at most {MAX_VALUES} values."));
        }
        options.push(ProductOption { name: name.to_owned(), values: kept });
    }
    if options.len() > MAX_OPTIONS {
        return Err(format!("A product has at most {MAX_OPTIONS} options."));
    }
    let count = options.iter().map(|o| o.values.len()).product::<usize>();
    if count > MAX_VARIANTS {
        return Err(format!("These options make {count} variants; a product has at most {MAX_VARIANTS}."));
    }
    Ok(options)
}

/// The options as [`parse_options`] reads them.
pub fn options_text(options: &[ProductOption]) -> String {
    options.iter().map(|o| format!("{}: {}", o.name, o.values.join(", "))).collect::<Vec<_>>().join("\n")
}

/// Every combination of the options' values, the first option slowest
/// (S/Red, S/Blue, M/Red, …); one empty combination without options.
pub fn combinations(options: &[ProductOption]) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new()];
    for option in options {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                option.values.iter().map(move |value| {
                    let mut next = prefix.clone();
                    next.push(value.clone());
                    next
                })
            })
            .collect();
    }
    out
}

/// A variant's id from a form field: empty is none (the product's only one).
pub fn variant_choice(raw: &str) -> Result<Option<i64>, String> {
    match raw.trim() {
        "" => Ok(None),
        id => id.parse().map(Some).map_err(|_| "Choose one of the product's variants.".to_owned()),
    }
}

/// A SKU: 1–64 letters, digits, `-`, `_` or `.`.
pub fn check_sku(raw: &str) -> Result<String, String> {
    let sku = raw.trim();
    if sku.is_empty() || sku.len() > 64 || !sku.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)) {
        return Err(format!("A SKU is 1 to 64 letters, digits, “-”, “_” or “.” (not “{sku}”)."));
    }
    Ok(sku.to_owned())
}

/// A SKU for a new variant of the product with SKU `base`: its values'
/// letters appended (`TEE-RED-M`), to be edited at will.
pub fn suggested_sku(base: &str, values: &[String]) -> String {
    let mut sku = base.to_owned();
    for value in values {
        let part: String = value.chars().filter(char::is_ascii_alphanumeric).take(12).collect::<String>().to_ascii_uppercase();
        if !part.is_empty() {
            sku.push('-');
            sku.push_str(&part);
        }
    }
    sku.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    fn variant(id: i64, values: &[&str], stock: i64) -> Variant {
        Variant {
            id,
            sku: format!("S{id}"),
            values: values.iter().map(|v| v.to_string()).collect(),
            price: Money::new(1000, Currency::Usd),
            compare_at: None,
            stock,
            image: None,
        }
    }

    #[test]
    fn options_parse_and_combine() {
        let options = parse_options("Size: S, M\n\n Colour : Red,Blue, \n").unwrap();
        assert_eq!(options[1], ProductOption { name: "Colour".into(), values: vec!["Red".into(), "Blue".into()] });
        assert_eq!(options_text(&options), "Size: S, M\nColour: Red, Blue");
        let all = combinations(&options);
        assert_eq!(all.len(), 4);
        assert_eq!(all[1], vec!["S".to_string(), "Blue".to_string()]);
        assert_eq!(combinations(&[]), vec![Vec::<String>::new()]);
        assert!(parse_options("").unwrap().is_empty());
    }

    #[test]
    fn bad_options_are_refused() {
        assert!(parse_options("Size S M").unwrap_err().contains("Name: value"));
        assert!(parse_options("Size: S\nsize: M").unwrap_err().contains("twice"));
        assert!(parse_options("Size: S, s").unwrap_err().contains("twice"));
        assert!(parse_options("Size:").unwrap_err().contains("at least one"));
        assert!(parse_options("A: 1\nB: 1\nC: 1\nD: 1").unwrap_err().contains("at most 3"));
        let many = (0..11).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
        assert!(parse_options(&format!("A: {many}\nB: {many}")).unwrap_err().contains("121 variants"));
        assert!(parse_options("Size: S/M").is_err());
    }

    #[test]
    fn a_variant_is_picked_by_its_values() {
        let all = [variant(1, &["S", "Red"], 2), variant(2, &["M", "Red"], 0), variant(3, &["M", "Blue"], 1)];
        assert_eq!(pick(&all, &["M", "Blue"]).map(|v| v.id), Some(3));
        assert!(pick(&all, &["S", "Blue"]).is_none());
        assert!(pick(&all, &["S"]).is_none());
        assert!(offered(&all, &["S", "Red"], 0, "M"));
        assert!(!offered(&all, &["S", "Blue"], 0, "S"));
        assert_eq!(all[0].title(), "S / Red");
        assert_eq!(title::<&str>(&[]), "");
    }

    #[test]
    fn skus() {
        assert_eq!(check_sku(" TEE-1 ").unwrap(), "TEE-1");
        assert!(check_sku("a b").is_err());
        assert!(check_sku("").is_err());
        assert_eq!(suggested_sku("TEE", &["Red".into(), "X L".into()]), "TEE-RED-XL");
    }
}
