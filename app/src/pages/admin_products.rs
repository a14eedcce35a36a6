//! The back office's product list: search, filters and sort in a GET form
//! (the URL keeps them, so a list can be bookmarked and works without
//! JavaScript), a table linking to each product's editor, and pages. Rows
//! have check boxes for bulk actions (publish, unpublish, archive, put in a
//! category, change prices by a percentage), a form of its own.

use crate::api::products::{admin_products, BulkProducts};
use crate::components::{bump_on_success, form_outcome, AdminNav, ErrorView, Pagination};
use crate::domain::products::{Choice, ProductList, ProductSort, ProductStatus, StockState};
use crate::domain::search::url_encode;
use crate::domain::time::utc;
use leptos::form::ActionForm;
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
    let bulk = ServerAction::<BulkProducts>::new();
    let done = RwSignal::new(0);
    bump_on_success(done, bulk);
    let list = crate::components::page_data(move || (params(), done.get()), |([q, category, brand, seller, status, stock, sort, page], _)| {
        admin_products(q, category, brand, seller, status, stock, sort, page)
    });
    view! {
        <Title text="Products · Admin"/>
        <AdminNav current="products"/>
        <section class="admin-products">
            <div class="admin-heading">
                <h1>"Products"</h1>
                <span class="inline-form">
                    <a class="button secondary" href="/admin/products.csv" download data-testid="export-products">"Download as CSV"</a>
                    <a class="button secondary" href="/admin/import" data-testid="import-products">"Import from CSV"</a>
                    <a class="button" href="/admin/products/new" data-testid="new-product">"Add a product"</a>
                </span>
            </div>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(list) => product_list(list, params(), bulk),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn product_list(list: ProductList, params: [String; 8], bulk: ServerAction<BulkProducts>) -> AnyView {
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
    let bulk_categories = options(choices.categories.clone(), String::new());
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
              <ActionForm action=bulk attr:class="bulk-form" attr:data-testid="bulk-form">
                {form_outcome(move || bulk.value().get())}
                <div class="bulk-controls">
                    <label>"With the selected"
                        <select name="action" data-testid="bulk-action">
                            <option value="">"Choose…"</option>
                            <option value="publish">"Publish"</option>
                            <option value="unpublish">"Unpublish (back to draft)"</option>
                            <option value="archive">"Archive"</option>
                            <option value="category">"Put in the category…"</option>
                            <option value="price">"Change the price by %…"</option>
                        </select>
                    </label>
                    <label>"Category"<select name="category"><option value="">"—"</option>{bulk_categories}</select></label>
                    <label>"Price change in % (e.g. -15)"<input name="percent" inputmode="decimal" maxlength=8 size=6/></label>
                    <button type="submit" class="button secondary" data-testid="bulk-apply">"Apply"</button>
                </div>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Products">
                    <table class="admin-table" data-testid="product-table">
                        <thead><tr>
                            <th><span class="visually-hidden">"Select"</span></th><th>"Product"</th><th>"Status"</th><th class="num">"Price"</th><th class="num">"Stock"</th>
                            <th>"Category"</th><th>"Brand"</th><th>"Seller"</th><th>"Changed (UTC)"</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| view! {
                                <tr data-product=r.id>
                                    <td><input type="checkbox" name=format!("selected[{}]", r.id) value="on" aria-label=format!("Select {}", r.name) data-testid="select-product"/></td>
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
              </ActionForm>
            }.into_any()
        }}
        <Pagination info=page href=page_href/>
    }
    .into_any()
}
