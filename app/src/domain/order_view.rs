//! A placed order as its buyer and the shop's staff see it: lines, totals,
//! payment, timeline, parcels, returns and refunds.

use super::address::Address;
use super::checkout::Totals;
use super::money::Money;
use super::orders::{OrderEvent, OrderStatus, RefundView, ReturnView, ShipmentView};
use serde::{Deserialize, Serialize};

/// A line of a placed order, at the price it was bought for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderLine {
    /// What the line's quantities are counted by (parcels, returns).
    pub variant_id: i64,
    pub product_id: i64,
    pub name: String,
    /// Its option values, "Red / M" (empty for a product without options).
    pub variant: String,
    pub sku: String,
    pub unit_price: Money,
    pub quantity: i64,
    /// Units not yet in a parcel.
    pub unshipped: i64,
    /// Units the shopper may still ask to return (zero outside the return window).
    pub returnable: i64,
}

impl OrderLine {
    /// "Tee (Red / M)": its name with its options.
    pub fn label(&self) -> String {
        super::variants::line_name(&self.name, &self.variant)
    }
}

/// A placed order as its buyer sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    pub number: String,
    pub status: OrderStatus,
    pub email: String,
    pub created_at: i64,
    pub lines: Vec<OrderLine>,
    pub totals: Totals,
    /// The tax at each rate (goods and shipping).
    #[serde(default)]
    pub taxes: Vec<super::tax::RateTax>,
    pub currency: super::money::Currency,
    pub shipping_method: String,
    pub ship_to: Address,
    /// The newest payment attempt: its state and what the provider said.
    pub payment: Option<PaymentView>,
    /// Seconds until the held stock is released, while awaiting payment.
    pub reserved_for: i64,
    /// Every change of state, oldest first.
    pub events: Vec<OrderEvent>,
    pub shipments: Vec<ShipmentView>,
    pub returns: Vec<ReturnView>,
    pub refunds: Vec<RefundView>,
    /// What may still be refunded of the payment.
    pub refundable: Money,
    /// Until when a return may be requested, once delivered.
    pub return_until: Option<i64>,
    /// Whose page the card is typed on (e.g. "Stripe"); `None`: the shop's own form.
    pub pays_on: Option<String>,
}

/// A payment attempt as the buyer sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentView {
    pub status: String,
    pub message: String,
    pub card: String,
    /// Where the shopper confirms the payment with their bank, when asked to.
    pub action_url: Option<String>,
}

/// An order as staff see it: a seller's staff see only their seller's items
/// and parcels, and neither payment, returns nor refunds (admins handle those).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffOrderView {
    pub order: OrderView,
    /// Whether the viewer is an admin (who may also deliver, answer returns and refund).
    pub admin: bool,
    /// Staff notes the viewer may read, oldest first.
    pub notes: Vec<super::order_desk::OrderNote>,
    /// The mails about the order, newest first (admins only).
    pub mails: Vec<super::order_desk::OrderMail>,
}
