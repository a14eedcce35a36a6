//! What a listing page shows: search results with their facets, sort links
//! and page, a category's or a brand's listing, and autocomplete suggestions.

use super::catalog::{BrandInfo, CategoryInfo, PageMeta, ProductCard};
use super::{PageInfo, SearchRequest, SearchSort};
use serde::{Deserialize, Serialize};

/// One result: the product card and a highlighted piece of its description.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub card: ProductCard,
    /// HTML: escaped text with the matched words in `<b>`.
    pub snippet: String,
}

/// One choice in a facet, with the link that toggles it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacetValue {
    pub label: String,
    pub count: u64,
    pub selected: bool,
    pub href: String,
}

/// A group of choices: categories, brands, price ranges, an attribute, ...
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacetGroup {
    pub label: String,
    pub values: Vec<FacetValue>,
}

/// A sort order and the link to results in that order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SortLink {
    pub sort: SearchSort,
    pub href: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub meta: PageMeta,
    /// The request as understood, on the page shown (after clamping).
    pub request: SearchRequest,
    /// The search text as understood (whitespace normalised).
    pub text: String,
    pub hits: Vec<SearchHit>,
    pub page: PageInfo,
    pub sort: SearchSort,
    pub sorts: Vec<SortLink>,
    /// Said when the results are not exactly what was asked for.
    pub notice: Option<String>,
    /// A close spelling many more products use: (its words, its search).
    #[serde(default)]
    pub did_you_mean: Option<(String, String)>,
    pub facets: Vec<FacetGroup>,
    /// The link that removes every filter but keeps the text.
    pub clear_href: Option<String>,
}

/// What autocomplete offers for a partial search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub label: String,
    /// "Product" or "Category".
    pub kind: String,
    pub href: String,
}

/// A category page: the category and its products, filtered and sorted by the
/// search engine (with facets), without search text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CategoryListing {
    pub meta: PageMeta,
    pub info: CategoryInfo,
    pub results: SearchResults,
}

/// A brand's page: the brand and its products, filtered and sorted by the
/// search engine (with facets; refining it goes on in search, brand kept).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BrandListing {
    pub meta: PageMeta,
    pub info: BrandInfo,
    pub results: SearchResults,
}
