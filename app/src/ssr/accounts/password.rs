//! Password hashing with argon2id at OWASP's parameters, on a bounded set of
//! blocking threads so a burst of sign-ins cannot starve page rendering; and
//! the check of a new password against the most used ones (ASVS 6.2.4).

use crate::domain::account::check_password;
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

/// Checks a new password: the length rules of [`check_password`], then that
/// it is not one of the 30,000 most used passwords of the zxcvbn list (also
/// reversed or l33t-spelled), not the account's own email or name, and not
/// guessable in under a million tries by zxcvbn's estimate (which refuses
/// every entry of that list of eight characters or more).
pub async fn check_new(password: &str, email: &str, name: &str) -> Result<(), AppError> {
    check_password(password, email).map_err(AppError::BadRequest)?;
    let (password, inputs) = (password.to_owned(), [email.to_owned(), email.split('@').next().unwrap_or("").to_owned(), name.to_owned()]);
    // Up to ~20 ms for a 128-character password: off the async threads.
    let guessable = on_hasher(move || {
        let inputs: Vec<&str> = inputs.iter().map(String::as_str).filter(|s| !s.is_empty()).collect();
        well_known(&password, &inputs)
    })
    .await?;
    if guessable {
        return Err(AppError::BadRequest(
            "That password is too easy to guess: it is one of the most used, or close to one. Choose another, \
             for example a few unrelated words."
                .into(),
        ));
    }
    Ok(())
}

/// Whether `password` is, as a whole, a listed password or one of the
/// account's `inputs`, or zxcvbn estimates it falls in under 10^6 guesses.
fn well_known(password: &str, inputs: &[&str]) -> bool {
    use zxcvbn::matching::patterns::MatchPattern;
    let estimate = zxcvbn::zxcvbn(password, inputs);
    let listed = match estimate.sequence() {
        // The dictionary's type is not exported by name; its Debug name is stable and tested below.
        [whole] => matches!(&whole.pattern, MatchPattern::Dictionary(d)
            if matches!(format!("{:?}", d.dictionary_name).as_str(), "Passwords" | "UserInputs")),
        _ => false,
    };
    listed || (estimate.score() as u8) < 2
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

    #[test]
    fn the_most_used_passwords_and_near_misses_are_refused() {
        for listed in ["password123", "Password123", "P@ssw0rd", "drowssap", "qwertyuiop", "iloveyou", "sunshine", "baseball",
                       "michael3", "1qaz2wsx3edc", "letmein6", "trustno1", "zxcvbnm1", "hunter2hunter2"] {
            assert!(well_known(listed, &[]), "{listed}");
        }
        assert!(well_known("adalovelace1815", &["adalovelace1815@example.com", "adalovelace1815"]), "the account's own name");
        for fine in ["correct horse battery", "a brand new pass phrase", "ünïcödé-pässwörd", "wrong one!", "Tr0ub4dor&3"] {
            assert!(!well_known(fine, &["ada@example.com", "ada"]), "{fine}");
        }
    }

    #[tokio::test]
    async fn new_passwords_get_a_sentence_when_refused() {
        assert!(check_new("correct horse battery", "ada@example.com", "Ada").await.is_ok());
        let AppError::BadRequest(why) = check_new("Password123", "ada@example.com", "Ada").await.unwrap_err() else {
            panic!("a bad request")
        };
        assert!(why.contains("too easy to guess"), "{why}");
        assert!(check_new("short", "ada@example.com", "Ada").await.is_err(), "the length rules still hold");
        assert!(check_new("Ada Lovelace", "ada@example.com", "Ada Lovelace").await.is_err(), "not one's own name");
    }

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
