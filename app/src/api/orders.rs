//! After the purchase: a customer's order history, cancelling and returns,
//! and staff moving orders on (parcels, tracking, returns, refunds). Every
//! function checks on the server who may do it.

use crate::domain::order_view::StaffOrderView;
use crate::domain::order_desk::OrderList;
use crate::domain::orders::OrderSummary;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use std::collections::HashMap;

/// The signed-in customer's orders, newest first, optionally only those in
/// `filter` (`open`, `delivered`, `returns`, `cancelled`).
#[server(endpoint = "account/orders", input = GetUrl)]
pub async fn my_orders(#[server(default)] filter: String) -> Result<Vec<OrderSummary>, AppError> {
    crate::ssr::orders::history::my_orders(filter).await
}

/// Cancels order `number` (opened with `key`, or the signed-in owner's) before it ships.
#[server(endpoint = "order/cancel")]
pub async fn cancel_order(number: String, #[server(default)] key: String) -> Result<(), AppError> {
    crate::ssr::orders::buyer::cancel(number, key).await
}

/// Asks to return items of delivered order `number`: `qty[v<variant id>]`
/// says how many of each, `reason` why.
#[server(endpoint = "order/return")]
pub async fn request_return(
    number: String,
    #[server(default)] key: String,
    #[server(default)] reason: String,
    #[server(default)] qty: HashMap<String, String>,
) -> Result<(), AppError> {
    crate::ssr::orders::buyer::request_return(number, key, reason, qty).await
}

/// Staff: page `page` of the orders in `status` (all when empty) matching
/// `q` (number, email, name or SKU), `payment` (`awaiting`, `paid`,
/// `refunded`, `failed`), placed from day `from` to day `to` (UTC,
/// `YYYY-MM-DD`), holding seller `seller`'s items; newest first.
#[server(endpoint = "admin/orders", input = GetUrl)]
pub async fn staff_orders(
    #[server(default)] status: String,
    #[server(default)] q: String,
    #[server(default)] payment: String,
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] seller: String,
    #[server(default)] page: String,
) -> Result<OrderList, AppError> {
    let filter = crate::domain::order_desk::OrderFilter { status, q, payment, from, to, seller, page };
    crate::ssr::orders::staff_list::staff_orders(filter).await
}

/// Staff: order `number` with everything staff act on.
#[server(endpoint = "admin/order", input = GetUrl)]
pub async fn staff_order(number: String) -> Result<StaffOrderView, AppError> {
    crate::ssr::orders::staff::staff_order(number).await
}

/// Staff: start packing every ticked order (`pick[<number>]`).
#[server(endpoint = "admin/orders/bulk-pack")]
pub async fn bulk_pack_orders(#[server(default)] pick: HashMap<String, String>) -> Result<(), AppError> {
    crate::ssr::orders::staff::bulk_pack(pick).await
}

/// Staff: a note on order `number` that the shopper never sees.
#[server(endpoint = "admin/orders/note")]
pub async fn add_order_note(number: String, #[server(default)] body: String) -> Result<(), AppError> {
    crate::ssr::orders::desk::add_note(number, body).await
}

/// Admins: send mail `mail` of order `number` again, to the order's address.
#[server(endpoint = "admin/orders/resend")]
pub async fn resend_order_mail(number: String, #[server(default)] mail: String) -> Result<(), AppError> {
    crate::ssr::orders::desk::resend_mail(number, mail).await
}

/// Staff: start packing a paid order.
#[server(endpoint = "admin/orders/pack")]
pub async fn pack_order(number: String) -> Result<(), AppError> {
    crate::ssr::orders::staff::pack(number).await
}

/// Staff: a parcel of order `number` left with `carrier` under `tracking`,
/// holding `qty[v<variant id>]` of each item (everything left when none given).
#[server(endpoint = "admin/orders/ship")]
pub async fn ship_order(
    number: String,
    carrier: String,
    tracking: String,
    #[server(default)] qty: HashMap<String, String>,
) -> Result<(), AppError> {
    crate::ssr::orders::staff::ship(number, carrier, tracking, qty).await
}

/// Staff: news of parcel `tracking` of order `number` (`in-transit`,
/// `out-for-delivery`, `delivered`, `exception`).
#[server(endpoint = "admin/orders/track")]
pub async fn track_parcel(
    number: String,
    tracking: String,
    status: String,
    #[server(default)] detail: String,
) -> Result<(), AppError> {
    crate::ssr::orders::staff::track(number, tracking, status, detail).await
}

/// Staff: every parcel of order `number` was delivered.
#[server(endpoint = "admin/orders/deliver")]
pub async fn mark_delivered(number: String) -> Result<(), AppError> {
    crate::ssr::orders::staff::deliver(number).await
}

/// Admins: cancel order `number` before anything shipped, with the `reason`
/// the shopper is told (stock back, a paid order refunded in full).
#[server(endpoint = "admin/orders/cancel")]
pub async fn staff_cancel_order(number: String, #[server(default)] reason: String) -> Result<(), AppError> {
    crate::ssr::orders::staff::cancel(number, reason).await
}

/// Staff: approve (`decision=approve`) or refuse (`decision=reject`) the open
/// return of order `number`, with a `note` for the shopper.
#[server(endpoint = "admin/returns/decide")]
pub async fn decide_return(number: String, decision: String, #[server(default)] note: String) -> Result<(), AppError> {
    crate::ssr::orders::staff::decide(number, decision, note).await
}

/// Staff: the returned items of order `number` arrived; `restock[v<variant id>]`
/// units of each go back on the shelf, the rest are written off.
#[server(endpoint = "admin/returns/receive")]
pub async fn receive_return(number: String, #[server(default)] restock: HashMap<String, String>) -> Result<(), AppError> {
    crate::ssr::orders::staff::receive(number, restock).await
}

/// Staff: refund `amount` (e.g. `12.50`) of order `number`; empty refunds a
/// received return's value.
#[server(endpoint = "admin/orders/refund")]
pub async fn refund_order(
    number: String,
    #[server(default)] amount: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    crate::ssr::orders::staff::refund(number, amount, password).await
}
