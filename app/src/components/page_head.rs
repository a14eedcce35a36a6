//! A page's head: its `<title>` (escaped on the server), meta description
//! and canonical link.

use crate::domain::catalog::PageMeta;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// Sets the page's `<title>`, meta description and canonical link.
#[component]
pub fn PageHead(meta: PageMeta) -> impl IntoView {
    view! {
        <SafeTitle text=meta.title/>
        <Meta name="description" content=meta.description/>
        <Link rel="canonical" href=meta.canonical/>
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
