use crate::api::catalog::category_page;
use crate::components::{Breadcrumbs, ErrorView, PageHead, Pagination, ProductGrid};
use crate::domain::ProductSort;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// A category listing with subcategories, a sort control and pagination.
#[component]
pub fn CategoryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            let q = query.read();
            (params.read().get("slug").unwrap_or_default(), q.get("page"), q.get("sort"))
        },
        |(slug, page, sort)| category_page(slug, page, sort),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => {
                        let base = format!("/c/{}", page.slug);
                        let sort = page.sort;
                        let first = page.page.offset() + 1;
                        let last = (page.page.offset() + page.products.len() as u64).max(first - 1);
                        view! {
                            <PageHead meta=page.meta/>
                            <Breadcrumbs trail=page.breadcrumbs/>
                            <header class="listing-header">
                                <h1>{page.name}</h1>
                                <p class="listing-description">{page.description}</p>
                            </header>
                            {(!page.subcategories.is_empty()).then(|| view! {
                                <nav aria-label="Subcategories">
                                    <ul class="chips">
                                        {page.subcategories.into_iter().map(|c| view! {
                                            <li><a class="chip" href=format!("/c/{}", c.slug)>{c.name}</a></li>
                                        }).collect_view()}
                                    </ul>
                                </nav>
                            })}
                            <div class="listing-toolbar">
                                <p class="result-count" data-testid="result-count">
                                    {if page.page.total_items == 0 {
                                        "No products here yet.".to_string()
                                    } else {
                                        format!("Showing {first}–{last} of {}", page.page.total_items)
                                    }}
                                </p>
                                <SortControl base=base.clone() sort=page.sort/>
                            </div>
                            <ProductGrid products=page.products/>
                            <Pagination info=page.page href=move |n: u32| listing_href(&base, n, sort)/>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The URL of page `page` of the listing at `base` in `sort` order.
fn listing_href(base: &str, page: u32, sort: ProductSort) -> String {
    let mut query = Vec::new();
    if page > 1 {
        query.push(format!("page={page}"));
    }
    if sort != ProductSort::Featured {
        query.push(format!("sort={}", sort.key()));
    }
    if query.is_empty() { base.to_owned() } else { format!("{base}?{}", query.join("&")) }
}

/// A plain GET form (works without JavaScript); once hydrated, choosing an
/// option navigates straight away.
#[component]
fn SortControl(base: String, sort: ProductSort) -> impl IntoView {
    let navigate = use_navigate();
    let target = base.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let key = event_target_value(&ev);
        let url = if key == ProductSort::Featured.key() { target.clone() } else { format!("{target}?sort={key}") };
        navigate(&url, Default::default());
    };
    view! {
        <form class="sort-form" method="get" action=base>
            <label for="sort">"Sort by"</label>
            <select id="sort" name="sort" on:change=on_change data-testid="sort-select">
                {ProductSort::ALL.into_iter().map(|s| view! {
                    <option value=s.key() selected=s == sort>{s.label()}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button secondary">"Apply"</button>
        </form>
    }
}
