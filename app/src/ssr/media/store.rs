//! Where media files live: an object store addressed by flat keys. The
//! default keeps them in a directory (under `data.dir`); a store several app
//! servers share (S3-compatible) implements the same trait.

use crate::error::AppError;
use std::path::PathBuf;

/// A flat key-value store for media files. Keys are written once and never
/// change (they carry the content's hash), so a reader may cache forever.
#[async_trait::async_trait]
pub trait ObjectStore: Send + Sync {
    /// Stores `bytes` under `key`, replacing nothing a reader could see half-written.
    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), AppError>;
    /// The bytes under `key`, or `None` when there are none.
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, AppError>;
    /// Removes `key`; removing a key that is not there is not an error.
    async fn delete(&self, key: &str) -> Result<(), AppError>;
}

/// A key the stores accept: 1 to 100 of `a-z 0-9 . -`, not starting with a
/// dot, so a key can never name a path outside the store.
pub fn valid_key(key: &str) -> bool {
    (1..=100).contains(&key.len())
        && !key.starts_with('.')
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

/// The content type of a media file, by the extension the shop gave it;
/// `None` for a name the shop never writes.
pub fn content_type(key: &str) -> Option<&'static str> {
    match key.rsplit_once('.').map(|(_, ext)| ext) {
        Some("jpg") => Some("image/jpeg"),
        Some("png") => Some("image/png"),
        Some("webp") => Some("image/webp"),
        _ => None,
    }
}

/// `key` when the stores accept it (see [`valid_key`]).
pub(crate) fn checked(key: &str) -> Result<&str, AppError> {
    if valid_key(key) {
        Ok(key)
    } else {
        Err(AppError::BadRequest(format!("{key:?} is not a media file name.")))
    }
}

/// Media files in one local directory, written to a temporary file and
/// renamed into place.
pub struct LocalDir {
    dir: PathBuf,
}

impl LocalDir {
    /// A store in `dir` (made when missing).
    pub fn new(dir: impl Into<PathBuf>) -> std::io::Result<Self> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)?;
        Ok(Self { dir })
    }
}

fn io(error: std::io::Error) -> AppError {
    tracing::error!(%error, "media store");
    AppError::Internal
}

#[async_trait::async_trait]
impl ObjectStore for LocalDir {
    async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        let path = self.dir.join(checked(key)?);
        let temp = self.dir.join(format!(".{key}.{}", &crate::ssr::accounts::random_token()[..12]));
        tokio::fs::write(&temp, bytes).await.map_err(io)?;
        tokio::fs::rename(&temp, &path).await.map_err(io)
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        match tokio::fs::read(self.dir.join(checked(key)?)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), AppError> {
        match tokio::fs::remove_file(self.dir.join(checked(key)?)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(e)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_leave_the_store() {
        for bad in ["", "../etc", "a/b", ".hidden", "A.webp", "a b", "x\\y", &"k".repeat(101)] {
            assert!(!valid_key(bad), "{bad:?}");
        }
        assert!(valid_key("3f2a9c1e0b7d4a61-640.webp"));
    }

    #[tokio::test]
    async fn a_local_dir_keeps_replaces_and_forgets() {
        let dir = std::env::temp_dir().join(format!("oxcart-media-{}", crate::ssr::accounts::random_token()));
        let store = LocalDir::new(&dir).unwrap();
        assert_eq!(store.get("a.png").await.unwrap(), None);
        store.put("a.png", b"one".to_vec()).await.unwrap();
        store.put("a.png", b"two".to_vec()).await.unwrap();
        assert_eq!(store.get("a.png").await.unwrap().as_deref(), Some(&b"two"[..]));
        store.delete("a.png").await.unwrap();
        store.delete("a.png").await.unwrap();
        assert_eq!(store.get("a.png").await.unwrap(), None);
        assert_eq!(store.put("../a.png", vec![]).await.unwrap_err().status(), 400);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "no temporary files left behind");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
