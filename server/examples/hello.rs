//! The benchmark baseline: a bare axum handler on the same runtime and
//! versions as the shop. `cargo run --release --example hello -- 127.0.0.1:3301`

use axum::{routing::get, Router};

#[tokio::main]
async fn main() {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:3301".into());
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    let app = Router::new().route("/", get(|| async { "Hello, world!" }));
    axum::serve(listener, app).await.expect("serve");
}
