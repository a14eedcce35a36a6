//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, six
//! digits), as authenticator apps compute them, and the base32 secrets they
//! are set up with.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per code.
pub const STEP_SECS: u64 = 30;
/// Codes one step before or after the current one are accepted too (clock drift).
const DRIFT_STEPS: u64 = 1;

/// The six-digit code for time step `step` (Unix seconds / 30).
pub fn code_at(secret: &[u8], step: u64) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = u32::from_be_bytes([digest[offset] & 0x7f, digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
    binary % 1_000_000
}

/// The time step `code` belongs to, if it is valid at `now` (Unix seconds)
/// and newer than `last_used` (a code works once).
pub fn verify(secret: &[u8], code: &str, now: u64, last_used: Option<u64>) -> Option<u64> {
    let code = code.trim().replace(' ', "");
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let wanted: u32 = code.parse().ok()?;
    let current = now / STEP_SECS;
    (current.saturating_sub(DRIFT_STEPS)..=current + DRIFT_STEPS)
        .filter(|step| last_used.is_none_or(|used| *step > used))
        .find(|step| code_at(secret, *step) == wanted)
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding, as authenticator apps expect.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..chars {
            out.push(char::from(ALPHABET[((bits >> (35 - i * 5)) & 31) as usize]));
        }
    }
    out
}

/// The `otpauth://` URI an authenticator app reads (usually from a QR code).
pub fn setup_uri(secret: &[u8], account: &str) -> String {
    let label: String = account.bytes().map(|b| if b.is_ascii_alphanumeric() || b"@.-_".contains(&b) { char::from(b).to_string() } else { format!("%{b:02X}") }).collect();
    format!("otpauth://totp/Oxcart:{label}?secret={}&issuer=Oxcart&algorithm=SHA1&digits=6&period={STEP_SECS}", base32(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (eight digits there; the last six here).
    #[test]
    fn matches_the_rfc_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, eight_digits) in [
            (59u64, 94287082u32),
            (1_111_111_109, 7081804),
            (1_111_111_111, 14050471),
            (1_234_567_890, 89005924),
            (2_000_000_000, 69279037),
            (20_000_000_000, 65353130),
        ] {
            assert_eq!(code_at(secret, time / STEP_SECS), eight_digits % 1_000_000, "t={time}");
        }
    }

    #[test]
    fn accepts_drift_and_refuses_reuse_and_garbage() {
        let secret = b"12345678901234567890";
        let now = 1_234_567_890;
        let code = format!("{:06}", code_at(secret, now / STEP_SECS - 1));
        let step = verify(secret, &code, now, None).expect("one step late is fine");
        assert_eq!(verify(secret, &code, now, Some(step)), None, "a code works once");
        assert_eq!(verify(secret, &code, now + 3 * STEP_SECS, None), None, "too old");
        for bad in ["", "12345", "1234567", "abcdef", "12 34 5x"] {
            assert_eq!(verify(secret, bad, now, None), None, "{bad}");
        }
    }

    #[test]
    fn base32_is_rfc_4648() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(b"12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert!(setup_uri(b"12345678901234567890", "a b@x.com").starts_with("otpauth://totp/Oxcart:a%20b@x.com?secret=GEZD"));
    }
}
