//! Accounts as both sides see them: roles and what they allow, and the rules
//! for emails, names and passwords (checked on the server; the forms use the
//! same limits).

use serde::{Deserialize, Serialize};

/// Longest email address accepted (RFC 5321's path limit).
pub const MAX_EMAIL: usize = 254;
/// Password length limits, in characters.
pub const MIN_PASSWORD: usize = 8;
pub const MAX_PASSWORD: usize = 128;
/// Longest display name, in characters.
pub const MAX_NAME: usize = 100;

/// Who a user is to the shop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Customer,
    Seller,
    Admin,
    /// Runs the catalog: products, variants, images, stock, categories, brands.
    CatalogManager,
    /// Runs the order desk: every order, returns, refunds, cancelling.
    OrderManager,
}

impl Role {
    /// The roles staff may have, as the people page offers them.
    pub const STAFF: [Role; 4] = [Role::Admin, Role::CatalogManager, Role::OrderManager, Role::Seller];

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "customer" => Some(Self::Customer),
            "seller" => Some(Self::Seller),
            "admin" => Some(Self::Admin),
            "catalog" => Some(Self::CatalogManager),
            "orders" => Some(Self::OrderManager),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Seller => "seller",
            Self::Admin => "admin",
            Self::CatalogManager => "catalog",
            Self::OrderManager => "orders",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Customer => "Customer",
            Self::Seller => "A seller's staff",
            Self::Admin => "Admin",
            Self::CatalogManager => "Catalog manager",
            Self::OrderManager => "Order manager",
        }
    }

    /// Whether the role works in the back office.
    pub fn is_staff(self) -> bool {
        self != Self::Customer
    }
}

/// The signed-in user, as pages show them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub email_verified: bool,
    /// Whether sign-in asks for a code from an authenticator app.
    pub two_step: bool,
}

/// What the header shows of the visitor, asked by the browser after the page
/// loads: catalog pages are the same for everyone (and so come from the page
/// cache), this small answer is the only personal part.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Visitor {
    /// Items in the cart (quantities added up).
    pub cart_items: i64,
    /// The name the header shows (display name, else email), if signed in.
    pub name: Option<String>,
    pub role: Option<Role>,
}

/// What an authenticator app needs to start giving codes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TwoStepSetup {
    /// Base32, for typing in.
    pub secret: String,
    /// `otpauth://` URI, for apps that read links or QR codes.
    pub uri: String,
}

/// One security event, as the audit log page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Unix seconds.
    pub at: i64,
    /// The email address the event concerns.
    pub subject: String,
    pub event: String,
    pub ip: String,
    /// What a staff member changed, before and after (empty for sign-ins).
    #[serde(default)]
    pub detail: String,
}

/// One customer's address however it is written, for limits per customer:
/// lower case, without a `+tag` in the local part, and for Gmail without the
/// dots it ignores. `a+1@example.com` and `A+2@Example.com` are one customer.
pub fn canonical_email(email: &str) -> String {
    let email = email.trim().to_lowercase();
    let Some((local, domain)) = email.rsplit_once('@') else { return email };
    let local = local.split('+').next().unwrap_or(local);
    let domain = if domain == "googlemail.com" { "gmail.com" } else { domain };
    let local = if domain == "gmail.com" { local.replace('.', "") } else { local.to_owned() };
    format!("{local}@{domain}")
}

/// A normalised email address: trimmed, lower-cased, one `@`, a dotted domain.
pub fn parse_email(raw: &str) -> Result<String, String> {
    let email = raw.trim().to_lowercase();
    let bad = || "Enter an email address like name@example.com.".to_owned();
    if email.is_empty() {
        return Err("Enter your email address.".into());
    }
    if email.chars().count() > MAX_EMAIL {
        return Err(format!("An email address can be at most {MAX_EMAIL} characters long."));
    }
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let domain_ok = domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if local_ok && domain_ok { Ok(email) } else { Err(bad()) }
}

/// A display name: trimmed, printable, at most [`MAX_NAME`] characters.
pub fn parse_name(raw: &str) -> Result<String, String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.chars().count() > MAX_NAME {
        return Err(format!("A name can be at most {MAX_NAME} characters long."));
    }
    if name.chars().any(|c| c.is_control() || is_invisible(c)) {
        return Err("A name cannot contain control or invisible characters.".into());
    }
    Ok(name)
}

/// Direction overrides and zero-width characters, used to disguise text.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Checks a new password's length, and that it is not the email or one
/// repeated character; the server also checks it against the most used
/// passwords (`ssr::accounts::password::check_new`).
pub fn check_password(password: &str, email: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD {
        return Err(format!("Use at least {MIN_PASSWORD} characters for your password."));
    }
    if length > MAX_PASSWORD {
        return Err(format!("A password can be at most {MAX_PASSWORD} characters long."));
    }
    let lower = password.to_lowercase();
    let local = email.split('@').next().unwrap_or("");
    if lower == email || (!local.is_empty() && lower == local) {
        return Err("That password is too easy to guess: it is your email address. Choose another.".into());
    }
    if lower.chars().all(|c| Some(c) == lower.chars().next()) {
        return Err("A password of one repeated character is too easy to guess. Choose another.".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_customer_however_the_address_is_written() {
        use super::canonical_email;
        assert_eq!(canonical_email("A+1@Example.com"), "a@example.com");
        assert_eq!(canonical_email("a+2@example.com"), "a@example.com");
        assert_eq!(canonical_email("J.Doe+shop@googlemail.com"), "jdoe@gmail.com");
        assert_eq!(canonical_email("j.doe@example.com"), "j.doe@example.com", "dots matter elsewhere");
        assert_eq!(canonical_email("not-an-address"), "not-an-address");
    }

    use super::*;

    #[test]
    fn emails_are_normalised_or_refused_with_a_sentence() {
        assert_eq!(parse_email("  Ada@Example.COM ").unwrap(), "ada@example.com");
        assert!(parse_email("o'neil+shop@mail.example.co.uk").is_ok());
        for bad in ["", "ada", "ada@", "@example.com", "ada@example", "a b@example.com", "ada@@example.com",
                    "ada@exa_mple.com", "<script>@x.com", "ada@-example.com", "ada..b@example.com"] {
            let err = parse_email(bad).unwrap_err();
            assert!(err.ends_with('.'), "{bad}: {err}");
        }
        assert!(parse_email(&format!("{}@example.com", "a".repeat(300))).is_err());
    }

    #[test]
    fn names_are_trimmed_and_tricks_refused() {
        assert_eq!(parse_name("  Ada   Lovelace ").unwrap(), "Ada Lovelace");
        assert_eq!(parse_name("<b>Ada</b>").unwrap(), "<b>Ada</b>", "stored as typed, escaped when shown");
        assert!(parse_name("Ada\u{202E}ecalevol").is_err());
        assert!(parse_name("a\u{0007}").is_err());
        assert!(parse_name(&"x".repeat(1_000_000)).is_err());
    }

    #[test]
    fn passwords_follow_the_policy() {
        assert!(check_password("correct horse battery", "ada@example.com").is_ok());
        assert!(check_password("short", "ada@example.com").unwrap_err().contains("at least 8"));
        assert!(check_password(&"x".repeat(129), "a@b.co").unwrap_err().contains("at most 128"));
        assert!(check_password("ada@example.com", "ada@example.com").is_err());
        assert!(check_password("aaaaaaaaaa", "a@b.co").is_err());
        assert!(check_password("ünïcödé-pässwörd", "a@b.co").is_ok(), "any characters");
    }
}
