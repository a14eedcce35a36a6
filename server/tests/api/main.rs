//! Black-box tests of the `oxcart` server over HTTP. They run on SQLite, or on
//! PostgreSQL when `TEST_POSTGRES_URL` names a server (each test gets its own database).

mod abuse;
mod accounts;
mod analytics;
mod api_v1;
mod back_office;
mod categories;
mod checkout;
mod crash;
mod customers;
mod exports;
mod imports;
mod cli;
mod helpers;
mod mail;
mod media_store;
mod migrations;
mod order_desk;
mod orders;
mod pages;
mod product_bulk;
mod promos;
mod pwa;
mod product_images;
mod payments;
mod people;
mod races;
mod search;
mod security;
mod seo;
mod server;
mod shipping;
mod shop_details;
mod stripe;
mod taxes;
mod variants;
