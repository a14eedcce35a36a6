//! One component per route.

mod account;
mod admin_brands;
mod admin_categories;
mod admin_category;
mod admin_product;
mod admin_product_images;
mod admin_product_variants;
mod admin_products;
mod cart;
mod checkout;
mod category;
mod home;
mod not_found;
mod order;
mod orders;
mod staff_orders;
mod product;
mod search;

pub use account::{AccountPage, AuditPage, ConfirmPage, EmailChangePage, ForgotPage, RegisterPage, ResetPage, SignInPage, TwoStepPage};
pub use admin_brands::AdminBrandsPage;
pub use admin_categories::AdminCategoriesPage;
pub use admin_category::AdminCategoryPage;
pub use admin_product::AdminProductPage;
pub use admin_products::AdminProductsPage;
pub use cart::CartPage;
pub use category::CategoryPage;
pub use checkout::CheckoutPage;
pub use home::HomePage;
pub use not_found::NotFound;
pub use order::OrderPage;
pub use orders::OrdersPage;
pub use staff_orders::{StaffOrderPage, StaffOrdersPage};
pub use product::ProductPage;
pub use search::SearchPage;
