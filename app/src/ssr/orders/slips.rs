//! Packing slips: one printable page per ticked order with its delivery
//! address, shipping method and what is left to pack (SKU, item, quantity),
//! no prices; an order not paid (or cancelled, or done) says "Do not pack"
//! instead. A seller's staff get only their seller's items, and orders
//! they cannot reach are named as such, never shown.

use super::access::{seller_lines, SELLER_SCOPE};
use super::view as order_view;
use crate::domain::order_view::OrderView;
use crate::domain::orders::OrderStatus;
use crate::domain::time::utc;
use crate::error::AppError;
use crate::ssr::accounts::Staff;
use crate::ssr::Db;
use leptos::prelude::*;

/// The slips of orders `numbers` as `reach` may see them, as one HTML document.
pub async fn packing_slips(db: &Db, reach: Staff, numbers: &[String]) -> Result<String, AppError> {
    let seller = match reach {
        Staff::Admin => 0,
        Staff::Seller(seller) => seller,
    };
    let (mut orders, mut missing) = (Vec::new(), Vec::new());
    for number in numbers {
        let id: Option<(i64,)> = sqlx::query_as(&format!("SELECT id FROM orders WHERE number = $1 AND {SELLER_SCOPE}"))
            .bind(number)
            .bind(seller)
            .fetch_optional(&db.pool)
            .await?;
        let Some((id,)) = id else {
            missing.push(number.clone());
            continue;
        };
        let mut order = order_view::load(db, id).await?;
        if seller != 0 {
            let own = seller_lines(db, id, seller).await?;
            order.lines.retain(|l| own.contains(&l.variant_id));
        }
        orders.push(order);
    }
    let shop = crate::ssr::settings::details::load(db).await?;
    Ok(document(&orders, &missing, &shop.name))
}

fn slip(order: &OrderView, shop: &str) -> impl IntoView {
    let address = order.ship_to.lines(true);
    let left: Vec<_> = order.lines.iter().filter(|l| l.unshipped > 0).collect();
    // Only paid orders are packed: anything else says so instead of a list.
    let packable = matches!(order.status, OrderStatus::Paid | OrderStatus::Processing | OrderStatus::PartiallyShipped);
    view! {
        <section class="slip" data-testid="slip">
            <header><h1>"Packing slip " {order.number.clone()}</h1><p>{shop.to_owned()}</p></header>
            <p>{format!("Placed {} UTC · {} · {}", utc(order.created_at), order.shipping_method, order.status.label())}</p>
            <h2>"Deliver to"</h2>
            <p class="address">{address.into_iter().map(|l| view! { {l}<br/> }).collect_view()}</p>
            {if !packable {
                view! { <p role="alert"><strong>{format!("Do not pack: this order is {}.", order.status.label().to_lowercase())}</strong></p> }.into_any()
            } else if left.is_empty() {
                view! { <p><strong>"Nothing is left to pack: every item has shipped."</strong></p> }.into_any()
            } else {
                view! {
                    <table>
                        <thead><tr><th>"Packed"</th><th>"SKU"</th><th>"Item"</th><th>"Quantity"</th></tr></thead>
                        <tbody>
                            {left.into_iter().map(|l| view! {
                                <tr><td class="tick">"☐"</td><td>{l.sku.clone()}</td><td>{l.label()}</td><td>{l.unshipped}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

fn document(orders: &[OrderView], missing: &[String], shop: &str) -> String {
    let body = view! {
        <main>
            <p class="no-print">
                {format!("{} packing slip(s). Print this page; each order starts on a new sheet. ", orders.len())}
                <a href="/admin/orders">"Back to the orders"</a>
            </p>
            {(!missing.is_empty()).then(|| view! {
                <p class="no-print" role="alert">{format!("Not found, or not yours: {}.", missing.join(", "))}</p>
            })}
            {orders.iter().map(|order| slip(order, shop)).collect_view()}
        </main>
    }
    .to_html();
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>Packing slips | Oxcart admin</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem;color:#111}main{max-width:48rem;margin:auto}\
    header{display:flex;justify-content:space-between;align-items:baseline}table{width:100%;border-collapse:collapse}\
    th,td{text-align:left;padding:.4rem;border-bottom:1px solid #ddd}.tick{font-size:1.3rem;width:3rem}\
    .slip{border-bottom:2px dashed #999;padding-bottom:2rem;margin-bottom:2rem}.address{font-size:1.1rem}\
    @media print{.no-print{display:none}body{margin:0}.slip{border:0;break-after:page}}";
