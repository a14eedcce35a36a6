//! Product search: an embedded tantivy index in the data directory, derived
//! from the database and kept in step with it by [`sync`].
//!
//! The index stores, inside each commit, the last `search_changes.seq` it
//! reflects. On start it is opened and caught up from there; a missing,
//! unreadable or outdated index is rebuilt from the database.

mod documents;
mod engine;
mod facets;
pub mod query;
mod schema;
mod spelling;
pub mod sync;

use crate::error::AppError;
use crate::ssr::db::Db;
use crate::ssr::now;
use query::Synonyms;
use schema::Fields;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Memory the index writer may use before it flushes a segment.
const WRITER_HEAP_BYTES: usize = 64 << 20;
/// Products read from the database per batch while rebuilding.
const REBUILD_BATCH: i64 = 1000;
/// Changes older than this are pruned; an index that has not been updated for
/// longer is rebuilt instead of caught up.
pub const CHANGE_RETENTION_SECS: i64 = 7 * 86_400;

/// What each commit records about the database state it reflects.
#[derive(Debug, Serialize, Deserialize)]
struct CommitPayload {
    /// The last `search_changes.seq` applied.
    seq: i64,
    /// When the commit was made (Unix seconds).
    at: i64,
}

enum OpenError {
    Missing,
    Unusable(String),
}

/// The open index with its writer, reader and the data queries need.
pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    fields: Fields,
    dir: PathBuf,
    /// Bumped on every commit; cached results of older generations are unused.
    generation: AtomicU64,
    /// Announces each new generation (the catalog changed).
    changes: tokio::sync::watch::Sender<u64>,
    /// Run after each commit, before the new generation is announced.
    on_change: RwLock<Vec<Box<dyn Fn() + Send + Sync>>>,
    applied_seq: AtomicU64,
    synonyms: RwLock<Synonyms>,
    /// Category name and parent slug by slug, for filters and facet labels.
    category_names: RwLock<HashMap<String, (String, Option<String>)>>,
    /// Per-segment tables for filtering and facet counting.
    facet_tables: facets::FacetTables,
    results: crate::ssr::cache::TtlCache<(u64, crate::domain::SearchRequest), crate::domain::listing::SearchResults>,
    /// The words "did you mean" chooses from, and the generation they are of.
    vocabulary: Mutex<Option<(u64, Arc<spelling::Vocabulary>)>>,
}

impl SearchIndex {
    /// Opens the index in `dir`, rebuilding it from `db` when it is missing,
    /// unreadable, from an older schema or too far behind to catch up.
    /// Result pages are reused for up to `cache_ttl` while the index is unchanged
    /// (zero: never).
    pub async fn open(dir: &Path, db: &Db, cache_ttl: std::time::Duration) -> Result<Arc<Self>, AppError> {
        let (search, payload) = Self::open_index(dir, cache_ttl)?;
        match payload {
            Some(p) => search.applied_seq.store(p.seq.max(0) as u64, Ordering::Release),
            None => search.rebuild(db, |_, _| {}).await?,
        }
        search.refresh_vocabulary(db).await?;
        Ok(search)
    }

    /// Opens the index in `dir` for [`rebuild`](Self::rebuild) to fill: as it
    /// is, or empty when missing or unusable. Reads nothing from the database.
    pub fn open_for_rebuild(dir: &Path) -> Result<Arc<Self>, AppError> {
        Self::open_index(dir, std::time::Duration::ZERO).map(|(search, _)| search)
    }

    /// The index in `dir` and what its last commit recorded; a fresh empty
    /// index (and no record) when it cannot be caught up.
    fn open_index(dir: &Path, cache_ttl: std::time::Duration) -> Result<(Arc<Self>, Option<CommitPayload>), AppError> {
        let opened = Self::open_existing(dir);
        let (index, payload) = match opened {
            Ok((index, Some(payload))) if now() - payload.at < CHANGE_RETENTION_SECS => (index, Some(payload)),
            Ok((_, Some(_))) => {
                tracing::warn!(dir = %dir.display(), "search index older than the change log: rebuilding");
                (Self::create_fresh(dir)?, None)
            }
            Ok((_, None)) => {
                tracing::warn!(dir = %dir.display(), "search index has no commit yet: rebuilding");
                (Self::create_fresh(dir)?, None)
            }
            Err(OpenError::Missing) => {
                tracing::info!(dir = %dir.display(), "building the search index");
                (Self::create_fresh(dir)?, None)
            }
            Err(OpenError::Unusable(why)) => {
                tracing::warn!(dir = %dir.display(), %why, "search index unusable: rebuilding");
                (Self::create_fresh(dir)?, None)
            }
        };
        Ok((Arc::new(Self::with_index(index, dir, cache_ttl)?), payload))
    }

    fn open_existing(dir: &Path) -> Result<(Index, Option<CommitPayload>), OpenError> {
        if !dir.join("meta.json").exists() {
            return Err(OpenError::Missing);
        }
        Self::open_files(dir).map_err(OpenError::Unusable)
    }

    fn open_files(dir: &Path) -> Result<(Index, Option<CommitPayload>), String> {
        let directory = MmapDirectory::open(dir).map_err(|e| e.to_string())?;
        let index = Index::open(directory).map_err(|e| e.to_string())?;
        let (schema, _) = Fields::build();
        if index.schema() != schema {
            return Err("built with another schema".into());
        }
        let metas = index.load_metas().map_err(|e| e.to_string())?;
        let payload = match metas.payload {
            None => None,
            Some(p) => Some(serde_json::from_str(&p).map_err(|e| format!("bad commit payload: {e}"))?),
        };
        // Open every segment once so a damaged file is found now, not mid-request.
        index.reader().map_err(|e| e.to_string())?;
        Ok((index, payload))
    }

    fn create_fresh(dir: &Path) -> Result<Index, AppError> {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(internal("removing the old search index"))?;
        }
        std::fs::create_dir_all(dir).map_err(internal("creating the search index directory"))?;
        let directory = MmapDirectory::open(dir).map_err(internal("opening the search index directory"))?;
        let (schema, _) = Fields::build();
        Index::create(directory, schema, Default::default()).map_err(internal("creating the search index"))
    }

    fn with_index(index: Index, dir: &Path, cache_ttl: std::time::Duration) -> Result<Self, AppError> {
        schema::register_analyzer(&index);
        let (_, fields) = Fields::build();
        let writer = index.writer_with_num_threads(1, WRITER_HEAP_BYTES).map_err(|e| {
            tracing::error!(error = %e, "cannot lock the search index (is another oxcart using this data directory?)");
            AppError::Internal
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(internal("opening a search index reader"))?;
        Ok(Self {
            reader,
            writer: Mutex::new(writer),
            fields,
            dir: dir.to_path_buf(),
            generation: AtomicU64::new(0),
            changes: tokio::sync::watch::Sender::new(0),
            on_change: RwLock::default(),
            applied_seq: AtomicU64::new(0),
            synonyms: RwLock::default(),
            category_names: RwLock::default(),
            facet_tables: facets::FacetTables::default(),
            results: crate::ssr::cache::TtlCache::new(cache_ttl),
            vocabulary: Mutex::new(None),
        })
    }

    /// Rewrites the whole index from the database, calling `progress(done, total)`
    /// after each batch. Changes made meanwhile are applied afterwards by [`sync`].
    pub async fn rebuild(self: &Arc<Self>, db: &Db, progress: impl Fn(u64, u64)) -> Result<(), AppError> {
        let started = std::time::Instant::now();
        let (seq,): (i64,) =
            sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM search_changes").fetch_one(&db.pool).await?;
        let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM products WHERE status = 'active'").fetch_one(&db.pool).await?;
        self.lock_writer().delete_all_documents().map_err(internal("clearing the search index"))?;
        let (mut after, mut done) = (0i64, 0u64);
        loop {
            let batch = documents::batch_after(db, after, REBUILD_BATCH).await?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            done += batch.len() as u64;
            {
                let writer = self.lock_writer();
                for product in &batch {
                    writer.add_document(product.to_document(&self.fields)).map_err(internal("indexing a product"))?;
                }
            }
            progress(done, total.max(0) as u64);
        }
        self.commit(seq).await?;
        tracing::info!(products = done, seconds = started.elapsed().as_secs_f32(), "search index rebuilt");
        Ok(())
    }

    /// Re-reads the products `ids` from the database into the index (deleting
    /// those that are gone) and records `seq` as applied.
    pub async fn apply(self: &Arc<Self>, db: &Db, ids: &[i64], seq: i64) -> Result<(), AppError> {
        let mut docs = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            docs.extend(documents::by_ids(db, chunk).await?);
        }
        {
            let writer = self.lock_writer();
            for id in ids {
                writer.delete_term(Term::from_field_u64(self.fields.id, *id as u64));
            }
            for product in &docs {
                writer.add_document(product.to_document(&self.fields)).map_err(internal("indexing a product"))?;
            }
        }
        self.commit(seq).await
    }

    /// Commits on a blocking thread (it waits for indexing and the disk).
    async fn commit(self: &Arc<Self>, seq: i64) -> Result<(), AppError> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.commit_now(seq)).await.map_err(internal("joining a search commit"))?
    }

    fn commit_now(&self, seq: i64) -> Result<(), AppError> {
        let payload = serde_json::to_string(&CommitPayload { seq, at: now() }).expect("plain struct");
        {
            let mut writer = self.lock_writer();
            let mut prepared = writer.prepare_commit().map_err(internal("preparing a search commit"))?;
            prepared.set_payload(&payload);
            prepared.commit().map_err(internal("committing the search index"))?;
        }
        self.reader.reload().map_err(internal("reloading the search index"))?;
        self.applied_seq.store(seq.max(0) as u64, Ordering::Release);
        for hook in self.on_change.read().unwrap_or_else(|p| p.into_inner()).iter() {
            hook();
        }
        let generation = self.generation.fetch_add(1, Ordering::AcqRel) + 1;
        self.changes.send_replace(generation);
        Ok(())
    }

    /// The number of index commits so far; it changes whenever the catalog does.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Runs `hook` after every commit, before the new generation is visible,
    /// e.g. to empty caches of catalog data.
    pub fn on_change(&self, hook: impl Fn() + Send + Sync + 'static) {
        self.on_change.write().unwrap_or_else(|p| p.into_inner()).push(Box::new(hook));
    }

    /// Notified with the new [`generation`](Self::generation) after each commit.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// Reloads synonyms and category names from the database.
    pub async fn refresh_vocabulary(&self, db: &Db) -> Result<(), AppError> {
        let pairs: Vec<(String, String)> =
            sqlx::query_as("SELECT term, synonym FROM search_synonyms").fetch_all(&db.pool).await?;
        let names: Vec<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT c.slug, c.name, p.slug FROM categories c LEFT JOIN categories p ON p.id = c.parent_id",
        )
        .fetch_all(&db.pool)
        .await?;
        *self.synonyms.write().unwrap_or_else(|p| p.into_inner()) = Synonyms::from_pairs(pairs);
        *self.category_names.write().unwrap_or_else(|p| p.into_inner()) =
            names.into_iter().map(|(slug, name, parent)| (slug, (name, parent))).collect();
        Ok(())
    }

    /// The last change-log entry the index reflects.
    pub fn applied_seq(&self) -> i64 {
        self.applied_seq.load(Ordering::Acquire) as i64
    }

    /// Documents in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes the index takes on disk.
    pub fn size_on_disk(&self) -> u64 {
        std::fs::read_dir(&self.dir)
            .map(|entries| entries.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
            .unwrap_or(0)
    }

    fn lock_writer(&self) -> std::sync::MutexGuard<'_, IndexWriter<TantivyDocument>> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn internal<E: std::fmt::Display>(what: &'static str) -> impl Fn(E) -> AppError {
    move |e| {
        tracing::error!(error = %e, "search: {what} failed");
        AppError::Internal
    }
}
