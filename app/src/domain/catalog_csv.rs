//! The catalog as CSV: one line per variant, its product's fields repeated
//! on each, in the documented column set (docs/catalog-csv.md) that the
//! back office exports and imports. Amounts are written as `12.50`; an
//! empty low-stock threshold follows the shop's default.

use super::order_desk::{csv_amount, csv_line};

/// The columns, in order, as the header names them.
pub const COLUMNS: [&str; 20] = [
    "handle",
    "name",
    "status",
    "brand",
    "category",
    "tax_class",
    "currency",
    "option1_name",
    "option1_value",
    "option2_name",
    "option2_value",
    "option3_name",
    "option3_value",
    "sku",
    "price",
    "compare_at_price",
    "stock",
    "weight_grams",
    "low_stock_threshold",
    "description",
];

/// One variant of a product, as a line of the CSV.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CatalogLine {
    /// The product's slug.
    pub handle: String,
    pub name: String,
    pub status: String,
    /// The brand's and category's slugs.
    pub brand: String,
    pub category: String,
    pub tax_class: String,
    pub currency: String,
    /// (option name, this variant's value) for options 1 to 3; empty when unused.
    pub options: [(String, String); 3],
    pub sku: String,
    pub price_minor: i64,
    pub compare_at_minor: Option<i64>,
    pub stock: i64,
    pub weight_grams: i64,
    /// `None`: the shop's default.
    pub low_stock_threshold: Option<i64>,
    pub description: String,
}

/// The header line.
pub fn header() -> String {
    csv_line(&COLUMNS)
}

impl CatalogLine {
    /// The line, in the order of [`COLUMNS`].
    pub fn to_csv(&self) -> String {
        let [(n1, v1), (n2, v2), (n3, v3)] = &self.options;
        csv_line(&[
            self.handle.as_str(),
            &self.name,
            &self.status,
            &self.brand,
            &self.category,
            &self.tax_class,
            &self.currency,
            n1,
            v1,
            n2,
            v2,
            n3,
            v3,
            &self.sku,
            &csv_amount(self.price_minor),
            &self.compare_at_minor.map(csv_amount).unwrap_or_default(),
            &self.stock.to_string(),
            &self.weight_grams.to_string(),
            &self.low_stock_threshold.map(|t| t.to_string()).unwrap_or_default(),
            &self.description,
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_has_every_column_in_order() {
        let line = CatalogLine {
            handle: "blue-mug".into(),
            name: "Blue mug, large".into(),
            status: "active".into(),
            brand: "acme".into(),
            category: "kitchen".into(),
            tax_class: "standard".into(),
            currency: "USD".into(),
            options: [("Size".into(), "L".into()), Default::default(), Default::default()],
            sku: "MUG-L".into(),
            price_minor: 1250,
            compare_at_minor: None,
            stock: 7,
            weight_grams: 300,
            low_stock_threshold: Some(2),
            description: "Holds \"a lot\".\nDishwasher safe.".into(),
        };
        assert_eq!(
            line.to_csv(),
            "blue-mug,\"Blue mug, large\",active,acme,kitchen,standard,USD,Size,L,,,,,MUG-L,12.50,,7,300,2,\"Holds \"\"a lot\"\".\nDishwasher safe.\"\r\n"
        );
        assert_eq!(header().split(',').count(), COLUMNS.len());
    }
}
