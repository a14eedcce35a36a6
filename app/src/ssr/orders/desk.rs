//! The order desk's notes and mails: staff notes on an order that the
//! shopper never sees (a seller's staff write and read their own seller's;
//! admins read all), and the mails the shopper was sent about it, which an
//! admin may send again to the order's address. Both go in the audit log.

use super::access::{actor, staff_on_order};
use crate::domain::order_desk::{note_body, OrderMail, OrderNote};
use crate::error::AppError;
use crate::ssr::accounts::audit::Event;
use crate::ssr::accounts::{commit_audited, Staff};
use crate::ssr::{mail, now, Db};

/// The notes on `order` that `reach` may read, oldest first.
pub async fn notes(db: &Db, order: i64, reach: Staff) -> Result<Vec<OrderNote>, AppError> {
    let seller = match reach {
        Staff::Admin => -1,
        Staff::Seller(seller) => seller,
    };
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT at, author, body FROM order_notes WHERE order_id = $1 AND ($2 = -1 OR seller_id = $2) ORDER BY at, id",
    )
    .bind(order)
    .bind(seller)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(at, author, body)| OrderNote { at, author, body }).collect())
}

/// The mails about `order`, newest first (admins only: they may speak of every seller's items).
pub async fn mails(db: &Db, order: i64) -> Result<Vec<OrderMail>, AppError> {
    let rows: Vec<(i64, String, String, i64, Option<i64>, Option<String>)> = sqlx::query_as(
        "SELECT id, to_address, subject, created_at, sent_at, last_error FROM outbox_emails WHERE order_id = $1 \
         ORDER BY created_at DESC, id DESC",
    )
    .bind(order)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, to, subject, queued_at, sent_at, error)| OrderMail {
            id,
            to,
            subject,
            queued_at,
            error: error.filter(|_| sent_at.is_none()).unwrap_or_default(),
            sent_at,
        })
        .collect())
}

async fn insert_note(tx: &mut sqlx::AnyConnection, order: i64, author: &str, seller: i64, body: &str) -> Result<(), AppError> {
    sqlx::query("INSERT INTO order_notes (order_id, at, author, seller_id, body) VALUES ($1, $2, $3, $4, $5)")
        .bind(order)
        .bind(now())
        .bind(author)
        .bind(seller)
        .bind(body)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

fn back_to(number: &str) {
    leptos_axum::redirect(&format!("/admin/orders/{number}"));
}

/// A staff note on order `number`.
pub async fn add_note(number: String, body: String) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (order, user, reach) = staff_on_order(&number, "write notes on orders").await?;
    let body = note_body(&body).map_err(AppError::BadRequest)?;
    let seller = match reach {
        Staff::Admin => 0,
        Staff::Seller(seller) => seller,
    };
    let mut tx = state.db.begin_write().await?;
    insert_note(&mut *tx, order, &actor(&user), seller, &body).await?;
    let detail = format!("order {number}: {}", body.chars().take(200).collect::<String>());
    commit_audited(tx, &user, Event::OrderNoteAdded, &detail).await?;
    back_to(&number);
    Ok(())
}

/// Admins: mail `mail` of order `number` again, to the order's address as it is now.
pub async fn resend_mail(number: String, mail: String) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (order, user, reach) = staff_on_order(&number, "send order mails").await?;
    if reach != Staff::Admin {
        return Err(AppError::Forbidden("Only admins can send order mails again.".into()));
    }
    let mail: i64 = mail.trim().parse().map_err(|_| AppError::BadRequest("Choose a mail of this order.".into()))?;
    let found: Option<(String, String, String)> = sqlx::query_as(
        "SELECT m.subject, m.body, o.email FROM outbox_emails m JOIN orders o ON o.id = m.order_id WHERE m.id = $1 AND m.order_id = $2",
    )
    .bind(mail)
    .bind(order)
    .fetch_optional(&state.db.pool)
    .await?;
    let (subject, body, to) = found.ok_or_else(|| AppError::NotFound("This order has no such mail.".into()))?;
    let mut tx = state.db.begin_write().await?;
    mail::enqueue_about(&mut *tx, order, &to, &subject, &body).await?;
    insert_note(&mut *tx, order, &actor(&user), 0, &format!("Sent \"{subject}\" again to {to}.")).await?;
    commit_audited(tx, &user, Event::OrderMailResent, &format!("order {number}: \"{subject}\" to {to}")).await?;
    back_to(&number);
    Ok(())
}
