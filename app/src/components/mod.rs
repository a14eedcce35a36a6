//! Reusable views.

mod breadcrumbs;
mod error_view;
mod layout;
mod page_head;
mod pagination;
mod product_card;
mod rating;

pub use breadcrumbs::Breadcrumbs;
pub use error_view::ErrorView;
pub use layout::{Footer, Header};
pub use page_head::{PageHead, SafeTitle};
pub use pagination::Pagination;
pub use product_card::ProductGrid;
pub use rating::Rating;
