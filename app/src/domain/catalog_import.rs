//! Reading a catalog CSV for import (docs/catalog-csv.md): the header's
//! columns, each line checked cell by cell with the product editor's rules
//! into an [`ImportLine`], and the report a dry run or an import job shows.
//! A column the file leaves out leaves that field as it is (a new product
//! takes its default); an empty cell in a column that is there means empty
//! (no compare-at price, the shop's default threshold).

use super::catalog_csv::COLUMNS;
use super::money::Currency;
use super::products::{count, line, low_stock, parse_price, tax_class_code, ProductStatus, MAX_STOCK};
use super::slug::Slug;
use super::variants::check_sku;
use serde::{Deserialize, Serialize};

/// The largest file an import takes.
pub const MAX_FILE: usize = 32 * 1024 * 1024;
/// The most lines (variants) one file may hold.
pub const MAX_ROWS: usize = 200_000;

/// Where each of [`COLUMNS`] is in the file (`None`: left out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Columns([Option<usize>; COLUMNS.len()]);

/// Indexes into [`COLUMNS`].
mod col {
    pub const HANDLE: usize = 0;
    pub const NAME: usize = 1;
    pub const STATUS: usize = 2;
    pub const BRAND: usize = 3;
    pub const CATEGORY: usize = 4;
    pub const TAX_CLASS: usize = 5;
    pub const CURRENCY: usize = 6;
    pub const OPTION1_NAME: usize = 7;
    pub const SKU: usize = 13;
    pub const PRICE: usize = 14;
    pub const COMPARE_AT: usize = 15;
    pub const STOCK: usize = 16;
    pub const WEIGHT: usize = 17;
    pub const LOW_STOCK: usize = 18;
    pub const DESCRIPTION: usize = 19;
}

impl Columns {
    /// The header line's columns: each a known one, none twice, with
    /// `handle` and `sku` (the keys) among them.
    pub fn read(header: &[String]) -> Result<Self, String> {
        let mut at = [None; COLUMNS.len()];
        for (index, name) in header.iter().enumerate() {
            let name = name.trim().to_ascii_lowercase();
            let known = COLUMNS.iter().position(|c| *c == name).ok_or_else(|| {
                format!("The header names a column “{}” that the import does not know. The columns are: {}.", clip(&name), COLUMNS.join(", "))
            })?;
            if at[known].replace(index).is_some() {
                return Err(format!("The header names the column “{name}” twice."));
            }
        }
        for key in [col::HANDLE, col::SKU] {
            if at[key].is_none() {
                return Err(format!("The first line must be the header, with at least the columns handle and sku (no “{}” found).", COLUMNS[key]));
            }
        }
        if (col::OPTION1_NAME..col::SKU).any(|c| at[c].is_some()) && (col::OPTION1_NAME..col::SKU).any(|c| at[c].is_none()) {
            return Err("Give all six option columns (option1_name … option3_value) or none of them.".into());
        }
        Ok(Self(at))
    }

    /// Line `cells`' cell in column `column`, if the file has that column.
    fn cell<'a>(&self, cells: &'a [String], column: usize) -> Option<&'a str> {
        self.0[column].map(|i| cells.get(i).map_or("", String::as_str))
    }

    fn width(&self) -> usize {
        self.0.iter().flatten().count()
    }
}

/// What a line says of its product; `None` where the file has no such column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductCells {
    pub name: Option<String>,
    pub status: Option<ProductStatus>,
    /// Slugs.
    pub brand: Option<String>,
    pub category: Option<String>,
    pub tax_class: Option<String>,
    pub currency: Option<Currency>,
    pub description: Option<String>,
    /// The option names in order (empty: sold one way).
    pub options: Option<Vec<String>>,
}

/// One line of the file: a variant, keyed by its SKU, of the product at `handle`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportLine {
    /// The line of the file it starts on.
    pub line: usize,
    pub handle: Slug,
    pub product: ProductCells,
    pub sku: String,
    /// This variant's value of each of the product's options.
    pub values: Option<Vec<String>>,
    pub price: Option<i64>,
    pub compare_at: Option<Option<i64>>,
    pub stock: Option<i64>,
    pub weight_grams: Option<i64>,
    /// `Some(None)`: the shop's default.
    pub low_stock: Option<Option<i64>>,
}

impl ImportLine {
    /// Line `line`'s `cells`, checked.
    pub fn read(line_no: usize, cells: &[String], columns: &Columns) -> Result<Self, String> {
        if cells.len() != columns.width() {
            return Err(format!("It has {} cells; the header has {}.", cells.len(), columns.width()));
        }
        let cell = |c: usize| columns.cell(cells, c);
        let handle = cell(col::HANDLE).unwrap_or_default().trim();
        let handle = Slug::parse(handle).ok_or_else(|| {
            format!("The handle “{}” is not a slug: lowercase letters, digits and single hyphens, at most 120.", clip(handle))
        })?;
        let sku = check_sku(cell(col::SKU).unwrap_or_default())?;
        let name = cell(col::NAME).map(|raw| line(raw, "name", 200, true)).transpose()?;
        let status = cell(col::STATUS)
            .map(|raw| ProductStatus::parse(raw).ok_or_else(|| format!("The status “{}” is none of draft, active, archived.", clip(raw))))
            .transpose()?;
        let slug = |raw: &str, what: &str| -> Result<String, String> {
            Slug::parse(raw.trim()).map(|s| s.as_str().to_owned()).ok_or_else(|| format!("The {what} “{}” is not a slug.", clip(raw)))
        };
        let brand = cell(col::BRAND).map(|raw| slug(raw, "brand")).transpose()?;
        let category = cell(col::CATEGORY).map(|raw| slug(raw, "category")).transpose()?;
        let tax_class = cell(col::TAX_CLASS).map(tax_class_code).transpose()?;
        let currency = cell(col::CURRENCY)
            .map(|raw| Currency::parse(raw.trim()).ok_or_else(|| format!("The currency “{}” is none of USD, EUR, GBP.", clip(raw))))
            .transpose()?;
        let description = cell(col::DESCRIPTION).map(description).transpose()?;
        let (options, values) = match cell(col::OPTION1_NAME) {
            None => (None, None),
            Some(_) => {
                let (names, values) = options(&(0..3).map(|n| (cell(col::OPTION1_NAME + 2 * n).unwrap_or_default(), cell(col::OPTION1_NAME + 2 * n + 1).unwrap_or_default())).collect::<Vec<_>>())?;
                (Some(names), Some(values))
            }
        };
        let price = cell(col::PRICE).map(|raw| parse_price(raw, "price")).transpose()?;
        let compare_at = cell(col::COMPARE_AT)
            .map(|raw| if raw.trim().is_empty() { Ok(None) } else { parse_price(raw, "compare-at price").map(Some) })
            .transpose()?;
        if let (Some(price), Some(Some(was))) = (price, compare_at) {
            if was <= price {
                return Err("The compare-at price must be higher than the price (it shows the saving).".into());
            }
        }
        let whole = |column: usize, what: &str, most: i64| -> Result<Option<i64>, String> {
            cell(column)
                .map(|raw| if raw.trim().is_empty() { Err(format!("Enter the {what}.")) } else { count(raw, what, 0, most) })
                .transpose()
        };
        Ok(Self {
            line: line_no,
            handle,
            product: ProductCells { name, status, brand, category, tax_class, currency, description, options },
            sku,
            values,
            price,
            compare_at,
            stock: whole(col::STOCK, "stock", MAX_STOCK)?,
            weight_grams: whole(col::WEIGHT, "weight in grams", 1_000_000)?,
            low_stock: cell(col::LOW_STOCK).map(low_stock).transpose()?,
        })
    }
}

/// One product's lines, in the file's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub handle: Slug,
    /// What its first line says of it (every line says the same).
    pub product: ProductCells,
    pub lines: Vec<ImportLine>,
}

/// A file, read: its products' lines grouped by handle (in the order each
/// handle first appears), the lines refused on reading, and how many lines
/// (variants) it has.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadFile {
    pub groups: Vec<Group>,
    pub refused: Report,
    pub lines: usize,
}

/// Reads a whole file. A file that cannot be read at all (no header, a
/// quote left open, a line over 64 KB, too many lines) is an error and
/// imports nothing; a line that cannot be read is refused with its reason.
pub fn read_file(text: &str) -> Result<ReadFile, String> {
    let mut records = super::catalog_csv::records(text)?.into_iter();
    let (_, header) = records.next().ok_or("The file has no lines: the first must be the header (handle,sku,…).")?;
    let columns = Columns::read(&header)?;
    let mut out = ReadFile::default();
    let mut by_handle = std::collections::HashMap::<String, usize>::new();
    let mut skus = std::collections::HashMap::<String, usize>::new();
    for (line, cells) in records {
        out.lines += 1;
        if out.lines > MAX_ROWS {
            return Err(format!("The file has more than {MAX_ROWS} lines: split it into several files."));
        }
        let sku = columns.cell(&cells, col::SKU).unwrap_or_default().trim().to_owned();
        let refuse = |out: &mut ReadFile, why: String| out.refused.add(ReportLine { line, sku: sku.clone(), outcome: Outcome::Refused(why) });
        let read = match ImportLine::read(line, &cells, &columns) {
            Ok(read) => read,
            Err(why) => {
                refuse(&mut out, why);
                continue;
            }
        };
        if let Some(first) = skus.get(&read.sku) {
            refuse(&mut out, format!("Line {first} has the same SKU: each SKU is one variant, on one line."));
            continue;
        }
        let at = *by_handle.entry(read.handle.as_str().to_owned()).or_insert_with(|| {
            out.groups.push(Group { handle: read.handle.clone(), product: read.product.clone(), lines: Vec::new() });
            out.groups.len() - 1
        });
        let group = &mut out.groups[at];
        if let Some(first) = group.lines.first().filter(|_| group.product != read.product) {
            let first = first.line;
            refuse(&mut out, format!(
                "Its product columns differ from line {first}, the first line of {}: a product's name, status, brand, category, \
                 tax class, currency, description and option names are the same on each of its lines.",
                read.handle.as_str()
            ));
            continue;
        }
        if let Some(same) = group.lines.iter().find(|l| l.values.is_some() && l.values == read.values) {
            let same = same.line;
            refuse(&mut out, format!("Line {same} is the same variant of {} (the same option values).", read.handle.as_str()));
            continue;
        }
        if group.lines.len() >= super::variants::MAX_VARIANTS {
            let most = super::variants::MAX_VARIANTS;
            refuse(&mut out, format!("{} has {most} lines already: a product has at most {most} variants.", read.handle.as_str()));
            continue;
        }
        skus.insert(read.sku.clone(), line);
        out.groups[at].lines.push(read);
    }
    let mut groups = std::mem::take(&mut out.groups);
    groups.retain(|group| match check_options(group) {
        Ok(()) => !group.lines.is_empty(),
        Err(why) => {
            for line in &group.lines {
                out.refused.add(ReportLine { line: line.line, sku: line.sku.clone(), outcome: Outcome::Refused(why.clone()) });
            }
            false
        }
    });
    out.groups = groups;
    Ok(out)
}

/// A description as the editor takes it.
fn description(raw: &str) -> Result<String, String> {
    let text = raw.trim().replace("\r\n", "\n");
    if text.chars().count() > 10_000 || text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err("Keep the description to 10,000 characters of text.".into());
    }
    Ok(text)
}

/// The option names and this variant's values from the three (name, value)
/// pairs: used options come first, each with a value.
fn options(pairs: &[(&str, &str)]) -> Result<(Vec<String>, Vec<String>), String> {
    let (mut names, mut values) = (Vec::new(), Vec::new());
    for (n, (name, value)) in pairs.iter().map(|(a, b)| (a.trim(), b.trim())).enumerate() {
        match (name.is_empty(), value.is_empty()) {
            (true, true) => continue,
            (true, false) => return Err(format!("Option {} has a value (“{}”) but no name.", n + 1, clip(value))),
            (false, true) => return Err(format!("The option “{}” has no value for this variant.", clip(name))),
            (false, false) if names.len() != n => return Err(format!("Fill the options in order: option {n} is empty.")),
            (false, false) => {
                names.push(line(name, "option name", 40, true)?);
                values.push(line(value, "option value", 60, true)?);
            }
        }
    }
    Ok((names, values))
}

/// At most 40 characters of `text`, for a message.
fn clip(text: &str) -> String {
    let clipped: String = text.chars().take(40).collect();
    if clipped.len() < text.len() { format!("{clipped}…") } else { clipped }
}

/// The text of an uploaded file: UTF-8 (a byte-order mark is fine).
pub fn file_text(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.is_empty() {
        return Err("The file is empty: choose the CSV file to import.".into());
    }
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        return Err(format!("The file holds a NUL byte (at byte {at}): it is not a CSV text file."));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "The file is not UTF-8 text (the first bad byte is at {}): save it as “CSV UTF-8” and upload it again.",
            e.utf8_error().valid_up_to()
        )
    })
}

/// A product's options as the editor would take them: its option names and
/// each name's values (in the file's order) must pass the editor's rules
/// (see [`super::variants::parse_options`]), and read back the same (a value
/// holding a comma would not).
fn check_options(group: &Group) -> Result<(), String> {
    let names = group.product.options.clone().unwrap_or_default();
    if names.is_empty() {
        return Ok(());
    }
    let mut values: Vec<Vec<String>> = vec![Vec::new(); names.len()];
    for line in &group.lines {
        for (n, value) in line.values.iter().flatten().enumerate() {
            if !values[n].contains(value) {
                values[n].push(value.clone());
            }
        }
    }
    let options: Vec<super::variants::ProductOption> =
        names.iter().zip(values).map(|(name, values)| super::variants::ProductOption { name: name.clone(), values }).collect();
    let read = super::variants::parse_options(&super::variants::options_text(&options))?;
    if read != options {
        return Err("An option's value may not hold a comma: write “1.5 m”, not “1,5 m”.".into());
    }
    Ok(())
}

/// What became, or would become, of one line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Created,
    /// What changes, field by field.
    Changed(String),
    Unchanged,
    /// Why it is refused.
    Refused(String),
}

/// One line of a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    pub line: usize,
    pub sku: String,
    pub outcome: Outcome,
}

/// The most lines a report keeps (its counts cover every line).
pub const REPORT_LINES: usize = 500;

/// A dry run's or an import's account of a file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub created: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub refused: u64,
    /// The first [`REPORT_LINES`] lines that are created, changed or refused
    /// (refusals first kept: each is a line someone must fix).
    pub lines: Vec<ReportLine>,
}

impl Report {
    /// Counts `line`, and keeps it if there is room.
    pub fn add(&mut self, line: ReportLine) {
        match line.outcome {
            Outcome::Created => self.created += 1,
            Outcome::Changed(_) => self.changed += 1,
            Outcome::Unchanged => {
                self.unchanged += 1;
                return;
            }
            Outcome::Refused(_) => self.refused += 1,
        }
        self.keep(line);
    }

    /// Keeps `line` while there is room; a refusal takes the place of the
    /// last kept line that is not one.
    fn keep(&mut self, line: ReportLine) {
        if self.lines.len() < REPORT_LINES {
            self.lines.push(line);
        } else if matches!(line.outcome, Outcome::Refused(_)) {
            if let Some(at) = self.lines.iter().rposition(|l| !matches!(l.outcome, Outcome::Refused(_))) {
                self.lines.remove(at);
                self.lines.push(line);
            }
        }
    }

    /// Adds `other`'s counts and kept lines to this one.
    pub fn merge(&mut self, other: Report) {
        self.created += other.created;
        self.changed += other.changed;
        self.unchanged += other.unchanged;
        self.refused += other.refused;
        for line in other.lines {
            self.keep(line);
        }
    }

    pub fn total(&self) -> u64 {
        self.created + self.changed + self.unchanged + self.refused
    }
}

/// Where an import job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobState {
    /// Dry run done: waiting for staff to start it (or drop it).
    Checked,
    /// Started: waiting for a server to take it, or being imported.
    Running,
    Done,
    Dropped,
}

impl JobState {
    pub const ALL: [Self; 4] = [Self::Checked, Self::Running, Self::Done, Self::Dropped];

    pub fn key(self) -> &'static str {
        match self {
            Self::Checked => "checked",
            Self::Running => "running",
            Self::Done => "done",
            Self::Dropped => "dropped",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// An import job as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJob {
    pub id: i64,
    pub file_name: String,
    pub state: JobState,
    /// Lines (variants) in the file, and how many are imported so far.
    pub lines: u64,
    pub lines_done: u64,
    /// The dry run's account.
    pub dry_run: Report,
    /// The import's account so far.
    pub result: Report,
    pub by: String,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

impl ImportJob {
    /// Percent done, 0 to 100.
    pub fn percent(&self) -> u64 {
        if self.lines == 0 { 100 } else { self.lines_done * 100 / self.lines }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str) -> Vec<String> {
        super::super::catalog_csv::records(text).unwrap().remove(0).1
    }

    #[test]
    fn the_export_header_is_read_and_unknown_columns_refused() {
        let all = Columns::read(&cells(&super::super::catalog_csv::header())).unwrap();
        assert_eq!(all.width(), COLUMNS.len());
        assert!(Columns::read(&cells("handle,sku,price")).is_ok());
        assert!(Columns::read(&cells("handle,price")).unwrap_err().contains("sku"));
        assert!(Columns::read(&cells("handle,sku,colour")).unwrap_err().contains("“colour”"));
        assert!(Columns::read(&cells("handle,sku,sku")).unwrap_err().contains("twice"));
        assert!(Columns::read(&cells("handle,sku,option1_name")).unwrap_err().contains("six option columns"));
        assert!(Columns::read(&cells("HANDLE, Sku")).is_ok(), "names are read as the export writes them, case aside");
    }

    #[test]
    fn an_exported_line_reads_back_into_its_fields() {
        let columns = Columns::read(&cells(&super::super::catalog_csv::header())).unwrap();
        let line = cells("blue-mug,\"Blue mug, large\",active,acme,kitchen,standard,usd,Size,L,,,,,MUG-L,12.50,15.00,7,300,,\"Holds a lot.\"");
        let read = ImportLine::read(4, &line, &columns).unwrap();
        assert_eq!(read.handle.as_str(), "blue-mug");
        assert_eq!(read.product.name.as_deref(), Some("Blue mug, large"));
        assert_eq!(read.product.status, Some(ProductStatus::Active));
        assert_eq!(read.product.currency, Some(Currency::Usd));
        assert_eq!(read.product.options, Some(vec!["Size".to_owned()]));
        assert_eq!(read.values, Some(vec!["L".to_owned()]));
        assert_eq!((read.price, read.compare_at, read.stock, read.weight_grams), (Some(1250), Some(Some(1500)), Some(7), Some(300)));
        assert_eq!(read.low_stock, Some(None), "an empty threshold follows the shop's default");
        assert_eq!(read.line, 4);
    }

    #[test]
    fn a_left_out_column_is_none_and_bad_cells_say_why() {
        let columns = Columns::read(&cells("handle,sku,stock,price,compare_at_price")).unwrap();
        let read = ImportLine::read(2, &cells("mug,MUG-1,3,2.00,"), &columns).unwrap();
        assert_eq!((read.product.name.clone(), read.values.clone(), read.compare_at), (None, None, Some(None)));
        let refused = |text: &str| ImportLine::read(2, &cells(text), &columns).unwrap_err();
        assert!(refused("Mug,MUG-1,3,2.00,").contains("not a slug"));
        assert!(refused("mug,MUG 1,3,2.00,").contains("SKU"));
        assert!(refused("mug,MUG-1,-3,2.00,").contains("whole number"));
        assert!(refused("mug,MUG-1,,2.00,").contains("Enter the stock"));
        assert!(refused("mug,MUG-1,3,5,00,").contains("cells"));
        assert!(refused("mug,MUG-1,3,abc,").contains("not an amount"));
        assert!(refused("mug,MUG-1,3,2.00,1.00").contains("higher than the price"));
        let options = Columns::read(&cells("handle,sku,option1_name,option1_value,option2_name,option2_value,option3_name,option3_value")).unwrap();
        let bad = |text: &str| ImportLine::read(2, &cells(text), &options).unwrap_err();
        assert!(bad("mug,M,,L,,,,").contains("no name"));
        assert!(bad("mug,M,Size,,,,,").contains("no value"));
        assert!(bad("mug,M,,,Size,L,,").contains("in order"));
    }

    #[test]
    fn a_file_is_grouped_by_handle_and_its_bad_lines_refused() {
        let text = "handle,sku,name,price\nmug,M-1,Mug,2\ncup,C-1,Cup,3\nmug,M-2,Mug,4\nmug,M-1,Mug,5\nmug,M-3,Big mug,5\nBAD,X,Y,1\n";
        let read = read_file(text).unwrap();
        assert_eq!(read.lines, 6);
        assert_eq!(read.groups.iter().map(|g| g.handle.as_str()).collect::<Vec<_>>(), ["mug", "cup"]);
        assert_eq!(read.groups[0].lines.iter().map(|l| l.sku.as_str()).collect::<Vec<_>>(), ["M-1", "M-2"]);
        assert_eq!(read.refused.refused, 3);
        let why = |sku: &str| match &read.refused.lines.iter().find(|l| l.sku == sku).unwrap().outcome {
            Outcome::Refused(why) => why.clone(),
            other => panic!("{other:?}"),
        };
        assert!(why("M-1").contains("Line 2 has the same SKU"));
        assert!(why("M-3").contains("differ from line 2"));
        assert!(why("X").contains("not a slug"));
        assert!(read_file("").unwrap_err().contains("header"));
        let options = "handle,sku,option1_name,option1_value,option2_name,option2_value,option3_name,option3_value\n";
        let twice = read_file(&format!("{options}tee,T-1,Size,S,size,M,,\n")).unwrap();
        assert!(twice.groups.is_empty() && matches!(&twice.refused.lines[0].outcome, Outcome::Refused(w) if w.contains("twice")));
        let comma = read_file(&format!("{options}rope,R-1,Length,\"1,5 m\",,,,\n")).unwrap();
        assert!(matches!(&comma.refused.lines[0].outcome, Outcome::Refused(w) if w.contains("comma")));
        let slash = read_file(&format!("{options}tee,T-1,Size,S/M,,,,\n")).unwrap();
        assert!(matches!(&slash.refused.lines[0].outcome, Outcome::Refused(w) if w.contains("“/”")));
        let many: String = (0..=super::super::variants::MAX_VARIANTS).map(|n| format!("big,B-{n}\n")).collect();
        let read = read_file(&format!("handle,sku\n{many}")).unwrap();
        assert_eq!((read.groups[0].lines.len(), read.refused.refused), (super::super::variants::MAX_VARIANTS, 1));
        assert!(file_text(b"a,b\n\0".to_vec()).unwrap_err().contains("NUL"));
        assert!(read_file("name,price\n").unwrap_err().contains("handle and sku"));
    }

    #[test]
    fn a_report_keeps_refusals_before_other_lines() {
        let mut report = Report::default();
        for n in 0..REPORT_LINES + 10 {
            report.add(ReportLine { line: n, sku: format!("S{n}"), outcome: Outcome::Created });
        }
        report.add(ReportLine { line: 9999, sku: "BAD".into(), outcome: Outcome::Refused("why".into()) });
        report.add(ReportLine { line: 10000, sku: "SAME".into(), outcome: Outcome::Unchanged });
        assert_eq!((report.created, report.refused, report.unchanged), (REPORT_LINES as u64 + 10, 1, 1));
        assert_eq!(report.lines.len(), REPORT_LINES);
        assert!(report.lines.iter().any(|l| l.sku == "BAD"));
        assert!(file_text(vec![0x66, 0xff]).unwrap_err().contains("UTF-8"));
    }
}
