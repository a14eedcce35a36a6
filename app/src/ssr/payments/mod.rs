//! Payments: taking a card payment for an order once, capturing it, the
//! provider interface with its deadline, Stripe (hosted Checkout), the
//! built-in processors, and the provider's signed webhooks.

pub mod deadline;
pub mod pay;
pub mod provider;
pub mod stripe;
pub mod test_processor;
pub mod webhooks;
