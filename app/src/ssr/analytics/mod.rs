//! Analytics: what sold when (read from the orders, summed per day), the
//! shoppers' funnel and the dashboard that shows both.

pub mod dashboard;
pub mod funnel;
pub mod rollup;
pub mod sales;
