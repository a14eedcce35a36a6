//! A payment's life as a state machine, like an order's: each answer of the
//! card processor is a method that gives the next state or refuses, and the
//! database's guarded updates take their allowed starting states from these
//! methods ([`PaymentStatus::guard`]), so code and schema agree on every move.

use super::orders::IllegalTransition;

/// Where a payment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaymentStatus {
    /// Asked of the provider, or authorized and not yet taken by the order.
    Processing,
    /// The shopper must confirm with their bank.
    RequiresAction,
    Succeeded,
    Declined,
    Failed,
    Refunded,
}

/// A move of a payment, as a method of [`PaymentStatus`].
pub type PaymentStep = fn(PaymentStatus) -> Result<PaymentStatus, IllegalTransition>;

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 6] =
        [Self::Processing, Self::RequiresAction, Self::Succeeded, Self::Declined, Self::Failed, Self::Refunded];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == raw)
    }

    /// The name stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            Self::Processing => "processing",
            Self::RequiresAction => "requires-action",
            Self::Succeeded => "succeeded",
            Self::Declined => "declined",
            Self::Failed => "failed",
            Self::Refunded => "refunded",
        }
    }

    fn refuse(self, what: &str) -> Result<Self, IllegalTransition> {
        Err(IllegalTransition(format!("A payment that is {} cannot be {what}.", self.key())))
    }

    /// Whether the provider has not given its last word yet.
    fn in_flight(self) -> bool {
        matches!(self, Self::Processing | Self::RequiresAction)
    }

    /// The provider holds the money; the payment stays processing until the order takes it.
    pub fn authorize(self) -> Result<Self, IllegalTransition> {
        if self.in_flight() { Ok(Self::Processing) } else { self.refuse("authorized") }
    }

    /// The provider asks the shopper to confirm with their bank.
    pub fn require_action(self) -> Result<Self, IllegalTransition> {
        if self.in_flight() { Ok(Self::RequiresAction) } else { self.refuse("sent to the bank") }
    }

    /// The order took the money. Also after a decline or failure: a success
    /// reported late (webhooks arrive in any order) is the provider's last word.
    pub fn succeed(self) -> Result<Self, IllegalTransition> {
        match self {
            Self::Processing | Self::RequiresAction | Self::Declined | Self::Failed => Ok(Self::Succeeded),
            other => other.refuse("marked paid"),
        }
    }

    /// The card was declined.
    pub fn decline(self) -> Result<Self, IllegalTransition> {
        if self.in_flight() { Ok(Self::Declined) } else { self.refuse("declined") }
    }

    /// The provider failed or the bank did not confirm.
    pub fn fail(self) -> Result<Self, IllegalTransition> {
        if self.in_flight() { Ok(Self::Failed) } else { self.refuse("failed") }
    }

    /// Money held for an order that can no longer take it went back.
    pub fn void(self) -> Result<Self, IllegalTransition> {
        match self {
            Self::Processing | Self::RequiresAction | Self::Declined | Self::Failed => Ok(Self::Refunded),
            other => other.refuse("voided"),
        }
    }

    /// Everything paid was refunded.
    pub fn refund(self) -> Result<Self, IllegalTransition> {
        match self {
            Self::Succeeded => Ok(Self::Refunded),
            other => other.refuse("refunded"),
        }
    }

    /// For a guarded update: the state `step` leads to, and the states it may
    /// start from as an SQL list (`'processing', 'requires-action'`).
    pub fn guard(step: PaymentStep) -> (PaymentStatus, String) {
        let from: Vec<PaymentStatus> = Self::ALL.into_iter().filter(|s| step(*s).is_ok()).collect();
        let to = from.first().and_then(|s| step(*s).ok()).expect("every payment step starts somewhere");
        let list = from.iter().map(|s| format!("'{}'", s.key())).collect::<Vec<_>>().join(", ");
        (to, list)
    }
}

#[cfg(test)]
mod tests {
    use super::PaymentStatus::{self, *};
    use super::PaymentStep;

    /// Every (state, move) pair: the allowed ones give the listed state, all others are refused.
    #[test]
    fn every_allowed_and_refused_payment_move() {
        let moves: [(&str, PaymentStep); 7] = [
            ("authorize", PaymentStatus::authorize),
            ("require action", PaymentStatus::require_action),
            ("succeed", PaymentStatus::succeed),
            ("decline", PaymentStatus::decline),
            ("fail", PaymentStatus::fail),
            ("void", PaymentStatus::void),
            ("refund", PaymentStatus::refund),
        ];
        let mut allowed = vec![(Succeeded, "refund", Refunded)];
        for from in [Processing, RequiresAction] {
            allowed.extend([
                (from, "authorize", Processing),
                (from, "require action", RequiresAction),
                (from, "decline", Declined),
                (from, "fail", Failed),
            ]);
        }
        for from in [Processing, RequiresAction, Declined, Failed] {
            allowed.extend([(from, "succeed", Succeeded), (from, "void", Refunded)]);
        }
        crate::domain::check_machine(&PaymentStatus::ALL, &moves, &allowed);
    }

    #[test]
    fn guards_list_exactly_the_starting_states() {
        assert_eq!(PaymentStatus::guard(PaymentStatus::fail), (Failed, "'processing', 'requires-action'".into()));
        assert_eq!(PaymentStatus::guard(PaymentStatus::refund), (Refunded, "'succeeded'".into()));
        for status in PaymentStatus::ALL {
            assert_eq!(PaymentStatus::parse(status.key()), Some(status));
        }
    }
}
