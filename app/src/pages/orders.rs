//! A customer's order history, filtered by where the orders are.

use crate::api::orders::my_orders;
use crate::components::ErrorView;
use crate::domain::orders::OrderSummary;
use crate::domain::time::utc;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// History filters: (query value, label).
const FILTERS: [(&str, &str); 5] =
    [("", "All"), ("open", "On the way"), ("delivered", "Delivered"), ("returns", "Returns and refunds"), ("cancelled", "Cancelled")];

/// Links to `path?filter=…` with the current one marked; `label` names them
/// for screen readers ("Filter orders").
pub fn filter_links(
    label: &'static str,
    path: &'static str,
    param: &'static str,
    filters: &'static [(&'static str, &'static str)],
    current: &str,
) -> impl IntoView {
    let current = current.to_owned();
    view! {
        <nav class="filters" aria-label=label>
            {filters.iter().map(|(value, label)| {
                let href = if value.is_empty() { path.to_owned() } else { format!("{path}?{param}={value}") };
                let here = current == *value;
                view! { <a href=href aria-current=here.then_some("page")>{*label}</a> " " }
            }).collect_view()}
        </nav>
    }
}

/// Orders as a table linking to each order's page under `link_base`.
pub fn order_table(list: Vec<OrderSummary>, link_base: &'static str) -> impl IntoView {
    if list.is_empty() {
        return view! { <p>"No orders here."</p> }.into_any();
    }
    view! {
        <table data-testid="order-history">
            <thead><tr><th>"Order"</th><th>"Placed (UTC)"</th><th>"Status"</th><th>"Total"</th></tr></thead>
            <tbody>
                {list.into_iter().map(|o| view! {
                    <tr>
                        <td><a href=format!("{link_base}{}", o.number)>{o.number.clone()}</a></td>
                        <td>{utc(o.created_at)}</td>
                        <td>{o.status.label()}</td>
                        <td>{o.total.to_string()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn OrdersPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || query.read().get("filter").unwrap_or_default();
    let orders = crate::components::page_data(filter, my_orders);
    view! {
        <Title text="Your orders"/>
        <section class="orders">
            <h1>"Your orders"</h1>
            {move || filter_links("Filter orders", "/account/orders", "filter", &FILTERS, &filter())}
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match orders.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(list) => order_table(list, "/order/").into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
