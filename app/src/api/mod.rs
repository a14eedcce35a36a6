//! Server functions: thin wrappers that parse input, call the database layer and map errors.

pub mod account;
pub mod addresses;
pub mod analytics;
pub mod cart;
pub mod catalog;
pub mod catalog_import;
pub mod checkout;
pub mod customers;
pub mod media;
pub mod orders;
pub mod people;
pub mod products;
pub mod promos;
pub mod reviews;
pub mod search;
pub mod settings;
pub mod shipping;
pub mod taxonomy;
pub mod wishlist;
