//! A small time-bounded read cache for catalog pages. Popular pages are read
//! from the database at most once per TTL on each app server; the TTL bounds how
//! stale a shown price or stock level can be (checkout always reads the database).

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries kept per cache before it is cleared, which bounds its memory.
const CAPACITY: usize = 20_000;

/// Values by key, each valid for `ttl` after it was loaded.
pub struct TtlCache<K, V> {
    ttl: Duration,
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash, V: Clone> TtlCache<K, V> {
    /// A cache whose entries live for `ttl`; a zero TTL caches nothing.
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, entries: Mutex::new(HashMap::new()) }
    }

    /// The cached value for `key`, or the result of `load`, cached if it succeeds.
    pub async fn get_or_try<E, Fut>(&self, key: K, load: impl FnOnce() -> Fut) -> Result<V, E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        if self.ttl.is_zero() {
            return load().await;
        }
        if let Some(value) = self.get(&key) {
            return Ok(value);
        }
        let value = load().await?;
        self.insert(key, value.clone());
        Ok(value)
    }

    /// Stores `value` for `key` (nothing when the TTL is zero).
    pub fn insert(&self, key: K, value: V) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(key, (Instant::now(), value));
    }

    /// The value for `key` if it is still fresh.
    pub fn get(&self, key: &K) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, value)| value.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[tokio::test]
    async fn caches_successes_for_the_ttl_only() {
        let cache = TtlCache::new(Duration::from_millis(50));
        let loads = Cell::new(0);
        let load = || async {
            loads.set(loads.get() + 1);
            Ok::<_, ()>(loads.get())
        };
        assert_eq!(cache.get_or_try("a", load).await, Ok(1));
        assert_eq!(cache.get_or_try("a", load).await, Ok(1));
        assert_eq!(cache.get_or_try("b", load).await, Ok(2));
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(cache.get_or_try("a", load).await, Ok(3));
        assert_eq!(cache.get_or_try("c", || async { Err::<i32, _>("db down") }).await, Err("db down"));
        assert_eq!(cache.get_or_try("c", || async { Ok::<_, &str>(9) }).await, Ok(9), "errors are not cached");
    }

    #[tokio::test]
    async fn zero_ttl_always_loads() {
        let cache = TtlCache::new(Duration::ZERO);
        let loads = Cell::new(0);
        for _ in 0..3 {
            cache.get_or_try(1, || async { loads.set(loads.get() + 1); Ok::<_, ()>(()) }).await.unwrap();
        }
        assert_eq!(loads.get(), 3);
    }
}
