//! The storefront's header (logo, search, categories, cart and account links)
//! and footer.

use super::SearchBox;
use crate::api::account::visitor;
use crate::api::catalog::nav_categories;
use crate::domain::account::{Role, Visitor};
use crate::domain::catalog::same_for_everyone;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The header's personal part (cart items, who is signed in), and again
/// after each navigation and cart change. The server fills it in for the
/// shopper's own pages (cart, checkout, account), so it works without
/// JavaScript there, but never for catalog pages: those look the same to
/// every shopper, so they come from the page cache even for shoppers with a
/// session, and the browser asks for this part once the page has hydrated.
fn visitor_data() -> VisitorData {
    let path = use_location().pathname;
    let changed = use_context::<CartChanged>().map(|c| c.0);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    crate::components::page_data(
        move || (path.get(), changed.map(|c| c.get()), hydrated.get()),
        |(path, _, hydrated)| async move {
            if !hydrated && same_for_everyone(&path) { Ok(Visitor::default()) } else { visitor().await }
        },
    )
}

type VisitorData = Resource<Result<Visitor, AppError>, crate::components::PageJson>;

/// "Sign in", or the signed-in user's account (and the back office for staff).
#[component]
fn AccountLink(visitor: VisitorData) -> impl IntoView {
    let sign_in = || view! { <a class="account-link" href="/account/sign-in" data-testid="account-link">"Sign in"</a> };
    view! {
        <Suspense fallback=sign_in>
            {move || Suspend::new(async move {
                match visitor.await {
                    Ok(Visitor { name: Some(name), role, .. }) => {
                        // Only a convenience: the back office's server functions decide who may do what.
                        let admin = match role {
                            Some(Role::Admin | Role::CatalogManager) => Some(view! { <a class="account-link" href="/admin/products" data-testid="admin-link">"Admin"</a> }.into_any()),
                            Some(Role::Seller | Role::OrderManager) => Some(view! { <a class="account-link" href="/admin/orders" data-testid="admin-link">"Orders to ship"</a> }.into_any()),
                            _ => None,
                        };
                        view! { {admin}<a class="account-link" href="/account" data-testid="account-link">{name}</a> }.into_any()
                    }
                    _ => sign_in().into_any(),
                }
            })}
        </Suspense>
    }
}

/// Bumped by anything that changes the cart, so the header's count follows.
#[derive(Clone, Copy)]
pub struct CartChanged(pub RwSignal<usize>);

/// Marks the cart as changed (a no-op outside the app's context).
pub fn cart_changed() {
    if let Some(CartChanged(version)) = use_context::<CartChanged>() {
        version.update(|v| *v += 1);
    }
}

/// "Cart" with the number of items in it.
#[component]
fn CartLink(visitor: VisitorData) -> impl IntoView {
    view! {
        <a class="cart-link" href="/cart" data-testid="cart-link">
            "Cart"
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let count = visitor.await.map_or(0, |v| v.cart_items);
                    (count > 0).then(|| view! { " " <span class="cart-count" data-testid="cart-count">{count}</span> })
                })}
            </Suspense>
        </a>
    }
}

/// Site header: logo, a menu button for small screens, and the category navigation.
#[component]
pub fn Header() -> impl IntoView {
    let categories = crate::components::page_data(|| (), |_| nav_categories());
    let (menu_open, set_menu_open) = signal(false);
    let visitor = visitor_data();
    view! {
        <header class="site-header">
            <div class="header-bar">
                // The server's HTML, kept as it is when the page hydrates.
                <a class="logo" href="/" inner_html=super::brand::logo_html()></a>
                <button
                    class="menu-toggle"
                    type="button"
                    aria-controls="site-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| set_menu_open.update(|open| *open = !*open)
                    data-testid="menu-toggle"
                >
                    <span aria-hidden="true">"☰"</span>
                    " Categories"
                </button>
                <SearchBox/>
                <CartLink visitor/>
                <AccountLink visitor/>
            </div>
            <nav id="site-nav" class="site-nav" class:open=move || menu_open.get() aria-label="Categories">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        categories
                            .await
                            .map(|cats| {
                                view! {
                                    <ul>
                                        {cats
                                            .into_iter()
                                            .map(|c| view! {
                                                <li><a href=format!("/c/{}", c.slug)>{c.name}</a></li>
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                            })
                            .ok()
                    })}
                </Suspense>
            </nav>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p><span inner_html=super::brand::name_html()></span>" · Prices include VAT where applicable. Runs on Oxcart, an open-source storefront."</p>
        </footer>
    }
}
