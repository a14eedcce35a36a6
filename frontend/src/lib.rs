//! The WebAssembly entry point: hydrates the server-rendered page, once the
//! lazy route's chunk it shows has loaded (see `app/src/routes.rs`).
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
