//! Reusable views.

mod admin_nav;
mod brand;
mod breadcrumbs;
mod day_chart;
mod error_view;
mod forms;
mod image_upload;
mod layout;
mod listing;
mod live;
mod order_details;
mod page_data;
mod page_head;
mod pagination;
mod product_card;
mod rating;
mod search_box;
mod variant_picker;

pub use admin_nav::AdminNav;
pub use brand::{title_formatter, BrandMeta};
pub use breadcrumbs::Breadcrumbs;
pub use day_chart::{ChartKind, DayChart};
pub use error_view::ErrorView;
pub use forms::{bump_on_success, form_error, form_outcome, AddressFields};
pub use image_upload::{bump_on_upload, picture_section, removal_fields, send_upload, upload_form, UploadAction};
pub use layout::{cart_changed, CartChanged, Footer, Header};
pub use listing::{search_params, slug_listing, FacetedResults, ListingHeader};
pub use live::on_server_change;
pub use order_details::{OrderDetails, Summary};
pub use page_data::{page_data, PageJson};
pub use page_head::{PageHead, SafeTitle};
pub use pagination::Pagination;
pub use product_card::{Card, ProductGrid};
pub use rating::Rating;
pub use search_box::SearchBox;
pub use variant_picker::{initial_choice, Chosen, VariantPicker};
