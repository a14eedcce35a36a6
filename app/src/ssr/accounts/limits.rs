//! Rate limits. Who a client is ([`ClientAddr`], worked out by the server
//! behind trusted proxies, grouped by [`client_key`]); token buckets per
//! client for the account forms (in memory, per app server: the per-account
//! failure lock in the audit log is what holds across servers); and counters
//! in the database for placing orders and paying ([`hit`]), so those limits
//! hold however many app servers share the database.

use crate::error::AppError;
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The address a request came from, as the server worked it out (behind a
/// trusted proxy: the forwarded client's). Set on every request by the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// What limits count a client under: its IPv4 address, or its IPv6 /64 (one
/// home or phone network hands out a whole /64 to each device).
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        },
    }
}

/// This request's client address: what the server set, else the connection's peer.
pub async fn request_client() -> IpAddr {
    if let Ok(axum::Extension(ClientAddr(ip))) = leptos_axum::extract::<axum::Extension<ClientAddr>>().await {
        return ip;
    }
    leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .await
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip())
}

/// A limit kept in the database: at most `most` hits per client in each
/// window of `window_secs` (0 = no limit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub most: u32,
    pub window_secs: i64,
}

/// Counts one hit of `client` on `bucket` (inside the caller's transaction,
/// so a refused or rolled-back action does not count) and refuses with 429
/// once the window's hits pass the limit. Counted per [`client_key`].
pub async fn hit(conn: &mut AnyConnection, bucket: &str, client: IpAddr, limit: Limit, what: &str) -> Result<(), AppError> {
    if limit.most == 0 || limit.window_secs <= 0 {
        return Ok(());
    }
    let now = crate::ssr::now();
    let window = now - now.rem_euclid(limit.window_secs);
    let (hits,): (i64,) = sqlx::query_as(
        "INSERT INTO rate_limits (bucket, client, window_start, hits) VALUES ($1, $2, $3, 1) \
         ON CONFLICT (bucket, client, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits",
    )
    .bind(bucket)
    .bind(client_key(client).to_string())
    .bind(window)
    .fetch_one(&mut *conn)
    .await?;
    if hits > i64::from(limit.most) {
        return Err(AppError::TooManyRequests {
            message: format!("Too many {what} from your network. Wait a few minutes and try again."),
            retry_after: (window + limit.window_secs - now).max(1) as u64,
        });
    }
    Ok(())
}

/// Deletes counters of windows that began over a day ago; returns how many.
pub async fn forget_old(db: &crate::ssr::db::Db) -> Result<usize, AppError> {
    let done = sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
        .bind(crate::ssr::now() - 86_400)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() as usize)
}

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
    fn ipv6_clients_are_counted_by_their_64_and_mapped_ipv4_as_ipv4() {
        let key = |s: &str| client_key(s.parse().unwrap());
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::9"), "one /64, one client");
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:192.0.2.1"), key("192.0.2.1"));
        assert_eq!(key("192.0.2.1").to_string(), "192.0.2.1");
    }

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
