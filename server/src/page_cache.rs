//! A full-page cache for shoppers without a session: a rendered catalog page is
//! kept gzip-compressed in memory and served to everyone asking for the same URL
//! until the catalog changes or the page is older than the cache TTL.
//!
//! Staleness: the search index's change feed (every app server polls the
//! database's change log every 250 ms) marks every page stale when the catalog
//! changes; so does age past the TTL, a safety net for changes the log does not
//! carry. A stale page is still served while a single request renders its
//! replacement, so no crowd of requests re-renders the same page at once; past
//! two TTLs it is not served at all. Checkout always reads the database.
//!
//! Catalog pages ([`same_for_everyone`]) are rendered without the visitor's
//! session (the header's cart count and name are a server function the
//! browser calls), so they are served from the cache to shoppers with a
//! session too. Other pages with a `Cookie` header (cart, account, checkout),
//! server function calls (`/api/`, answers per visitor) and anything but
//! `GET` bypass the cache, as do responses that are not `200 OK` or that set
//! a cookie.

use crate::encoding;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
// Tokio's clock: tests pause and advance it instead of sleeping through TTLs.
use tokio::time::Instant;
use tokio::sync::watch;

/// Compressed bytes kept in all; past it, expired and then arbitrary pages go.
const BUDGET_BYTES: usize = 64 << 20;
/// Pages larger than this are served but not cached.
const MAX_PAGE_BYTES: usize = 4 << 20;
/// gzip level for stored pages: each is compressed once, then served many times.
const GZIP_LEVEL: u32 = 6;
/// Response header saying how the cache answered: `hit`, `stale`, `miss` or `bypass`.
pub const X_CACHE: &str = "x-cache";

/// Rendered pages by path and query.
pub struct PageCache {
    ttl: Duration,
    /// The catalog's current generation; pages rendered under an older one are stale.
    catalog: watch::Receiver<u64>,
    state: Mutex<Pages>,
}

#[derive(Default)]
struct Pages {
    by_url: HashMap<String, Arc<Page>>,
    bytes: usize,
}

struct Page {
    stored: Instant,
    /// The catalog generation the page was rendered from.
    generation: u64,
    headers: HeaderMap,
    gzip: Bytes,
    /// Set while one request renders this page's replacement.
    refreshing: AtomicBool,
}

enum Lookup {
    Fresh(Arc<Page>),
    /// Expired but servable; `true` if this request should render the replacement.
    Stale(Arc<Page>, bool),
    Miss,
}

impl PageCache {
    /// A cache keeping pages fresh for `ttl` while `catalog` stays the same;
    /// a zero TTL caches nothing.
    pub fn new(ttl: Duration, catalog: watch::Receiver<u64>) -> Self {
        Self { ttl, catalog, state: Mutex::new(Pages::default()) }
    }

    fn generation(&self) -> u64 {
        *self.catalog.borrow()
    }

    fn lookup(&self, url: &str) -> Lookup {
        let generation = self.generation();
        let pages = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let Some(page) = pages.by_url.get(url) else { return Lookup::Miss };
        let age = page.stored.elapsed();
        if age < self.ttl && page.generation == generation {
            Lookup::Fresh(page.clone())
        } else if age < 2 * self.ttl {
            let claimed = !page.refreshing.swap(true, Ordering::AcqRel);
            Lookup::Stale(page.clone(), claimed)
        } else {
            Lookup::Miss
        }
    }

    fn store(&self, url: String, page: Page) -> Arc<Page> {
        let page = Arc::new(page);
        let mut pages = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let size = page.gzip.len() + url.len();
        if let Some(old) = pages.by_url.insert(url.clone(), page.clone()) {
            pages.bytes -= old.gzip.len() + url.len();
        }
        pages.bytes += size;
        if pages.bytes > BUDGET_BYTES {
            pages.evict(2 * self.ttl);
        }
        page
    }

    fn forget(&self, url: &str) {
        let mut pages = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(old) = pages.by_url.remove(url) {
            pages.bytes -= old.gzip.len() + url.len();
        }
    }
}

impl Pages {
    /// Drops pages older than `max_age`, then arbitrary ones, to 3/4 of the budget.
    fn evict(&mut self, max_age: Duration) {
        let before = self.by_url.len();
        self.by_url.retain(|_, page| page.stored.elapsed() < max_age);
        let mut bytes: usize = self.by_url.iter().map(|(url, p)| p.gzip.len() + url.len()).sum();
        let target = BUDGET_BYTES / 4 * 3;
        if bytes > target {
            self.by_url.retain(|url, page| {
                let keep = bytes <= target;
                if !keep {
                    bytes -= page.gzip.len() + url.len();
                }
                keep
            });
        }
        self.bytes = bytes;
        tracing::debug!(before, after = self.by_url.len(), "page cache evicted");
    }
}

impl Page {
    fn respond(&self, gzip_ok: bool, how: &'static str) -> Response {
        let mut response = if gzip_ok {
            let mut r = Body::from(self.gzip.clone()).into_response();
            r.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            r
        } else {
            match encoding::gunzip(&self.gzip) {
                Ok(plain) => Body::from(plain).into_response(),
                Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
        };
        let headers = response.headers_mut();
        for (name, value) in &self.headers {
            headers.insert(name, value.clone());
        }
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert(X_CACHE, HeaderValue::from_static(how));
        response
    }
}

/// Clears a page's refresh claim however its rendering ends (even if the
/// client goes away mid-render), so another request can take it over.
struct RefreshClaim(Arc<Page>);

impl Drop for RefreshClaim {
    fn drop(&mut self) {
        self.0.refreshing.store(false, Ordering::Release);
    }
}

/// Whether the page at `uri` is the same for every visitor: the catalog
/// (home, categories, brands, products, search). Such pages are rendered and
/// served without loading a session, from the cache when there is one. A
/// draft product's preview (`/p/…?preview`, staff only) is not.
pub fn same_for_everyone(uri: &Uri) -> bool {
    app::domain::catalog::same_for_everyone(uri.path())
        && !uri.query().is_some_and(|q| q.split('&').any(|pair| pair.split('=').next() == Some("preview")))
}

/// Middleware: answers from the cache or renders, stores and answers.
pub async fn serve(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    // Server functions answer per visitor (a fresh form key, a cart), pages do not.
    let cacheable_request = !cache.ttl.is_zero()
        && request.method() == Method::GET
        && (same_for_everyone(request.uri()) || !request.headers().contains_key(header::COOKIE))
        && !request.uri().path().starts_with("/api/")
        // A shared wishlist or an unsubscribe link shows what its token
        // names now: stopping sharing ends the link at once.
        && !request.uri().path().starts_with("/wishlist/");
    if !cacheable_request {
        let mut response = next.run(request).await;
        response.headers_mut().insert(X_CACHE, HeaderValue::from_static("bypass"));
        return response;
    }
    let url = request.uri().path_and_query().map_or("/", |pq| pq.as_str()).to_owned();
    // Taken before rendering: a page rendered across a catalog change is stale at once.
    let generation = cache.generation();
    let gzip_ok = encoding::accepts(request.headers(), "gzip");
    let _claim = match cache.lookup(&url) {
        Lookup::Fresh(page) => return page.respond(gzip_ok, "hit"),
        Lookup::Stale(page, false) => return page.respond(gzip_ok, "stale"),
        Lookup::Stale(page, true) => Some(RefreshClaim(page)),
        Lookup::Miss => None,
    };

    let mut response = next.run(request).await;
    let storable = response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && !response.headers().contains_key(header::CONTENT_ENCODING);
    if !storable {
        cache.forget(&url);
        response.headers_mut().insert(X_CACHE, HeaderValue::from_static("miss"));
        return response;
    }
    let (parts, body) = response.into_parts();
    let html = match to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(%error, url, "page too large or failed while rendering; not cached");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut headers = parts.headers;
    headers.remove(header::CONTENT_LENGTH);
    let page = Page {
        stored: Instant::now(),
        generation,
        headers,
        gzip: encoding::gzip(&html, GZIP_LEVEL).into(),
        refreshing: AtomicBool::new(false),
    };
    cache.store(url, page).respond(gzip_ok, "miss")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Page {
        Page {
            stored: Instant::now(),
            generation: 0,
            headers: HeaderMap::new(),
            gzip: encoding::gzip(text.as_bytes(), 1).into(),
            refreshing: AtomicBool::new(false),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn fresh_then_one_refresher_while_stale_then_gone() {
        let (_catalog, changes) = watch::channel(0);
        let cache = PageCache::new(Duration::from_millis(40), changes);
        assert!(matches!(cache.lookup("/a"), Lookup::Miss));
        cache.store("/a".into(), page("a"));
        assert!(matches!(cache.lookup("/a"), Lookup::Fresh(_)));
        tokio::time::advance(Duration::from_millis(39)).await;
        assert!(matches!(cache.lookup("/a"), Lookup::Fresh(_)), "fresh until the TTL");
        tokio::time::advance(Duration::from_millis(1)).await;
        let claim = match cache.lookup("/a") {
            Lookup::Stale(page, true) => RefreshClaim(page),
            _ => panic!("the first request after expiry refreshes"),
        };
        assert!(matches!(cache.lookup("/a"), Lookup::Stale(_, false)), "others get the stale copy");
        drop(claim);
        assert!(matches!(cache.lookup("/a"), Lookup::Stale(_, true)), "an abandoned refresh is taken over");
        tokio::time::advance(Duration::from_millis(39)).await;
        assert!(matches!(cache.lookup("/a"), Lookup::Stale(..)), "served stale until twice the TTL");
        tokio::time::advance(Duration::from_millis(1)).await;
        assert!(matches!(cache.lookup("/a"), Lookup::Miss), "too old to serve at all");
    }

    #[test]
    fn a_catalog_change_makes_pages_stale_at_once() {
        let (catalog, changes) = watch::channel(0);
        let cache = PageCache::new(Duration::from_secs(60), changes);
        cache.store("/a".into(), page("a"));
        assert!(matches!(cache.lookup("/a"), Lookup::Fresh(_)));
        catalog.send_replace(1);
        assert!(matches!(cache.lookup("/a"), Lookup::Stale(_, true)), "one request re-renders it");
        assert!(matches!(cache.lookup("/a"), Lookup::Stale(_, false)));
    }

    #[test]
    fn catalog_pages_are_the_same_for_everyone() {
        let uri = |text: &str| text.parse::<Uri>().unwrap();
        for path in ["/", "/search?q=mug", "/c/pets?sort=popular", "/p/blue-mug", "/p/blue-mug?previewed=1", "/b/acme"] {
            assert!(same_for_everyone(&uri(path)), "{path}");
        }
        for path in [
            "/cart", "/checkout", "/account", "/account/orders", "/order/A1", "/admin/products", "/api/cart", "/pets", "/searches",
            "/p/draft-mug?preview", "/p/draft-mug?a=1&preview=1",
        ] {
            assert!(!same_for_everyone(&uri(path)), "{path}");
        }
    }

    #[test]
    fn keeps_its_byte_budget() {
        let (_catalog, changes) = watch::channel(0);
        let cache = PageCache::new(Duration::from_secs(60), changes);
        for i in 0..40_000 {
            let mut p = page("");
            p.gzip = Bytes::from(vec![b'x'; 2000]);
            cache.store(format!("/p/{i}"), p);
        }
        let pages = cache.state.lock().unwrap();
        let counted: usize = pages.by_url.iter().map(|(u, p)| p.gzip.len() + u.len()).sum();
        assert_eq!(pages.bytes, counted);
        assert!(pages.bytes <= BUDGET_BYTES, "{} bytes kept", pages.bytes);
        assert!(pages.by_url.len() > 20_000, "eviction keeps most of the budget in use");
    }
}
