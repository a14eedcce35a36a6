//! The S3-compatible media store (issue 18) against a real S3 server (moto,
//! checking every request's signature): two app servers on one database
//! share one bucket, so a picture uploaded through one is served by the
//! other and nothing lands on either's disk; removing the picture deletes its
//! files from the bucket; a start whose store cannot be reached, whose bucket
//! does not exist or whose secret is wrong stops with a message that says so.

use crate::helpers::{admin, jpeg, s3::S3Server, spawn_app, spawn_app_with, spawn_server_beside, test_config};
use app::ssr::media::store::ObjectStore;
use oxcart::config::Config;

/// Media in `server`'s bucket, under the folder `shop/`.
fn in_bucket(config: &mut Config, server: &S3Server) {
    config.media_s3_url = format!("{}/media/shop", server.endpoint);
    (config.media_s3_key_id, config.media_s3_secret) = (server.key_id.clone(), server.secret.clone());
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
    let (url, webp): (String, i64) = sqlx::query_as("SELECT url, webp FROM product_images WHERE product_id = $1 AND alt = 'Lid open'")
        .bind(id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let files = app::domain::media::files(&url, webp == 1);
    assert!(files.len() >= 4, "160, 320, 640 and 700 wide: {files:?}");
    let folder = bucket.folder("shop");
    for file in &files {
        assert!(folder.get(file).await.unwrap().is_some(), "{file} is in the bucket's folder");
    }
    assert!(app.media_files().is_empty(), "nothing on the first server's disk: {:?}", app.media_files());

    // The other server reads the same bucket.
    let served = reqwest::get(format!("{other}{url}")).await.unwrap();
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    assert_eq!(served.headers()["cache-control"], "public, max-age=31536000, immutable");
    let direct = folder.get(url.trim_start_matches("/media/")).await.unwrap().unwrap();
    assert_eq!(served.bytes().await.unwrap().to_vec(), direct);
    assert_eq!(image::load_from_memory(&direct).unwrap().width(), 700, "the widest file: the original's own width");
    assert_eq!(reqwest::get(format!("{other}/media/0123456789abcdef0123-640.jpg")).await.unwrap().status(), 404, "a file never written");

    let removed = owner.call("admin/products/images/remove", &[("id", &id.to_string()), ("url", &url)]).await;
    assert_eq!(removed.status, 200, "{}", removed.body);
    for file in &files {
        assert_eq!(folder.get(file).await.unwrap(), None, "{file} left the bucket");
    }
    assert_eq!(reqwest::get(format!("{other}{url}")).await.unwrap().status(), 404);
}

#[tokio::test]
async fn a_start_whose_store_cannot_be_reached_or_has_no_bucket_stops_with_a_reason() {
    let app = spawn_app().await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let bucket = S3Server::start().await;
    let wrong = format!("{}x", bucket.secret);
    for (url, secret) in [
        (format!("http://127.0.0.1:{closed}/media"), bucket.secret.as_str()),
        (format!("{}/no-such-bucket", bucket.endpoint), bucket.secret.as_str()),
        (format!("{}/media", bucket.endpoint), wrong.as_str()),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut config = test_config(dir.path(), &app.database_url);
        (config.media_s3_url, config.media_s3_key_id, config.media_s3_secret) = (url.clone(), bucket.key_id.clone(), secret.into());
        let error = oxcart::start(&config, app.db.clone()).await.err().expect("refused");
        assert!(error.contains("media S3 store") && error.contains(&url), "{url}: {error}");
    }
    assert_eq!(bucket.folder("").get("oxcart-start-probe").await.unwrap(), None, "no probe file is left behind");
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path(), &app.database_url);
    config.media_s3_url = format!("{}/media", bucket.endpoint);
    let error = oxcart::start(&config, app.db.clone()).await.err().expect("no keys");
    assert!(error.contains("access key"), "{error}");
}
