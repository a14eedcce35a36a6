//! An order's life as a state machine: each transition is a method that
//! either gives the next state or says why it cannot happen, so code cannot
//! write an illegal move. The database keeps every move as an order event.
//!
//! Over 400 lines: the state machine and its unit tests (the last hundred
//! lines) stay in one file so every legal move is read in one place.

use serde::{Deserialize, Serialize};

/// Where an order is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrderStatus {
    PendingPayment,
    Paid,
    /// Paid and being packed.
    Processing,
    PartiallyShipped,
    Shipped,
    Delivered,
    Cancelled,
    ReturnRequested,
    Returned,
    PartiallyRefunded,
    Refunded,
}

/// A move the order's state does not allow, as a sentence for the shopper or staff.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct IllegalTransition(pub String);

impl OrderStatus {
    pub const ALL: [OrderStatus; 11] = [
        Self::PendingPayment,
        Self::Paid,
        Self::Processing,
        Self::PartiallyShipped,
        Self::Shipped,
        Self::Delivered,
        Self::Cancelled,
        Self::ReturnRequested,
        Self::Returned,
        Self::PartiallyRefunded,
        Self::Refunded,
    ];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == raw)
    }

    /// The name stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            Self::PendingPayment => "pending-payment",
            Self::Paid => "paid",
            Self::Processing => "processing",
            Self::PartiallyShipped => "partially-shipped",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
            Self::ReturnRequested => "return-requested",
            Self::Returned => "returned",
            Self::PartiallyRefunded => "partially-refunded",
            Self::Refunded => "refunded",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::PendingPayment => "Awaiting payment",
            Self::Paid => "Paid",
            Self::Processing => "Being packed",
            Self::PartiallyShipped => "Partly shipped",
            Self::Shipped => "Shipped",
            Self::Delivered => "Delivered",
            Self::Cancelled => "Cancelled",
            Self::ReturnRequested => "Return requested",
            Self::Returned => "Returned",
            Self::PartiallyRefunded => "Partly refunded",
            Self::Refunded => "Refunded",
        }
    }

    fn refuse(self, what: &str) -> Result<Self, IllegalTransition> {
        Err(IllegalTransition(format!("An order that is {} cannot be {what}.", self.label().to_lowercase())))
    }

    /// The payment arrived.
    pub fn pay(self) -> Result<Self, IllegalTransition> {
        match self {
            Self::PendingPayment => Ok(Self::Paid),
            other => other.refuse("paid"),
        }
    }

    /// Staff started packing the paid order.
    pub fn pack(self) -> Result<Self, IllegalTransition> {
        match self {
            Self::Paid => Ok(Self::Processing),
            other => other.refuse("packed"),
        }
    }

    /// Cancelled by the shopper or staff: only before anything shipped.
    pub fn cancel(self) -> Result<Self, IllegalTransition> {
        match self {
            Self::PendingPayment | Self::Paid | Self::Processing => Ok(Self::Cancelled),
            other => other.refuse("cancelled"),
        }
    }

    /// A parcel left; `everything` when no item is left to ship.
    pub fn ship(self, everything: bool) -> Result<Self, IllegalTransition> {
        match self {
            Self::Paid | Self::Processing | Self::PartiallyShipped => Ok(if everything { Self::Shipped } else { Self::PartiallyShipped }),
            other => other.refuse("shipped"),
        }
    }

    /// The carrier delivered the last parcel.
    pub fn deliver(self) -> Result<Self, IllegalTransition> {
        match self {
            Self::Shipped => Ok(Self::Delivered),
            other => other.refuse("marked delivered"),
        }
    }

    /// The shopper asks to send items back.
    pub fn request_return(self) -> Result<Self, IllegalTransition> {
        match self {
            Self::Delivered => Ok(Self::ReturnRequested),
            other => other.refuse("returned"),
        }
    }

    /// Staff turned the return request down: the order is delivered again.
    pub fn reject_return(self) -> Result<Self, IllegalTransition> {
        match self {
            Self::ReturnRequested => Ok(Self::Delivered),
            other => other.refuse("kept after a refused return"),
        }
    }

    /// Staff received the returned items.
    pub fn receive_return(self) -> Result<Self, IllegalTransition> {
        match self {
            Self::ReturnRequested => Ok(Self::Returned),
            other => other.refuse("received back"),
        }
    }

    /// Money went back; `everything` when the whole amount paid is refunded.
    pub fn refund(self, everything: bool) -> Result<Self, IllegalTransition> {
        match self {
            Self::Returned | Self::PartiallyRefunded | Self::Delivered => {
                Ok(if everything { Self::Refunded } else { Self::PartiallyRefunded })
            }
            other => other.refuse("refunded"),
        }
    }

    /// Whether the shopper may still cancel.
    pub fn cancellable(self) -> bool {
        self.cancel().is_ok()
    }
}

/// How long after delivery a shopper may ask to return items.
pub const RETURN_WINDOW_SECS: i64 = 30 * 24 * 3600;

/// A return's own progress, beside its order's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReturnStatus {
    Requested,
    Approved,
    Rejected,
    Received,
    Refunded,
}

impl ReturnStatus {
    pub const ALL: [ReturnStatus; 5] = [Self::Requested, Self::Approved, Self::Rejected, Self::Received, Self::Refunded];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == raw)
    }

    /// The name stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Received => "received",
            Self::Refunded => "refunded",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Requested => "Waiting for our answer",
            Self::Approved => "Approved: send the items back",
            Self::Rejected => "Refused",
            Self::Received => "Items received, refund on its way",
            Self::Refunded => "Refunded",
        }
    }

    fn refuse(self, what: &str) -> Result<Self, IllegalTransition> {
        Err(IllegalTransition(format!("A return that is {} cannot be {what}.", self.key())))
    }

    pub fn approve(self) -> Result<Self, IllegalTransition> {
        match self {
            Self::Requested => Ok(Self::Approved),
            other => other.refuse("approved"),
        }
    }

    pub fn reject(self) -> Result<Self, IllegalTransition> {
        match self {
            Self::Requested | Self::Approved => Ok(Self::Rejected),
            other => other.refuse("refused"),
        }
    }

    /// The items arrived back (approval first).
    pub fn receive(self) -> Result<Self, IllegalTransition> {
        match self {
            Self::Approved => Ok(Self::Received),
            other => other.refuse("received"),
        }
    }

    pub fn refund(self) -> Result<Self, IllegalTransition> {
        match self {
            Self::Received => Ok(Self::Refunded),
            other => other.refuse("refunded"),
        }
    }
}

/// Where a parcel is, as its carrier reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParcelStatus {
    Shipped,
    InTransit,
    OutForDelivery,
    Delivered,
    /// Held up: damaged, wrong address, customs…
    Exception,
}

impl ParcelStatus {
    pub const ALL: [ParcelStatus; 5] =
        [Self::Shipped, Self::InTransit, Self::OutForDelivery, Self::Delivered, Self::Exception];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == raw)
    }

    /// The name stored in the database and used by carrier webhooks.
    pub fn key(self) -> &'static str {
        match self {
            Self::Shipped => "shipped",
            Self::InTransit => "in-transit",
            Self::OutForDelivery => "out-for-delivery",
            Self::Delivered => "delivered",
            Self::Exception => "exception",
        }
    }

    /// A status a carrier or staff may report (every one but `shipped`, which shipping sets).
    pub fn reported(raw: &str) -> Option<Self> {
        Self::parse(raw.trim()).filter(|s| *s != Self::Shipped)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Shipped => "Handed to the carrier",
            Self::InTransit => "In transit",
            Self::OutForDelivery => "Out for delivery",
            Self::Delivered => "Delivered",
            Self::Exception => "Delayed: the carrier reported a problem",
        }
    }
}

/// Reads per-line quantities from a form (`qty[v<variant id>]` fields) against
/// what may be chosen per product (`limits`: product id → at most). Empty or
/// zero fields are skipped, so the result may be empty.
pub fn chosen_quantities(
    form: &std::collections::HashMap<String, String>,
    limits: &[(i64, i64)],
) -> Result<Vec<(i64, i64)>, String> {
    let mut chosen = Vec::new();
    for (field, raw) in form {
        let product = field.strip_prefix('v').and_then(|id| id.parse::<i64>().ok());
        let Some(&(product, most)) = product.and_then(|p| limits.iter().find(|(id, _)| *id == p)) else {
            return Err("One of the items is not part of this order.".into());
        };
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let quantity: i64 = raw.parse().map_err(|_| format!("\"{}\" is not a whole number.", raw.chars().take(20).collect::<String>()))?;
        if quantity < 0 || quantity > most {
            return Err(format!("Choose between 0 and {most} of each item."));
        }
        if quantity > 0 {
            chosen.push((product, quantity));
        }
    }
    chosen.sort_unstable();
    Ok(chosen)
}

/// One line of a customer's order history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub number: String,
    pub status: OrderStatus,
    pub total: super::money::Money,
    pub created_at: i64,
}

/// A change of an order's state, for its timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderEvent {
    pub at: i64,
    pub status: OrderStatus,
    pub note: String,
}

/// A parcel of an order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShipmentView {
    pub id: i64,
    pub carrier: String,
    pub tracking: String,
    pub status: ParcelStatus,
    pub shipped_at: i64,
    pub delivered_at: Option<i64>,
    /// What it carries: (item name, quantity).
    pub items: Vec<(String, i64)>,
    /// What the carrier reported, oldest first.
    pub events: Vec<TrackingEvent>,
}

/// A carrier's (or staff's) report on a parcel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackingEvent {
    pub at: i64,
    pub status: ParcelStatus,
    pub detail: String,
}

/// A return request as the shopper and staff see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReturnView {
    pub status: ReturnStatus,
    pub reason: String,
    pub staff_note: String,
    pub requested_at: i64,
    /// (item name, quantity, units put back on the shelf once received)
    pub items: Vec<(String, i64, Option<i64>)>,
}

/// Money given back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefundView {
    pub amount: super::money::Money,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    pub reason: String,
    pub at: i64,
}

#[cfg(test)]
mod tests {
    use super::OrderStatus::{self, *};

    /// Every (state, move) pair: the allowed ones give the listed state, all others are refused.
    #[test]
    fn every_allowed_and_refused_transition() {
        type Move = (&'static str, fn(OrderStatus) -> Result<OrderStatus, super::IllegalTransition>);
        let moves: [Move; 11] = [
            ("pay", OrderStatus::pay),
            ("pack", OrderStatus::pack),
            ("cancel", OrderStatus::cancel),
            ("ship part", |s| s.ship(false)),
            ("ship all", |s| s.ship(true)),
            ("deliver", OrderStatus::deliver),
            ("request return", OrderStatus::request_return),
            ("reject return", OrderStatus::reject_return),
            ("receive return", OrderStatus::receive_return),
            ("refund part", |s| s.refund(false)),
            ("refund all", |s| s.refund(true)),
        ];
        let allowed = [
            (PendingPayment, "pay", Paid),
            (PendingPayment, "cancel", Cancelled),
            (Paid, "cancel", Cancelled),
            (Paid, "pack", Processing),
            (Paid, "ship part", PartiallyShipped),
            (Paid, "ship all", Shipped),
            (Processing, "cancel", Cancelled),
            (Processing, "ship part", PartiallyShipped),
            (Processing, "ship all", Shipped),
            (PartiallyShipped, "ship part", PartiallyShipped),
            (PartiallyShipped, "ship all", Shipped),
            (Shipped, "deliver", Delivered),
            (Delivered, "request return", ReturnRequested),
            (ReturnRequested, "reject return", Delivered),
            (ReturnRequested, "receive return", Returned),
            (Returned, "refund part", PartiallyRefunded),
            (Returned, "refund all", Refunded),
            (PartiallyRefunded, "refund part", PartiallyRefunded),
            (PartiallyRefunded, "refund all", Refunded),
            (Delivered, "refund part", PartiallyRefunded),
            (Delivered, "refund all", Refunded),
        ];
        crate::domain::check_machine(&OrderStatus::ALL, &moves, &allowed);
    }

    #[test]
    fn returns_move_only_forward() {
        use super::ReturnStatus::*;
        assert_eq!(Requested.approve(), Ok(Approved));
        assert_eq!(Approved.receive(), Ok(Received));
        assert_eq!(Received.refund(), Ok(Refunded));
        assert_eq!(Requested.reject(), Ok(Rejected));
        assert_eq!(Approved.reject(), Ok(Rejected));
        assert!(Requested.receive().is_err(), "approval comes first");
        for done in [Rejected, Refunded] {
            assert!(done.approve().is_err() && done.reject().is_err() && done.receive().is_err() && done.refund().is_err());
        }
        assert!(Received.reject().is_err() && Approved.refund().is_err());
    }

    #[test]
    fn chosen_quantities_are_checked_against_the_order() {
        let form = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let limits = [(7, 2), (9, 1)];
        assert_eq!(super::chosen_quantities(&form(&[("v7", "2"), ("v9", "")]), &limits), Ok(vec![(7, 2)]));
        assert_eq!(super::chosen_quantities(&form(&[("v9", "1"), ("v7", " 1 ")]), &limits), Ok(vec![(7, 1), (9, 1)]));
        assert_eq!(super::chosen_quantities(&form(&[("v7", "0")]), &limits), Ok(vec![]));
        for bad in [&[("v7", "3")][..], &[("v7", "-1")], &[("v8", "1")], &[("x", "1")], &[("v7", "1.5")]] {
            assert!(super::chosen_quantities(&form(bad), &limits).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn keys_round_trip() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.key()), Some(s));
        }
        assert_eq!(OrderStatus::parse("lost"), None);
        // JSON (the public API) uses the same names as the database.
        let json = |v: serde_json::Value| v.as_str().unwrap().to_owned();
        for s in OrderStatus::ALL {
            assert_eq!(json(serde_json::to_value(s).unwrap()), s.key());
        }
        for s in super::ReturnStatus::ALL {
            assert_eq!(super::ReturnStatus::parse(s.key()), Some(s));
            assert_eq!(json(serde_json::to_value(s).unwrap()), s.key());
        }
        for s in super::ParcelStatus::ALL {
            assert_eq!(super::ParcelStatus::parse(s.key()), Some(s));
            assert_eq!(json(serde_json::to_value(s).unwrap()), s.key());
        }
    }
}
