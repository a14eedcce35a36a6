//! What the suites share: a server on a fresh database (`spawn_app`), a
//! browser with cookies and CSRF header (`Browser`), accounts signed up and
//! made staff, mail read back, (in `shop`) the shop's checkout helpers,
//! (in `s3`) a real S3 server for the media store, and (in `stripe`) a local
//! stand-in for Stripe's API.

pub mod s3;
pub mod stripe;
mod shop;
pub use shop::{
    admin, audit_details, eventually, key, location, only_variant, order_of, order_status, paid_order, paid_order_of, pay, payment_reference, place, product_version,
    product_with_stock, ship_and_deliver, staff, stock, unpaid_order, variant_version, VISA,
};

use app::ssr::Db;
use oxcart::assets::StaticAssets;
use oxcart::config::Config;
use std::sync::Arc;

/// Products in every test catalog.
pub const PRODUCTS: u64 = 300;
/// What the test carrier signs tracking webhooks with.
pub const CARRIER_SECRET: &str = "carrier-test-secret";

/// A running server on a random port with a fresh, seeded database.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: Db,
    /// Where `db` is, for a second server on the same database.
    pub database_url: String,
    /// The server's shop-wide context (database, card processor, limits), for
    /// tests that run a use case or a background chore directly.
    pub shop: app::ssr::Shop,
    /// The server's built-in test card processor (unless a test chose none).
    testpay: Option<Arc<app::ssr::payments::test_processor::TestProvider>>,
    /// The server's order placer (group commit), for tests of how it groups orders.
    pub order_placer: app::ssr::orders::group_commit::OrderPlacer,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// The server's built-in test card processor, to look at what it did.
    pub fn testpay(&self) -> &app::ssr::payments::test_processor::TestProvider {
        self.testpay.as_deref().expect("this server pays with the test card processor")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).send().await.expect("request failed")
    }

    /// GET `path`, returning the status and the body text.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        (status, r.text().await.expect("body"))
    }

    /// The files in the server's media store, sorted.
    pub fn media_files(&self) -> Vec<String> {
        let mut files: Vec<String> = std::fs::read_dir(self.media_dir())
            .map(|dir| dir.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect())
            .unwrap_or_default();
        files.sort();
        files
    }

    /// The server's media directory (its store when no S3 bucket is set).
    pub fn media_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("media")
    }

    /// A product slug and name, the most popular first.
    pub async fn products(&self, limit: i64) -> Vec<(String, String)> {
        sqlx::query_as("SELECT slug, name FROM products ORDER BY popularity DESC, id LIMIT $1")
            .bind(limit)
            .fetch_all(&self.db.pool)
            .await
            .unwrap()
    }
}

/// A database URL for a fresh, empty database on the engine under test:
/// PostgreSQL when `TEST_POSTGRES_URL` names a server, else SQLite. A run
/// meant for PostgreSQL (`OXCART_TEST_ENGINE=postgres`, set by
/// `scripts/with-postgres.sh`) fails rather than quietly testing SQLite.
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    let postgres = std::env::var("TEST_POSTGRES_URL").unwrap_or_default();
    if std::env::var("OXCART_TEST_ENGINE").as_deref() == Ok("postgres") && postgres.is_empty() {
        panic!("OXCART_TEST_ENGINE=postgres but TEST_POSTGRES_URL is empty: this run would not test PostgreSQL");
    }
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!("oxcart_test_{}", uuid_like());
            let admin_db = oxcart::db::connect(&admin, 2).await.expect("admin connection");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&admin_db.pool).await.unwrap();
            admin_db.pool.close().await;
            let (base, _) = admin.rsplit_once('/').expect("postgres URL with a database name");
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}?mode=rwc", dir.join("test.db").display()),
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("{}_{}_{}", std::process::id(), nanos % 1_000_000_000, N.fetch_add(1, Ordering::Relaxed))
}

/// A test configuration with its data in `dir`.
pub fn test_config(dir: &std::path::Path, database_url: &str) -> Config {
    let mut config = Config::load(std::path::Path::new("/nonexistent"), false, |_| None).unwrap();
    config.addr = "127.0.0.1:0".parse().unwrap();
    config.public_url = "https://shop.test".into();
    config.site_root = dir.join("site");
    config.data_dir = dir.to_path_buf();
    config.database_url = database_url.to_owned();
    config.cache_ms = 0; // tests change rows and expect to see the change
    config.carrier_secret = CARRIER_SECRET.into();
    config.allow_test_payments = true; // the test card processor, in a production-like start
    // Tests run the chores themselves when they test them: a background round
    // would race the counts they check.
    config.chores_secs = 0;
    // Refunds of any size without the password again, except in the test of that rule.
    config.refund_confirm_above = i64::MAX;
    // Every test client is 127.0.0.1: order and payment limits only in their own tests.
    (config.order_rate, config.payment_rate) = (0, 0);
    config
}

/// A photograph-like JPEG `width` × `height`, different for each `seed`.
pub fn jpeg(width: u32, height: u32, seed: u8) -> Vec<u8> {
    use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
    let picture = RgbImage::from_fn(width, height, |x, y| Rgb([(x * 7 % 256) as u8 ^ seed, (y * 13 % 256) as u8, ((x ^ y) % 256) as u8]));
    let mut out = std::io::Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(picture).write_to(&mut out, ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// A server without the catalog cache, so tests see their writes at once.
pub async fn spawn_app() -> TestApp {
    spawn_app_with_cache(0).await
}

/// A server whose catalog cache keeps data for `cache_ms`.
pub async fn spawn_app_with_cache(cache_ms: u64) -> TestApp {
    spawn_app_with(|config| config.cache_ms = cache_ms).await
}

/// A server whose test configuration `tweak` changes first.
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
    oxcart::telemetry::init();
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database_url(dir.path()).await;
    let mut config = test_config(dir.path(), &database_url);
    tweak(&mut config);
    let db = oxcart::db::connect(&database_url, 4).await.expect("connect");
    oxcart::db::migrate(&db).await.expect("migrate");
    oxcart::seed::seed(&db, PRODUCTS, 7, false, false).await.expect("seed");

    let state = oxcart::start(&config, db.clone()).await.expect("start");
    let (shop, order_placer) = (state.shop.clone(), state.order_placer.clone());
    let testpay = state.testpay.clone();
    let proxies = oxcart::client_addr::TrustedProxies::parse(&config.trusted_proxies).unwrap();
    let router = oxcart::startup::router_behind(state, Arc::new(StaticAssets::default()), proxies);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(oxcart::startup::serve(listener, router));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp { base, client, db, database_url, shop, testpay, order_placer, _dir: dir }
}

/// A second app server on `app`'s database (its own data directory and
/// search index, as on another machine), configured by `tweak`; its base URL.
pub async fn spawn_server_beside(app: &TestApp, tweak: impl FnOnce(&mut Config)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path(), &app.database_url);
    tweak(&mut config);
    let db = oxcart::db::connect(&app.database_url, 4).await.expect("connect");
    let state = oxcart::start(&config, db).await.expect("start");
    let router = oxcart::startup::router(state, Arc::new(StaticAssets::default()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _dir = dir; // kept while the server runs
        oxcart::startup::serve(listener, router).await
    });
    base
}

/// The `href` of the page's `<link rel="canonical">`, whatever the attribute order.
pub fn canonical(html: &str) -> String {
    let tag = html
        .split("<link ")
        .skip(1)
        .map(|t| t.split('>').next().unwrap_or(""))
        .find(|t| t.contains(r#"rel="canonical""#))
        .expect("a canonical link");
    let from = tag.find(r#"href=""#).expect("an href") + 6;
    tag[from..].split('"').next().unwrap_or("").replace("&amp;", "&")
}

/// Total results a listing page reports ("Showing 1–24 of N").
pub fn total(html: &str) -> u64 {
    if html.contains("No products found") {
        return 0;
    }
    let tail = html.split(" of ").nth(1).expect("a result count");
    tail.chars().take_while(char::is_ascii_digit).collect::<String>().parse().expect("a number")
}

/// Product links (`/p/slug`) in page order, without duplicates.
pub fn product_links(html: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in html.split("href=\"/p/").skip(1) {
        let slug = part.split('"').next().unwrap_or("").to_owned();
        if out.last() != Some(&slug) && !out.contains(&slug) {
            out.push(slug);
        }
    }
    out
}

/// A browser's view of one session: its cookie, kept between calls.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub client: reqwest::Client,
    pub cookie: Option<String>,
}

pub struct Reply {
    pub status: u16,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Reply {
    /// The status, headers and text of `response`.
    pub async fn of(response: reqwest::Response) -> Self {
        Self { status: response.status().as_u16(), headers: response.headers().clone(), body: response.text().await.unwrap() }
    }
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        // Each browser is a shopper of its own (the funnel tells them apart by address and browser).
        static BROWSERS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let agent = format!("Mozilla/5.0 OxcartTest/{}", BROWSERS.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).user_agent(agent).build().unwrap();
        Self { app, client, cookie: None }
    }

    /// POSTs a form to the server function at `/api/{endpoint}`, from the shop's own origin.
    /// A setup call that must succeed: it panics with the reply when it does
    /// not, so a test never goes on from a step that quietly failed.
    pub async fn step(&mut self, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        let reply = self.call(endpoint, form).await;
        assert!(reply.status < 400, "setup step {endpoint} failed: {} {}", reply.status, reply.body);
        reply
    }

    pub async fn call(&mut self, endpoint: &str, form: &[(&str, &str)]) -> Reply {
        self.call_from(endpoint, form, "https://shop.test").await
    }

    pub async fn call_from(&mut self, endpoint: &str, form: &[(&str, &str)], origin: &str) -> Reply {
        let mut request = self.client.post(format!("{}/api/{endpoint}", self.app.base)).form(form);
        request = request.header("origin", origin);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.expect("request");
        if let Some(set) = response.headers().get("set-cookie") {
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap().to_owned();
            self.cookie = if set.contains("Max-Age=0") { None } else { Some(pair) };
        }
        Reply::of(response).await
    }

    /// POSTs an image upload form (its text `fields` and a `file` of
    /// `bytes`) to the server function at `/api/{endpoint}`, as a script
    /// does, or as a browser without JavaScript does (`plain_form`: it
    /// accepts HTML and names the page it came from).
    pub async fn upload(&mut self, endpoint: &str, fields: &[(&str, &str)], bytes: Vec<u8>, plain_form: bool) -> Reply {
        self.upload_file(endpoint, fields, ("picture.png", "image/png", bytes), plain_form).await
    }

    /// [`Self::upload`] of a `file` (its name, type and bytes).
    pub async fn upload_file(&mut self, endpoint: &str, fields: &[(&str, &str)], file: (&str, &str, Vec<u8>), plain_form: bool) -> Reply {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name.to_string(), value.to_string());
        }
        let part = reqwest::multipart::Part::bytes(file.2).file_name(file.0.to_owned()).mime_str(file.1).unwrap();
        let mut request = self.client.post(format!("{}/api/{endpoint}", self.app.base)).multipart(form.part("file", part));
        request = request.header("origin", "https://shop.test");
        if plain_form {
            request = request.header("accept", "text/html").header("referer", "https://shop.test/admin/products/1");
        }
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        Reply::of(request.send().await.expect("request")).await
    }

    /// GETs `path` with this browser's cookie.
    pub async fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[]).await
    }

    /// GETs `path` with this browser's cookie and `headers`.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.client.get(format!("{}{path}", self.app.base));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        Reply::of(request.send().await.expect("request")).await
    }

    /// The signed-in user's email, if any.
    pub async fn who(&mut self) -> Option<String> {
        let reply = self.call("account/me", &[]).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        let value: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        value.get("email").and_then(|e| e.as_str()).map(str::to_owned)
    }
}


/// The password every test account uses.
pub const PASSWORD: &str = "correct horse battery";

/// The secret (hex) staff accounts of the tests sign in with: RFC 6238's test key.
pub const STAFF_TOTP_HEX: &str = "3132333435363738393031323334353637383930";

/// The current authenticator code for [`STAFF_TOTP_HEX`], `offset` steps from now.
pub fn staff_code(offset: i64) -> String {
    let step = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() / 30) as i64;
    format!("{:06}", app::ssr::accounts::totp::code_at(b"12345678901234567890", (step + offset) as u64))
}

/// Makes the account `email` of the signed-in `browser` staff with two-step
/// sign-in on (an admin, or with `seller` that seller's staff), then signs it
/// in again with its password and a code, as staff must.
pub async fn make_staff(browser: &mut Browser<'_>, email: &str, seller: Option<i64>) {
    sqlx::query("UPDATE users SET role = $2, seller_id = $3, totp_secret = $4 WHERE email = $1")
        .bind(email)
        .bind(if seller.is_some() { "seller" } else { "admin" })
        .bind(seller)
        .bind(STAFF_TOTP_HEX)
        .execute(&browser.app.db.pool)
        .await
        .unwrap();
    let reply = browser.call("account/sign-in", &[("email", email), ("password", PASSWORD)]).await;
    assert_eq!(reply.headers.get("location").map(|l| l.to_str().unwrap()), Some("/account/two-step"), "{}", reply.body);
    let reply = browser.call("account/two-step", &[("code", &staff_code(0))]).await;
    assert!(reply.status < 400, "{} {}", reply.status, reply.body);
    assert_eq!(browser.who().await.as_deref(), Some(email), "signed in as staff");
}

/// Signs `browser` in as `email` with the tests' password, waiting out the
/// sign-in burst limit (every test client is 127.0.0.1, one network).
pub async fn sign_in_patiently(browser: &mut Browser<'_>, email: &str) -> Reply {
    for _ in 0..10 {
        let reply = browser.call("account/sign-in", &[("email", email), ("password", PASSWORD)]).await;
        if reply.status != 429 {
            return reply;
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
    panic!("still limited after 10 s");
}

/// The body of the newest mail to `email`.
pub async fn newest_mail(app: &TestApp, email: &str) -> String {
    let (body,): (String,) =
        sqlx::query_as("SELECT body FROM outbox_emails WHERE to_address = $1 ORDER BY id DESC LIMIT 1")
            .bind(email)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    body
}

/// The token in the newest mail with a link to `email`.
pub async fn confirmation_token(app: &TestApp, email: &str) -> String {
    let body = newest_mail(app, email).await;
    let token = body.split("token=").nth(1).expect("a link with a token");
    token.chars().take_while(char::is_ascii_hexdigit).collect()
}

/// Registers and confirms `email`, leaving `browser` signed in.
pub async fn signed_up(browser: &mut Browser<'_>, email: &str) {
    let reply = browser.call("account/register", &[("email", email), ("name", "Ada"), ("password", PASSWORD)]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let token = confirmation_token(browser.app, email).await;
    let reply = browser.call("account/confirm", &[("token", &token)]).await;
    assert!(reply.status < 400, "{} {}", reply.status, reply.body);
}

