//! A shopper's wishlist (the "saved" list of their cart) as its pages show
//! it: their own, with its share link and mail setting; one shared with a
//! read-only link; and the page an alert mail's unsubscribe link opens.

use super::checkout::CartLine;
use serde::{Deserialize, Serialize};

/// The shopper's own wishlist.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Wishlist {
    /// Oldest first, with today's price and stock.
    pub items: Vec<CartLine>,
    /// The read-only link that shows it to others, while it is shared.
    pub share_url: Option<String>,
    /// Whether a mail goes when a saved item is back in stock or cheaper;
    /// `None` for a guest, who has no address to mail.
    pub alerts: Option<bool>,
}

/// A wishlist someone shared: whose (their display name, or nothing) and its items.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SharedWishlist {
    pub owner: String,
    pub items: Vec<CartLine>,
}

/// What an unsubscribe link is about: the address (partly hidden, as
/// anyone holding the link may open it) and whether its mails are on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AlertSetting {
    pub address: String,
    pub enabled: bool,
}

/// `ann@example.com` as `a••@example.com`: enough for its owner to know it.
pub fn hide_address(email: &str) -> String {
    match email.split_once('@') {
        Some((name, domain)) => {
            let first: String = name.chars().take(1).collect();
            format!("{first}••@{domain}")
        }
        None => "••".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_shows_its_first_letter_and_domain() {
        assert_eq!(hide_address("ann@example.com"), "a••@example.com");
        assert_eq!(hide_address("élodie@exemple.fr"), "é••@exemple.fr");
        assert_eq!(hide_address("nonsense"), "••");
    }
}
