//! The installable app: `/manifest.webmanifest` (the shop's name, icons,
//! standalone display, shortcuts to search and the cart) and `/sw.js`, the
//! service worker (`service_worker.js`) with this build's shell and version
//! written in, so every deploy installs a new worker and the page offers to
//! reload.

use app::ssr::AppState;
use app::SiteAssets;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::hash::{Hash, Hasher};

const WORKER: &str = include_str!("service_worker.js");
/// The shell's files that keep their names from build to build: their content
/// goes into the worker's version, so changing one alone also installs a new
/// worker (the hashed CSS, JS and WASM change their names instead).
const UNHASHED: [&[u8]; 3] = [
    include_bytes!("../../public/pwa.js"),
    include_bytes!("../../public/favicon.svg"),
    include_bytes!("../../public/icons/icon-192.png"),
];
/// The shop's colours (`style/main.css`): the header's green, the page's background.
const THEME: &str = "#1d4f3c";
const BACKGROUND: &str = "#f7f8f6";
/// Launchers show about this many characters under an icon.
const SHORT_NAME: usize = 12;

/// The worker's script for a build whose assets are `assets`: the same on
/// every server running the same build, different after any change.
pub fn worker_script(assets: &SiteAssets) -> String {
    let shell = [
        assets.css.as_str(), assets.js.as_str(), assets.wasm.as_str(), "/pwa.js", "/favicon.svg", "/icons/icon-192.png",
    ];
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (WORKER, &shell, UNHASHED).hash(&mut hasher);
    format!(
        "'use strict';\nconst VERSION = '{:016x}';\nconst SHELL = {};\n{WORKER}",
        hasher.finish(),
        serde_json::to_string(&shell).unwrap_or_else(|_| "[]".into())
    )
}

/// `/sw.js`: never cached by the browser's HTTP cache, so a deploy is seen at
/// the next page load.
pub async fn worker(script: std::sync::Arc<str>) -> Response {
    let mut response = ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], script.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'self'"));
    response
}

/// A launcher's short name: the shop's name, or its first word, cut to fit.
fn short_name(name: &str) -> String {
    if name.chars().count() <= SHORT_NAME {
        return name.to_owned();
    }
    let word = name.split_whitespace().next().unwrap_or(name);
    word.chars().take(SHORT_NAME).collect()
}

/// `/manifest.webmanifest` with the shop's name.
pub async fn manifest(State(state): State<AppState>) -> Response {
    let name = app::ssr::settings::brand::shop_name(&state.cache.brand, &state.db).await;
    let icon = |src: &str, size: &str, purpose: &str| json!({ "src": src, "sizes": size, "type": "image/png", "purpose": purpose });
    let body = json!({
        "id": "/",
        "name": name,
        "short_name": short_name(&name),
        "description": format!("Shop at {name}, also offline."),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "icons": [
            icon("/icons/icon-192.png", "192x192", "any"),
            icon("/icons/icon-512.png", "512x512", "any"),
            icon("/icons/maskable-512.png", "512x512", "maskable"),
        ],
        "shortcuts": [
            { "name": "Search", "short_name": "Search", "url": "/search", "icons": [icon("/icons/icon-192.png", "192x192", "any")] },
            { "name": "Cart", "short_name": "Cart", "url": "/cart", "icons": [icon("/icons/icon-192.png", "192x192", "any")] },
        ],
    });
    ([(header::CONTENT_TYPE, "application/manifest+json")], body.to_string()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_names_its_shell_and_changes_with_the_build() {
        let a = worker_script(&SiteAssets::new("oxcart", "pkg", Some("js: a1\nwasm: b2\ncss: c3\n")));
        let b = worker_script(&SiteAssets::new("oxcart", "pkg", Some("js: a1\nwasm: b3\ncss: c3\n")));
        assert!(a.contains(r#"const SHELL = ["/pkg/oxcart.c3.css","/pkg/oxcart.a1.js","/pkg/oxcart.b2.wasm","/pwa.js""#), "{a}");
        let version = |s: &str| s.lines().find(|l| l.starts_with("const VERSION")).unwrap().to_owned();
        assert_ne!(version(&a), version(&b), "a new build is a new worker");
        assert_eq!(a, worker_script(&SiteAssets::new("oxcart", "pkg", Some("js: a1\nwasm: b2\ncss: c3\n"))), "every server the same");
    }

    #[test]
    fn short_names_fit_a_launcher() {
        assert_eq!(short_name("Oxcart"), "Oxcart");
        assert_eq!(short_name("Fern & Co Garden Supplies"), "Fern");
        assert_eq!(short_name("Supercalifragilistic Shop"), "Supercalifra");
    }
}
