//! The shop's name and logo on every page, at almost no cost to the
//! browser's bundle: the server takes them from the request (the server's
//! brand layer puts them there, from the catalog cache) and writes the
//! header's logo link and the footer's name as ready HTML, which hydration
//! leaves as it is (`inner_html` from the server is not rewritten); the
//! browser only reads the name back from the page's `application-name` meta
//! tag, for the titles it sets as the shopper moves around.

use leptos::prelude::*;

/// The brand of the request being rendered.
#[cfg(feature = "ssr")]
fn request_brand() -> crate::domain::shop_details::Brand {
    use crate::domain::shop_details::{Brand, ShopDetails};
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Brand>().cloned())
        .filter(|b| !b.name.is_empty())
        .unwrap_or_else(|| Brand { name: ShopDetails::default().name, ..Brand::default() })
}

/// The shop's name: from the request on the server, from the page's meta tag in the browser.
fn shop_name() -> String {
    #[cfg(feature = "ssr")]
    return request_brand().name;
    #[cfg(not(feature = "ssr"))]
    return document()
        .query_selector("meta[name=application-name]")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_default();
}

/// Page titles end with the shop's name ("Cart | Fern & Co"; an empty
/// title is the name alone). The server writes title text unescaped (see
/// [`super::SafeTitle`]), so there the name is escaped.
pub fn title_formatter() -> impl Fn(String) -> String + Send + Sync + 'static {
    let name = shop_name();
    #[cfg(feature = "ssr")]
    let name = crate::domain::rich_text::escape(&name);
    move |text: String| if text.is_empty() { name.clone() } else { format!("{text} | {name}") }
}

/// The inside of the header's home link, as HTML: the logo, or a diamond
/// and the name (empty in the browser, which keeps the server's).
pub fn logo_html() -> String {
    #[cfg(feature = "ssr")]
    {
        use crate::domain::rich_text::escape;
        let brand = request_brand();
        let name = escape(&brand.name);
        if brand.logo.is_empty() {
            format!(r#"<span aria-hidden="true">◆</span> {name}"#)
        } else {
            format!(
                r#"<img src="{}" alt="{name}" width="{}" height="{}" data-testid="shop-logo">"#,
                escape(&brand.logo),
                brand.logo_width,
                brand.logo_height
            )
        }
    }
    #[cfg(not(feature = "ssr"))]
    String::new()
}

/// The shop's name as HTML for the footer (empty in the browser, which keeps the server's).
pub fn name_html() -> String {
    #[cfg(feature = "ssr")]
    return crate::domain::rich_text::escape(&request_brand().name);
    #[cfg(not(feature = "ssr"))]
    String::new()
}

/// The meta tag the browser reads the name back from (in the shell's head).
#[component]
pub fn BrandMeta() -> impl IntoView {
    view! { <meta name="application-name" content=shop_name()/> }
}
