//! Oxcart's storefront: pages, components and server functions, compiled twice —
//! with `ssr` into the server and with `hydrate` into the WebAssembly client.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod error;
pub mod pages;
mod routes;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::MetaTags;

pub use routes::App;

/// Where the built stylesheet and client bundle are served, worked out once at
/// start-up (Leptos' own `HashedStylesheet` and `HydrationScripts` read
/// cargo-leptos' `hash.txt` from disk on every request).
#[derive(Clone, Debug, PartialEq)]
pub struct SiteAssets {
    pub css: String,
    pub js: String,
    pub wasm: String,
}

impl SiteAssets {
    /// The URLs under `/{pkg_dir}/` for `output_name`, with the content hashes
    /// from a cargo-leptos `hash.txt` (`js: …`, `wasm: …`, `css: …` lines) if any.
    pub fn new(output_name: &str, pkg_dir: &str, hashes: Option<&str>) -> Self {
        let url = |kind: &str| {
            let hash = hashes
                .into_iter()
                .flat_map(str::lines)
                .filter_map(|line| line.split_once(':'))
                .find(|(k, _)| k.trim() == kind)
                .map(|(_, h)| format!(".{}", h.trim()))
                .unwrap_or_default();
            format!("/{pkg_dir}/{output_name}{hash}.{kind}")
        };
        Self { css: url("css"), js: url("js"), wasm: url("wasm") }
    }

    /// The module script that loads the bundle and hydrates the page.
    fn bootstrap(&self) -> String {
        format!(
            "import init, {{ hydrate }} from '{}'; init({{ module_or_path: '{}' }}).then(hydrate);",
            self.js, self.wasm
        )
    }
}

/// The Content-Security-Policy of a page whose inline scripts carry `nonce`
/// (Leptos adds this request's nonce to every script it writes): scripts and
/// WebAssembly only from the shop itself, nothing may frame the page. Style
/// attributes stay allowed (the rating stars' width); style sheets are the
/// shop's own.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Puts the page's Content-Security-Policy, with this request's nonce, on the response.
fn send_page_policy() {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    {
        if let Ok(value) = axum::http::HeaderValue::from_str(&page_policy(&nonce)) {
            response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// The HTML document around the app, rendered on the server only.
pub fn shell(assets: SiteAssets) -> impl IntoView {
    let bootstrap = assets.bootstrap();
    send_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1d4f3c"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png"/>
                <link rel="stylesheet" id="leptos" href=assets.css/>
                <link rel="modulepreload" href=assets.js/>
                <link rel="preload" href=assets.wasm r#as="fetch" r#type="application/wasm" crossorigin=""/>
                <script type="module" nonce=leptos::nonce::use_nonce() inner_html=bootstrap></script>
                // The installable app: service worker, install prompt, offline cart (plain JS, not in the bundle).
                <script src="/pwa.js" defer></script>
                <components::BrandMeta/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[cfg(test)]
mod tests {
    use super::SiteAssets;

    #[test]
    fn asset_urls_carry_the_hashes_of_hash_txt() {
        let hashed = SiteAssets::new("oxcart", "pkg", Some("js: a1\nwasm: b2\ncss: c3\n"));
        assert_eq!(hashed.css, "/pkg/oxcart.c3.css");
        assert_eq!(hashed.js, "/pkg/oxcart.a1.js");
        assert_eq!(hashed.wasm, "/pkg/oxcart.b2.wasm");
        assert!(hashed.bootstrap().contains("from '/pkg/oxcart.a1.js'"));
        let plain = SiteAssets::new("oxcart", "pkg", None);
        assert_eq!(plain.js, "/pkg/oxcart.js");
    }
}
