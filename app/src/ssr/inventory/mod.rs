//! Inventory: stock taken and given back with guarded updates, holds on
//! unpaid orders that run out, and the ledger of every movement.

pub mod stock;
