//! The route table, and nothing else.

use crate::components::{CartChanged, Footer, Header};
use crate::pages::{
    AccountPage, AuditPage, CategoryPage, ConfirmPage, EmailChangePage, ForgotPage, HomePage, NotFound, ProductPage, RegisterPage,
    ResetPage, SearchPage, SignInPage, TwoStepPage, CartPage, CheckoutPage, OrderPage, OrdersPage, StaffOrderPage, StaffOrdersPage,
};
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
    provide_context(CartChanged(RwSignal::new(0)));
    // Effects run only in the browser, once the page is interactive: mark it so
    // tests (and CSS) can tell a hydrated page from server-rendered HTML.
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header/>
            <main id="main">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/c/:slug") view=CategoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/p/:slug") view=ProductPage ssr=SsrMode::Async/>
                    <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/cart") view=CartPage ssr=SsrMode::Async/>
                    <Route path=path!("/checkout") view=CheckoutPage ssr=SsrMode::Async/>
                    <Route path=path!("/order/:number") view=OrderPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/register") view=RegisterPage/>
                    <Route path=path!("/account/sign-in") view=SignInPage/>
                    <Route path=path!("/account/confirm") view=ConfirmPage/>
                    <Route path=path!("/account/forgot") view=ForgotPage/>
                    <Route path=path!("/account/two-step") view=TwoStepPage/>
                    <Route path=path!("/account/reset") view=ResetPage/>
                    <Route path=path!("/account/orders") view=OrdersPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/email-change") view=EmailChangePage/>
                    <Route path=path!("/admin/audit") view=AuditPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/orders") view=StaffOrdersPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/orders/:number") view=StaffOrderPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
