//! Pricing on the server: a cart's lines at today's prices, shipping for the
//! destination, tax, and promo codes with their use limits.

pub mod promos;
pub mod quote;
