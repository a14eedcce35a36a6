//! Mail delivery over SMTP: a small SMTP server on loopback stands in for the
//! shop's mail server; the first delivery attempt is refused with a temporary
//! error, so the message must arrive through the retrying sender.

use crate::helpers::spawn_app_with;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Messages an SMTP listener accepted, and how many MAIL commands it refused.
#[derive(Clone, Default)]
struct Received {
    messages: Vec<String>,
    refused: usize,
}

/// Listens on loopback and speaks enough SMTP for one client: refuses the
/// first `refuse` MAIL commands with 451, then accepts messages.
async fn smtp_server(refuse: usize) -> (u16, Arc<Mutex<Received>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Received::default()));
    let state = received.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let state = state.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 test.invalid ESMTP\r\n").await.ok();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 test.invalid\r\n",
                        "MAIL" => {
                            let mut s = state.lock().unwrap();
                            if s.refused < refuse {
                                s.refused += 1;
                                b"451 4.3.0 Try again later\r\n"
                            } else {
                                b"250 OK\r\n"
                            }
                        }
                        "DATA" => {
                            write.write_all(b"354 Go ahead\r\n").await.ok();
                            let mut message = String::new();
                            while let Ok(Some(line)) = lines.next_line().await {
                                if line == "." {
                                    break;
                                }
                                message.push_str(&line);
                                message.push('\n');
                            }
                            state.lock().unwrap().messages.push(message);
                            b"250 Queued\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 Bye\r\n").await.ok();
                            break;
                        }
                        _ => b"250 OK\r\n",
                    };
                    if write.write_all(reply).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (port, received)
}

#[tokio::test]
async fn mail_goes_out_over_smtp_after_a_temporary_refusal() {
    let (port, received) = smtp_server(1).await;
    let app = spawn_app_with(|config| {
        config.smtp_url = format!("smtp://127.0.0.1:{port}");
        config.mail_from = "Test Shop <shop@test.invalid>".into();
    })
    .await;
    let reply = app
        .client
        .post(format!("{}/api/account/register", app.base))
        .header("origin", "https://shop.test")
        .form(&[("email", "smtp@example.com"), ("name", "Zoë"), ("password", "correct horse battery")])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);

    // The first attempt is refused; the retry comes after the sender's backoff.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while received.lock().unwrap().messages.is_empty() {
        if std::time::Instant::now() > deadline {
            let row: (i64, Option<String>) = sqlx::query_as("SELECT attempts, last_error FROM outbox_emails")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
            panic!("no message arrived over SMTP: {row:?}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let received = received.lock().unwrap().clone();
    assert_eq!(received.refused, 1);
    let message = &received.messages[0];
    assert!(message.contains("To: smtp@example.com"), "{message}");
    assert!(message.contains("From: \"Test Shop\" <shop@test.invalid>") || message.contains("From: Test Shop <shop@test.invalid>"), "{message}");
    assert!(message.contains("Subject: Confirm your email address"), "{message}");
    assert!(message.contains("/account/confirm?token="), "the link arrives whole: {message}");

    // The sender records the delivery just after the SMTP server has the message.
    let (attempts, sent, error) = loop {
        let row: (i64, Option<i64>, Option<String>) =
            sqlx::query_as("SELECT attempts, sent_at, last_error FROM outbox_emails WHERE to_address = 'smtp@example.com'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        if row.1.is_some() || std::time::Instant::now() > deadline {
            break row;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(attempts, 2);
    assert!(sent.is_some());
    assert!(error.unwrap_or_default().contains("451"), "the refusal is kept for the record");
}
