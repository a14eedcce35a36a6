//! Database access over one SQL dialect that both SQLite and PostgreSQL accept:
//! `$n` placeholders, BIGINT integers, TEXT strings, DOUBLE PRECISION floats.

use sqlx::AnyPool;

/// Which engine a [`Db`] talks to, for the rare statement that differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection pool and the engine behind it.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

impl Db {
    /// A transaction that reads and then writes. On SQLite it takes the write
    /// lock at once (`BEGIN IMMEDIATE`): a deferred transaction that read
    /// first fails with "database is locked" when another writer committed
    /// meanwhile. PostgreSQL's statements lock their own rows.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }
}

/// `"$start, $start+1, …"` for `count` placeholders, for building multi-row statements.
pub fn placeholders(start: usize, count: usize) -> String {
    (start..start + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `head` (an `INSERT … VALUES`) followed by `rows` groups of `columns`
/// placeholders, then `ON CONFLICT DO NOTHING`.
pub fn rows_sql(head: &str, rows: usize, columns: usize) -> String {
    format!("{} ON CONFLICT DO NOTHING", values_sql(head, rows, columns))
}

/// `head` (an `INSERT … VALUES`) followed by `rows` groups of `columns` placeholders.
pub fn values_sql(head: &str, rows: usize, columns: usize) -> String {
    let groups = (0..rows).map(|r| format!("({})", placeholders(r * columns + 1, columns))).collect::<Vec<_>>().join(", ");
    format!("{head} {groups}")
}

/// A LIKE pattern that finds `text` anywhere, in lower case, with `!` as the
/// escape character (write `LIKE $n ESCAPE '!'`): `%`, `_` and `!` match themselves.
pub fn contains_pattern(text: &str) -> String {
    let escaped: String = text.to_lowercase().chars().flat_map(|c| if matches!(c, '%' | '_' | '!') { vec!['!', c] } else { vec![c] }).collect();
    format!("%{escaped}%")
}

/// A statement with its binds so far (for helpers that bind a row's fields).
pub type Statement<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Whether `conn` talks to PostgreSQL (else SQLite).
pub fn is_postgres(conn: &sqlx::AnyConnection) -> bool {
    conn.backend_name().eq_ignore_ascii_case("postgresql") || conn.backend_name().eq_ignore_ascii_case("postgres")
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_numbered() {
        assert_eq!(super::placeholders(3, 3), "$3, $4, $5");
        assert_eq!(super::rows_sql("INSERT INTO t (a, b) VALUES", 2, 2), "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) ON CONFLICT DO NOTHING");
        assert_eq!(super::contains_pattern("50%_Off!"), "%50!%!_off!!%");
        assert_eq!(super::placeholders(1, 0), "");
    }
}
