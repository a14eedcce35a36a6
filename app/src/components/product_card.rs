//! Product cards (picture, brand, name, rating, price) and the grid they sit in.

use super::Rating;
use crate::domain::catalog::ProductCard;
use crate::domain::media::srcset;
use leptos::prelude::*;

/// Cards in a phone's first screenful (two per row): their pictures load at
/// once, as they are the page's largest paint; the rest when scrolled near.
pub const EAGER_CARDS: usize = 2;

/// A responsive grid of product cards.
#[component]
pub fn ProductGrid(products: Vec<ProductCard>) -> impl IntoView {
    view! {
        <ul class="product-grid" data-testid="product-grid">
            {products.into_iter().enumerate().map(|(i, p)| view! { <li><Card product=p first=i < EAGER_CARDS/></li> }).collect_view()}
        </ul>
    }
}

/// One product: image, brand, name, rating and price, with an optional
/// highlighted text snippet (trusted HTML from the search engine); `first`:
/// in the first screenful (see [`EAGER_CARDS`]).
#[component]
pub fn Card(product: ProductCard, #[prop(optional)] snippet: Option<String>, #[prop(optional)] first: bool) -> impl IntoView {
    let href = format!("/p/{}", product.slug);
    view! {
        <article class="card" data-testid="product-card">
            <a href=href.clone() tabindex="-1" aria-hidden="true">
                <img
                    srcset=srcset(&product.image_url, false)
                    sizes="(min-width: 1000px) 240px, (min-width: 600px) 30vw, 45vw"
                    src=product.image_url
                    alt=""
                    width="400"
                    height="400"
                    loading=if first { "eager" } else { "lazy" }
                    fetchpriority=if first { "high" } else { "auto" }
                />
            </a>
            <div class="card-body">
                <p class="card-brand">{product.brand}</p>
                <h3 class="card-title"><a href=href>{product.name}</a></h3>
                {snippet.filter(|s| !s.is_empty()).map(|html| view! { <p class="card-snippet" inner_html=html></p> })}
                <Rating avg=product.rating_avg count=product.rating_count/>
                <p class="card-price">
                    <span class="price">{product.price.to_string()}</span>
                    {(!product.in_stock).then(|| view! { <span class="badge out">"Out of stock"</span> })}
                </p>
            </div>
        </article>
    }
}
