use crate::api::catalog::category_page;
use crate::components::{search_params, Breadcrumbs, ErrorView, FacetedResults, PageHead};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A category: its products with facets, sort links and pagination, from the
/// search engine (the category is the fixed filter, the rest is in the URL).
#[component]
pub fn CategoryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = crate::components::page_data(
        move || (params.read().get("slug").unwrap_or_default(), search_params(&query.read())),
        |(slug, params)| category_page(slug, params),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => view! {
                        <PageHead meta=page.meta/>
                        <Breadcrumbs trail=page.info.breadcrumbs/>
                        <header class="listing-header">
                            <h1>{page.info.name}</h1>
                            <p class="listing-description">{page.info.description}</p>
                        </header>
                        <FacetedResults results=page.results/>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}
