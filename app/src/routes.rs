//! The route table, and nothing else. Every page but the home page is a lazy
//! route: with `cargo leptos build --split` its code is a WebAssembly chunk of
//! its own, fetched when the page is first shown, so a shopper's phone never
//! downloads the staff pages, and a product page only the product page's code.

use crate::components::{CartChanged, Footer, Header};
use crate::pages::{
    AccountPage, AdminProductPage, AdminProductsPage, AuditPage, CartPage, CategoryPage, CheckoutPage, ConfirmPage, EmailChangePage, ForgotPage, HomePage, NotFound,
    OrderPage, OrdersPage, ProductPage, RegisterPage, ResetPage, SearchPage, SignInPage, StaffOrderPage, StaffOrdersPage,
    TwoStepPage,
};
use leptos::prelude::*;
use leptos_router::{
    components::{Route, Router, Routes},
    lazy_route, path, Lazy, LazyRoute, SsrMode,
};

/// `lazy!(Route, Page)`: a [`LazyRoute`] named `Route` that shows `Page`.
macro_rules! lazy {
    ($($route:ident => $page:ident),* $(,)?) => {$(
        #[doc = concat!("The lazy route of [`", stringify!($page), "`].")]
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    )*};
}

lazy! {
    CategoryRoute => CategoryPage,
    ProductRoute => ProductPage,
    SearchRoute => SearchPage,
    CartRoute => CartPage,
    CheckoutRoute => CheckoutPage,
    OrderRoute => OrderPage,
    AccountRoute => AccountPage,
    RegisterRoute => RegisterPage,
    SignInRoute => SignInPage,
    ConfirmRoute => ConfirmPage,
    ForgotRoute => ForgotPage,
    TwoStepRoute => TwoStepPage,
    ResetRoute => ResetPage,
    OrdersRoute => OrdersPage,
    EmailChangeRoute => EmailChangePage,
    AuditRoute => AuditPage,
    AdminProductsRoute => AdminProductsPage,
    AdminProductRoute => AdminProductPage,
    StaffOrdersRoute => StaffOrdersPage,
    StaffOrderRoute => StaffOrderPage,
}

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
                    <Route path=path!("/c/:slug") view={Lazy::<CategoryRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/p/:slug") view={Lazy::<ProductRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/search") view={Lazy::<SearchRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/cart") view={Lazy::<CartRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/checkout") view={Lazy::<CheckoutRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/order/:number") view={Lazy::<OrderRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account/register") view={Lazy::<RegisterRoute>::new()}/>
                    <Route path=path!("/account/sign-in") view={Lazy::<SignInRoute>::new()}/>
                    <Route path=path!("/account/confirm") view={Lazy::<ConfirmRoute>::new()}/>
                    <Route path=path!("/account/forgot") view={Lazy::<ForgotRoute>::new()}/>
                    <Route path=path!("/account/two-step") view={Lazy::<TwoStepRoute>::new()}/>
                    <Route path=path!("/account/reset") view={Lazy::<ResetRoute>::new()}/>
                    <Route path=path!("/account/orders") view={Lazy::<OrdersRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account/email-change") view={Lazy::<EmailChangeRoute>::new()}/>
                    <Route path=path!("/admin/audit") view={Lazy::<AuditRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/products") view={Lazy::<AdminProductsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/products/:id") view={Lazy::<AdminProductRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/orders") view={Lazy::<StaffOrdersRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/orders/:number") view={Lazy::<StaffOrderRoute>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
