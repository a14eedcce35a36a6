//! An S3-compatible object store (AWS S3, MinIO, Cloudflare R2, Ceph, …) so
//! several app servers share one set of media files: objects are put, read
//! and deleted over HTTP(S), each request signed with AWS Signature Version 4.
//! The configured URL says where a key goes: `https://s3.eu-west-1.amazonaws.com/bucket`
//! (path style) or `https://bucket.s3.eu-west-1.amazonaws.com` (virtual-hosted),
//! optionally with a folder (`…/bucket/media`); the key is appended to it.

use super::store::{checked, content_type, ObjectStore};
use crate::error::AppError;
use crate::ssr::accounts::hex;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// How long one request may take before the store counts as unreachable.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Where and as whom the store is reached.
#[derive(Clone)]
pub struct S3Config {
    /// The bucket's URL (and folder), e.g. `http://127.0.0.1:9000/media`.
    pub url: String,
    /// The signing region, e.g. `us-east-1` (`auto` for R2).
    pub region: String,
    pub key_id: String,
    pub secret: String,
}

/// Media files in an S3-compatible bucket.
pub struct S3Store {
    client: reqwest::Client,
    /// The bucket's URL ending in `/`: a key is appended to it.
    base: reqwest::Url,
    config: S3Config,
}

impl S3Store {
    /// A store for `config`, refusing a URL or credentials that cannot work.
    pub fn new(config: S3Config) -> Result<Self, String> {
        let mut base = reqwest::Url::parse(&config.url).map_err(|e| format!("media S3 URL {:?}: {e}", config.url))?;
        if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
            return Err(format!("media S3 URL {:?} must be http:// or https:// with a host", config.url));
        }
        if base.query().is_some() || base.fragment().is_some() || !base.username().is_empty() {
            return Err(format!("media S3 URL {:?} must not carry a query, a fragment or credentials", config.url));
        }
        // Signature V4 signs the path with these characters left as they are.
        if !base.path().bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~/".contains(&b)) {
            return Err(format!("media S3 URL {:?}: a bucket or folder name of letters, digits, “-”, “.”, “_” and “~” only", config.url));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        if config.region.trim().is_empty() || config.key_id.trim().is_empty() || config.secret.is_empty() {
            return Err("the media S3 store needs a region, an access key id and a secret access key".into());
        }
        let client = reqwest::Client::builder().timeout(TIMEOUT).build().map_err(|e| format!("media S3 client: {e}"))?;
        Ok(Self { client, base, config })
    }

    /// Writes, reads back and deletes a probe file: a start with a store
    /// that cannot be reached, or keys that may not do all three, fails here.
    pub async fn probe(&self) -> Result<(), AppError> {
        const KEY: &str = "oxcart-start-probe";
        self.put(KEY, b"written by an Oxcart server as it started".to_vec()).await?;
        let read = self.get(KEY).await?;
        self.delete(KEY).await?;
        match read {
            Some(_) => Ok(()),
            None => Err(AppError::Upstream(format!("The media store did not give back the file {KEY} just written."))),
        }
    }

    /// Sends a signed `method` request for `key` with `body`; the answer's status and bytes.
    async fn send(&self, method: reqwest::Method, key: &str, body: Vec<u8>) -> Result<(u16, Vec<u8>), AppError> {
        let url = self.base.join(checked(key)?).map_err(|_| AppError::Internal)?;
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_owned(),
        };
        let payload = hex(&Sha256::digest(&body));
        let now = time::OffsetDateTime::now_utc();
        let signed = Request { method: method.as_str(), host: &host, path: url.path(), headers: &[], payload: &payload };
        let (authorization, amz_date) = signed.sign(&self.config, now);
        let mut request = self.client.request(method.clone(), url);
        if method == reqwest::Method::PUT {
            request = request.header("content-type", content_type(key).unwrap_or("application/octet-stream"));
        }
        let answer = request
            .header("x-amz-date", amz_date)
            .header("x-amz-content-sha256", &payload)
            .header("authorization", authorization)
            .body(body)
            .send()
            .await
            .map_err(|error| {
                tracing::error!(%error, key, "media S3 store unreachable");
                AppError::Upstream("The media store cannot be reached; try again in a moment.".into())
            })?;
        let status = answer.status().as_u16();
        let bytes = answer.bytes().await.map_err(|error| {
            tracing::error!(%error, key, "media S3 store answer cut off");
            AppError::Upstream("The media store cannot be reached; try again in a moment.".into())
        })?;
        Ok((status, bytes.to_vec()))
    }
}

/// A refusal the store gave, logged with its words (an S3 error document).
fn refused(action: &str, key: &str, status: u16, body: &[u8]) -> AppError {
    tracing::error!(status, key, answer = %String::from_utf8_lossy(&body[..body.len().min(500)]), "media S3 store refused to {action}");
    AppError::Internal
}

#[async_trait::async_trait]
impl ObjectStore for S3Store {
    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        match self.send(reqwest::Method::PUT, key, bytes).await? {
            (200..=299, _) => Ok(()),
            (status, body) => Err(refused("store", key, status, &body)),
        }
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        match self.send(reqwest::Method::GET, key, Vec::new()).await? {
            (200, body) => Ok(Some(body)),
            // A missing bucket is a broken configuration, not a missing file.
            (404, body) if !String::from_utf8_lossy(&body).contains("<Code>NoSuchBucket</Code>") => Ok(None),
            // Keys without s3:ListBucket hear "access denied" for a file that
            // is not there (the start's probe proved they may read files).
            (403, body) if String::from_utf8_lossy(&body).contains("<Code>AccessDenied</Code>") => Ok(None),
            (status, body) => Err(refused("read", key, status, &body)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), AppError> {
        match self.send(reqwest::Method::DELETE, key, Vec::new()).await? {
            (200..=299 | 404, _) => Ok(()),
            (status, body) => Err(refused("delete", key, status, &body)),
        }
    }
}

/// The parts of a request that Signature Version 4 signs.
struct Request<'a> {
    method: &'a str,
    host: &'a str,
    /// Already URI-encoded (a URL's path).
    path: &'a str,
    /// Further headers to sign: lower-case names sorting between `host` and
    /// `x-amz-content-sha256`, in order.
    headers: &'a [(&'a str, &'a str)],
    /// The body's SHA-256 in hex.
    payload: &'a str,
}

impl Request<'_> {
    /// The `Authorization` header and the `x-amz-date` it was signed for.
    fn sign(&self, config: &S3Config, now: time::OffsetDateTime) -> (String, String) {
        let day = format!("{:04}{:02}{:02}", now.year(), u8::from(now.month()), now.day());
        let amz_date = format!("{day}T{:02}{:02}{:02}Z", now.hour(), now.minute(), now.second());
        let mut headers = vec![("host", self.host)];
        headers.extend_from_slice(self.headers);
        headers.push(("x-amz-content-sha256", self.payload));
        headers.push(("x-amz-date", &amz_date));
        let canonical_headers: String = headers.iter().map(|(name, value)| format!("{name}:{}\n", value.trim())).collect();
        let signed_headers = headers.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(";");
        let canonical = format!("{}\n{}\n\n{canonical_headers}\n{signed_headers}\n{}", self.method, self.path, self.payload);
        let scope = format!("{day}/{}/s3/aws4_request", config.region);
        let to_sign = format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}", hex(&Sha256::digest(canonical.as_bytes())));
        let mut key = mac(format!("AWS4{}", config.secret).as_bytes(), day.as_bytes());
        for part in [config.region.as_str(), "s3", "aws4_request"] {
            key = mac(&key, part.as_bytes());
        }
        let signature = hex(&mac(&key, to_sign.as_bytes()));
        let authorization =
            format!("AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}", config.key_id);
        (authorization, amz_date)
    }
}

fn mac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> S3Config {
        S3Config {
            url: "https://examplebucket.s3.amazonaws.com".into(),
            region: "us-east-1".into(),
            key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        }
    }

    #[test]
    fn signs_as_the_aws_documentation_example_does() {
        // "Example: GET Object" of AWS's Signature Version 4 documentation for S3.
        let empty = hex(&Sha256::digest(b""));
        let request = Request {
            method: "GET",
            host: "examplebucket.s3.amazonaws.com",
            path: "/test.txt",
            headers: &[("range", "bytes=0-9")],
            payload: &empty,
        };
        let at = time::OffsetDateTime::from_unix_timestamp(1_369_353_600).unwrap(); // 2013-05-24 00:00:00 UTC
        let (authorization, date) = request.sign(&example(), at);
        assert_eq!(date, "20130524T000000Z");
        assert_eq!(
            authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn refuses_urls_and_credentials_that_cannot_work() {
        for url in ["ftp://host/bucket", "not a url", "http://host/bucket?x=1", "http://user:pw@host/bucket", "http://host/my%20bucket", "http://host/a+b"] {
            assert!(S3Store::new(S3Config { url: url.into(), ..example() }).is_err(), "{url}");
        }
        assert!(S3Store::new(S3Config { secret: String::new(), ..example() }).is_err());
        let store = S3Store::new(S3Config { url: "http://127.0.0.1:9000/media/shop".into(), ..example() }).unwrap();
        assert_eq!(store.base.join("a.png").unwrap().as_str(), "http://127.0.0.1:9000/media/shop/a.png");
    }
}
