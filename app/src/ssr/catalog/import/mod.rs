//! Importing products and variants from CSV (docs/catalog-csv.md), keyed by
//! SKU: `plan` decides what each line does, `write` does it, `jobs` runs an
//! upload as a dry run and then as a resumable job.

pub mod jobs;
pub mod plan;
pub mod write;
