//! Server functions: thin wrappers that parse input, call the database layer and map errors.

pub mod catalog;
pub mod search;
