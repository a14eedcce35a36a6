use super::SearchBox;
use crate::api::catalog::nav_categories;
use leptos::prelude::*;

/// Site header: logo, a menu button for small screens, and the category navigation.
#[component]
pub fn Header() -> impl IntoView {
    let categories = Resource::new(|| (), |_| nav_categories());
    let (menu_open, set_menu_open) = signal(false);
    view! {
        <header class="site-header">
            <div class="header-bar">
                <a class="logo" href="/" aria-label="Oxcart home">
                    <span aria-hidden="true">"◆"</span>" Oxcart"
                </a>
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
            <p>"Oxcart — an open-source storefront. Prices include VAT where applicable."</p>
        </footer>
    }
}
