//! A product listing driven by the search engine: facets beside the results,
//! sort links, the grid and pagination. Search and category pages share it.

use crate::domain::catalog::ProductImage;
use crate::domain::listing::{FacetGroup, SearchResults};
use crate::components::{Card, ErrorView, Pagination};
use crate::domain::{PageRequest, SearchParams, SearchRequest};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use leptos_router::params::ParamsMap;
use serde::{de::DeserializeOwned, Serialize};
use std::future::Future;

/// The raw search parameters in a page's query string.
pub fn search_params(query: &ParamsMap) -> SearchParams {
    SearchParams {
        q: query.get("q"),
        cat: query.get("cat"),
        brand: query.get_all("brand").unwrap_or_default(),
        attr: query.get_all("attr").unwrap_or_default(),
        price: query.get("price"),
        rating: query.get("rating"),
        stock: query.get("stock"),
        sort: query.get("sort"),
        page: query.get("page"),
    }
}

/// Facets, sort links, one page of results and pagination. Every control is a
/// link, so it works without JavaScript; hydrated, the router swaps it in place.
#[component]
pub fn FacetedResults(results: SearchResults) -> impl IntoView {
    let page = results.page;
    let first = page.offset() + 1;
    let last = page.offset() + results.hits.len() as u64;
    let summary = if page.total_items == 0 {
        "No products found".to_owned()
    } else {
        format!("Showing {first}–{last} of {}", page.total_items)
    };
    let request = results.request;
    view! {
        <div class="search-layout">
            <aside class="facets" aria-label="Filters" data-testid="facets">
                {results.clear_href.map(|href| view! { <a class="clear-filters" href=href>"Clear all filters"</a> })}
                {results.facets.into_iter().map(|group| view! { <Facet group/> }).collect_view()}
            </aside>
            <section class="search-results" aria-live="polite">
                <div class="listing-toolbar">
                    <p class="result-count" data-testid="result-count">{summary}</p>
                    <nav class="sort-links" aria-label="Sort by" data-testid="sort-links">
                        <span>"Sort: "</span>
                        {results.sorts.into_iter().map(|s| {
                            let current = s.sort == results.sort;
                            view! {
                                <a href=s.href aria-current=current.then_some("true") class:current=current>{s.sort.label()}</a>
                            }
                        }).collect_view()}
                    </nav>
                </div>
                {results.did_you_mean.map(|(text, href)| view! {
                    <p class="did-you-mean" data-testid="did-you-mean">"Did you mean " <a href=href>{text}</a> "?"</p>
                })}
                {results.notice.map(|n| view! { <p class="notice" role="status" data-testid="search-notice">{n}</p> })}
                <ul class="product-grid" data-testid="product-grid">
                    {results.hits.into_iter().enumerate().map(|(i, hit)| view! {
                        <li><Card product=hit.card snippet=hit.snippet first=i < super::product_card::EAGER_CARDS/></li>
                    }).collect_view()}
                </ul>
                <Pagination info=page href=move |n: u32| SearchRequest { page: PageRequest::at(n), ..request.clone() }.href()/>
            </section>
        </div>
    }
    .into_any() // keeps the pages' view types shallow enough for the compiler
}

/// One facet group: a list of toggle links with counts.
#[component]
fn Facet(group: FacetGroup) -> impl IntoView {
    let id = format!("facet-{}", group.label.to_lowercase().replace(' ', "-"));
    let heading_id = id.clone();
    view! {
        <section class="facet" aria-labelledby=id data-testid="facet">
            <h2 id=heading_id>{group.label}</h2>
            <ul>
                {group.values.into_iter().map(|v| view! {
                    <li>
                        <a href=v.href class="facet-value" class:selected=v.selected
                           aria-current=v.selected.then_some("true") rel="nofollow">
                            <span class="facet-box" aria-hidden="true">{if v.selected { "☑" } else { "☐" }}</span>
                            <span class="facet-label">{v.label}</span>
                            {(v.count > 0).then(|| view! { <span class="facet-count">{v.count}</span> })}
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The top of a category's or a brand's page: its picture (when staff
/// uploaded one; every width, its size kept so nothing shifts), name and
/// description.
#[component]
pub fn ListingHeader(name: String, description: String, image: Option<ProductImage>) -> impl IntoView {
    view! {
        <header class="listing-header">
            {image.map(|image| view! {
                <img class="listing-banner" srcset=crate::domain::media::srcset(&image.url, false)
                    sizes="(min-width: 1200px) 1200px, 100vw" src=image.url alt=""
                    width=image.width height=image.height data-testid="listing-picture"/>
            })}
            <h1>{name}</h1>
            <p class="listing-description">{description}</p>
        </header>
    }
}

/// A listing page at `/<kind>/:slug` (a category's or a brand's): what
/// `fetch` loads for the slug and the address's query (again in the
/// browser when either changes), shown by `show`, or the error page.
pub fn slug_listing<T, Fut>(fetch: fn(String, SearchParams) -> Fut, show: fn(T) -> AnyView) -> impl IntoView
where
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    let params = use_params_map();
    let query = use_query_map();
    let data = crate::components::page_data(
        move || (params.read().get("slug").unwrap_or_default(), search_params(&query.read())),
        move |(slug, params)| fetch(slug, params),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => show(page),
                }
            })}
        </Suspense>
    }
}
