//! The catalog as pages show it: page metadata, category links and tiles,
//! product cards and product details.

use super::money::Money;
use serde::{Deserialize, Serialize};

/// Head metadata every page sets: `<title>`, meta description and canonical
/// URL (also what sharing shows), the picture a shared link shows, and the
/// schema.org data search engines read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PageMeta {
    pub title: String,
    pub description: String,
    pub canonical: String,
    /// Absolute URL of the picture a shared link shows; empty: none.
    #[serde(default)]
    pub image: String,
    /// JSON-LD, safe inside `<script>`; written into the server's HTML only
    /// (never sent to the browser, which has no use for it).
    #[serde(skip)]
    pub structured: String,
}

/// Whether the page at `path` is a catalog page (home, a category, a brand,
/// a product, search): the same for every visitor, rendered without a
/// session and served from the page cache to everyone; the header's personal
/// part is asked by the browser once the page has hydrated.
pub fn same_for_everyone(path: &str) -> bool {
    path == "/" || path == "/search" || ["/c/", "/p/", "/b/"].iter().any(|prefix| path.starts_with(prefix))
}

/// A link to a category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryLink {
    pub slug: String,
    pub name: String,
}

/// A category tile on the home page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryTile {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub image_url: String,
}

/// A product as shown in a grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductCard {
    pub slug: String,
    pub name: String,
    pub brand: String,
    pub price: Money,
    pub in_stock: bool,
    pub rating_avg: f64,
    pub rating_count: i64,
    pub image_url: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HomeData {
    pub meta: PageMeta,
    pub featured: Vec<ProductCard>,
    pub categories: Vec<CategoryTile>,
}

/// What the database says about a category.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryInfo {
    pub name: String,
    pub description: String,
    /// What search engines are shown; empty: the name and description.
    pub seo_title: String,
    pub seo_description: String,
    /// Root first, the category itself last.
    pub breadcrumbs: Vec<CategoryLink>,
    /// Its own picture, uploaded in the back office (a department's or an
    /// aisle's), shown above its products.
    pub image: Option<ProductImage>,
}

/// What the database says about a brand, for its page (`/b/<slug>`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BrandInfo {
    pub name: String,
    pub slug: String,
    pub description: String,
    /// What search engines are shown; empty: the name and description.
    pub seo_title: String,
    pub seo_description: String,
    /// Its own picture, uploaded in the back office.
    pub image: Option<ProductImage>,
}

/// One product image: `url` is its widest file (see `domain::media` for
/// the other widths of an upload).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductImage {
    pub url: String,
    pub alt: String,
    /// The widest file's size, for the page to keep its space.
    pub width: u32,
    pub height: u32,
    /// Whether every width also exists as WebP.
    pub webp: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductDetail {
    pub meta: PageMeta,
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// As staff typed it, with its marks (see `domain::rich_text`).
    pub description: String,
    /// The description under its heading, then the reviews section
    /// (average, spread, the most helpful reviews, links), as safe HTML
    /// the server made: one element of the page, so the shoppers'
    /// WebAssembly carries neither.
    pub text_html: String,
    pub brand: String,
    /// Where the brand's page is: `/b/<brand_slug>`.
    pub brand_slug: String,
    pub price: Money,
    /// The higher price it was, shown as a saving.
    pub compare_at: Option<Money>,
    /// A draft only staff see, as a preview.
    pub preview: bool,
    pub stock: i64,
    pub rating_avg: f64,
    pub rating_count: i64,
    /// Root category first, the product's own category last.
    pub breadcrumbs: Vec<CategoryLink>,
    pub attributes: Vec<(String, String)>,
    pub images: Vec<ProductImage>,
    /// Its options (size, colour, …; none for a product sold one way) and
    /// the variants they make (at least one).
    pub options: Vec<super::variants::ProductOption>,
    pub variants: Vec<super::variants::Variant>,
    /// The marketplace seller who ships it, if not the shop itself.
    pub seller: Option<Seller>,
    /// Whether its price holds the tax ("Tax included"), from the shop's settings.
    #[serde(default)]
    pub tax_note: String,
    /// What customers who bought it also bought, for sale now, most often first.
    #[serde(default)]
    pub also_bought: Vec<ProductCard>,
}

/// A marketplace seller, as product pages name them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Seller {
    pub slug: String,
    pub name: String,
}
