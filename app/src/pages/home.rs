//! The home page: a welcome, a tile for every top-level category, featured products.

use crate::api::catalog::home_page;
use crate::components::{ErrorView, PageHead, ProductGrid};
use crate::domain::media::srcset;
use leptos::prelude::*;

/// Category tiles in the first screenful of a phone (two per row).
const EAGER_TILES: usize = 2;

/// Featured products and a tile for every top-level category.
#[component]
pub fn HomePage() -> impl IntoView {
    let data = crate::components::page_data(|| (), |_| home_page());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => view! {
                        <PageHead meta=page.meta structured=true/>
                        <section class="hero">
                            <h1>"Everything you need, delivered."</h1>
                            <p>"Thousands of products from brands you trust, with free returns."</p>
                        </section>
                        <section aria-labelledby="shop-by-category">
                            <h2 id="shop-by-category">"Shop by category"</h2>
                            <ul class="category-tiles">
                                // The first row of tiles is in view on a phone (the page's largest
                                // paint): loaded at once, the rest when scrolled near.
                                {page.categories.into_iter().enumerate().map(|(i, c)| view! {
                                    <li>
                                        <a class="tile" href=format!("/c/{}", c.slug)>
                                            <img
                                                srcset=srcset(&c.image_url, false)
                                                sizes="(min-width: 900px) 25vw, 50vw"
                                                src=c.image_url
                                                alt=""
                                                width="320"
                                                height="180"
                                                loading=if i < EAGER_TILES { "eager" } else { "lazy" }
                                                fetchpriority=if i < EAGER_TILES { "high" } else { "auto" }
                                            />
                                            <span class="tile-name">{c.name}</span>
                                            <span class="tile-text">{c.description}</span>
                                        </a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                        <section aria-labelledby="featured">
                            <h2 id="featured">"Featured products"</h2>
                            <ProductGrid products=page.featured/>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
