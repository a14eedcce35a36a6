//! A customer's order history.

use crate::api::orders::my_orders;
use crate::components::ErrorView;
use crate::domain::time::utc;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OrdersPage() -> impl IntoView {
    let orders = Resource::new(|| (), |_| my_orders());
    view! {
        <Title text="Your orders | Oxcart"/>
        <section class="orders">
            <h1>"Your orders"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match orders.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>"No orders yet. " <a href="/">"Start shopping"</a></p> }.into_any(),
                        Ok(list) => view! {
                            <table data-testid="order-history">
                                <thead><tr><th>"Order"</th><th>"Placed (UTC)"</th><th>"Status"</th><th>"Total"</th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|o| view! {
                                        <tr>
                                            <td><a href=format!("/order/{}", o.number)>{o.number.clone()}</a></td>
                                            <td>{utc(o.created_at)}</td>
                                            <td>{o.status.label()}</td>
                                            <td>{o.total.to_string()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
