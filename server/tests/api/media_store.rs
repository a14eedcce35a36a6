//! The S3-compatible media store (issue 18) against a real S3 server (moto):
//! two app servers on one database share one bucket, so a picture uploaded
//! through one is served by the other and nothing lands on either's disk;
//! removing the picture deletes its files from the bucket; a start whose
//! store cannot be reached, or whose bucket does not exist, stops with a
//! message that says so.

use crate::helpers::{admin, jpeg, s3::S3Server, spawn_app, spawn_app_with, spawn_server_beside, test_config};
use oxcart::config::Config;

/// Media in `server`'s bucket, under the folder `shop/`.
fn in_bucket(config: &mut Config, server: &S3Server) {
    config.media_s3_url = format!("{}/media/shop", server.endpoint);
    (config.media_s3_key_id, config.media_s3_secret) = ("test-key".into(), "test-secret".into());
}

#[tokio::test]
async fn two_app_servers_share_one_bucket_and_a_removed_picture_leaves_it() {
    let bucket = S3Server::start().await;
    let app = spawn_app_with(|c| in_bucket(c, &bucket)).await;
    let other = spawn_server_beside(&app, |c| in_bucket(c, &bucket)).await;
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM products WHERE seller_id IS NULL AND status = 'active' ORDER BY id LIMIT 1")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let mut owner = admin(&app, "owner@example.com").await;
    let fields = [("product", id.to_string()), ("alt", "Lid open".to_owned())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = owner.upload("admin/products/images", &fields, jpeg(700, 500, 9), false).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let (url,): (String,) = sqlx::query_as("SELECT url FROM product_images WHERE product_id = $1 AND alt = 'Lid open'")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let name = url.trim_start_matches("/media/").to_owned();
    let hash = name.split('-').next().unwrap().to_owned();
    let keys = bucket.keys("shop/").await;
    assert!(keys.contains(&format!("shop/{name}")), "{keys:?}");
    assert!(keys.iter().all(|k| k.starts_with(&format!("shop/{hash}-"))), "every width, under the folder: {keys:?}");
    assert!(keys.len() >= 4, "160, 320, 640 and 700 wide: {keys:?}");
    assert!(app.media_files().is_empty(), "nothing on the first server's disk: {:?}", app.media_files());

    // The other server reads the same bucket.
    let served = reqwest::get(format!("{other}{url}")).await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    assert_eq!(served.headers()["cache-control"], "public, max-age=31536000, immutable");
    let direct = bucket.read(&format!("shop/{name}")).await;
    assert_eq!(served.bytes().await.unwrap().to_vec(), direct);
    assert_eq!(image::load_from_memory(&direct).unwrap().width(), 700, "the widest file: the original's own width");

    let removed = owner.call("admin/products/images/remove", &[("id", &id.to_string()), ("url", &url)]).await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    assert_eq!(bucket.keys("shop/").await, Vec::<String>::new(), "its files left the bucket");
    assert_eq!(reqwest::get(format!("{other}{url}")).await.unwrap().status(), 404);
}

#[tokio::test]
async fn a_start_whose_store_cannot_be_reached_or_has_no_bucket_stops_with_a_reason() {
    let app = spawn_app().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let bucket = S3Server::start().await;
    for url in [format!("http://127.0.0.1:{closed}/media"), format!("{}/no-such-bucket", bucket.endpoint)] {
        let dir = tempfile::tempdir().unwrap();
        let mut config = test_config(dir.path(), &app.database_url);
        (config.media_s3_url, config.media_s3_key_id, config.media_s3_secret) = (url.clone(), "k".into(), "s".into());
        let error = oxcart::start(&config, app.db.clone()).await.err().expect("refused");
        assert!(error.contains("media S3 store") && error.contains(&url), "{url}: {error}");
    }
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path(), &app.database_url);
    config.media_s3_url = format!("{}/media", bucket.endpoint);
    let error = oxcart::start(&config, app.db.clone()).await.err().expect("no keys");
    assert!(error.contains("access key"), "{error}");
}
