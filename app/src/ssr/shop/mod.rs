//! The money path on the server: carts, orders with their stock
//! reservations and inventory ledger, payments, and everything after the
//! purchase (shipping and tracking, returns, refunds, live updates).

pub mod access;
pub mod carrier;
pub mod deadline;
pub mod cart;
pub mod desk;
pub mod invoice;
pub mod lifecycle;
pub mod moves;
pub mod order_view;
pub mod orders;
pub mod payments;
pub mod provider;
pub mod refunds;
pub mod returns;
pub mod sweeper;
pub mod watch;
