//! Keeps the index in step with the database by applying `search_changes`.
//!
//! Each poll reads the changes after the index's last applied `seq`, re-reads
//! those products and commits them with the new `seq`. On PostgreSQL a lower
//! `seq` can commit after a higher one (or never, when its transaction rolls
//! back): the applied position only moves past such a gap once it has stayed
//! open for [`GAP_WAIT`]; products after the gap are re-applied meanwhile,
//! which is harmless because applying re-reads the database.

use super::{now, SearchIndex, CHANGE_RETENTION_SECS};
use crate::error::AppError;
use crate::ssr::db::Db;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often the change log is read.
pub const POLL: Duration = Duration::from_millis(250);
/// Changes read per poll.
const BATCH: i64 = 2000;
/// A backlog larger than this is cheaper to rebuild than to apply.
const REBUILD_BACKLOG: i64 = 50_000;
/// How long a gap in the change log may stay open before it is skipped.
const GAP_WAIT: Duration = Duration::from_secs(10);
/// How often synonyms and category names are re-read and old changes pruned.
const HOUSEKEEPING: Duration = Duration::from_secs(5);

/// Polls the change log until the database pool is closed (at shutdown).
pub fn spawn(index: Arc<SearchIndex>, db: Db) {
    tokio::spawn(async move {
        let mut syncer = Syncer { gap_since: None, last_housekeeping: Instant::now() };
        loop {
            tokio::time::sleep(POLL).await;
            if db.pool.is_closed() {
                break;
            }
            if let Err(error) = syncer.step(&index, &db).await {
                tracing::warn!(?error, "search index update failed; retrying");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    });
}

struct Syncer {
    gap_since: Option<Instant>,
    last_housekeeping: Instant,
}

impl Syncer {
    async fn step(&mut self, index: &Arc<SearchIndex>, db: &Db) -> Result<(), AppError> {
        if self.last_housekeeping.elapsed() >= HOUSEKEEPING {
            self.last_housekeeping = Instant::now();
            index.refresh_vocabulary(db).await?;
            sqlx::query("DELETE FROM search_changes WHERE changed_at < $1")
                .bind(now() - CHANGE_RETENTION_SECS)
                .execute(&db.pool)
                .await?;
        }
        catch_up(index, db, &mut self.gap_since).await
    }
}

/// Applies everything in the change log after the index's position; returns
/// once the log is read to its end.
pub async fn catch_up(index: &Arc<SearchIndex>, db: &Db, gap_since: &mut Option<Instant>) -> Result<(), AppError> {
    loop {
        let from = index.applied_seq();
        let (backlog,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM search_changes WHERE seq > $1")
            .bind(from)
            .fetch_one(&db.pool)
            .await?;
        if backlog == 0 {
            return Ok(());
        }
        if backlog > REBUILD_BACKLOG {
            tracing::info!(backlog, "many catalog changes pending: rebuilding the search index");
            return index.rebuild(db, |_, _| {}).await;
        }
        let rows: Vec<(i64, i64)> =
            sqlx::query_as("SELECT seq, product_id FROM search_changes WHERE seq > $1 ORDER BY seq LIMIT $2")
                .bind(from)
                .bind(BATCH)
                .fetch_all(&db.pool)
                .await?;
        let Some(&(last, _)) = rows.last() else { return Ok(()) };
        let contiguous_to = rows
            .iter()
            .zip(from + 1..)
            .take_while(|((seq, _), expected)| seq == expected)
            .last()
            .map_or(from, |((seq, _), _)| *seq);
        let applied_to = if contiguous_to == last {
            *gap_since = None;
            last
        } else if gap_since.get_or_insert_with(Instant::now).elapsed() >= GAP_WAIT {
            tracing::debug!(after = contiguous_to, "skipping a change-log gap that stayed open");
            *gap_since = None;
            last
        } else {
            contiguous_to
        };
        let mut ids: Vec<i64> = rows.iter().map(|(_, id)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        // Product 0 notes a change of categories or brands: reread their names first.
        if ids.first() == Some(&0) {
            index.refresh_vocabulary(db).await?;
        }
        index.apply(db, &ids, applied_to).await?;
        if applied_to < last || rows.len() < BATCH as usize {
            return Ok(());
        }
    }
}
