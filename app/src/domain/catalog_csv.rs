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

/// The longest line a file may have, in bytes.
pub const MAX_LINE: usize = 64 * 1024;

/// The records of a CSV text (RFC 4180: quoted cells may hold commas,
/// quotes written twice and line breaks; lines end in CRLF or LF; a leading
/// byte-order mark is skipped), each with the number of the line it starts
/// on. A cell the export wrote with a leading `'` (a formula kept as text)
/// gets its text back. Blank lines are skipped.
pub fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let (mut cells, mut cell, mut quoted, mut was_quoted) = (Vec::new(), String::new(), false, false);
    let (mut line, mut start, mut line_bytes) = (1usize, 1usize, 0usize);
    let mut chars = text.chars().peekable();
    let finish = |cell: &mut String| {
        let value = std::mem::take(cell);
        match value.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_owned(),
            _ => value,
        }
    };
    while let Some(c) = chars.next() {
        line_bytes += c.len_utf8();
        if line_bytes > MAX_LINE {
            return Err(format!("Line {line} is longer than {} KB: is this a CSV file?", MAX_LINE / 1024));
        }
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, '\n') => {
                cell.push('\n');
                line += 1;
            }
            (true, c) => cell.push(c),
            (false, '"') if cell.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            (false, '"') => return Err(format!("Line {line}: a quote in the middle of a cell (write it as two quotes inside a quoted cell).")),
            (false, ',') => {
                cells.push(finish(&mut cell));
                was_quoted = false;
            }
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                cells.push(finish(&mut cell));
                was_quoted = false;
                if !(cells.len() == 1 && cells[0].is_empty()) {
                    out.push((start, std::mem::take(&mut cells)));
                }
                cells.clear();
                line += 1;
                start = line;
                line_bytes = 0;
            }
            (false, c) => cell.push(c),
        }
    }
    if quoted {
        return Err(format!("Line {start}: a quoted cell is never closed."));
    }
    if !cell.is_empty() || !cells.is_empty() || was_quoted {
        cells.push(finish(&mut cell));
        out.push((start, cells));
    }
    Ok(out)
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
        // What the export writes, the reader reads back.
        let read = records(&(header() + &line.to_csv())).unwrap();
        assert_eq!(read[1].1[1], "Blue mug, large");
        assert_eq!(read[1].1[19], "Holds \"a lot\".\nDishwasher safe.");
        assert_eq!(read[1].0, 2);
    }

    #[test]
    fn records_are_read_as_rfc_4180_says() {
        let text = "\u{feff}a,b\r\n\"x, y\",\"two\nlines\"\n\n'=SUM(A1),'plain\nlast,";
        let read = records(text).unwrap();
        assert_eq!(read.len(), 4);
        assert_eq!(read[0], (1, vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(read[1], (2, vec!["x, y".to_owned(), "two\nlines".to_owned()]));
        assert_eq!(read[2], (5, vec!["=SUM(A1)".to_owned(), "'plain".to_owned()]), "only a formula loses its quote");
        assert_eq!(read[3], (6, vec!["last".to_owned(), String::new()]));
        assert!(records("a,\"open\nb").unwrap_err().contains("never closed"));
        assert!(records("a,b\"c").unwrap_err().contains("Line 1"));
        assert!(records(&"x".repeat(MAX_LINE + 1)).unwrap_err().contains("longer than 64 KB"));
    }
}
