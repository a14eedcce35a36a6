//! The built site (WASM, JS, CSS, public files) served from memory, compressed once
//! at start-up, with ETags and long-lived caching for content-hashed names.

use crate::encoding;
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use std::collections::HashMap;
use std::path::Path;

/// Files smaller than this are not worth compressing.
const MIN_COMPRESS: usize = 512;

struct Asset {
    content_type: &'static str,
    cache_control: &'static str,
    etag: HeaderValue,
    identity: Vec<u8>,
    brotli: Option<Vec<u8>>,
    gzip: Option<Vec<u8>>,
}

/// Every file under the site root, keyed by URL path (`/pkg/oxcart.abc123.wasm`).
#[derive(Default)]
pub struct StaticAssets {
    files: HashMap<String, Asset>,
}

impl StaticAssets {
    /// Reads and compresses every file under `root`. `hashed_pkg` says the files
    /// under `/pkg/` carry a content hash in their names and never change.
    pub fn load(root: &Path, hashed_pkg: bool) -> std::io::Result<Self> {
        let mut files = HashMap::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir)? {
                let path = entry?.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let rel = path.strip_prefix(root).expect("walked from root");
                let url = format!("/{}", rel.to_string_lossy().replace('\\', "/"));
                let immutable = hashed_pkg && url.starts_with("/pkg/");
                files.insert(url, Asset::new(&path, std::fs::read(&path)?, immutable));
            }
        }
        Ok(Self { files })
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// The response for `path`, or `None` if there is no such file.
    pub fn respond(&self, path: &str, headers: &HeaderMap) -> Option<Response> {
        let asset = self.files.get(path)?;
        let builder = Response::builder()
            .header(header::CONTENT_TYPE, asset.content_type)
            .header(header::CACHE_CONTROL, asset.cache_control)
            .header(header::ETAG, asset.etag.clone())
            .header(header::VARY, "accept-encoding");
        if headers.get(header::IF_NONE_MATCH) == Some(&asset.etag) {
            return builder.status(StatusCode::NOT_MODIFIED).body(Body::empty()).ok();
        }
        let accepts = |enc: &str| encoding::accepts(headers, enc);
        let (body, encoding) = match (&asset.brotli, &asset.gzip) {
            (Some(br), _) if accepts("br") => (br, Some("br")),
            (_, Some(gz)) if accepts("gzip") => (gz, Some("gzip")),
            _ => (&asset.identity, None),
        };
        let builder = match encoding {
            Some(enc) => builder.header(header::CONTENT_ENCODING, enc),
            None => builder,
        };
        builder.body(Body::from(body.clone())).ok()
    }
}

impl Asset {
    fn new(path: &Path, bytes: Vec<u8>, immutable: bool) -> Self {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let (content_type, compressible) = content_type(ext);
        let compress = compressible && bytes.len() >= MIN_COMPRESS;
        let etag = HeaderValue::from_str(&format!("\"{:016x}\"", fnv1a(&bytes)))
            .expect("hex is a valid header value");
        Self {
            content_type,
            cache_control: if immutable { "public, max-age=31536000, immutable" } else { "public, max-age=3600" },
            etag,
            brotli: compress.then(|| encoding::brotli_max(&bytes)),
            gzip: compress.then(|| encoding::gzip(&bytes, 9)),
            identity: bytes,
        }
    }
}

fn content_type(ext: &str) -> (&'static str, bool) {
    match ext {
        "wasm" => ("application/wasm", true),
        "js" | "mjs" => ("text/javascript; charset=utf-8", true),
        "css" => ("text/css; charset=utf-8", true),
        "html" => ("text/html; charset=utf-8", true),
        "json" | "webmanifest" => ("application/json", true),
        "svg" => ("image/svg+xml", true),
        "txt" => ("text/plain; charset=utf-8", true),
        "xml" => ("application/xml", true),
        "png" => ("image/png", false),
        "jpg" | "jpeg" => ("image/jpeg", false),
        "webp" => ("image/webp", false),
        "ico" => ("image/x-icon", true),
        "woff2" => ("font/woff2", false),
        _ => ("application/octet-stream", false),
    }
}

/// A fast, stable 64-bit hash for ETags.
fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf29ce484222325, |h, b| (h ^ *b as u64).wrapping_mul(0x100000001b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, StaticAssets) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("pkg")).unwrap();
        std::fs::write(dir.path().join("pkg/app.1a2b.js"), "console.log(1);\n".repeat(100)).unwrap();
        std::fs::write(dir.path().join("favicon.svg"), "<svg/>").unwrap();
        let assets = StaticAssets::load(dir.path(), true).unwrap();
        (dir, assets)
    }

    fn get(assets: &StaticAssets, path: &str, headers: &[(&'static str, &str)]) -> Option<Response> {
        let mut map = HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        assets.respond(path, &map)
    }

    #[test]
    fn negotiates_encoding_and_caches_hashed_files_forever() {
        let (_dir, assets) = site();
        assert_eq!(assets.len(), 2);
        let r = get(&assets, "/pkg/app.1a2b.js", &[("accept-encoding", "gzip, deflate, br;q=1")]).unwrap();
        assert_eq!(r.headers()["content-encoding"], "br");
        assert!(r.headers()["cache-control"].to_str().unwrap().contains("immutable"));
        let r = get(&assets, "/pkg/app.1a2b.js", &[("accept-encoding", "gzip")]).unwrap();
        assert_eq!(r.headers()["content-encoding"], "gzip");
        let r = get(&assets, "/favicon.svg", &[("accept-encoding", "br")]).unwrap();
        assert!(r.headers().get("content-encoding").is_none(), "tiny files stay as they are");
        assert_eq!(r.headers()["cache-control"], "public, max-age=3600");
        assert!(get(&assets, "/missing.js", &[]).is_none());
    }

    #[test]
    fn answers_304_to_a_matching_etag() {
        let (_dir, assets) = site();
        let etag = get(&assets, "/favicon.svg", &[]).unwrap().headers()["etag"].to_str().unwrap().to_owned();
        let r = get(&assets, "/favicon.svg", &[("if-none-match", &etag)]).unwrap();
        assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    }
}
