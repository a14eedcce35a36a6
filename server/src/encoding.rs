//! Content negotiation and in-memory compression shared by the asset server and
//! the page cache.

use axum::http::{header, HeaderMap};
use std::io::{Read, Write};

/// Whether the request's `Accept-Encoding` lists `encoding` (q-values other than
/// presence are ignored: clients do not send `q=0` for gzip or br in practice).
pub fn accepts(headers: &HeaderMap, encoding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| item.split(';').next().unwrap_or("").trim() == encoding)
}

/// `data` gzip-compressed at `level` (0–9).
pub fn gzip(data: &[u8], level: u32) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(level));
    enc.write_all(data).expect("in-memory gzip cannot fail");
    enc.finish().expect("in-memory gzip cannot fail")
}

/// The bytes of a gzip stream made by [`gzip`].
pub fn gunzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() * 4);
    flate2::read::GzDecoder::new(data).read_to_end(&mut out)?;
    Ok(out)
}

/// `data` brotli-compressed at quality 11 (slow; for content compressed once).
pub fn brotli_max(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).expect("in-memory brotli cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn reads_accept_encoding_lists() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip;q=0.8, deflate, br"));
        assert!(accepts(&h, "gzip") && accepts(&h, "br") && !accepts(&h, "zstd"));
        assert!(!accepts(&HeaderMap::new(), "gzip"));
    }

    #[test]
    fn gzip_round_trips() {
        let text = "<p>Oxcart</p>".repeat(50);
        let packed = gzip(text.as_bytes(), 6);
        assert!(packed.len() < text.len());
        assert_eq!(gunzip(&packed).unwrap(), text.as_bytes());
        assert!(gunzip(b"not gzip").is_err());
    }
}
