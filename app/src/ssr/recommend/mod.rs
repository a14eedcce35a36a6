//! Recommendations: "customers who bought this also bought", from the
//! shop's own paid orders (`co_purchase.rs`).

pub mod co_purchase;
