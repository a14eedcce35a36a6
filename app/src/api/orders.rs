//! After the purchase: a customer's order history, cancelling and returns,
//! and staff moving orders on (parcels, tracking, returns, refunds). Every
//! function checks on the server who may do it.

use crate::domain::order_view::StaffOrderView;
use crate::domain::orders::OrderSummary;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use std::collections::HashMap;

/// The signed-in customer's orders, newest first, optionally only those in
/// `filter` (`open`, `delivered`, `returns`, `cancelled`).
#[server(endpoint = "account/orders", input = GetUrl)]
pub async fn my_orders(#[server(default)] filter: String) -> Result<Vec<OrderSummary>, AppError> {
    server::my_orders(filter).await
}

/// Cancels order `number` (opened with `key`, or the signed-in owner's) before it ships.
#[server(endpoint = "order/cancel")]
pub async fn cancel_order(number: String, #[server(default)] key: String) -> Result<(), AppError> {
    server::cancel(number, key).await
}

/// Asks to return items of delivered order `number`: `qty[p<product id>]`
/// says how many of each, `reason` why.
#[server(endpoint = "order/return")]
pub async fn request_return(
    number: String,
    #[server(default)] key: String,
    #[server(default)] reason: String,
    #[server(default)] qty: HashMap<String, String>,
) -> Result<(), AppError> {
    server::request_return(number, key, reason, qty).await
}

/// Staff: orders in `status` (all when empty), newest first.
#[server(endpoint = "admin/orders", input = GetUrl)]
pub async fn staff_orders(#[server(default)] status: String) -> Result<Vec<OrderSummary>, AppError> {
    server::staff_orders(status).await
}

/// Staff: order `number` with everything staff act on.
#[server(endpoint = "admin/order", input = GetUrl)]
pub async fn staff_order(number: String) -> Result<StaffOrderView, AppError> {
    server::staff_order(number).await
}

/// Staff: start packing a paid order.
#[server(endpoint = "admin/orders/pack")]
pub async fn pack_order(number: String) -> Result<(), AppError> {
    server::pack(number).await
}

/// Staff: a parcel of order `number` left with `carrier` under `tracking`,
/// holding `qty[p<product id>]` of each item (everything left when none given).
#[server(endpoint = "admin/orders/ship")]
pub async fn ship_order(
    number: String,
    carrier: String,
    tracking: String,
    #[server(default)] qty: HashMap<String, String>,
) -> Result<(), AppError> {
    server::ship(number, carrier, tracking, qty).await
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
    server::track(number, tracking, status, detail).await
}

/// Staff: every parcel of order `number` was delivered.
#[server(endpoint = "admin/orders/deliver")]
pub async fn mark_delivered(number: String) -> Result<(), AppError> {
    server::deliver(number).await
}

/// Staff: approve (`decision=approve`) or refuse (`decision=reject`) the open
/// return of order `number`, with a `note` for the shopper.
#[server(endpoint = "admin/returns/decide")]
pub async fn decide_return(number: String, decision: String, #[server(default)] note: String) -> Result<(), AppError> {
    server::decide(number, decision, note).await
}

/// Staff: the returned items of order `number` arrived; `restock[p<product id>]`
/// units of each go back on the shelf, the rest are written off.
#[server(endpoint = "admin/returns/receive")]
pub async fn receive_return(number: String, #[server(default)] restock: HashMap<String, String>) -> Result<(), AppError> {
    server::receive(number, restock).await
}

/// Staff: refund `amount` (e.g. `12.50`) of order `number`; empty refunds a
/// received return's value.
#[server(endpoint = "admin/orders/refund")]
pub async fn refund_order(
    number: String,
    #[server(default)] amount: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    server::refund(number, amount, password).await
}

#[cfg(feature = "ssr")]
mod server {
    use super::HashMap;
    use crate::domain::money::{parse_amount, Currency, Money};
    use crate::domain::order_view::StaffOrderView;
    use crate::domain::orders::{chosen_quantities, OrderStatus, OrderSummary, ParcelStatus};
    use crate::error::AppError;
    use crate::ssr::auth::Staff;
    use crate::ssr::shop::access::{seller_parcels, seller_products, SELLER_SCOPE};
    use crate::ssr::shop::{lifecycle, order_view, refunds, returns};
    use crate::ssr::{now, Db};

    /// The states each history filter shows.
    fn filter_states(filter: &str) -> Result<Vec<OrderStatus>, AppError> {
        use OrderStatus::*;
        Ok(match filter {
            "" => OrderStatus::ALL.to_vec(),
            "open" => vec![PendingPayment, Paid, Processing, PartiallyShipped, Shipped],
            "delivered" => vec![Delivered],
            "returns" => vec![ReturnRequested, Returned, PartiallyRefunded, Refunded],
            "cancelled" => vec![Cancelled],
            other => match OrderStatus::parse(other) {
                Some(status) => vec![status],
                None => return Err(AppError::BadRequest("Unknown order filter.".into())),
            },
        })
    }

    /// Orders in `states`, newest first: of `user` (everyone's when `None`)
    /// holding items of `seller` (anyone's when `None`).
    async fn summaries(
        db: &Db,
        user: Option<i64>,
        seller: Option<i64>,
        states: &[OrderStatus],
    ) -> Result<Vec<OrderSummary>, AppError> {
        // The keys are the enum's fixed names, never user input.
        let keys: Vec<&str> = states.iter().map(|s| s.key()).collect();
        let sql = format!(
            "SELECT number, status, total_minor, currency, created_at FROM orders \
             WHERE ($1 = 0 OR user_id = $1) AND {SELLER_SCOPE} AND status IN ('{}') \
             ORDER BY created_at DESC, id DESC LIMIT 200",
            keys.join("', '")
        );
        let rows: Vec<(String, String, i64, String, i64)> =
            sqlx::query_as(&sql).bind(user.unwrap_or(0)).bind(seller.unwrap_or(0)).fetch_all(&db.pool).await?;
        rows.into_iter()
            .map(|(number, status, total, currency, created_at)| {
                Ok(OrderSummary {
                    number,
                    status: OrderStatus::parse(&status).ok_or(AppError::Internal)?,
                    total: Money::new(total, Currency::parse(&currency).ok_or(AppError::Internal)?),
                    created_at,
                })
            })
            .collect()
    }

    pub async fn my_orders(filter: String) -> Result<Vec<OrderSummary>, AppError> {
        let state = crate::ssr::state()?;
        let session = crate::ssr::auth::session_or_sign_in("see your orders").await?;
        let user = crate::ssr::auth::require_user(&session, &state.db, "see your orders").await?;
        summaries(&state.db, Some(user.id), None, &filter_states(filter.trim())?).await
    }

    pub async fn cancel(number: String, key: String) -> Result<(), AppError> {
        let state = crate::ssr::state()?;
        let (id, secret) = crate::api::checkout::server::authorized(&number, &key).await?;
        lifecycle::cancel(&state.shop, id, "customer").await?;
        leptos_axum::redirect(&format!("/order/{number}?key={secret}"));
        Ok(())
    }

    pub async fn request_return(number: String, key: String, reason: String, qty: HashMap<String, String>) -> Result<(), AppError> {
        let state = crate::ssr::state()?;
        let (id, secret) = crate::api::checkout::server::authorized(&number, &key).await?;
        let mut conn = state.db.pool.acquire().await?;
        let limits = returns::returnable(&mut conn, id).await?;
        drop(conn);
        let items = chosen_quantities(&qty, &limits).map_err(AppError::BadRequest)?;
        if items.is_empty() {
            return Err(AppError::BadRequest("Choose at least one item to return.".into()));
        }
        returns::request(&state.shop, id, &items, &reason, "customer").await?;
        leptos_axum::redirect(&format!("/order/{number}?key={secret}"));
        Ok(())
    }

    /// Order `number` for the signed-in staff member: its id, the actor named
    /// on its timeline, and the staff member's reach. A seller's staff find
    /// only orders holding their seller's items (404 for others).
    async fn staff(number: &str, what: &str) -> Result<(i64, String, Staff), AppError> {
        let state = crate::ssr::state()?;
        let (user, reach) = signed_in_staff(what).await?;
        let (seller, title) = match reach {
            Staff::Admin => (0, "admin"),
            Staff::Seller(seller) => (seller, "seller"),
        };
        let id: Option<(i64,)> = sqlx::query_as(&format!("SELECT id FROM orders WHERE number = $1 AND {SELLER_SCOPE}"))
            .bind(number)
            .bind(seller)
            .fetch_optional(&state.db.pool)
            .await?;
        let (id,) = id.ok_or_else(|| AppError::NotFound("There is no such order.".into()))?;
        Ok((id, format!("{title}:{}", user.email), reach))
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

    /// The signed-in staff member with two-step sign-in (401/403 otherwise).
    async fn signed_in_staff(what: &str) -> Result<(crate::ssr::auth::users::User, Staff), AppError> {
        let state = crate::ssr::state()?;
        let session = crate::ssr::auth::session_or_sign_in(what).await?;
        crate::ssr::auth::require_staff(&session, &state.db, what).await
    }

    pub async fn staff_orders(status: String) -> Result<Vec<OrderSummary>, AppError> {
        let state = crate::ssr::state()?;
        let seller = match signed_in_staff("see orders").await?.1 {
            Staff::Admin => None,
            Staff::Seller(seller) => Some(seller),
        };
        summaries(&state.db, None, seller, &filter_states(status.trim())?).await
    }

    pub async fn staff_order(number: String) -> Result<StaffOrderView, AppError> {
        let state = crate::ssr::state()?;
        let (id, _, reach) = staff(&number, "see orders").await?;
        let mut order = order_view::load(&state.db, id).await?;
        if let Staff::Seller(seller) = reach {
            let (products, parcels) = (seller_products(&state.db, id, seller).await?, seller_parcels(&state.db, id, seller).await?);
            order.lines.retain(|l| products.contains(&l.product_id));
            order.shipments.retain(|p| parcels.contains(&p.id));
            (order.payment, order.returns, order.refunds) = (None, Vec::new(), Vec::new());
            // Their own goods' worth, not the buyer's whole total; no notes
            // (they may speak of other sellers' items), nothing to refund.
            let theirs: i64 = order.lines.iter().map(|l| l.unit_price.minor() * l.quantity).sum();
            order.totals = crate::domain::checkout::Totals { subtotal: theirs, discount: 0, shipping: 0, tax: 0, total: theirs };
            order.events.iter_mut().for_each(|e| e.note.clear());
            order.refundable = Money::new(0, order.currency);
        }
        Ok(StaffOrderView { order, admin: reach == Staff::Admin })
    }

    /// Back to the staff order page after a form post.
    fn back_to(number: &str) {
        leptos_axum::redirect(&format!("/admin/orders/{number}"));
    }

    pub async fn pack(number: String) -> Result<(), AppError> {
        let state = crate::ssr::state()?;
        let (id, actor, _) = staff(&number, "pack orders").await?;
        lifecycle::pack(&state.shop, id, &actor).await?;
        back_to(&number);
        Ok(())
    }

    pub async fn ship(number: String, carrier: String, tracking: String, qty: HashMap<String, String>) -> Result<(), AppError> {
        let state = crate::ssr::state()?;
        let (id, actor, reach) = staff(&number, "ship orders").await?;
        let (carrier, tracking) = (field(&carrier, "carrier", 60, true)?, field(&tracking, "tracking number", 60, true)?);
        let mut conn = state.db.pool.acquire().await?;
        let mut limits: Vec<(i64, i64)> = lifecycle::unshipped(&mut conn, id).await?.into_iter().map(|(p, _, q)| (p, q)).collect();
        drop(conn);
        if let Staff::Seller(seller) = reach {
            // A seller's parcel holds only their items; "nothing chosen" is all of theirs left.
            let own = seller_products(&state.db, id, seller).await?;
            limits.retain(|(product, left)| own.contains(product) && *left > 0);
            if limits.is_empty() {
                return Err(AppError::Conflict("None of your items is left to ship in this order.".into()));
            }
        }
        let mut items = chosen_quantities(&qty, &limits).map_err(AppError::BadRequest)?;
        if items.is_empty() && reach != Staff::Admin {
            items = limits;
        }
        lifecycle::ship(&state.shop, id, &carrier, &tracking, &items, &actor).await?;
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
        lifecycle::track(&state.shop, shipment, status, &detail, now(), &actor, None).await?;
        back_to(&number);
        Ok(())
    }

    pub async fn deliver(number: String) -> Result<(), AppError> {
        let state = crate::ssr::state()?;
        let (id, actor) = admin(&number, "update orders").await?;
        lifecycle::deliver(&state.shop, id, &actor).await?;
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
            "SELECT rl.product_id, rl.quantity FROM return_lines rl JOIN returns r ON r.id = rl.return_id \
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
            use crate::api::account::server::{client_ip, context, limit, reauthenticate};
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
}
