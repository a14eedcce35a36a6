use crate::api::search::{search, FacetGroup, SearchResults};
use crate::components::{Card, ErrorView, PageHead, Pagination};
use crate::domain::{PageRequest, SearchParams, SearchRequest};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Search results with facets. The URL holds the whole state; every control is
/// a link, so the page works without JavaScript and, hydrated, the router
/// swaps the results in place.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let q = query.read();
        SearchParams {
            q: q.get("q"),
            cat: q.get("cat"),
            brand: q.get_all("brand").unwrap_or_default(),
            attr: q.get_all("attr").unwrap_or_default(),
            price: q.get("price"),
            rating: q.get("rating"),
            stock: q.get("stock"),
            sort: q.get("sort"),
            page: q.get("page"),
        }
    };
    let data = Resource::new(params, search);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Searching…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(results) => {
                        let request = SearchRequest::parse(&params()).unwrap_or_default();
                        view! { <Results results request/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn Results(results: SearchResults, request: SearchRequest) -> impl IntoView {
    let page = results.page;
    let first = page.offset() + 1;
    let last = page.offset() + results.hits.len() as u64;
    let heading = if results.text.is_empty() { "All products".to_owned() } else { format!("Results for “{}”", results.text) };
    let summary = if page.total_items == 0 {
        "No products found".to_owned()
    } else {
        format!("Showing {first}–{last} of {}", page.total_items)
    };
    view! {
        <PageHead meta=results.meta/>
        <header class="listing-header">
            <h1 data-testid="search-heading">{heading}</h1>
        </header>
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
                {results.notice.map(|n| view! { <p class="notice" role="status" data-testid="search-notice">{n}</p> })}
                <ul class="product-grid" data-testid="product-grid">
                    {results.hits.into_iter().map(|hit| view! {
                        <li><Card product=hit.card snippet=hit.snippet/></li>
                    }).collect_view()}
                </ul>
                <Pagination info=page href=move |n: u32| {
                    let page = PageRequest::parse(Some(&n.to_string())).unwrap_or_default();
                    SearchRequest { page, ..request.clone() }.href()
                }/>
            </section>
        </div>
    }
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
