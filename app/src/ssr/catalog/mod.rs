//! The catalog: as shoppers read it (the home page, category and product
//! pages, product cards; the search index has its own domain, `search`), and
//! as staff manage it in the back office (the product list, the editor, the
//! product images, options and variants, the CSV export and import, the category tree, the brands,
//! the schema.org data pages carry and the sitemap, for search engines,
//! the pictures of categories and brands, and the old addresses of renamed
//! products, categories and brands).

pub mod brands;
pub mod bulk;
pub mod categories;
pub mod csv_export;
pub mod editing;
pub mod images;
pub mod import;
pub mod pages;
pub mod pictures;
pub mod popularity;
pub mod product_list;
pub mod reads;
pub mod sitemap;
pub mod redirects;
pub mod staff;
pub mod structured;
pub mod variants;
