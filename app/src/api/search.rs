//! Product search and autocomplete.

use crate::api::catalog::{PageMeta, ProductCard};
use crate::domain::{PageInfo, SearchParams, SearchRequest, SearchSort};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};
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

/// Search results for the URL parameters of a search page.
#[server(endpoint = "search", input = Json)]
pub async fn search(params: SearchParams) -> Result<SearchResults, AppError> {
    let state = crate::ssr::state()?;
    let request = crate::domain::SearchRequest::parse(&params).map_err(AppError::BadRequest)?;
    state.search.search(&request, &state.public_url)
}

/// Up to eight products and categories for what has been typed so far.
#[server(endpoint = "suggest", input = GetUrl)]
pub async fn suggest(q: String) -> Result<Vec<Suggestion>, AppError> {
    let state = crate::ssr::state()?;
    if q.chars().count() > crate::domain::search::MAX_QUERY_CHARS {
        return Ok(Vec::new());
    }
    state.search.suggest(&q)
}
