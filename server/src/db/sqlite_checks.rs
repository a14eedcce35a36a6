//! CHECK constraints that SQLite cannot alter in place.
//!
//! SQLite changes a CHECK only by rebuilding the table (create, copy, drop,
//! rename: <https://sqlite.org/lang_altertable.html#otheralter>). That needs
//! foreign keys off — else dropping the old table deletes, through `ON DELETE
//! CASCADE`, every row that refers to it — and the pragma is a no-op inside a
//! transaction, where sqlx runs each migration file. So these few changes run
//! here, after the migration files, each on its own connection and idempotent:
//! a table whose CHECK already reads the new way is left alone. PostgreSQL gets
//! the same change as an ordinary migration file.

use sqlx::{AnyConnection, Connection, Executor};

/// One widened CHECK: in `table`'s definition, `from` becomes `to`.
struct CheckChange {
    table: &'static str,
    from: &'static str,
    to: &'static str,
}

/// In order of the migration they stand for (named in each comment).
const CHANGES: &[CheckChange] = &[
    // 20261126000001_processing: orders may be "processing" (being packed).
    CheckChange {
        table: "orders",
        from: "('pending-payment', 'paid', 'partially-shipped'",
        to: "('pending-payment', 'paid', 'processing', 'partially-shipped'",
    },
    // 20261210000002_people: catalog managers and order managers.
    CheckChange {
        table: "users",
        from: "('customer', 'seller', 'admin')",
        to: "('customer', 'seller', 'admin', 'catalog', 'orders')",
    },
    // 20261213000001_promo_targets: a promo code may give free shipping (amount 0).
    CheckChange { table: "promo_codes", from: "kind IN ('percent', 'fixed')", to: "kind IN ('percent', 'fixed', 'free_shipping')" },
    CheckChange { table: "promo_codes", from: "CHECK (amount > 0)", to: "CHECK (amount > 0 OR kind = 'free_shipping')" },
];

/// Applies every change not yet made.
pub async fn apply(pool: &sqlx::AnyPool) -> Result<(), String> {
    for change in CHANGES {
        let mut conn = pool.acquire().await.map_err(|e| e.to_string())?.detach();
        let result = rebuild(&mut conn, change).await;
        // The connection had foreign keys off: it never goes back to the pool.
        conn.close().await.ok();
        result.map_err(|e| format!("rebuilding table {} failed: {e}", change.table))?;
    }
    Ok(())
}

/// Rebuilds `change.table` with the new CHECK, in one write transaction.
async fn rebuild(conn: &mut AnyConnection, change: &CheckChange) -> Result<(), sqlx::Error> {
    conn.execute("PRAGMA foreign_keys = OFF").await?;
    conn.execute("BEGIN IMMEDIATE").await?;
    match copy_and_swap(conn, change).await {
        Ok(()) => conn.execute("COMMIT").await.map(drop),
        Err(e) => {
            conn.execute("ROLLBACK").await.ok();
            Err(e)
        }
    }
}

async fn copy_and_swap(conn: &mut AnyConnection, change: &CheckChange) -> Result<(), sqlx::Error> {
    let table = change.table;
    let (definition,): (String,) = sqlx::query_as("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1")
        .bind(table)
        .fetch_one(&mut *conn)
        .await?;
    if definition.contains(change.to) {
        return Ok(());
    }
    // The head is `CREATE TABLE orders (` as first written, `CREATE TABLE "orders" (` after a rebuild.
    let columns = definition.find('(').filter(|_| definition.starts_with("CREATE TABLE "));
    let Some(columns) = columns.filter(|_| definition.matches(change.from).count() == 1) else {
        return Err(sqlx::Error::Protocol(format!("the definition of {table} is not the expected one")));
    };
    // Indexes and triggers go with the old table; their definitions are kept to recreate them.
    let companions: Vec<(String,)> = sqlx::query_as(
        "SELECT sql FROM sqlite_master WHERE tbl_name = $1 AND type IN ('index', 'trigger') AND sql IS NOT NULL",
    )
    .bind(table)
    .fetch_all(&mut *conn)
    .await?;
    let rebuilt = format!("{table}_rebuilt");
    let create = format!("CREATE TABLE {rebuilt} {}", definition[columns..].replacen(change.from, change.to, 1));
    conn.execute(create.as_str()).await?;
    conn.execute(format!("INSERT INTO {rebuilt} SELECT * FROM {table}").as_str()).await?;
    conn.execute(format!("DROP TABLE {table}").as_str()).await?;
    conn.execute(format!("ALTER TABLE {rebuilt} RENAME TO {table}").as_str()).await?;
    for (sql,) in companions {
        conn.execute(sql.as_str()).await?;
    }
    let broken: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(&mut *conn).await?;
    if let Some((child,)) = broken.first() {
        return Err(sqlx::Error::Protocol(format!("rows of {child} lost their {table} row")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{connect, SQLITE_MIGRATIONS};

    /// An existing shop upgrades: its orders and the rows that refer to them
    /// survive the rebuild, indexes and foreign keys are back, the new state
    /// is accepted, and a second run changes nothing.
    #[tokio::test]
    async fn rebuilding_orders_keeps_every_row_and_reference() {
        let dir = tempfile::tempdir().unwrap();
        let db = connect(&format!("sqlite://{}?mode=rwc", dir.path().join("shop.db").display()), 2).await.unwrap();
        SQLITE_MIGRATIONS.run(&db.pool).await.unwrap();
        let insert_order = |number: &'static str, status: &'static str| {
            sqlx::query(
                "INSERT INTO orders (number, idempotency_key, request_hash, email, status, currency, subtotal_minor, \
                 discount_minor, shipping_minor, tax_minor, total_minor, shipping_method, ship_to, reserved_until, \
                 access_token, created_at, updated_at) \
                 VALUES ($1, $1, 'h', 'a@example.com', $2, 'EUR', 100, 0, 0, 0, 100, 'standard', '{}', 0, 't', 0, 0)",
            )
            .bind(number)
            .bind(status)
        };
        assert!(insert_order("OX-2", "processing").execute(&db.pool).await.is_err(), "refused before the change");
        insert_order("OX-1", "paid").execute(&db.pool).await.unwrap();
        sqlx::query("INSERT INTO order_events (order_id, at, actor, from_status, to_status) VALUES (1, 0, 'payment', 'pending-payment', 'paid')")
            .execute(&db.pool)
            .await
            .unwrap();

        super::apply(&db.pool).await.unwrap();
        super::apply(&db.pool).await.unwrap();

        insert_order("OX-2", "processing").execute(&db.pool).await.unwrap();
        let events: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM order_events WHERE order_id = 1").fetch_one(&db.pool).await.unwrap();
        assert_eq!(events.0, 1, "the order's events are still there");
        let indexes: (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('orders_by_user', 'orders_awaiting_payment')")
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(indexes.0, 2);
        let orphan = sqlx::query("INSERT INTO order_events (order_id, at, actor, from_status, to_status) VALUES (99, 0, 'x', 'paid', 'paid')")
            .execute(&db.pool)
            .await;
        assert!(orphan.is_err(), "foreign keys are enforced again");
        assert!(insert_order("OX-3", "lost").execute(&db.pool).await.is_err(), "the CHECK still refuses unknown states");
        let (definition,): (String,) = sqlx::query_as("SELECT sql FROM sqlite_master WHERE name = 'orders'").fetch_one(&db.pool).await.unwrap();
        assert!(definition.matches("'processing'").count() == 1, "{definition}");
    }
}
