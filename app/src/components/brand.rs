//! The shop's name and logo on every page. The server takes them from the
//! request (the server's brand layer puts them there, from the catalog
//! cache) and writes them into the page's head as meta tags; the browser
//! reads them back from there when it hydrates, so both render the same
//! header, footer and titles without a request of their own.

use crate::domain::shop_details::{Brand, ShopDetails};
use leptos::prelude::*;

/// The brand of the page being rendered (the server's request, or the page's meta tags).
pub fn page_brand() -> Brand {
    #[cfg(feature = "ssr")]
    let brand = use_context::<axum::http::request::Parts>().and_then(|parts| parts.extensions.get::<Brand>().cloned());
    #[cfg(not(feature = "ssr"))]
    let brand = {
        let meta = |name: &str| {
            document().query_selector(&format!("meta[name={name}]")).ok().flatten().and_then(|e| e.get_attribute("content"))
        };
        meta("application-name").map(|name| Brand::from_meta(name, &meta("shop-logo").unwrap_or_default()))
    };
    brand.filter(|b| !b.name.is_empty()).unwrap_or_else(|| Brand { name: ShopDetails::default().name, ..Brand::default() })
}

/// Makes the page's brand every component's, and returns it.
pub fn provide_brand() -> Brand {
    let brand = page_brand();
    provide_context(brand.clone());
    brand
}

/// The brand [`provide_brand`] made the app's.
pub fn use_brand() -> Brand {
    use_context::<Brand>().unwrap_or_else(page_brand)
}

/// Page titles end with the shop's name ("Cart | Fern & Co"; an empty
/// title is the name alone). The server writes title text unescaped (see
/// [`super::SafeTitle`]), so there the name is escaped.
pub fn title_formatter(name: String) -> impl Fn(String) -> String + Send + Sync + 'static {
    #[cfg(feature = "ssr")]
    let name = crate::domain::rich_text::escape(&name);
    move |text: String| if text.is_empty() { name.clone() } else { format!("{text} | {name}") }
}

/// The meta tags the browser reads the brand back from (in the shell's head).
#[component]
pub fn BrandMeta() -> impl IntoView {
    let brand = page_brand();
    view! {
        <meta name="application-name" content=brand.name.clone()/>
        <meta name="shop-logo" content=brand.logo_meta()/>
    }
}
