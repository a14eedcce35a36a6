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
    let text = escape_html(&text);
    view! { <Title text/> }
}

#[cfg(feature = "ssr")]
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(super::escape_html("</title><b>&"), "&lt;/title&gt;&lt;b&gt;&amp;");
    }
}
