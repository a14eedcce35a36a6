//! Password hashing with argon2id at OWASP's parameters, on a bounded set of
//! blocking threads so a burst of sign-ins cannot starve page rendering.

use crate::error::AppError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::OnceLock;
use tokio::sync::Semaphore;

/// OWASP's minimum for argon2id: 19 MiB of memory, two passes, one lane.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// At most one hash per core at a time; the rest wait their turn.
fn hashers() -> &'static Semaphore {
    static HASHERS: OnceLock<Semaphore> = OnceLock::new();
    HASHERS.get_or_init(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())))
}

async fn on_hasher<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let _permit = hashers().acquire().await.map_err(|_| AppError::Internal)?;
    tokio::task::spawn_blocking(work).await.map_err(|error| {
        tracing::error!(%error, "password hashing task failed");
        AppError::Internal
    })
}

/// The PHC string of `password` with a fresh random salt.
pub async fn hash(password: String) -> Result<String, AppError> {
    on_hasher(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await?
    .map_err(|error| {
        tracing::error!(%error, "cannot hash a password");
        AppError::Internal
    })
}

/// Whether `password` matches the PHC string `stored`.
pub async fn verify(password: String, stored: String) -> Result<bool, AppError> {
    on_hasher(move || match PasswordHash::new(&stored) {
        Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(error) => {
            tracing::error!(%error, "unreadable password hash in the database");
            false
        }
    })
    .await
}

/// A hash no password matches, verified for unknown emails so that a wrong
/// email takes as long as a wrong password (no enumeration by timing).
pub async fn dummy_hash() -> &'static str {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY.get_or_init(|| async { hash("not the password of anyone".into()).await.unwrap_or_default() }).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("correct horse".into()).await.unwrap();
        let b = hash("correct horse".into()).await.unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "a fresh salt each time");
        assert!(verify("correct horse".into(), a.clone()).await.unwrap());
        assert!(!verify("correct horse!".into(), a).await.unwrap());
        assert!(!verify("x".into(), "garbage".into()).await.unwrap());
    }
}
