//! Everything the order page shows, read in one place for the page and the
//! JSON API.

use crate::ssr::fulfilment::shipping;
use crate::ssr::returns::{refunds, requests as returns};
use crate::domain::checkout::Totals;
use crate::domain::tax::RateTax;
use crate::domain::order_view::{OrderLine, OrderView, PaymentView};
use crate::domain::money::{Currency, Money};
use crate::domain::orders::{
    OrderEvent, OrderStatus, ParcelStatus, RefundView, ReturnStatus, ReturnView, ShipmentView, TrackingEvent,
    RETURN_WINDOW_SECS,
};
use crate::error::AppError;
use crate::domain::variants::line_name;
use crate::ssr::{now, Db};

type OrderRow = (String, String, String, i64, String, i64, i64, i64, i64, i64, String, String, i64, i64, i64);

/// The tax at each rate on order `id`, its lines' and its shipping's.
pub async fn taxes(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Vec<RateTax>, AppError> {
    let lines: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT tax_rate_bp, CAST(SUM(unit_price_minor * quantity - discount_minor) AS BIGINT), CAST(SUM(tax_minor) AS BIGINT) \
         FROM order_lines WHERE order_id = $1 GROUP BY tax_rate_bp ORDER BY tax_rate_bp",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let (shipping, shipping_tax, shipping_bp, included): (i64, i64, i64, i64) =
        sqlx::query_as("SELECT shipping_minor, shipping_tax_minor, shipping_tax_bp, tax_included FROM orders WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    let net = |gross: i64, tax: i64| if included == 1 { gross - tax } else { gross };
    let mut rates: Vec<RateTax> = lines.into_iter().map(|(rate_bp, base, tax)| RateTax { rate_bp, net: net(base, tax), tax }).collect();
    if shipping > 0 {
        match rates.iter_mut().find(|r| r.rate_bp == shipping_bp) {
            Some(rate) => {
                rate.net += net(shipping, shipping_tax);
                rate.tax += shipping_tax;
            }
            None => rates.push(RateTax { rate_bp: shipping_bp, net: net(shipping, shipping_tax), tax: shipping_tax }),
        }
    }
    Ok(rates)
}

/// Order `id` for its buyer, with whose page the card is typed on (the
/// shop's payment provider's, when it hosts the payment).
pub async fn for_buyer(db: &Db, shop: &crate::ssr::Shop, id: i64) -> Result<OrderView, AppError> {
    let mut view = load(db, id).await?;
    view.pays_on = shop.provider.hosted().map(str::to_owned);
    Ok(view)
}

/// Order `id` as its buyer sees it.
pub async fn load(db: &Db, id: i64) -> Result<OrderView, AppError> {
    let mut conn = db.pool.acquire().await?;
    let (number, status, email, created_at, currency, subtotal, discount, shipping, tax, total, method, ship_to,
         reserved_until, stock_held, tax_included): OrderRow = sqlx::query_as(
        "SELECT number, status, email, created_at, currency, subtotal_minor, discount_minor, shipping_minor, \
         tax_minor, total_minor, shipping_method, ship_to, reserved_until, stock_held, tax_included FROM orders WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let currency = Currency::parse(&currency).ok_or(AppError::Internal)?;
    let status = OrderStatus::parse(&status).ok_or(AppError::Internal)?;
    let money = |minor| Money::new(minor, currency);

    let delivered_at = returns::delivered_at(&mut conn, id).await?;
    let return_until = delivered_at.map(|at| at + RETURN_WINDOW_SECS);
    let may_return = status == OrderStatus::Delivered && return_until.is_some_and(|until| now() <= until);
    let returnable = if may_return { returns::returnable(&mut conn, id).await? } else { Vec::new() };
    let unshipped = shipping::unshipped(&mut conn, id).await?;
    let lines: Vec<(i64, i64, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT variant_id, product_id, name, variant, sku, unit_price_minor, quantity FROM order_lines WHERE order_id = $1 \
         ORDER BY name, variant, variant_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let name_of = |variant: i64| lines.iter().find(|l| l.0 == variant).map_or_else(String::new, |l| line_name(&l.2, &l.3));

    let payment: Option<(String, String, String)> =
        sqlx::query_as("SELECT status, message, card FROM payments WHERE order_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let events: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT at, to_status, note FROM order_events WHERE order_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let parcels: Vec<(i64, String, String, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, carrier, tracking, status, shipped_at, delivered_at FROM shipments WHERE order_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    // Lines and news of every parcel, and lines of every return, each in one
    // query (not one per parcel or return), sorted out below.
    let parcel_items: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT l.shipment_id, l.variant_id, l.quantity FROM shipment_lines l JOIN shipments s ON s.id = l.shipment_id \
         WHERE s.order_id = $1 ORDER BY l.shipment_id, l.variant_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let tracked: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "SELECT t.shipment_id, t.at, t.status, t.detail FROM tracking_events t JOIN shipments s ON s.id = t.shipment_id \
         WHERE s.order_id = $1 ORDER BY t.at, t.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut shipments = Vec::with_capacity(parcels.len());
    for (shipment, carrier, tracking, parcel_status, shipped_at, delivered_at) in parcels {
        shipments.push(ShipmentView {
            id: shipment,
            carrier,
            tracking,
            status: ParcelStatus::parse(&parcel_status).ok_or(AppError::Internal)?,
            shipped_at,
            delivered_at,
            items: parcel_items.iter().filter(|i| i.0 == shipment).map(|&(_, p, q)| (name_of(p), q)).collect(),
            events: tracked
                .iter()
                .filter(|t| t.0 == shipment)
                .filter_map(|(_, at, s, detail)| {
                    Some(TrackingEvent { at: *at, status: ParcelStatus::parse(s)?, detail: detail.clone() })
                })
                .collect(),
        });
    }
    let return_rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
        "SELECT id, status, reason, staff_note, requested_at FROM returns WHERE order_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let returned: Vec<(i64, i64, i64, Option<i64>)> = sqlx::query_as(
        "SELECT l.return_id, l.variant_id, l.quantity, l.restocked FROM return_lines l JOIN returns r ON r.id = l.return_id \
         WHERE r.order_id = $1 ORDER BY l.return_id, l.variant_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut returns_seen = Vec::with_capacity(return_rows.len());
    for (ret, ret_status, reason, staff_note, requested_at) in return_rows {
        returns_seen.push(ReturnView {
            status: ReturnStatus::parse(&ret_status).ok_or(AppError::Internal)?,
            reason,
            staff_note,
            requested_at,
            items: returned.iter().filter(|l| l.0 == ret).map(|&(_, p, q, back)| (name_of(p), q, back)).collect(),
        });
    }
    let refund_rows: Vec<(i64, String, String, i64)> =
        sqlx::query_as("SELECT amount_minor, status, reason, created_at FROM refunds WHERE order_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let refundable = refunds::paid(&mut conn, id).await?.map_or(0, |p| p.left());

    let held = status == OrderStatus::PendingPayment && stock_held == 1;
    let left_of = |list: &[(i64, i64)], variant: i64| list.iter().find(|(v, _)| *v == variant).map_or(0, |(_, q)| *q);
    let unshipped: Vec<(i64, i64)> = unshipped.into_iter().map(|(p, _, q)| (p, q)).collect();
    Ok(OrderView {
        number,
        status,
        email,
        created_at,
        lines: lines
            .iter()
            .map(|(variant_id, product_id, name, variant, sku, price, quantity)| OrderLine {
                variant_id: *variant_id,
                product_id: *product_id,
                name: name.clone(),
                variant: variant.clone(),
                sku: sku.clone(),
                unit_price: money(*price),
                quantity: *quantity,
                unshipped: left_of(&unshipped, *variant_id),
                returnable: left_of(&returnable, *variant_id),
            })
            .collect(),
        totals: Totals { subtotal, discount, shipping, tax, total, tax_included: tax_included == 1 },
        taxes: taxes(&mut conn, id).await?,
        currency,
        shipping_method: method,
        ship_to: serde_json::from_str(&ship_to).map_err(|_| AppError::Internal)?,
        payment: payment.map(|(status, message, card)| {
            let action_url = (status == "requires-action").then(|| message.clone());
            let message = if action_url.is_some() { String::new() } else { message };
            PaymentView { status, message, card, action_url }
        }),
        reserved_for: if held { (reserved_until - now()).max(0) } else { 0 },
        pays_on: None,
        events: events
            .into_iter()
            .filter_map(|(at, to, note)| Some(OrderEvent { at, status: OrderStatus::parse(&to)?, note }))
            .collect(),
        shipments,
        returns: returns_seen,
        refunds: refund_rows
            .into_iter()
            .map(|(amount, status, reason, at)| RefundView { amount: money(amount), status, reason, at })
            .collect(),
        refundable: money(refundable),
        return_until: if may_return { return_until } else { None },
    })
}
