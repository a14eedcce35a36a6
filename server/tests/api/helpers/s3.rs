//! A real S3-compatible server for the media store's tests: moto's server
//! (from PyPI, installed by `scripts/setup.sh` beside the other test tools)
//! on a free loopback port, with one bucket, stopped when dropped.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Where `scripts/setup.sh` installs moto's server (`OXCART_MOTO_SERVER` overrides).
fn moto_server() -> String {
    std::env::var("OXCART_MOTO_SERVER").unwrap_or_else(|_| {
        format!("{}/.cache/oxcart/moto/bin/moto_server", std::env::var("HOME").unwrap_or_default())
    })
}

/// A running S3 server with the bucket `media`.
pub struct S3Server {
    /// `http://127.0.0.1:PORT`
    pub endpoint: String,
    child: Child,
}

impl S3Server {
    /// Starts the server and makes its bucket; fails the test when the server is missing.
    pub async fn start() -> S3Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(moto_server())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {} ({e}): run scripts/setup.sh", moto_server()));
        let server = S3Server { endpoint: format!("http://127.0.0.1:{port}"), child };
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if let Ok(made) = client.put(format!("{}/media", server.endpoint)).send().await {
                assert!(made.status().is_success(), "making the bucket: {}", made.status());
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the S3 server on port {port} did not start");
    }

    /// The keys in the bucket under `prefix`, sorted.
    pub async fn keys(&self, prefix: &str) -> Vec<String> {
        let url = format!("{}/media?list-type=2&prefix={prefix}", self.endpoint);
        let listing = reqwest::get(url).await.unwrap().text().await.unwrap();
        let mut keys: Vec<String> =
            listing.split("<Key>").skip(1).filter_map(|k| k.split("</Key>").next()).map(str::to_owned).collect();
        keys.sort();
        keys
    }
}

impl S3Server {
    /// The bytes under `key` in the bucket, read past the app (any signature
    /// passes: moto checks that a request is signed, not the signature).
    pub async fn read(&self, key: &str) -> Vec<u8> {
        let url = format!("{}/media/{key}", self.endpoint);
        let signed = "AWS4-HMAC-SHA256 Credential=test-key/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0";
        let answer = reqwest::Client::new().get(url).header("authorization", signed).send().await.unwrap();
        assert_eq!(answer.status(), 200, "{key} in the bucket");
        answer.bytes().await.unwrap().to_vec()
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
