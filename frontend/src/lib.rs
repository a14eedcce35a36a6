//! The WebAssembly entry point: hydrates the server-rendered page, once the
//! lazy route's chunk it shows has loaded (see `app/src/routes.rs`). A panic
//! stops at once (`panic=immediate-abort`, `.cargo/config.toml`), so there is
//! no panic hook to install: errors a shopper meets are shown by the pages.
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_lazy(app::App);
}
