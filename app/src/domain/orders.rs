//! An order's life as a state machine: each transition is a method that
//! either gives the next state or says why it cannot happen, so code cannot
//! write an illegal move. The database keeps every move as an order event.

use serde::{Deserialize, Serialize};

/// Where an order is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrderStatus {
    PendingPayment,
    Paid,
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
    pub const ALL: [OrderStatus; 10] = [
        Self::PendingPayment,
        Self::Paid,
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

    /// Cancelled by the shopper or staff: only before anything shipped.
    pub fn cancel(self) -> Result<Self, IllegalTransition> {
        match self {
            Self::PendingPayment | Self::Paid => Ok(Self::Cancelled),
            other => other.refuse("cancelled"),
        }
    }

    /// A parcel left; `everything` when no item is left to ship.
    pub fn ship(self, everything: bool) -> Result<Self, IllegalTransition> {
        match self {
            Self::Paid | Self::PartiallyShipped => Ok(if everything { Self::Shipped } else { Self::PartiallyShipped }),
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
    pub carrier: String,
    pub tracking: String,
    pub shipped_at: i64,
    pub delivered_at: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::OrderStatus::{self, *};

    /// Every (state, move) pair: the allowed ones give the listed state, all others are refused.
    #[test]
    fn every_allowed_and_refused_transition() {
        type Move = (&'static str, fn(OrderStatus) -> Result<OrderStatus, super::IllegalTransition>);
        let moves: [Move; 9] = [
            ("pay", OrderStatus::pay),
            ("cancel", OrderStatus::cancel),
            ("ship part", |s| s.ship(false)),
            ("ship all", |s| s.ship(true)),
            ("deliver", OrderStatus::deliver),
            ("request return", OrderStatus::request_return),
            ("receive return", OrderStatus::receive_return),
            ("refund part", |s| s.refund(false)),
            ("refund all", |s| s.refund(true)),
        ];
        let allowed = [
            (PendingPayment, "pay", Paid),
            (PendingPayment, "cancel", Cancelled),
            (Paid, "cancel", Cancelled),
            (Paid, "ship part", PartiallyShipped),
            (Paid, "ship all", Shipped),
            (PartiallyShipped, "ship part", PartiallyShipped),
            (PartiallyShipped, "ship all", Shipped),
            (Shipped, "deliver", Delivered),
            (Delivered, "request return", ReturnRequested),
            (ReturnRequested, "receive return", Returned),
            (Returned, "refund part", PartiallyRefunded),
            (Returned, "refund all", Refunded),
            (PartiallyRefunded, "refund part", PartiallyRefunded),
            (PartiallyRefunded, "refund all", Refunded),
            (Delivered, "refund part", PartiallyRefunded),
            (Delivered, "refund all", Refunded),
        ];
        for from in OrderStatus::ALL {
            for (name, step) in moves {
                let expected = allowed.iter().find(|(f, n, _)| *f == from && *n == name).map(|(_, _, to)| *to);
                match (step(from), expected) {
                    (Ok(to), Some(want)) => assert_eq!(to, want, "{from:?} {name}"),
                    (Err(e), None) => assert!(e.0.contains("cannot be"), "{e}"),
                    (got, want) => panic!("{from:?} {name}: got {got:?}, expected {want:?}"),
                }
            }
        }
    }

    #[test]
    fn keys_round_trip() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.key()), Some(s));
        }
        assert_eq!(OrderStatus::parse("lost"), None);
    }
}
