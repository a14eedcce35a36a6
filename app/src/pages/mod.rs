//! One component per route.

mod account;
mod cart;
mod checkout;
mod category;
mod home;
mod not_found;
mod orders;
mod product;
mod search;

pub use account::{AccountPage, AuditPage, ConfirmPage, EmailChangePage, ForgotPage, RegisterPage, ResetPage, SignInPage, TwoStepPage};
pub use cart::CartPage;
pub use category::CategoryPage;
pub use checkout::{CheckoutPage, OrderPage};
pub use home::HomePage;
pub use not_found::NotFound;
pub use orders::OrdersPage;
pub use product::ProductPage;
pub use search::SearchPage;
