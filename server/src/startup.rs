//! The HTTP application: the router, its middleware, and the serve loop.

use crate::assets::StaticAssets;
use crate::page_cache::{self, PageCache};
use crate::client_addr::{self, TrustedProxies};
use crate::{api_errors, api_v1, body_limit, brand, carrier, catalog_csv, crawlers, invoice, csrf, funnel, health, live, media, moved, order_desk, security_headers, sessions, payment_routes, pwa, time_limit};
use app::ssr::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::Request;
use axum::http::HeaderName;
use axum::middleware;
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::{Arc, OnceLock};
use tower::ServiceBuilder;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Builds the whole application router for `state`, serving `assets` for any
/// path no route claims; every connection's peer is taken as the client.
pub fn router(state: AppState, assets: Arc<StaticAssets>) -> Router {
    router_behind(state, assets, TrustedProxies::default())
}

/// [`router`] behind reverse proxies: requests from `proxies` are taken to
/// come from the client their forwarding headers name.
pub fn router_behind(state: AppState, assets: Arc<StaticAssets>, proxies: TrustedProxies) -> Router {
    let routes = route_list();
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let render_shell = {
        let assets = state.site_assets.clone();
        move || shell(assets.clone())
    };
    let not_found = leptos_axum::render_app_to_stream_with_context(context.clone(), render_shell.clone());
    let fallback = {
        let state = state.clone();
        move |mut req: Request| {
            let (assets, not_found, state) = (assets.clone(), not_found.clone(), state.clone());
            async move {
                match assets.respond(req.uri().path(), req.headers()) {
                    Some(response) => response,
                    None => {
                        brand::insert(&state, &mut req).await;
                        not_found(req).await
                    }
                }
            }
        }
    };

    let page_cache = Arc::new(PageCache::new(state.cache.ttl, state.search.subscribe()));
    let sessions = sessions::layer(state.db.clone(), &state.public_url);
    let https = state.public_url.starts_with("https://");
    let same_origin = middleware::from_fn_with_state(state.public_url.clone(), csrf::same_origin_only);
    // The test card processor's pages exist only when it is the provider.
    let testpay_routes = match state.testpay {
        Some(_) => Router::new()
            .route("/webhooks/testpay", axum::routing::post(payment_routes::webhook))
            .route("/testpay/confirm/{reference}", get(payment_routes::confirm_page).post(payment_routes::confirm)),
        None => Router::new(),
    };
    let marks = state.funnel.clone();
    let stripe_routes = match state.shop.provider.name() {
        "stripe" => Router::new().route("/webhooks/stripe", axum::routing::post(payment_routes::stripe_webhook)),
        _ => Router::new(),
    };
    let shop = Router::new()
        .leptos_routes_with_context(&state, routes, context, render_shell)
        // Cached like pages, so kept current by the change log.
        .route("/robots.txt", get(crawlers::robots))
        .route("/sitemap.xml", get(crawlers::index))
        .route("/sitemap/listings.xml", get(crawlers::listings))
        .route("/sitemap/products/{file}", get(crawlers::products))
        // Inside the page cache: a cached page has its brand already.
        .route_layer(middleware::from_fn_with_state(state.clone(), brand::attach))
        .route_layer(middleware::from_fn_with_state(page_cache, page_cache::serve))
        .route_layer(middleware::from_fn_with_state(state.db.clone(), moved::redirect_renamed))
        .route("/manifest.webmanifest", get(pwa::manifest))
        .route("/sw.js", get({
            let script: Arc<str> = pwa::worker_script(&state.site_assets).into();
            move || pwa::worker(script.clone())
        }))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/media/{file}", get(media::stored))
        .route("/media/product/{file}", get(media::product))
        .route("/media/category/{file}", get(media::category))
        .merge(testpay_routes)
        .merge(stripe_routes)
        .route("/webhooks/carrier", axum::routing::post(carrier::webhook))
        .route("/order/{number}/events", get(live::order_events))
        .route("/order/{number}/invoice", get(invoice::html))
        .route("/order/{number}/invoice.pdf", get(invoice::pdf))
        .route("/admin/orders.csv", get(order_desk::csv))
        .route("/admin/order-lines.csv", get(order_desk::lines_csv))
        .route("/admin/products.csv", get(catalog_csv::products))
        .route("/admin/packing-slips", get(order_desk::packing_slips))
        .nest("/api/v1", api_v1::router())
        .fallback(fallback)
        .with_state(state);
    Router::new()
        .fallback_service(sessions::when_needed(sessions, shop))
        .layer(middleware::from_fn_with_state(marks, funnel::mark))
        .layer(middleware::from_fn(api_errors::with_status))
        .layer(same_origin)
        .layer(middleware::from_fn(body_limit::limit))
        .layer(middleware::from_fn_with_state(Arc::new(proxies), client_addr::attach))
        .layer(middleware::from_fn_with_state(https, security_headers::add))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(request_span))
                .layer(PropagateRequestIdLayer::new(REQUEST_ID))
                .layer(middleware::from_fn(time_limit::limit))
                // Pages are compressed with gzip only: brotli's per-response set-up
                // cost more than half the page throughput (measured in BENCHMARKS.md).
                // Static assets are served brotli-compressed ahead of time.
                .layer(CompressionLayer::new().no_br().quality(CompressionLevel::Precise(4))),
        )
}

/// The app's routes, generated once per process. Generating them sets a
/// process-wide flag in `leptos_server` that stops every resource from loading,
/// so it must never run while another router in the process renders pages
/// (the API tests run many servers in one process and hung on exactly that).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

fn request_span(req: &Request<Body>) -> tracing::Span {
    let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
    tracing::info_span!("request", id, method = %req.method(), path = req.uri().path())
}

/// Serves `router` on `listener` until SIGINT or SIGTERM, then lets in-flight
/// requests finish.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    // Without TCP_NODELAY a response streamed in several chunks waits ~40 ms for
    // the client's delayed ACK (Nagle's algorithm).
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
    live::close_all();
}
