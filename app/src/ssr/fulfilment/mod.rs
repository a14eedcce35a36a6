//! Fulfilment: packing, shipping in one or more parcels, tracking from the
//! carrier's webhooks or from staff, and delivery.

pub mod carrier;
pub mod shipping;
pub mod tracking;
