//! The back office's navigation, at the top of every staff page: products,
//! orders and (for admins; the server refuses others) categories, brands,
//! promo codes, shipping, settings and the audit log.

use leptos::prelude::*;

/// Links to the back office's sections; `current` is the one shown.
#[component]
pub fn AdminNav(current: &'static str) -> impl IntoView {
    let link = move |key: &'static str, href: &'static str, label: &'static str| {
        let here = (key == current).then_some("page");
        view! { <a href=href aria-current=here data-testid=format!("admin-nav-{key}")>{label}</a> }
    };
    view! {
        <nav class="admin-nav" aria-label="Back office">
            {link("products", "/admin/products", "Products")}
            {link("stock", "/admin/products?stock=low&sort=stock", "Low stock")}
            {link("categories", "/admin/categories", "Categories")}
            {link("brands", "/admin/brands", "Brands")}
            {link("orders", "/admin/orders", "Orders")}
            {link("promos", "/admin/promos", "Promo codes")}
            {link("shipping", "/admin/shipping", "Shipping")}
            {link("settings", "/admin/settings", "Settings")}
            {link("audit", "/admin/audit", "Audit log")}
        </nav>
    }
}
