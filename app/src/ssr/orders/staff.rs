//! Staff moving orders on from the back office: packing, parcels and their
//! tracking, deliveries, answering and receiving returns, refunds,
//! cancellations. A seller's staff reach only orders and parcels holding
//! their seller's items; deliveries, returns, refunds and cancelling are for admins.

use super::access::{actor, seller_lines, seller_parcels, staff_on_order};
use super::view as order_view;
use crate::domain::money::{parse_amount, Money};
use crate::domain::order_view::StaffOrderView;
use crate::domain::order_desk::picked_numbers;
use crate::domain::orders::{chosen_quantities, ParcelStatus};
use crate::error::AppError;
use crate::ssr::accounts::Staff;
use crate::ssr::fulfilment::{shipping, tracking};
use crate::ssr::returns::{refunds, requests as returns};
use crate::ssr::now;
use std::collections::HashMap;

/// Order `number` for the signed-in staff member: its id, the actor named
/// on its timeline, and the staff member's reach.
pub(super) async fn staff(number: &str, what: &str) -> Result<(i64, String, Staff), AppError> {
    let (id, user, reach) = staff_on_order(number, what).await?;
    Ok((id, actor(&user), reach))
}

/// Like [`staff`], for the moves only admins make: deliveries, returns and refunds.
async fn admin(number: &str, what: &str) -> Result<(i64, String), AppError> {
    match staff(number, what).await? {
        (id, actor, Staff::Admin) => Ok((id, actor)),
        _ => Err(AppError::Forbidden(format!("Only admins can {what}."))),
    }
}

/// A short one-line text field: trimmed, 1–`most` characters, no control characters.
fn field(value: &str, what: &str, most: usize, required: bool) -> Result<String, AppError> {
    let value = value.trim();
    if (required && value.is_empty()) || value.chars().count() > most || value.chars().any(char::is_control) {
        let need = if required { "Enter" } else { "Keep" };
        return Err(AppError::BadRequest(format!("{need} the {what} (at most {most} characters).")));
    }
    Ok(value.to_owned())
}

pub async fn staff_order(number: String) -> Result<StaffOrderView, AppError> {
    let state = crate::ssr::state()?;
    let (id, _, reach) = staff(&number, "see orders").await?;
    let mut order = order_view::load(&state.db, id).await?;
    if let Staff::Seller(seller) = reach {
        let (lines, parcels) = (seller_lines(&state.db, id, seller).await?, seller_parcels(&state.db, id, seller).await?);
        order.lines.retain(|l| lines.contains(&l.variant_id));
        order.shipments.retain(|p| parcels.contains(&p.id));
        (order.payment, order.returns, order.refunds) = (None, Vec::new(), Vec::new());
        // Their own goods' worth, not the buyer's whole total; no notes
        // (they may speak of other sellers' items), nothing to refund.
        let theirs: i64 = order.lines.iter().map(|l| l.unit_price.minor() * l.quantity).sum();
        order.totals = crate::domain::checkout::Totals { subtotal: theirs, discount: 0, shipping: 0, tax: 0, total: theirs, tax_included: false };
        order.taxes.clear();
        order.events.iter_mut().for_each(|e| e.note.clear());
        order.refundable = Money::new(0, order.currency);
    }
    let admin = reach == Staff::Admin;
    let notes = super::desk::notes(&state.db, id, reach).await?;
    let mails = if admin { super::desk::mails(&state.db, id).await? } else { Vec::new() };
    Ok(StaffOrderView { order, admin, notes, mails })
}

/// Back to the staff order page after a form post.
fn back_to(number: &str) {
    leptos_axum::redirect(&format!("/admin/orders/{number}"));
}

pub async fn pack(number: String) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (id, actor, _) = staff(&number, "pack orders").await?;
    shipping::pack(&state.shop, id, &actor).await?;
    back_to(&number);
    Ok(())
}

/// Starts packing each ticked order (`pick[<number>]`) the staff member may
/// reach; the list then says how many moved and which could not.
pub async fn bulk_pack(picks: HashMap<String, String>) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let numbers = picked_numbers(picks.into_keys()).map_err(AppError::BadRequest)?;
    let mut refused = Vec::new();
    for number in &numbers {
        let packed = match staff(number, "pack orders").await {
            Ok((id, actor, _)) => shipping::pack(&state.shop, id, &actor).await,
            Err(e) => Err(e),
        };
        match packed {
            Ok(()) => {}
            Err(AppError::Conflict(_) | AppError::NotFound(_)) => refused.push(number.as_str()),
            Err(other) => return Err(other),
        }
    }
    let mut to = format!("/admin/orders?status=processing&packed={}", numbers.len() - refused.len());
    if !refused.is_empty() {
        to.push_str(&format!("&refused={}", crate::domain::search::url_encode(&refused.join(" "))));
    }
    leptos_axum::redirect(&to);
    Ok(())
}

pub async fn ship(number: String, carrier: String, tracking: String, qty: HashMap<String, String>) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (id, actor, reach) = staff(&number, "ship orders").await?;
    let (carrier, tracking) = (field(&carrier, "carrier", 60, true)?, field(&tracking, "tracking number", 60, true)?);
    let mut conn = state.db.pool.acquire().await?;
    let mut limits: Vec<(i64, i64)> = shipping::unshipped(&mut conn, id).await?.into_iter().map(|(p, _, q)| (p, q)).collect();
    drop(conn);
    if let Staff::Seller(seller) = reach {
        // A seller's parcel holds only their items; "nothing chosen" is all of theirs left.
        let own = seller_lines(&state.db, id, seller).await?;
        limits.retain(|(variant, left)| own.contains(variant) && *left > 0);
        if limits.is_empty() {
            return Err(AppError::Conflict("None of your items is left to ship in this order.".into()));
        }
    }
    let mut items = chosen_quantities(&qty, &limits).map_err(AppError::BadRequest)?;
    if items.is_empty() && reach != Staff::Admin {
        items = limits;
    }
    shipping::ship(&state.shop, id, &carrier, &tracking, &items, &actor).await?;
    back_to(&number);
    Ok(())
}

pub async fn track(number: String, tracking: String, status: String, detail: String) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (id, actor, reach) = staff(&number, "update parcels").await?;
    let status = ParcelStatus::reported(&status)
        .ok_or_else(|| AppError::BadRequest("Choose what happened to the parcel.".into()))?;
    let detail = field(&detail, "detail", 200, false)?;
    let shipment: Option<(i64,)> = sqlx::query_as("SELECT id FROM shipments WHERE order_id = $1 AND tracking = $2")
        .bind(id)
        .bind(tracking.trim())
        .fetch_optional(&state.db.pool)
        .await?;
    let not_found = || AppError::NotFound("This order has no parcel of yours with that tracking number.".into());
    let (shipment,) = shipment.ok_or_else(not_found)?;
    if let Staff::Seller(seller) = reach {
        if !seller_parcels(&state.db, id, seller).await?.contains(&shipment) {
            return Err(not_found());
        }
    }
    tracking::track(&state.shop, shipment, status, &detail, now(), &actor, None).await?;
    back_to(&number);
    Ok(())
}

pub async fn deliver(number: String) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (id, actor) = admin(&number, "update orders").await?;
    shipping::deliver(&state.shop, id, &actor).await?;
    back_to(&number);
    Ok(())
}

pub async fn decide(number: String, decision: String, note: String) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (id, actor) = admin(&number, "answer returns").await?;
    let approve = match decision.trim() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::BadRequest("Choose to approve or refuse the return.".into())),
    };
    let note = field(&note, "note", 500, false)?;
    returns::decide(&state.shop, id, approve, &note, &actor).await?;
    back_to(&number);
    Ok(())
}

pub async fn receive(number: String, restock: HashMap<String, String>) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (id, actor) = admin(&number, "receive returns").await?;
    let limits: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT rl.variant_id, rl.quantity FROM return_lines rl JOIN returns r ON r.id = rl.return_id \
         WHERE r.order_id = $1 AND r.status IN ('requested', 'approved')",
    )
    .bind(id)
    .fetch_all(&state.db.pool)
    .await?;
    let restock = chosen_quantities(&restock, &limits).map_err(AppError::BadRequest)?;
    returns::receive(&state.shop, id, &restock, &actor).await?;
    back_to(&number);
    Ok(())
}

/// Admins cancel an order before anything shipped, saying why: the stock
/// goes back, a paid order is refunded in full, the shopper gets the reason by mail.
pub async fn cancel(number: String, reason: String) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (id, actor) = admin(&number, "cancel orders").await?;
    let reason = field(&reason, "reason for the shopper", 300, true)?;
    super::cancel::cancel(&state.shop, id, &actor, &reason).await?;
    back_to(&number);
    Ok(())
}

pub async fn refund(number: String, amount: String, password: String) -> Result<(), AppError> {
    let state = crate::ssr::state()?;
    let (id, actor) = admin(&number, "refund orders").await?;
    let amount = match amount.trim() {
        "" => None,
        typed => Some(parse_amount(typed).map_err(AppError::BadRequest)?),
    };
    // Large refunds take the password again (a session left open is not
    // enough), checked like every re-check: rate limited, failures audited.
    let confirmed = !password.is_empty() && {
        use crate::ssr::accounts::checks::{client_ip, context, limit, reauthenticate};
        let (state, session) = context().await?;
        let ip = client_ip().await;
        limit(&state, ip)?;
        reauthenticate(&state, &session, ip, password, "refund orders").await?;
        true
    };
    refunds::refund(&state.shop, id, amount, &actor, confirmed).await?;
    back_to(&number);
    Ok(())
}
