use crate::helpers::spawn_app;

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    assert_eq!(app.page("/healthz").await, (200, "ok".into()));
    assert_eq!(app.page("/readyz").await, (200, "ready".into()));
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.db.pool.close().await;
    assert_eq!(app.get("/readyz").await.status().as_u16(), 503);
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let r = app.get("/healthz").await;
    let id = r.headers().get("x-request-id").expect("x-request-id header");
    assert_eq!(id.len(), 36, "a UUID");
    let r = app.client.get(format!("{}/healthz", app.base)).header("x-request-id", "abc-123").send().await.unwrap();
    assert_eq!(r.headers()["x-request-id"], "abc-123", "a caller's id is kept");
}

#[tokio::test]
async fn pages_are_compressed_when_the_client_accepts_it() {
    let app = spawn_app().await;
    for (accept, expect) in [("gzip", "gzip"), ("br, gzip", "gzip")] {
        let r = app.client.get(format!("{}/", app.base)).header("accept-encoding", accept).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-encoding"], expect);
    }
}

#[tokio::test]
async fn placeholder_images_are_svg_and_bad_names_are_404() {
    let app = spawn_app().await;
    let r = app.get("/media/product/12-0.svg").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    assert!(r.text().await.unwrap().starts_with("<svg"));
    assert_eq!(app.get("/media/category/electronics.svg").await.status(), 200);
    for bad in ["/media/product/abc.svg", "/media/product/1-999.svg", "/media/category/..%2Fetc.svg", "/media/product/1-1.png"] {
        assert_eq!(app.get(bad).await.status(), 404, "{bad}");
    }
}
