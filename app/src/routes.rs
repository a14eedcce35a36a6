//! The route table, and nothing else. The home and product pages, where
//! shoppers land, are eager: their code is in the main WebAssembly module, so
//! they load one file. Every other page is a lazy route: with `cargo leptos
//! build --split` its code is a WebAssembly chunk of its own, fetched when
//! the page is first shown, so a shopper's phone never downloads the staff
//! pages. The account pages are one lazy route, and the back office's pages
//! another: each split point adds chunks for the code it shares with the
//! others, and those small chunks compress worse than the same code in one
//! module (the product page's 41 chunks, 127 kB brotli, added 64 kB to the
//! main module when it became eager; BENCHMARKS.md, "WebAssembly bundle").

use crate::components::{CartChanged, Footer, Header};
use crate::pages::{
    AccountPage, AdminAnalyticsPage, AdminImportPage, AdminBrandPage, AdminBrandsPage, AdminCategoriesPage, AdminCategoryPage, AdminCustomerPage, AdminCustomersPage, AdminPeoplePage, AdminProductPage, AdminProductsPage, AdminPromosPage, AdminReviewsPage, AdminSettingsPage, AdminShippingPage, AuditPage, BrandPage, CartPage, CategoryPage, CheckoutPage, ConfirmPage, EmailChangePage, ForgotPage, HomePage, NotFound,
    OrderPage, OrdersPage, ProductPage, ProductReviewsPage, RegisterPage, ResetPage, SearchPage, SignInPage, StaffOrderPage, StaffOrdersPage,
    SharedWishlistPage, TwoStepPage, UnsubscribePage, WishlistPage, WriteReviewPage,
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
                view! { <$page/> <HydrationMark/> }.into_any()
            }
        }
    )*};
}

lazy! {
    CategoryRoute => CategoryPage,
    BrandRoute => BrandPage,
    SearchRoute => SearchPage,
    ReviewsRoute => ProductReviewsPage,
    CartRoute => CartPage,
    CheckoutRoute => CheckoutPage,
    OrderRoute => OrderPage,
    AccountRoute => AccountPages,
    WishlistRoute => WishlistPages,
    AdminRoute => AdminPages,
}

/// The page a section's lazy route shows, from its `*page` path parameter
/// ("products/12" is `["products", "12"]`; none, or "/", is `[]`). The
/// parameter is the route's own, so it keeps its value while the router
/// leaves for another route.
fn section_page() -> impl Fn() -> Vec<String> + Copy {
    let params = leptos_router::hooks::use_params_map();
    move || params.read().get("page").unwrap_or_default().split('/').filter(|part| !part.is_empty()).map(str::to_owned).collect()
}

/// Every account page, by its path (one lazy route for `/account` and
/// `/account/*page`; the page follows the path, an unknown one is a 404).
#[component]
fn AccountPages() -> impl IntoView {
    let page = section_page();
    move || match page().iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] => view! { <AccountPage/> }.into_any(),
        ["register"] => view! { <RegisterPage/> }.into_any(),
        ["sign-in"] => view! { <SignInPage/> }.into_any(),
        ["confirm"] => view! { <ConfirmPage/> }.into_any(),
        ["forgot"] => view! { <ForgotPage/> }.into_any(),
        ["two-step"] => view! { <TwoStepPage/> }.into_any(),
        ["reset"] => view! { <ResetPage/> }.into_any(),
        ["orders"] => view! { <OrdersPage/> }.into_any(),
        ["email-change"] => view! { <EmailChangePage/> }.into_any(),
        ["reviews", slug] => view! { <WriteReviewPage slug=slug.to_string()/> }.into_any(),
        _ => view! { <NotFound/> }.into_any(),
    }
}

/// The wishlist pages, by their path (one lazy route for `/wishlist` and
/// `/wishlist/*page`).
#[component]
fn WishlistPages() -> impl IntoView {
    let page = section_page();
    move || match page().iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] => view! { <WishlistPage/> }.into_any(),
        ["shared", token] => view! { <SharedWishlistPage token=token.to_string()/> }.into_any(),
        ["unsubscribe"] => view! { <UnsubscribePage/> }.into_any(),
        _ => view! { <NotFound/> }.into_any(),
    }
}

/// Every back-office page, by its path (one lazy route, `/admin/*page`: a
/// chunk only staff fetch). The page follows the path, so following a link
/// from one back-office page to another swaps the page; an unknown path is
/// a 404.
#[component]
fn AdminPages() -> impl IntoView {
    let page = section_page();
    move || match page().iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["audit"] => view! { <AuditPage/> }.into_any(),
        ["analytics"] => view! { <AdminAnalyticsPage/> }.into_any(),
        ["orders"] => view! { <StaffOrdersPage/> }.into_any(),
        ["orders", number] => view! { <StaffOrderPage number=number.to_string()/> }.into_any(),
        ["products"] => view! { <AdminProductsPage/> }.into_any(),
        ["import"] => view! { <AdminImportPage/> }.into_any(),
        ["products", id] => view! { <AdminProductPage id=editor_id(id)/> }.into_any(),
        ["categories"] => view! { <AdminCategoriesPage/> }.into_any(),
        ["categories", id] => view! { <AdminCategoryPage id=editor_id(id)/> }.into_any(),
        ["brands"] => view! { <AdminBrandsPage/> }.into_any(),
        ["brands", id] => view! { <AdminBrandPage id=id.parse().unwrap_or(-1)/> }.into_any(),
        ["promos"] => view! { <AdminPromosPage/> }.into_any(),
        ["reviews"] => view! { <AdminReviewsPage/> }.into_any(),
        ["settings"] => view! { <AdminSettingsPage/> }.into_any(),
        ["people"] => view! { <AdminPeoplePage/> }.into_any(),
        ["customers"] => view! { <AdminCustomersPage/> }.into_any(),
        ["customers", id] => view! { <AdminCustomerPage id=id.to_string()/> }.into_any(),
        ["shipping"] => view! { <AdminShippingPage/> }.into_any(),
        _ => view! { <NotFound/> }.into_any(),
    }
}

/// The record an editor's path names: "new" is 0 (a record to create), a
/// number is that record, anything else -1 (no record: the server says 404).
fn editor_id(raw: &str) -> i64 {
    if raw == "new" { 0 } else { raw.parse().unwrap_or(-1) }
}

/// Marks the page hydrated (`<body data-hydrated="true">`) so tests (and CSS)
/// can tell an interactive page from server-rendered HTML. It stands after
/// the page in each route's view: a lazy route's page hydrates only once its
/// chunk has arrived, well after the shell, and effects run only in the browser.
#[component]
fn HydrationMark() -> impl IntoView {
    Effect::new(|_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// The whole storefront. Data-driven pages render with `SsrMode::Async` so their
/// status code (404, 400) and head tags are known before the first byte is sent.
#[component]
pub fn App() -> impl IntoView {
    leptos_meta::provide_meta_context();
    provide_context(CartChanged(RwSignal::new(0)));
    let formatter = crate::components::title_formatter();
    view! {
        <leptos_meta::Title formatter/>
        <Router>
            <a class="skip-link" href="#main">"Skip to content"</a>
            <Header/>
            <main id="main">
                <Routes fallback=|| view! { <NotFound/> <HydrationMark/> }>
                    <Route path=path!("") view=|| view! { <HomePage/> <HydrationMark/> } ssr=SsrMode::Async/>
                    <Route path=path!("/c/:slug") view={Lazy::<CategoryRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/p/:slug") view=|| view! { <ProductPage/> <HydrationMark/> } ssr=SsrMode::Async/>
                    <Route path=path!("/p/:slug/reviews") view={Lazy::<ReviewsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/b/:slug") view={Lazy::<BrandRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/search") view={Lazy::<SearchRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/cart") view={Lazy::<CartRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/checkout") view={Lazy::<CheckoutRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/order/:number") view={Lazy::<OrderRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account/*page") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/wishlist") view={Lazy::<WishlistRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/wishlist/*page") view={Lazy::<WishlistRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/*page") view={Lazy::<AdminRoute>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}
