//! Product search and autocomplete.

use crate::domain::listing::{SearchResults, Suggestion};
use crate::domain::SearchParams;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

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
