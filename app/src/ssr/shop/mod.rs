//! The money path on the server: carts, orders with their stock
//! reservations and inventory ledger, and payments.

pub mod cart;
pub mod lifecycle;
pub mod orders;
pub mod payments;
pub mod provider;
