//! The back office's products: a product's status, the fields staff edit and
//! the rules they are checked by (here, so the server and the browser share
//! them), the admin list's filters and rows, and stock adjustments with their
//! reasons and ledger lines.

use super::money::parse_amount;
use super::{Currency, Money, PageInfo, Slug};
use serde::{Deserialize, Serialize};

/// Whether shoppers see a product. Drafts are seen only by staff (as a
/// preview); archived products are hidden but kept for the orders that hold them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProductStatus {
    Draft,
    Active,
    Archived,
}

impl ProductStatus {
    pub const ALL: [Self; 3] = [Self::Draft, Self::Active, Self::Archived];

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key.trim())
    }

    /// As stored in `products.status` and written in URLs.
    pub fn key(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Active => "active",
            Self::Archived => "archived",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Draft",
            Self::Active => "Active",
            Self::Archived => "Archived",
        }
    }
}

/// Why staff change a product's stock by hand, as the inventory ledger records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StockReason {
    /// Goods arrived from a supplier: stock goes up.
    Received,
    /// A stock count found a different number: either way.
    Counted,
    /// Goods were found damaged and written off: stock goes down.
    Damaged,
    /// Goods came back outside a return: stock goes up.
    Returned,
}

impl StockReason {
    pub const ALL: [Self; 4] = [Self::Received, Self::Counted, Self::Damaged, Self::Returned];

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.key() == key.trim())
    }

    /// As stored in `inventory_ledger.reason`.
    pub fn key(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Counted => "counted",
            Self::Damaged => "damaged",
            Self::Returned => "returned",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Received => "Goods received",
            Self::Counted => "Stock count correction",
            Self::Damaged => "Damaged, written off",
            Self::Returned => "Returned to stock",
        }
    }

    /// Checks a change of `delta` units for this reason.
    pub fn check(self, delta: i64) -> Result<(), String> {
        match self {
            _ if delta == 0 => Err("Enter how many units to add or take away (not 0).".into()),
            _ if delta.unsigned_abs() > MAX_STOCK as u64 => Err(format!("A change of stock is at most {MAX_STOCK} units.")),
            Self::Received | Self::Returned if delta < 0 => {
                Err(format!("“{}” adds stock: enter a positive number.", self.label()))
            }
            Self::Damaged if delta > 0 => Err("Damaged goods leave the stock: enter a negative number.".into()),
            _ => Ok(()),
        }
    }
}

/// The most units of one product the shop keeps (and changes at once).
pub const MAX_STOCK: i64 = 1_000_000;

/// The editor's fields as the browser sends them (a missing one is empty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductInput {
    pub name: String,
    /// Empty: made from the name.
    pub slug: String,
    pub description: String,
    /// Ids, as the select boxes send them.
    pub brand: String,
    pub category: String,
    /// Empty: the shop itself.
    pub seller: String,
    pub price: String,
    /// Empty: no saving shown.
    pub compare_at: String,
    pub currency: String,
    pub weight_grams: String,
    pub low_stock: String,
    /// A tax class's code; empty: `standard`.
    pub tax_class: String,
    pub seo_title: String,
    pub seo_description: String,
    /// One `Name: value` a line (see [`super::attributes`]).
    pub attributes: String,
}

/// A product's fields once checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductFields {
    pub name: String,
    pub slug: Slug,
    pub description: String,
    pub brand_id: i64,
    pub category_id: i64,
    pub seller_id: Option<i64>,
    pub price: Money,
    pub compare_at_minor: Option<i64>,
    pub weight_grams: i64,
    /// `None`: the variant follows the shop's low-stock default.
    pub low_stock_threshold: Option<i64>,
    pub tax_class: String,
    pub seo_title: String,
    pub seo_description: String,
    pub attributes: Vec<(String, String)>,
}

/// The shop's low-stock default until its settings say otherwise.
pub const DEFAULT_LOW_STOCK: i64 = 3;

impl ProductInput {
    /// Checks every field; the error is a sentence naming the field.
    pub fn check(&self) -> Result<ProductFields, String> {
        let name = line(&self.name, "name", 200, true)?;
        let slug = match self.slug.trim() {
            "" => Slug::from_title(&name),
            raw => Slug::parse(raw).ok_or_else(|| {
                "The slug may hold only lowercase letters, digits and single hyphens (at most 120).".to_string()
            })?,
        };
        let description = self.description.trim().replace("\r\n", "\n");
        if description.chars().count() > 10_000 || description.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err("Keep the description to 10,000 characters of text.".into());
        }
        let currency = Currency::parse(self.currency.trim()).ok_or("Choose the currency: USD, EUR or GBP.")?;
        let price = parse_price(&self.price, "price")?;
        let compare_at_minor = match self.compare_at.trim() {
            "" => None,
            raw => Some(parse_price(raw, "compare-at price")?),
        };
        if compare_at_minor.is_some_and(|was| was <= price) {
            return Err("The compare-at price must be higher than the price (it shows the saving).".into());
        }
        Ok(ProductFields {
            name,
            slug,
            description,
            brand_id: id(&self.brand, "brand")?.ok_or("Choose the brand.")?,
            category_id: id(&self.category, "category")?.ok_or("Choose the category.")?,
            seller_id: id(&self.seller, "seller")?,
            price: Money::new(price, currency),
            compare_at_minor,
            weight_grams: count(&self.weight_grams, "weight in grams", 0, 1_000_000)?,
            low_stock_threshold: low_stock(&self.low_stock)?,
            tax_class: tax_class_code(&self.tax_class)?,
            seo_title: line(&self.seo_title, "SEO title", 120, false)?,
            seo_description: line(&self.seo_description, "SEO description", 320, false)?,
            attributes: super::attributes::parse_attributes(&self.attributes)?,
        })
    }
}

/// A low-stock threshold as typed: a whole number, or empty for the shop's default.
pub fn low_stock(raw: &str) -> Result<Option<i64>, String> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    count(raw, "low-stock threshold", 0, MAX_STOCK).map(Some)
}

/// A tax class's code as typed or chosen: lowercase letters, digits and
/// hyphens, at most 32; empty is `standard`. (Whether the class exists is
/// the server's to check.)
pub fn tax_class_code(raw: &str) -> Result<String, String> {
    let code = raw.trim();
    if code.is_empty() {
        return Ok("standard".into());
    }
    if code.len() > 32 || !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err("A tax class's code has lowercase letters, digits and hyphens only (at most 32).".into());
    }
    Ok(code.to_owned())
}

/// One line of text: trimmed, no control characters, `most` characters at most.
pub(crate) fn line(raw: &str, what: &str, most: usize, required: bool) -> Result<String, String> {
    let value = raw.trim();
    if required && value.is_empty() {
        return Err(format!("Enter the {what}."));
    }
    if value.chars().count() > most || value.chars().any(char::is_control) {
        return Err(format!("Keep the {what} to one line of at most {most} characters."));
    }
    Ok(value.to_owned())
}

pub(crate) fn parse_price(raw: &str, what: &str) -> Result<i64, String> {
    if raw.trim().starts_with('-') {
        return Err(format!("The {what} cannot be negative."));
    }
    if raw.trim().is_empty() {
        return Err(format!("Enter the {what}."));
    }
    parse_amount(raw).map_err(|e| format!("The {what}: {e}"))
}

/// An optional id from a select box: empty is none.
pub(crate) fn id(raw: &str, what: &str) -> Result<Option<i64>, String> {
    match raw.trim() {
        "" => Ok(None),
        raw => raw.parse::<i64>().ok().filter(|id| *id > 0).map(Some).ok_or_else(|| format!("Choose the {what} from the list.")),
    }
}

/// A whole number from 0 to `most`; empty is `default`.
pub(crate) fn count(raw: &str, what: &str, default: i64, most: i64) -> Result<i64, String> {
    match raw.trim() {
        "" => Ok(default),
        raw => raw
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=most).contains(n))
            .ok_or_else(|| format!("The {what} is a whole number from 0 to {most}.")),
    }
}

/// A brand, category or seller to choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// The lists the editor's select boxes offer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choices {
    pub brands: Vec<Choice>,
    /// Subcategories as "Department › Aisle".
    pub categories: Vec<Choice>,
    /// Empty for a seller's staff (their products are their seller's).
    pub sellers: Vec<Choice>,
    /// Tax classes: (code, name).
    #[serde(default)]
    pub tax_classes: Vec<(String, String)>,
    /// The shop's low-stock default (what an empty threshold means).
    #[serde(default)]
    pub low_stock_default: i64,
}

/// A product as the editor shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditedProduct {
    pub id: i64,
    /// Sent back with a save: a save of an older version is refused.
    pub version: i64,
    pub status: ProductStatus,
    pub input: ProductInput,
    /// The slug shoppers reach it at now.
    pub slug: String,
    pub stock: i64,
    /// Held by an order: it can be archived, never deleted.
    pub ordered: bool,
    /// The options as the editor's text ("Size: S, M"), empty without.
    pub options: String,
    pub variants: Vec<super::variants::StaffVariant>,
    /// Why it cannot be published yet, if anything is missing.
    pub missing: Vec<String>,
}

/// The editor page: the product (none for a new one) and the choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductEditor {
    pub product: Option<EditedProduct>,
    /// The product's images in their order (none for a new product).
    pub images: Vec<super::catalog::ProductImage>,
    pub choices: Choices,
    /// Admins assign products to sellers; a seller's staff cannot.
    pub admin: bool,
}

/// Which products the admin list shows, from its URL.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductFilter {
    /// In the name or slug, or the product's number.
    pub q: String,
    pub category: Option<i64>,
    pub brand: Option<i64>,
    pub seller: Option<i64>,
    pub status: Option<ProductStatus>,
    pub stock: Option<StockState>,
    pub sort: ProductSort,
    pub page: u32,
}

/// Stock filters of the admin list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StockState {
    /// More than the product's low-stock threshold.
    Plenty,
    /// At or below the threshold, above zero.
    Low,
    Out,
}

impl StockState {
    pub const ALL: [Self; 3] = [Self::Plenty, Self::Low, Self::Out];

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key.trim())
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Plenty => "in",
            Self::Low => "low",
            Self::Out => "out",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Plenty => "In stock",
            Self::Low => "Low stock",
            Self::Out => "Out of stock",
        }
    }

    /// The state of `stock` units for a product told at `threshold`.
    pub fn of(stock: i64, threshold: i64) -> Self {
        Self::of_product(stock, stock <= threshold)
    }

    /// A product's state from its variants' total and whether any of them
    /// is at or under its own threshold.
    pub fn of_product(stock: i64, any_low: bool) -> Self {
        match stock {
            s if s <= 0 => Self::Out,
            _ if any_low => Self::Low,
            _ => Self::Plenty,
        }
    }
}

/// Orders of the admin list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProductSort {
    /// Last changed first.
    #[default]
    Updated,
    Name,
    PriceLow,
    PriceHigh,
    /// Least stock first: what to reorder.
    Stock,
}

impl ProductSort {
    pub const ALL: [Self; 5] = [Self::Updated, Self::Name, Self::PriceLow, Self::PriceHigh, Self::Stock];

    pub fn parse(key: &str) -> Option<Self> {
        match key.trim() {
            "" => Some(Self::Updated),
            key => Self::ALL.into_iter().find(|s| s.key() == key),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Updated => "updated",
            Self::Name => "name",
            Self::PriceLow => "price-asc",
            Self::PriceHigh => "price-desc",
            Self::Stock => "stock",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Updated => "Last changed",
            Self::Name => "Name",
            Self::PriceLow => "Price, low to high",
            Self::PriceHigh => "Price, high to low",
            Self::Stock => "Least stock first",
        }
    }
}

impl ProductFilter {
    /// Reads the list's URL parameters; an unknown value is an error to show.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        q: &str,
        category: &str,
        brand: &str,
        seller: &str,
        status: &str,
        stock: &str,
        sort: &str,
        page: &str,
    ) -> Result<Self, String> {
        let q = q.trim();
        if q.chars().count() > 100 {
            return Err("Search for at most 100 characters.".into());
        }
        let pick = |raw: &str, what: &str| id(raw, what);
        let status = match status.trim() {
            "" => None,
            raw => Some(ProductStatus::parse(raw).ok_or("Unknown status filter.")?),
        };
        let stock = match stock.trim() {
            "" => None,
            raw => Some(StockState::parse(raw).ok_or("Unknown stock filter.")?),
        };
        let page = super::PageRequest::parse(Some(page))?;
        Ok(Self {
            q: q.to_owned(),
            category: pick(category, "category")?,
            brand: pick(brand, "brand")?,
            seller: pick(seller, "seller")?,
            status,
            stock,
            sort: ProductSort::parse(sort).ok_or("Unknown sort order.")?,
            page: page.number(),
        })
    }
}

/// One row of the admin list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRow {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub brand: String,
    pub category: String,
    /// Empty for the shop's own products.
    pub seller: String,
    pub price: Money,
    pub stock: i64,
    pub stock_state: StockState,
    pub status: ProductStatus,
    pub updated_at: i64,
}

/// A page of the admin list, with the filters' choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductList {
    pub rows: Vec<ProductRow>,
    pub page: PageInfo,
    pub choices: Choices,
}

/// One change of a product's stock, newest first, with the stock after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerLine {
    pub at: i64,
    pub delta: i64,
    /// The stock after this change.
    pub balance: i64,
    /// What the ledger says: "Goods received", "Reserved by an order", …
    pub reason: String,
    /// The order behind it, if any.
    pub order: Option<String>,
    /// Who: a staff member's address, "checkout", …
    pub actor: String,
    pub note: String,
}

/// A product's (or one of its variants') stock and how it came to be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLedger {
    pub product: String,
    /// The variant this ledger is of ("Red / M", its SKU without options);
    /// `None`: every variant of the product.
    pub variant: Option<(i64, String)>,
    pub stock: i64,
    pub low_stock_threshold: i64,
    /// The newest changes (at most [`LEDGER_LINES`]).
    pub lines: Vec<LedgerLine>,
}

/// Ledger lines the stock page shows.
pub const LEDGER_LINES: i64 = 100;

/// How the ledger's reason keys read to a person.
pub fn ledger_reason(key: &str) -> String {
    match key {
        "opening" => "Opening stock".into(),
        "reserved" => "Reserved by an order".into(),
        "released" => "Released (order unpaid or cancelled)".into(),
        "restocked" => "Back from an order".into(),
        "adjusted" => "Adjusted".into(),
        "written-off" => "Written off from a return".into(),
        other => StockReason::parse(other).map(|r| r.label().to_owned()).unwrap_or_else(|| other.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ProductInput {
        ProductInput {
            name: "Trail Runner 2".into(),
            brand: "3".into(),
            category: "12".into(),
            price: "89.90".into(),
            currency: "usd".into(),
            ..ProductInput::default()
        }
    }

    #[test]
    fn a_plain_product_checks_with_its_slug_made_from_the_name() {
        let fields = input().check().unwrap();
        assert_eq!(fields.slug.as_str(), "trail-runner-2");
        assert_eq!(fields.price, Money::new(8990, Currency::Usd));
        assert_eq!((fields.brand_id, fields.category_id, fields.seller_id), (3, 12, None));
        assert_eq!((fields.weight_grams, fields.low_stock_threshold, fields.compare_at_minor), (0, None, None));
    }

    #[test]
    fn bad_fields_are_refused_with_a_sentence_naming_them() {
        let refused = |change: fn(&mut ProductInput)| {
            let mut input = input();
            change(&mut input);
            input.check().unwrap_err()
        };
        assert_eq!(refused(|i| i.price = "-5".into()), "The price cannot be negative.");
        assert!(refused(|i| i.price = "abc".into()).starts_with("The price:"));
        assert_eq!(refused(|i| i.name = "  ".into()), "Enter the name.");
        assert!(refused(|i| i.slug = "Bad Slug".into()).starts_with("The slug"));
        assert!(refused(|i| i.compare_at = "50".into()).starts_with("The compare-at price must be higher"));
        assert_eq!(refused(|i| i.brand = "".into()), "Choose the brand.");
        assert_eq!(refused(|i| i.category = "x".into()), "Choose the category from the list.");
        assert_eq!(refused(|i| i.currency = "XXX".into()), "Choose the currency: USD, EUR or GBP.");
        assert!(refused(|i| i.weight_grams = "-1".into()).contains("whole number"));
        assert!(refused(|i| i.name = "a\u{7}b".into()).contains("one line"));
    }

    #[test]
    fn a_compare_at_price_above_the_price_is_kept() {
        let fields = ProductInput { compare_at: "99.90".into(), ..input() }.check().unwrap();
        assert_eq!(fields.compare_at_minor, Some(9990));
    }

    #[test]
    fn stock_reasons_take_changes_of_their_own_direction() {
        assert!(StockReason::Received.check(5).is_ok());
        assert!(StockReason::Received.check(-5).is_err());
        assert!(StockReason::Damaged.check(-2).is_ok());
        assert!(StockReason::Damaged.check(2).is_err());
        assert!(StockReason::Counted.check(-7).is_ok() && StockReason::Counted.check(7).is_ok());
        assert!(StockReason::Counted.check(0).is_err());
        assert!(StockReason::Received.check(MAX_STOCK + 1).is_err());
    }

    #[test]
    fn stock_states_follow_the_threshold() {
        assert_eq!(StockState::of(0, 3), StockState::Out);
        assert_eq!(StockState::of(3, 3), StockState::Low);
        assert_eq!(StockState::of(4, 3), StockState::Plenty);
    }

    #[test]
    fn list_filters_parse_and_refuse_unknown_values() {
        let filter = ProductFilter::parse(" shoe ", "4", "", "", "draft", "low", "price-asc", "2").unwrap();
        assert_eq!((filter.q.as_str(), filter.category, filter.status, filter.stock), ("shoe", Some(4), Some(ProductStatus::Draft), Some(StockState::Low)));
        assert_eq!((filter.sort, filter.page), (ProductSort::PriceLow, 2));
        assert!(ProductFilter::parse("", "", "", "", "gone", "", "", "").is_err());
        assert!(ProductFilter::parse("", "", "", "", "", "", "random", "").is_err());
        assert_eq!(ProductFilter::parse("", "", "", "", "", "", "", "").unwrap().sort, ProductSort::Updated);
    }
}
