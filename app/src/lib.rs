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

/// The HTML document around the app, rendered on the server only.
pub fn shell(assets: SiteAssets) -> impl IntoView {
    let bootstrap = assets.bootstrap();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1d4f3c"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" id="leptos" href=assets.css/>
                <link rel="modulepreload" href=assets.js/>
                <link rel="preload" href=assets.wasm r#as="fetch" r#type="application/wasm" crossorigin=""/>
                <script type="module" inner_html=bootstrap></script>
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
