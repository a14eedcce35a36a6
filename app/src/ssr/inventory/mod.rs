//! Inventory: stock taken and given back with guarded updates, holds on
//! unpaid orders that run out, the ledger of every movement, and staff's
//! adjustments by hand.

pub mod adjust;
pub mod stock;
