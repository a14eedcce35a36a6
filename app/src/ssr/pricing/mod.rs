//! Pricing on the server: a cart's lines at today's prices, shipping for the
//! destination, tax, and promo codes with their use limits (and the back
//! office's promo codes, `promo_admin`, and shipping zones, `shipping_admin`).

pub mod promo_admin;
pub mod promos;
pub mod quote;
pub mod shipping_admin;
