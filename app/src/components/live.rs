//! Following server-sent events from the browser: `on_change` runs whenever
//! the stream at `url` sends a `changed` event. The browser's EventSource
//! reconnects by itself after a drop. Nothing happens during server
//! rendering or without JavaScript (the page then updates on reload).

/// Listens to `url` until the calling component is cleaned up.
pub fn on_server_change(url: String, on_change: impl Fn() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::*;
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;

        let Ok(source) = web_sys::EventSource::new(&url) else { return };
        let listener = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_| on_change());
        if source.add_event_listener_with_callback("changed", listener.as_ref().unchecked_ref()).is_err() {
            return;
        }
        let held = StoredValue::new_local(Some((source, listener)));
        on_cleanup(move || {
            if let Some((source, _listener)) = held.try_update_value(Option::take).flatten() {
                source.close();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (url, on_change);
}
