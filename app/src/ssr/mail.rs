//! Outgoing mail: requests only add a message to the `outbox_emails` table; a
//! background sender delivers it with retries, so a slow or failing mail
//! server never slows a request and no message is lost across a restart.
//!
//! Delivery writes each message as an `.eml` file into a directory (the
//! default: a developer reads the mail there).

use crate::error::AppError;
use crate::ssr::db::Db;
use crate::ssr::now;
use std::path::PathBuf;
use std::time::Duration;

/// Attempts before a message is given up (its last error stays in the table).
const MAX_ATTEMPTS: i64 = 10;
/// How long one sender may hold a message before another may try it.
const CLAIM_SECS: i64 = 60;

/// Queues a message; it is sent within about a second.
pub async fn enqueue(db: &Db, to: &str, subject: &str, body: &str) -> Result<(), AppError> {
    let now = now();
    sqlx::query("INSERT INTO outbox_emails (to_address, subject, body, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4)")
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(now)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Where messages go.
#[derive(Clone, Debug)]
pub enum Transport {
    /// One `<id>.eml` file per message in this directory.
    Files(PathBuf),
}

impl Transport {
    fn deliver(&self, id: i64, to: &str, subject: &str, body: &str) -> Result<(), String> {
        match self {
            Self::Files(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                let message = format!(
                    "To: {to}\r\nFrom: Oxcart <shop@oxcart.invalid>\r\nSubject: {subject}\r\n\
                     Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
                );
                let tmp = dir.join(format!("{id}.eml.tmp"));
                std::fs::write(&tmp, message).map_err(|e| e.to_string())?;
                std::fs::rename(&tmp, dir.join(format!("{id}.eml"))).map_err(|e| e.to_string())
            }
        }
    }
}

/// Sends queued mail every `every` until the database pool is closed.
pub fn spawn_sender(db: Db, transport: Transport, every: Duration) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            if db.pool.is_closed() {
                break;
            }
            if let Err(error) = send_due(&db, &transport).await {
                tracing::warn!(?error, "mail sender failed; retrying");
            }
        }
    });
}

/// Delivers every message that is due; returns how many were sent.
pub async fn send_due(db: &Db, transport: &Transport) -> Result<usize, AppError> {
    type Row = (i64, String, String, String, i64, i64);
    let due: Vec<Row> = sqlx::query_as(
        "SELECT id, to_address, subject, body, attempts, next_attempt_at FROM outbox_emails \
         WHERE sent_at IS NULL AND attempts < $1 AND next_attempt_at <= $2 ORDER BY id LIMIT 50",
    )
    .bind(MAX_ATTEMPTS)
    .bind(now())
    .fetch_all(&db.pool)
    .await?;
    let mut sent = 0;
    for (id, to, subject, body, attempts, due_at) in due {
        // Claim it, so another app server does not send it too meanwhile.
        let claimed = sqlx::query("UPDATE outbox_emails SET next_attempt_at = $3 WHERE id = $1 AND next_attempt_at = $2")
            .bind(id)
            .bind(due_at)
            .bind(now() + CLAIM_SECS)
            .execute(&db.pool)
            .await?;
        if claimed.rows_affected() != 1 {
            continue;
        }
        let transport = transport.clone();
        let result = tokio::task::spawn_blocking(move || transport.deliver(id, &to, &subject, &body))
            .await
            .unwrap_or_else(|e| Err(e.to_string()));
        match result {
            Ok(()) => {
                sqlx::query("UPDATE outbox_emails SET sent_at = $2, attempts = attempts + 1 WHERE id = $1")
                    .bind(id)
                    .bind(now())
                    .execute(&db.pool)
                    .await?;
                sent += 1;
            }
            Err(error) => {
                tracing::warn!(id, %error, attempt = attempts + 1, "mail delivery failed");
                let backoff = 2i64.pow(attempts.clamp(0, 12) as u32) * 5;
                sqlx::query(
                    "UPDATE outbox_emails SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1",
                )
                .bind(id)
                .bind(error)
                .bind(now() + backoff)
                .execute(&db.pool)
                .await?;
            }
        }
    }
    Ok(sent)
}
