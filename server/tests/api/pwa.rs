//! The installable app's server side: the manifest with the shop's name and
//! the service worker with this build's shell (the browser side is
//! `end2end/tests/shop/pwa.spec.ts`).

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_manifest_names_the_shop_and_the_worker_its_shell() {
    let app = spawn_app().await;
    sqlx::query("UPDATE shop_settings SET shop_name = 'Fern & Co Garden Supplies' WHERE id = 1").execute(&app.db.pool).await.unwrap();
    let reply = app.get("/manifest.webmanifest").await;
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.headers()["content-type"], "application/manifest+json");
    let manifest: serde_json::Value = reply.json().await.unwrap();
    assert_eq!(manifest["name"], "Fern & Co Garden Supplies");
    assert_eq!(manifest["short_name"], "Fern");
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["start_url"], "/");
    assert_eq!(manifest["icons"].as_array().unwrap().len(), 3);

    let worker = app.get("/sw.js").await;
    assert_eq!(worker.status(), 200);
    assert!(worker.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert_eq!(worker.headers()["cache-control"], "no-cache", "a deploy is seen at the next page load");
    let script = worker.text().await.unwrap();
    assert!(script.contains("const SHELL = [\"/pkg/oxcart"), "{}", &script[..200]);
    assert!(script.contains("self.addEventListener('fetch'"));

    let (_, page) = app.page("/").await;
    assert!(page.contains(r#"rel="manifest" href="/manifest.webmanifest""#));
    assert!(page.contains(r#"<script src="/pwa.js""#));
}
