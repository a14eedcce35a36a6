//! After delivery: return requests and their decisions, receiving returned
//! goods, and refunds (reserved first, then sent through the provider).

pub mod refunds;
pub mod requests;
