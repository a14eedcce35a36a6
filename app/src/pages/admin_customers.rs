//! The back office's customers (admins and order managers): the list
//! searched by email or name, and one customer's page with their orders,
//! addresses, cart and consents; admins disable or enable the account, download its
//! data and anonymise it on request (behind a typed confirmation). Plain
//! forms and links, so it works without JavaScript.

use crate::api::customers::{admin_customer, admin_customers, AnonymiseCustomer, DisableCustomer};
use crate::components::{bump_on_success, form_error, AdminNav, ErrorView};
use crate::domain::customers::CustomerView;
use crate::domain::time::utc;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminCustomersPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let list = crate::components::page_data(move || (param("q"), param("page")), |(q, page)| admin_customers(q, page));
    view! {
        <Title text="Customers · Admin"/>
        <AdminNav current="customers"/>
        <section class="admin-customers">
            <h1>"Customers"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(list) => {
                            let q = param("q");
                            let pager = (list.page.total_pages > 1).then(|| {
                                let href = |to: u32| format!("/admin/customers?q={}&page={to}", crate::domain::search::url_encode(&q));
                                view! {
                                    <nav class="pager" aria-label="Pages of customers">
                                        {(list.page.page > 1).then(|| view! { <a href=href(list.page.page - 1) rel="prev">"← Newer"</a> })}
                                        " " {format!("Page {} of {}", list.page.page, list.page.total_pages)} " "
                                        {(list.page.page < list.page.total_pages).then(|| view! { <a href=href(list.page.page + 1) rel="next">"Older →"</a> })}
                                    </nav>
                                }
                            });
                            view! {
                                <form method="get" action="/admin/customers" class="inline-form" role="search">
                                    <label for="customer-search">"Find a customer (email or name)"</label>
                                    <input id="customer-search" name="q" type="search" value=q.clone() maxlength=100 data-testid="customer-search"/>
                                    <button type="submit" class="button secondary">"Search"</button>
                                </form>
                                <p data-testid="customer-count">{format!("{} customer(s)", list.page.total_items)}</p>
                                <div class="table-scroll" tabindex="0" role="region" aria-label="Customers">
                                    <table data-testid="customers">
                                        <thead><tr><th>"Email"</th><th>"Name"</th><th>"Since (UTC)"</th><th>"Orders"</th><th>"Account"</th></tr></thead>
                                        <tbody>
                                            {list.rows.into_iter().map(|c| view! {
                                                <tr>
                                                    <td><a href=format!("/admin/customers/{}", c.id)>{c.email}</a></td>
                                                    <td>{c.name}</td>
                                                    <td>{utc(c.created_at)}</td>
                                                    <td>{c.orders}</td>
                                                    <td>{if c.disabled { "Disabled" } else { "Active" }}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                {pager}
                            }
                            .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The customer whose number is `id`, as their path gives it.
#[component]
pub fn AdminCustomerPage(id: String) -> impl IntoView {
    let disable = ServerAction::<DisableCustomer>::new();
    let anonymise = ServerAction::<AnonymiseCustomer>::new();
    let done = RwSignal::new(0);
    bump_on_success(done, disable);
    let customer = crate::components::page_data(
        move || (id.clone(), done.get()),
        |(id, _)| admin_customer(id),
    );
    view! {
        <Title text="Customer · Admin"/>
        <AdminNav current="customers"/>
        <section class="admin-customer">
            <p><a href="/admin/customers">"← All customers"</a></p>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match customer.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(c) => customer_view(c, disable, anonymise).into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn customer_view(c: CustomerView, disable: ServerAction<DisableCustomer>, anonymise: ServerAction<AnonymiseCustomer>) -> impl IntoView {
    let id = c.id.to_string();
    let (id_disable, id_anonymise) = (id.clone(), id.clone());
    let export = format!("/api/admin/customers/export?id={id}");
    let (disable_value, disable_label) = if c.disabled { ("", "Enable the account") } else { ("on", "Disable the account") };
    let actions = c.admin.then(move || view! {
        <h2>"On the customer's request"</h2>
        <p><a href=export class="button secondary" download data-testid="export-customer">"Download their data (JSON)"</a></p>
        <ActionForm action=disable attr:class="staff-form" attr:data-testid="disable-customer-form">
            <input type="hidden" name="id" value=id_disable/>
            <input type="hidden" name="disabled" value=disable_value/>
            {form_error(move || disable.value().get().and_then(Result::err))}
            <label><input type="checkbox" required/>" Sure"</label>
            <button type="submit" class="button secondary" data-testid="toggle-customer">{disable_label}</button>
        </ActionForm>
        <ActionForm action=anonymise attr:class="staff-form danger" attr:data-testid="anonymise-form">
            <input type="hidden" name="id" value=id_anonymise/>
            <p class="hint">"The account, its addresses and cart are deleted; its orders stay for the accounts without name, address, email or phone. Open orders must be finished first. This cannot be undone."</p>
            <label for="anonymise-confirm">"Type the customer's email to confirm"</label>
            <input id="anonymise-confirm" name="confirm" required autocomplete="off"/>
            {form_error(move || anonymise.value().get().and_then(Result::err))}
            <button type="submit" class="button danger" data-testid="anonymise">"Anonymise"</button>
        </ActionForm>
    });
    view! {
        <h1 data-testid="customer-email">{c.email.clone()}</h1>
        <p>
            {if c.name.is_empty() { "(no name)".to_owned() } else { c.name.clone() }}
            " · customer since " {utc(c.created_at)} " UTC · "
            {if c.verified { "email confirmed" } else { "email not confirmed" }} " · "
            {if c.two_step { "two-step sign-in on" } else { "password only" }} " · "
            <strong data-testid="customer-state">{if c.disabled { "Disabled" } else { "Active" }}</strong>
        </p>
        <h2>"Orders"</h2>
        {if c.orders.is_empty() {
            view! { <p>"No orders."</p> }.into_any()
        } else {
            view! {
                <ul data-testid="customer-orders">
                    {c.orders.into_iter().map(|o| view! {
                        <li><a href=format!("/admin/orders/{}", o.number)>{o.number.clone()}</a>
                            {format!(" · {} UTC · {} · {}", utc(o.created_at), o.status.label(), o.total)}</li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>"Addresses"</h2>
        <ul data-testid="customer-addresses">
            {c.addresses.into_iter().map(|a| view! {
                <li>{format!("{}, {}, {} {}, {}", a.full_name, a.line1, a.postal_code, a.city, a.country)}</li>
            }).collect_view()}
        </ul>
        <h2>"Cart and saved items"</h2>
        <ul data-testid="customer-cart">
            {c.cart.into_iter().map(|l| view! {
                <li>{format!("{} × {} ({}){}", l.quantity, l.name, l.sku, if l.list == "saved" { " · saved for later" } else { "" })}</li>
            }).collect_view()}
        </ul>
        <h2>"Consents"</h2>
        {if c.consents.is_empty() {
            view! { <p data-testid="customer-consents">"Never asked: no news or offers by email."</p> }.into_any()
        } else {
            view! {
                <ul data-testid="customer-consents">
                    {c.consents.into_iter().map(|consent| view! { <li>{consent.text()}</li> }).collect_view()}
                </ul>
            }.into_any()
        }}
        {actions}
    }
}
