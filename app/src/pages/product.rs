//! A product's page: gallery, price (and the saving against a compare-at
//! price), stock, seller, attributes and description (the safe HTML the
//! server made of the staff's text with its few marks), and the add-to-cart form with the option picker
//! (price, stock and picture follow the chosen variant), and the reviews
//! section the server made, and what customers who bought it also bought.
//! Staff see drafts as a preview.

use crate::api::cart::AddToCart;
use crate::api::catalog::product_page;
use crate::domain::catalog::ProductImage;
use crate::domain::media::srcset;
use crate::components::{form_outcome, initial_choice, Breadcrumbs, Card, Chosen, ErrorView, PageHead, Rating, VariantPicker};
use crate::domain::variants::{pick, ProductOption, Variant};
use crate::domain::checkout::MAX_QUANTITY;
use crate::domain::Money;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{FormData, HtmlFormElement, SubmitEvent};
use leptos::prelude::*;
use leptos_meta::Link;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Stock levels at or below this show "Only N left".
const LOW_STOCK: i64 = 5;

/// Product detail: gallery, price, stock, attributes and description.
#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let data = crate::components::page_data(
        move || params.read().get("slug").unwrap_or_default(),
        product_page,
    );
    let asked = move || use_query_map().read_untracked().get("variant").and_then(|v| v.parse::<i64>().ok());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(p) => {
                        let chosen: Chosen = RwSignal::new(initial_choice(&p.variants, asked()));
                        let variants = StoredValue::new(p.variants.clone());
                        let current = Memo::new(move |_| variants.with_value(|all| pick(all, &chosen.read()).cloned()));
                        let (price, compare_at) = (p.price, p.compare_at);
                        let shown_price = move || current.get().map_or(price, |v| v.price);
                        let shown_saving = move || match current.get() {
                            Some(v) => v.compare_at.map(|was| (was, v.price)),
                            None => compare_at.map(|was| (was, price)),
                        };
                        let stock = move || current.get().map_or(0, |v| v.stock);
                        let focus = Signal::derive(move || current.get().and_then(|v| v.image));
                        let sellable = !p.preview;
                        // The main picture is the page's largest paint: asked for from the head.
                        let preload = p.images.first().map(|img| {
                            let (href, set) = (img.url.clone(), srcset(&img.url, img.webp).unwrap_or_default());
                            if img.webp {
                                view! { <Link rel="preload" as_="image" href imagesrcset=set imagesizes=MAIN_SIZES type_="image/webp" fetchpriority="high"/> }.into_any()
                            } else {
                                view! { <Link rel="preload" as_="image" href imagesrcset=set imagesizes=MAIN_SIZES fetchpriority="high"/> }.into_any()
                            }
                        });
                        view! {
                            <PageHead meta=p.meta structured=true/>
                            {preload}
                            <Breadcrumbs trail=p.breadcrumbs current=p.name.clone()/>
                            {p.preview.then(|| view! {
                                <p class="notice preview" role="status" data-testid="preview">
                                    "A draft: only staff see this page until it is published. "
                                    <a href=format!("/admin/products/{}", p.id)>"Edit it in the back office"</a>
                                </p>
                            })}
                            <article class="product" data-testid="product">
                                <Gallery images=p.images focus/>
                                <div class="product-info">
                                    <p class="product-brand"><a href=format!("/b/{}", p.brand_slug) data-testid="brand-link">{p.brand}</a></p>
                                    <h1>{p.name}</h1>
                                    <Rating avg=p.rating_avg count=p.rating_count/>
                                    <p class="product-price" data-testid="price">{move || shown_price().to_string()}</p>
                                    <p class="product-tax-note" data-testid="tax-note">{p.tax_note.clone()}</p>
                                    <p class="product-saving" data-testid="saving" hidden=move || shown_saving().is_none()>
                                        <s>{move || shown_saving().map(|(was, _)| was.to_string())}</s>
                                        " — you save "
                                        {move || shown_saving().map(|(was, now)| Money::new(was.minor() - now.minor(), was.currency()).to_string())}
                                    </p>
                                    <p class=move || stock_line(current.get().as_ref()).0 data-testid="stock">
                                        {move || stock_line(current.get().as_ref()).1}
                                    </p>
                                    {p.seller.map(|s| view! {
                                        <p class="product-seller" data-testid="seller" data-seller=s.slug>"Sold and shipped by " {s.name}</p>
                                    })}
                                    {sellable.then(|| view! {
                                        <AddToCartForm product=p.id options=p.options variants=p.variants chosen stock/>
                                    })}
                                    <h2>"Details"</h2>
                                    <dl class="attributes">
                                        {p.attributes.into_iter().map(|(name, value)| view! {
                                            <div><dt>{name}</dt><dd>{value}</dd></div>
                                        }).collect_view()}
                                    </dl>
                                    // Safe HTML the server made: the description (domain/rich_text.rs)
                                    // and the reviews (ssr/reviews/summary.rs).
                                    <div class="product-text" inner_html=p.text_html></div>
                                </div>
                            </article>
                            {(!p.also_bought.is_empty()).then(|| view! {
                                <section class="also-bought" data-testid="also-bought">
                                    <h2>"Customers who bought this also bought"</h2>
                                    <ul class="product-grid">
                                        {p.also_bought.into_iter().map(|card| view! { <li><Card product=card/></li> }).collect_view()}
                                    </ul>
                                </section>
                            })}
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// The stock sentence for the chosen variant (none: that combination is not sold).
fn stock_line(variant: Option<&Variant>) -> (&'static str, String) {
    match variant.map(|v| v.stock) {
        None => ("stock out", "Not available in this combination".to_string()),
        Some(0) => ("stock out", "Out of stock".to_string()),
        Some(n) if n <= LOW_STOCK => ("stock low", format!("Only {n} left")),
        Some(_) => ("stock in", "In stock".to_string()),
    }
}

/// The picker, quantity, "Add to cart" and "Save to wishlist" (the button
/// that posts `list=saved`, so an out-of-stock variant can be saved for its
/// back-in-stock mail). Without JavaScript the form posts (with the chosen
/// option values) and the page reloads; with it the fields are sent in the
/// background. The fields are read by hand, not by `ActionForm`, whose
/// query-string decoder (serde_qs) cost every product page 15 kB of
/// WebAssembly, brotli (BENCHMARKS.md, "WebAssembly bundle").
#[component]
fn AddToCartForm(
    product: i64,
    options: Vec<ProductOption>,
    variants: Vec<Variant>,
    chosen: Chosen,
    stock: impl Fn() -> i64 + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let add = ServerAction::<AddToCart>::new();
    Effect::new(move |_| {
        if add.version().get() > 0 {
            crate::components::cart_changed();
        }
    });
    let on_submit = move |event: SubmitEvent| {
        let Some(form) = event.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else { return };
        let Ok(data) = FormData::new_with_form(&form) else { return };
        event.prevent_default();
        let field = |name: &str| data.get(name).as_string().unwrap_or_default();
        // The button pressed says which list: only "Save to wishlist" has a value.
        let list = event.submitter().and_then(|button| button.get_attribute("value")).unwrap_or_default();
        let [option1, option2, option3] = ["option1", "option2", "option3"].map(field);
        add.dispatch(AddToCart { product, variant: field("variant"), option1, option2, option3, quantity: field("quantity"), list });
    };
    view! {
        <form class="add-to-cart" method="post" action="/api/cart/add" on:submit=on_submit>
            <input type="hidden" name="product" value=product/>
            <VariantPicker options variants chosen/>
            <label for="quantity">"Quantity"</label>
            <input id="quantity" name="quantity" type="number" min="1" max=move || stock().clamp(1, MAX_QUANTITY) value="1" inputmode="numeric"/>
            <button type="submit" class="button" data-testid="add-to-cart" disabled=move || stock() == 0>"Add to cart"</button>
            <button type="submit" class="button secondary" name="list" value="saved" data-testid="save-to-wishlist">"Save to wishlist"</button>
            {form_outcome(move || add.value().get())}
        </form>
    }
}

/// The main image with a row of thumbnail buttons that switch it. Uploads
/// offer every width they were kept at (WebP first where it exists), so a
/// phone loads a small file; width and height keep the space (no shift).
#[component]
fn Gallery(images: Vec<ProductImage>, focus: Signal<Option<String>>) -> impl IntoView {
    let count = images.len();
    // The chosen variant's picture comes to the front (on the server too).
    let urls: Vec<String> = images.iter().map(|i| i.url.clone()).collect();
    let at = move |url: Option<String>| url.and_then(|url| urls.iter().position(|u| *u == url));
    let (selected, set_selected) = signal(at.clone()(focus.get_untracked()).unwrap_or(0));
    Effect::new(move |_| {
        if let Some(at) = at(focus.get()) {
            set_selected.set(at);
        }
    });
    let main = {
        let images = images.clone();
        move || images.get(selected.get()).cloned()
    };
    view! {
        <div class="gallery">
            {move || main().map(|img| view! {
                <picture>
                    {img.webp.then(|| view! { <source type="image/webp" srcset=srcset(&img.url, true) sizes=MAIN_SIZES/> })}
                    <img
                        class="gallery-main"
                        src=img.url.clone()
                        srcset=srcset(&img.url, false)
                        sizes=MAIN_SIZES
                        alt=img.alt.clone()
                        width=img.width
                        height=img.height
                        fetchpriority="high"
                        data-testid="main-image"
                    />
                </picture>
            })}
            {(count > 1).then(|| view! {
                <ul class="thumbnails">
                    {images.into_iter().enumerate().map(|(i, img)| view! {
                        <li>
                            <button
                                type="button"
                                aria-label=format!("Show image {} of {count}", i + 1)
                                aria-pressed=move || (selected.get() == i).to_string()
                                on:click=move |_| set_selected.set(i)
                                data-testid="thumbnail"
                            >
                                <img src=img.url.clone() srcset=srcset(&img.url, false) sizes="96px" alt="" width="96" height="96" loading="lazy"/>
                            </button>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}

/// How wide the main image is shown: half the page beside the details on
/// wide screens, the whole width on phones.
const MAIN_SIZES: &str = "(min-width: 800px) 50vw, 100vw";
