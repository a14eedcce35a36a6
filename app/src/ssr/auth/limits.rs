//! Token buckets per client address for the account forms, so one address
//! cannot hammer sign-in, registration or password reset.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A bucket of `capacity` tokens refilled at `per_second`.
pub struct RateLimiter {
    capacity: f64,
    per_second: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

/// Addresses remembered before full buckets are forgotten.
const MAX_TRACKED: usize = 100_000;

impl RateLimiter {
    pub fn new(capacity: u32, per_second: f64) -> Self {
        Self { capacity: f64::from(capacity), per_second, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes a token for `ip`, or says how long until one is available.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        self.check_at(ip, Instant::now())
    }

    fn check_at(&self, ip: IpAddr, now: Instant) -> Result<(), Duration> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_TRACKED {
            let (capacity, rate) = (self.capacity, self.per_second);
            buckets.retain(|_, (tokens, at)| *tokens + now.duration_since(*at).as_secs_f64() * rate < capacity);
        }
        let (tokens, at) = buckets.entry(ip).or_insert((self.capacity, now));
        let refilled = (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.capacity);
        *at = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            Ok(())
        } else {
            *tokens = refilled;
            Err(Duration::from_secs_f64((1.0 - refilled) / self.per_second).max(Duration::from_secs(1)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_refused_until_refilled() {
        let limiter = RateLimiter::new(3, 0.5);
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        let t = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check_at(a, t).is_ok());
        }
        let wait = limiter.check_at(a, t).unwrap_err();
        assert_eq!(wait, Duration::from_secs(2), "one token per two seconds");
        assert!(limiter.check_at(b, t).is_ok(), "other addresses are not affected");
        assert!(limiter.check_at(a, t + Duration::from_secs(2)).is_ok());
    }
}
