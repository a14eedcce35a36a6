//! Customers as the back office sees them: the searchable list, one
//! customer's page (account, orders, addresses, cart), and everything the
//! shop holds about an account (the customer's download, an admin's export).

use super::address::Address;
use super::orders::OrderSummary;
use super::pagination::PageInfo;
use serde::{Deserialize, Serialize};

/// One customer in the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub created_at: i64,
    pub orders: i64,
    pub disabled: bool,
}

/// A page of customers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerList {
    pub rows: Vec<CustomerRow>,
    pub page: PageInfo,
}

/// A line of a customer's cart or saved list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    /// `cart` or `saved`.
    pub list: String,
    pub name: String,
    pub sku: String,
    pub quantity: i64,
}

/// One customer's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub created_at: i64,
    pub verified: bool,
    pub two_step: bool,
    pub disabled: bool,
    pub orders: Vec<OrderSummary>,
    pub addresses: Vec<Address>,
    pub cart: Vec<CartLine>,
    /// What they agreed to, every change newest first.
    #[serde(default)]
    pub consents: Vec<super::consents::Consent>,
    /// Whether the viewer may disable, export and anonymise (admins).
    pub admin: bool,
}

/// Everything the shop holds about a user, for them to download.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyData {
    pub account: super::account::UserSummary,
    /// Unix seconds.
    pub created_at: i64,
    pub security_events: Vec<super::account::AuditEntry>,
    #[serde(default)]
    pub addresses: Vec<super::address::Address>,
    /// Every order of the account, as its page shows it.
    #[serde(default)]
    pub orders: Vec<super::order_view::OrderView>,
    /// The cart and the saved list.
    #[serde(default)]
    pub cart: Vec<CartLine>,
    /// What they agreed to, every change newest first.
    #[serde(default)]
    pub consents: Vec<super::consents::Consent>,
    /// The reviews they wrote, with their state.
    #[serde(default)]
    pub reviews: Vec<super::reviews::ModerationRow>,
}

/// A customer search: trimmed, at most 100 characters.
pub fn customer_search(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.chars().count() > 100 {
        return Err("Search for at most 100 characters.".into());
    }
    Ok(text.to_owned())
}
