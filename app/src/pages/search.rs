use crate::api::search::search;
use crate::components::{search_params, ErrorView, FacetedResults, PageHead};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Search results with facets. The URL holds the whole state (see
/// [`FacetedResults`]).
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let data = crate::components::page_data(move || search_params(&query.read()), search);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Searching…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(results) => {
                        let heading = if results.text.is_empty() {
                            "All products".to_owned()
                        } else {
                            format!("Results for “{}”", results.text)
                        };
                        view! {
                            <PageHead meta=results.meta.clone()/>
                            <header class="listing-header">
                                <h1 data-testid="search-heading">{heading}</h1>
                            </header>
                            <FacetedResults results/>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
