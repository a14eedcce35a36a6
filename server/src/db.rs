//! Opening the database (SQLite or PostgreSQL, chosen by URL) and migrating it.

mod sqlite_checks;

use crate::config::Config;
use app::ssr::{Backend, Db};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::AnyConnection;
use sqlx::migrate::Migrator;
use sqlx::{ConnectOptions, Connection, Executor};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// Every connection to SQLite gets these: write-ahead log for concurrent readers,
/// full fsync on commit (no acknowledged write is lost), enforced foreign keys,
/// a wait rather than an error when another writer holds the lock, and reads
/// through a memory map and a 32 MB page cache instead of a syscall per page.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -32000; \
     PRAGMA mmap_size = 1073741824; PRAGMA temp_store = MEMORY;";

/// The database URL to use: the configured one, or SQLite in the data directory.
pub fn database_url(config: &Config) -> Result<String, String> {
    if !config.database_url.is_empty() {
        return Ok(config.database_url.clone());
    }
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| format!("cannot create data directory {}: {e}", config.data_dir.display()))?;
    Ok(format!("sqlite://{}?mode=rwc", config.data_dir.join("oxcart.db").display()))
}

/// `url` with any password replaced by `***`, safe to print.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    match rest.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_owned(),
    }
}

/// Opens a pool to `url` and checks that the database answers.
pub async fn connect(url: &str, max_connections: u32) -> Result<Db, String> {
    sqlx::any::install_default_drivers();
    let backend = if url.starts_with("sqlite:") {
        Backend::Sqlite
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Backend::Postgres
    } else {
        return Err(format!(
            "DATABASE_URL {:?} is not supported: use sqlite:PATH or postgres://USER@HOST/DB",
            redact(url)
        ));
    };
    let options = AnyConnectOptions::from_str(url)
        .map_err(|e| format!("DATABASE_URL {:?} is malformed: {e}", redact(url)))?
        .log_statements(tracing::log::LevelFilter::Trace)
        .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(500));
    let size = match (max_connections, backend) {
        (0, Backend::Sqlite) => 8,
        (0, Backend::Postgres) => 16,
        (n, _) => n,
    };
    let mut pool = AnyPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(10));
    if backend == Backend::Sqlite {
        pool = pool.after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(SQLITE_PRAGMAS).await?;
                Ok(())
            })
        });
    }
    // One direct attempt first: the pool would retry a refused connection until
    // its acquire timeout, where a person starting the shop wants the reason now.
    let mut conn = tokio::time::timeout(Duration::from_secs(10), AnyConnection::connect_with(&options))
        .await
        .map_err(|_| format!("database at {} did not answer within 10 s", redact(url)))?
        .map_err(|e| format!("cannot reach the database at {}: {e}", redact(url)))?;
    conn.ping().await.map_err(|e| format!("database at {} does not answer: {e}", redact(url)))?;
    conn.close().await.ok();
    let pool = pool.connect_lazy_with(options);
    Ok(Db { pool, backend })
}

/// Applies every pending migration for the engine (on SQLite, then the CHECK
/// changes it can only make outside a migration file).
pub async fn migrate(db: &Db) -> Result<(), String> {
    match db.backend {
        Backend::Sqlite => {
            SQLITE_MIGRATIONS.run(&db.pool).await.map_err(|e| format!("migration failed: {e}"))?;
            sqlite_checks::apply(&db.pool).await
        }
        Backend::Postgres => POSTGRES_MIGRATIONS.run(&db.pool).await.map_err(|e| format!("migration failed: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_passwords_only() {
        assert_eq!(redact("postgres://shop:s3cret@db:5432/shop"), "postgres://shop:***@db:5432/shop");
        assert_eq!(redact("postgres://db/shop"), "postgres://db/shop");
        assert_eq!(redact("sqlite://data/oxcart.db"), "sqlite://data/oxcart.db");
        assert_eq!(redact("p://u:a@b@host/x"), "p://u:***@host/x");
    }
}
