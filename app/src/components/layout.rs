use super::SearchBox;
use crate::api::account::current_user;
use crate::api::cart::cart;
use crate::api::catalog::nav_categories;
use crate::domain::account::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// "Sign in", or the signed-in user's account; asked again after each
/// navigation, so signing in or out shows at once.
#[component]
fn AccountLink() -> impl IntoView {
    let path = use_location().pathname;
    let user = crate::components::page_data(move || path.get(), |_| current_user());
    view! {
        <Suspense fallback=|| view! { <a class="account-link" href="/account/sign-in">"Sign in"</a> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => {
                        // Only a convenience: the audit log's server function decides who reads it.
                        let admin = match user.role {
                            Role::Admin | Role::CatalogManager => Some(view! { <a class="account-link" href="/admin/products" data-testid="admin-link">"Admin"</a> }.into_any()),
                            Role::Seller | Role::OrderManager => Some(view! { <a class="account-link" href="/admin/orders" data-testid="admin-link">"Orders to ship"</a> }.into_any()),
                            Role::Customer => None,
                        };
                        let label = if user.display_name.is_empty() { user.email } else { user.display_name };
                        view! { {admin}<a class="account-link" href="/account" data-testid="account-link">{label}</a> }
                            .into_any()
                    }
                    _ => view! { <a class="account-link" href="/account/sign-in" data-testid="account-link">"Sign in"</a> }
                        .into_any(),
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
fn CartLink() -> impl IntoView {
    let path = use_location().pathname;
    let changed = use_context::<CartChanged>().map(|c| c.0);
    let cart = crate::components::page_data(move || (path.get(), changed.map(|c| c.get())), |_| cart());
    view! {
        <a class="cart-link" href="/cart" data-testid="cart-link">
            "Cart"
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let count = cart.await.map(|c| c.count()).unwrap_or(0);
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
                <CartLink/>
                <AccountLink/>
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
