//! Outgoing mail: requests only add a message to the `outbox_emails` table; a
//! background sender delivers it with retries, so a slow or failing mail
//! server never slows a request and no message is lost across a restart.
//!
//! Delivery goes to an SMTP server when one is configured, else each message
//! is written as an `.eml` file into a directory (a developer reads it there).

use crate::error::AppError;
use crate::ssr::db::Db;
use crate::ssr::now;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

/// Attempts before a message is given up (its last error stays in the table).
const MAX_ATTEMPTS: i64 = 10;
/// How long one sender may hold a message before another may try it.
const CLAIM_SECS: i64 = 60;

/// Queues a message (inside the caller's transaction when given one); it is
/// sent within about a second of the commit.
pub async fn enqueue<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    insert(db, None, to, subject, body).await
}

/// Queues a message about order `order`, which staff then see on the order
/// and may send again.
pub async fn enqueue_about<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    order: i64,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    insert(db, Some(order), to, subject, body).await
}

async fn insert<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    order: Option<i64>,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO outbox_emails (to_address, subject, body, created_at, next_attempt_at, order_id) VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(now())
    .bind(order)
    .execute(db)
    .await?;
    Ok(())
}

/// Where messages go.
#[derive(Clone)]
enum Transport {
    /// One `<id>.eml` file per message in this directory (the default).
    Files(PathBuf),
    /// An SMTP server, from a URL such as `smtps://user:pass@mail.example:465`
    /// or `smtp://mail.example:587?tls=required`.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Builds messages and hands them to a [`Transport`].
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl Mailer {
    /// `from` is the sender, e.g. `Oxcart <shop@example.com>`; an empty
    /// `smtp_url` writes files into `dir` instead of sending.
    pub fn new(from: &str, smtp_url: &str, dir: PathBuf) -> Result<Self, String> {
        let from = from.parse().map_err(|e| format!("mail sender {from:?} is not an address: {e}"))?;
        let transport = if smtp_url.is_empty() {
            Transport::Files(dir)
        } else {
            let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
                .map_err(|e| format!("SMTP URL is not valid (smtp://host:port or smtps://user:pass@host): {e}"))?;
            Transport::Smtp(builder.timeout(Some(Duration::from_secs(20))).build())
        };
        Ok(Self { from, transport })
    }

    async fn deliver(&self, id: i64, to: &str, subject: &str, body: &str) -> Result<(), String> {
        let to: Mailbox = to.parse().map_err(|e| format!("recipient {to:?}: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(encoded(body))
            .map_err(|e| e.to_string())?;
        match &self.transport {
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir).await.map_err(|e| e.to_string())?;
                let tmp = dir.join(format!("{id}.eml.tmp"));
                tokio::fs::write(&tmp, message.formatted()).await.map_err(|e| e.to_string())?;
                tokio::fs::rename(&tmp, dir.join(format!("{id}.eml"))).await.map_err(|e| e.to_string())
            }
            Transport::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|e| e.to_string()),
        }
    }
}

/// `text` as a mail body within SMTP's limits (lines of at most 998 bytes,
/// RFC 5322): as 8bit (RFC 6152) when it fits, so links stay whole for
/// someone reading the raw message; otherwise (an order with very many
/// items, a long line) encoded by lettre, whose quoted-printable or base64
/// wraps every line.
fn encoded(text: &str) -> Body {
    let text = text.replace("\r\n", "\n").replace('\n', "\r\n");
    if text.contains('\0') || text.split("\r\n").any(|line| line.len() > 998) {
        return Body::new(text);
    }
    Body::dangerous_pre_encoded(text.into_bytes(), ContentTransferEncoding::EightBit)
}

/// Sends queued mail every `every` until the database pool is closed.
pub fn spawn_sender(db: Db, mailer: Mailer, every: Duration) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            if db.pool.is_closed() {
                break;
            }
            if let Err(error) = send_due(&db, &mailer).await {
                tracing::warn!(?error, "mail sender failed; retrying");
            }
        }
    });
}

/// Delivers every message that is due; returns how many were sent.
pub async fn send_due(db: &Db, mailer: &Mailer) -> Result<usize, AppError> {
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
        match mailer.deliver(id, &to, &subject, &body).await {
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

#[cfg(test)]
mod tests {
    use super::{encoded, Mailer};
    use lettre::message::header::ContentTransferEncoding;

    #[test]
    fn long_lines_are_wrapped_within_smtp_limits() {
        let short = encoded("Thank you.\nYour order: https://shop.example/order/OX-1?key=abc");
        assert_eq!(short.encoding(), ContentTransferEncoding::EightBit, "short lines stay readable");
        let items: String = (0..400).map(|n| format!("item {n} x 1, ")).collect();
        let long = encoded(&format!("Your order:\n{items}\nThanks"));
        assert_ne!(long.encoding(), ContentTransferEncoding::EightBit);
        let raw = String::from_utf8(long.into_vec()).unwrap();
        assert!(raw.split("\r\n").all(|line| line.len() <= 998), "every line within 998 bytes");
        assert!(raw.lines().count() > 3, "the long line was wrapped");
    }

    #[tokio::test]
    async fn bad_settings_are_clear_errors() {
        let dir = std::env::temp_dir();
        assert!(Mailer::new("no address here", "", dir.clone()).err().unwrap().contains("not an address"));
        assert!(Mailer::new("Shop <shop@example.com>", "http://mail.example", dir.clone()).err().unwrap().contains("SMTP URL"));
        assert!(Mailer::new("Shop <shop@example.com>", "smtps://user:pass@mail.example:465", dir).is_ok());
    }
}
