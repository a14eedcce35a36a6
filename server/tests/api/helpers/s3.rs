//! A real S3-compatible server for the media store's tests: moto's server
//! (from PyPI, installed by `scripts/setup.sh` beside the other test tools)
//! on a free loopback port, stopped when dropped. It checks every request's
//! Signature Version 4 against an access key made in its IAM at the start,
//! so a request the shop signs wrongly is refused as it would be by AWS.

use app::ssr::media::s3::{S3Config, S3Store};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Where `scripts/setup.sh` installs moto's server (`OXCART_MOTO_SERVER` overrides).
fn moto_server() -> String {
    std::env::var("OXCART_MOTO_SERVER").unwrap_or_else(|_| {
        format!("{}/.cache/oxcart/moto/bin/moto_server", std::env::var("HOME").unwrap_or_default())
    })
}

/// Requests moto answers before it starts checking signatures: the set-up below.
const SET_UP_REQUESTS: usize = 4;

/// A running S3 server with the bucket `media` and a key that may use it.
pub struct S3Server {
    /// `http://127.0.0.1:PORT`
    pub endpoint: String,
    pub key_id: String,
    pub secret: String,
    child: Child,
}

/// The text of `<tag>` in an XML answer.
fn element(xml: &str, tag: &str) -> String {
    let open = format!("<{tag}>");
    xml.split(&open).nth(1).and_then(|rest| rest.split(&format!("</{tag}>")).next()).unwrap_or_else(|| panic!("no {tag} in {xml}")).to_owned()
}

impl S3Server {
    /// Starts the server, makes a user with an access key allowed everything
    /// in S3, and the bucket; fails the test when the server is missing.
    pub async fn start() -> S3Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(moto_server())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("INITIAL_NO_AUTH_ACTION_COUNT", SET_UP_REQUESTS.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {} ({e}): run scripts/setup.sh", moto_server()));
        let mut server = S3Server { endpoint: format!("http://127.0.0.1:{port}"), key_id: String::new(), secret: String::new(), child };
        for n in 0.. {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                break;
            }
            assert!(n < 400, "the S3 server on port {port} did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // Unsigned until the set-up is done; the scope names the service.
        let unsigned = |service: &str| format!("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0");
        let client = reqwest::Client::new();
        let iam = |form: &'static str| {
            client.post(format!("{}/", server.endpoint)).header("authorization", unsigned("iam")).header("content-type", "application/x-www-form-urlencoded").body(format!("{form}&Version=2010-05-08")).send()
        };
        let policy = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D";
        assert!(iam("Action=CreateUser&UserName=shop").await.unwrap().status().is_success());
        let key = iam("Action=CreateAccessKey&UserName=shop").await.unwrap().text().await.unwrap();
        (server.key_id, server.secret) = (element(&key, "AccessKeyId"), element(&key, "SecretAccessKey"));
        let allowed = client
            .post(format!("{}/", server.endpoint))
            .header("authorization", unsigned("iam"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("Action=PutUserPolicy&UserName=shop&PolicyName=media&PolicyDocument={policy}&Version=2010-05-08"))
            .send()
            .await
            .unwrap();
        assert!(allowed.status().is_success(), "{}", allowed.text().await.unwrap());
        let made = client.put(format!("{}/media", server.endpoint)).header("authorization", unsigned("s3")).send().await.unwrap();
        assert!(made.status().is_success(), "making the bucket: {}", made.status());
        server
    }

    /// The bucket's folder `folder` as a store signed with the server's key,
    /// to look at what the shop wrote.
    pub fn folder(&self, folder: &str) -> S3Store {
        S3Store::new(S3Config {
            url: format!("{}/media/{folder}", self.endpoint),
            region: "us-east-1".into(),
            key_id: self.key_id.clone(),
            secret: self.secret.clone(),
        })
        .unwrap()
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
