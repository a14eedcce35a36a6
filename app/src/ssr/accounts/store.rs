//! tower-sessions records in the shop's database (SQLite or PostgreSQL), so
//! every app server sees every session.

use crate::ssr::db::Db;
use async_trait::async_trait;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// How far the stored idle deadline may lag the one the cookie was given
/// before an unchanged session is written again (see `save`). The session can
/// therefore end up to this much before its full idle timeout.
pub const REFRESH_SECS: i64 = 3600;

/// Sessions in the `sessions` table, as JSON.
#[derive(Clone)]
pub struct DbSessionStore {
    db: Db,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Deletes expired sessions; returns how many.
    pub async fn delete_expired(&self) -> Result<u64, sqlx::Error> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(OffsetDateTime::now_utc().unix_timestamp())
            .execute(&self.db.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Deletes expired sessions every `every` until the pool is closed.
    pub fn spawn_cleanup(self, every: std::time::Duration) {
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                if self.db.pool.is_closed() {
                    break;
                }
                if let Err(error) = self.delete_expired().await {
                    tracing::warn!(%error, "cannot delete expired sessions");
                }
            }
        });
    }
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

/// The session's data as JSON, keys sorted, so that unchanged data encodes
/// to the same text (what `save` compares).
fn encode(record: &Record) -> session_store::Result<String> {
    let sorted: std::collections::BTreeMap<_, _> = record.data.iter().collect();
    serde_json::to_string(&sorted).map_err(|e| session_store::Error::Encode(e.to_string()))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let inserted = sqlx::query(
                "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(encode(record)?)
            .bind(record.expiry_date.unix_timestamp())
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default(); // an id collision: draw again
        }
    }

    /// Writes only what changed. Sessions expire on inactivity, so every
    /// request saves its session; when nothing but the deadline moved, and the
    /// stored deadline is less than [`REFRESH_SECS`] behind, nothing is
    /// written. The check is a read, so it never waits for (or holds up)
    /// SQLite's single writer.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = encode(record)?;
        let expires_at = record.expiry_date.unix_timestamp();
        let id = record.id.to_string();
        let stored: Option<(String, i64)> = sqlx::query_as("SELECT data, expires_at FROM sessions WHERE id = $1")
            .bind(&id)
            .fetch_optional(&self.db.pool)
            .await
            .map_err(backend)?;
        if stored.is_some_and(|(was, until)| was == data && until >= expires_at - REFRESH_SECS) {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(&id)
        .bind(&data)
        .bind(expires_at)
        .execute(&self.db.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
                .bind(id.to_string())
                .bind(OffsetDateTime::now_utc().unix_timestamp())
                .fetch_optional(&self.db.pool)
                .await
                .map_err(backend)?;
        let Some((data, expires_at)) = row else { return Ok(None) };
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?,
            expiry_date: OffsetDateTime::from_unix_timestamp(expires_at).map_err(backend)?,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id.to_string()).execute(&self.db.pool).await.map_err(backend)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::encode;
    use tower_sessions::session::{Id, Record};

    /// Equal data encodes to equal text however its map was built, so an
    /// unchanged session is recognised (each `HashMap` iterates in its own order).
    #[test]
    fn equal_data_encodes_to_equal_text() {
        let record = |keys: Vec<char>| Record {
            id: Id::default(),
            data: keys.into_iter().map(|k| (k.to_string(), serde_json::json!(k.to_string()))).collect(),
            expiry_date: time::OffsetDateTime::UNIX_EPOCH,
        };
        let forward: Vec<char> = ('a'..='z').collect();
        let backward: Vec<char> = forward.iter().rev().copied().collect();
        assert_eq!(encode(&record(forward)).unwrap(), encode(&record(backward)).unwrap());
    }
}
