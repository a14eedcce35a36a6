//! A page's head: its `<title>` (escaped on the server), meta description,
//! canonical link, what a shared link shows (OpenGraph, Twitter card) and,
//! on catalog pages, its schema.org data.

use crate::domain::catalog::PageMeta;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// Sets the page's `<title>`, meta description, canonical link and sharing
/// tags; with `structured`, writes its schema.org data (JSON-LD) too.
#[component]
pub fn PageHead(meta: PageMeta, #[prop(optional)] structured: bool) -> impl IntoView {
    let card = if meta.image.is_empty() { "summary" } else { "summary_large_image" };
    let image = (!meta.image.is_empty()).then(|| {
        view! {
            <Meta property="og:image" content=meta.image.clone()/>
            <Meta name="twitter:image" content=meta.image/>
        }
    });
    view! {
        <SafeTitle text=meta.title.clone()/>
        <Meta name="description" content=meta.description.clone()/>
        <Link rel="canonical" href=meta.canonical.clone()/>
        <Meta property="og:type" content="website"/>
        <Meta property="og:title" content=meta.title/>
        <Meta property="og:description" content=meta.description/>
        <Meta property="og:url" content=meta.canonical/>
        <Meta name="twitter:card" content=card/>
        {image}
        // Written by the server; the browser's copy of `meta` has none, and
        // hydration keeps the server's text.
        {structured.then(|| view! { <script type="application/ld+json" inner_html=meta.structured></script> })}
    }
}

/// A `<title>` whose text is escaped in the server's HTML. leptos_meta 0.8 writes
/// title text unescaped on the server, so a product named `</title><script>…`
/// would inject markup; the browser side sets `document.title`, which needs the raw text.
#[component]
pub fn SafeTitle(#[prop(into)] text: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let text = crate::domain::rich_text::escape(&text);
    view! { <Title text/> }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(crate::domain::rich_text::escape("</title><b>&"), "&lt;/title&gt;&lt;b&gt;&amp;");
    }
}
