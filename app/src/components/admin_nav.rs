//! The back office's navigation, at the top of every staff page: the
//! sections the signed-in role works in (admins all of them: the dashboard, products,
//! stock, categories, brands, orders, customers, promo codes, shipping, settings, people
//! and the audit log). Only a convenience: the server refuses the rest.

use crate::api::account::current_user;
use crate::domain::account::Role;
use leptos::prelude::*;

/// (key, address, label) of every section.
const SECTIONS: [(&str, &str, &str); 13] = [
    ("analytics", "/admin/analytics", "Dashboard"),
    ("products", "/admin/products", "Products"),
    ("stock", "/admin/products?stock=low&sort=stock", "Low stock"),
    ("categories", "/admin/categories", "Categories"),
    ("brands", "/admin/brands", "Brands"),
    ("reviews", "/admin/reviews", "Reviews"),
    ("orders", "/admin/orders", "Orders"),
    ("customers", "/admin/customers", "Customers"),
    ("promos", "/admin/promos", "Promo codes"),
    ("shipping", "/admin/shipping", "Shipping"),
    ("settings", "/admin/settings", "Settings"),
    ("people", "/admin/people", "People"),
    ("audit", "/admin/audit", "Audit log"),
];

/// Whether `role` works in section `key`.
fn works_in(role: Role, key: &str) -> bool {
    match role {
        Role::Admin => true,
        Role::CatalogManager => matches!(key, "products" | "stock" | "categories" | "brands" | "reviews"),
        Role::OrderManager => matches!(key, "orders" | "customers"),
        Role::Seller => matches!(key, "products" | "stock" | "orders"),
        Role::Customer => false,
    }
}

/// Links to the back office's sections; `current` is the one shown.
#[component]
pub fn AdminNav(current: &'static str) -> impl IntoView {
    let user = crate::components::page_data(|| (), |_| current_user());
    view! {
        <nav class="admin-nav" aria-label="Back office">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let role = user.await.ok().flatten().map(|u| u.role);
                    SECTIONS
                        .iter()
                        .filter(|(key, _, _)| role.is_some_and(|r| works_in(r, key)))
                        .map(|(key, href, label)| {
                            let here = (*key == current).then_some("page");
                            view! { <a href=*href aria-current=here data-testid=format!("admin-nav-{key}")>{*label}</a> }
                        })
                        .collect_view()
                })}
            </Suspense>
        </nav>
    }
}
