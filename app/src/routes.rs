//! The route table, and nothing else.

use crate::components::{Footer, Header};
use crate::pages::{CategoryPage, HomePage, NotFound, ProductPage};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The whole storefront. Data-driven pages render with `SsrMode::Async` so their
/// status code (404, 400) and head tags are known before the first byte is sent.
#[component]
pub fn App() -> impl IntoView {
    leptos_meta::provide_meta_context();
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header/>
            <main id="main">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:slug") view=CategoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/p/:slug") view=ProductPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
