//! The back office's product list: search, filters and sort in a GET form
//! (the URL keeps them, so a list can be bookmarked and works without
//! JavaScript), a table linking to each product's editor, and pages.

use crate::api::products::admin_products;
use crate::components::{AdminNav, ErrorView, Pagination};
use crate::domain::products::{Choice, ProductList, ProductSort, ProductStatus, StockState};
use crate::domain::search::url_encode;
use crate::domain::time::utc;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// The list's URL parameters, in the order the server function takes them.
const PARAMS: [&str; 8] = ["q", "category", "brand", "seller", "status", "stock", "sort", "page"];

#[component]
pub fn AdminProductsPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || PARAMS.map(|name| query.read().get(name).unwrap_or_default());
    let list = Resource::new(params, |[q, category, brand, seller, status, stock, sort, page]| {
        admin_products(q, category, brand, seller, status, stock, sort, page)
    });
    view! {
        <Title text="Products | Oxcart admin"/>
        <AdminNav current="products"/>
        <section class="admin-products">
            <div class="admin-heading">
                <h1>"Products"</h1>
                <a class="button" href="/admin/products/new" data-testid="new-product">"Add a product"</a>
            </div>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(list) => product_list(list, params()),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn product_list(list: ProductList, params: [String; 8]) -> AnyView {
    let [q, category, brand, seller, status, stock, sort, _] = params.clone();
    let page_href = move |page: u32| {
        let mut pairs: Vec<String> = PARAMS
            .iter()
            .zip(params.iter())
            .filter(|(name, value)| **name != "page" && !value.is_empty())
            .map(|(name, value)| format!("{name}={}", url_encode(value)))
            .collect();
        pairs.push(format!("page={page}"));
        format!("/admin/products?{}", pairs.join("&"))
    };
    let ProductList { rows, page, choices } = list;
    let options = |choices: Vec<Choice>, current: String| {
        choices
            .into_iter()
            .map(|c| {
                let selected = c.id.to_string() == current;
                view! { <option value=c.id selected=selected>{c.name}</option> }
            })
            .collect_view()
    };
    let keyed = |items: Vec<(&'static str, &'static str)>, current: String| {
        items
            .into_iter()
            .map(|(key, label)| view! { <option value=key selected=key == current>{label}</option> })
            .collect_view()
    };
    let statuses = ProductStatus::ALL.map(|s| (s.key(), s.label())).to_vec();
    let stocks = StockState::ALL.map(|s| (s.key(), s.label())).to_vec();
    let sorts = ProductSort::ALL.map(|s| (s.key(), s.label())).to_vec();
    let sellers = (!choices.sellers.is_empty()).then(|| view! {
        <label>"Seller"<select name="seller"><option value="">"Any"</option>{options(choices.sellers.clone(), seller.clone())}</select></label>
    });
    view! {
        <Form method="GET" action="/admin/products" attr:class="admin-filters" attr:data-testid="product-filters">
            <label class="search">"Search"
                <input type="search" name="q" value=q maxlength=100 placeholder="Name, slug or number"/>
            </label>
            <label>"Category"<select name="category"><option value="">"Any"</option>{options(choices.categories, category)}</select></label>
            <label>"Brand"<select name="brand"><option value="">"Any"</option>{options(choices.brands, brand)}</select></label>
            {sellers}
            <label>"Status"<select name="status"><option value="">"Any"</option>{keyed(statuses, status)}</select></label>
            <label>"Stock"<select name="stock"><option value="">"Any"</option>{keyed(stocks, stock)}</select></label>
            <label>"Sort"<select name="sort">{keyed(sorts, sort)}</select></label>
            <button type="submit" class="button secondary">"Show"</button>
        </Form>
        <p class="count" data-testid="product-count">{format!("{} products", page.total_items)}</p>
        {if rows.is_empty() {
            view! { <p>"No products match."</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="admin-table" data-testid="product-table">
                        <thead><tr>
                            <th>"Product"</th><th>"Status"</th><th class="num">"Price"</th><th class="num">"Stock"</th>
                            <th>"Category"</th><th>"Brand"</th><th>"Seller"</th><th>"Changed (UTC)"</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr data-product=r.id>
                                    <td><a href=format!("/admin/products/{}", r.id)>{r.name}</a><br/><small>{format!("#{} · {}", r.id, r.slug)}</small></td>
                                    <td><span class=format!("badge status-{}", r.status.key())>{r.status.label()}</span></td>
                                    <td class="num">{r.price.to_string()}</td>
                                    <td class=format!("num stock-{}", r.stock_state.key()) title=r.stock_state.label()>{r.stock}</td>
                                    <td>{r.category}</td>
                                    <td>{r.brand}</td>
                                    <td>{r.seller}</td>
                                    <td>{utc(r.updated_at)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <Pagination info=page href=page_href/>
    }
    .into_any()
}
