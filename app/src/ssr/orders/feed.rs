//! Live order updates: one task per server polls the order events table (the
//! one place every change of an order is written, by any server sharing the
//! database) and broadcasts the ids of orders that changed to open order pages.

use crate::ssr::Db;
use std::time::Duration;
use tokio::sync::broadcast;

/// Subscribe to learn which orders changed.
#[derive(Clone)]
pub struct OrderFeed {
    changed: broadcast::Sender<i64>,
}

impl OrderFeed {
    /// Starts polling `db` every `every` for new order events.
    pub fn spawn(db: Db, every: Duration) -> Self {
        let (changed, _) = broadcast::channel(1024);
        let sender = changed.clone();
        tokio::spawn(async move {
            let mut seen = latest(&db).await.unwrap_or(0);
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let rows: Result<Vec<(i64, i64)>, _> =
                    sqlx::query_as("SELECT id, order_id FROM order_events WHERE id > $1 ORDER BY id LIMIT 1000")
                        .bind(seen)
                        .fetch_all(&db.pool)
                        .await;
                match rows {
                    Ok(rows) => {
                        for (id, order) in rows {
                            seen = id;
                            let _ = sender.send(order);
                        }
                    }
                    Err(error) => tracing::warn!(%error, "order watch could not read order events"),
                }
            }
        });
        Self { changed }
    }

    /// A receiver of changed order ids from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<i64> {
        self.changed.subscribe()
    }
}

async fn latest(db: &Db) -> Result<i64, sqlx::Error> {
    let (id,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM order_events").fetch_one(&db.pool).await?;
    Ok(id.unwrap_or(0))
}
