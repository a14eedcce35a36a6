//! Server functions: thin wrappers that parse input, call the database layer and map errors.

pub mod account;
pub mod addresses;
pub mod catalog;
pub mod search;
