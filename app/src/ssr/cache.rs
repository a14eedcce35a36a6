//! A small read cache for catalog pages. Entries are dropped when the catalog
//! changes (see [`TtlCache::clear`]) and in any case after their TTL, which
//! bounds staleness for changes the change log does not carry.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;
// Tokio's clock: tests pause and advance it instead of sleeping through TTLs.
use tokio::time::Instant;

/// Entries kept per cache before it is cleared, which bounds its memory.
const CAPACITY: usize = 20_000;

/// Values by key, each valid for `ttl` after it was loaded.
pub struct TtlCache<K, V> {
    ttl: Duration,
    entries: Mutex<HashMap<K, (Instant, V)>>,
    /// Bumped by `clear`, so a load that began before it is not stored after it.
    epoch: AtomicU64,
}

impl<K: Eq + Hash, V: Clone> TtlCache<K, V> {
    /// A cache whose entries live for `ttl`; a zero TTL caches nothing.
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, entries: Mutex::new(HashMap::new()), epoch: AtomicU64::new(0) }
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
        let epoch = self.epoch.load(Ordering::Acquire);
        let value = load().await?;
        self.store(key, value.clone(), epoch);
        Ok(value)
    }

    /// Stores `value` for `key` (nothing when the TTL is zero).
    pub fn insert(&self, key: K, value: V) {
        self.store(key, value, self.epoch.load(Ordering::Acquire));
    }

    /// Drops every entry.
    pub fn clear(&self) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        self.epoch.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }

    fn store(&self, key: K, value: V, epoch: u64) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if self.epoch.load(Ordering::Acquire) != epoch {
            return;
        }
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

/// Notes in the change log, inside the change's transaction, that the
/// catalog's shape or the shop's settings changed (categories, brands, what
/// product pages say of tax): every app server then empties its page caches
/// and these read caches within a poll of the log, as it does for a
/// product's change. Product 0 is no product.
pub async fn note_catalog_change(conn: &mut sqlx::AnyConnection) -> Result<(), crate::error::AppError> {
    sqlx::query("INSERT INTO search_changes (product_id, changed_at) VALUES (0, $1)")
        .bind(crate::ssr::now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[tokio::test(start_paused = true)]
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
        tokio::time::advance(Duration::from_millis(49)).await;
        assert_eq!(cache.get_or_try("a", load).await, Ok(1), "still fresh 1 ms before the TTL");
        tokio::time::advance(Duration::from_millis(1)).await;
        assert_eq!(cache.get_or_try("a", load).await, Ok(3), "reloaded at the TTL");
        assert_eq!(cache.get_or_try("c", || async { Err::<i32, _>("db down") }).await, Err("db down"));
        assert_eq!(cache.get_or_try("c", || async { Ok::<_, &str>(9) }).await, Ok(9), "errors are not cached");
    }

    #[tokio::test]
    async fn clear_drops_entries_and_loads_begun_before_it() {
        let cache = TtlCache::new(Duration::from_secs(60));
        cache.insert("a", 1);
        cache.clear();
        assert_eq!(cache.get(&"a"), None);
        let value = cache
            .get_or_try("b", || async {
                cache.clear(); // the catalog changed while this was loading
                Ok::<_, ()>(2)
            })
            .await;
        assert_eq!(value, Ok(2));
        assert_eq!(cache.get(&"b"), None, "possibly stale, so not kept");
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
