//! The back office's people page: staff with their role, whether they can
//! sign in, and the form that invites one; the rules for a role choice.

use super::account::Role;
use serde::{Deserialize, Serialize};

/// One staff member as the people page lists them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// A seller's staff's seller: (id, name).
    pub seller: Option<(i64, String)>,
    pub two_step: bool,
    pub disabled: bool,
    /// Their last sign-in, if any.
    pub last_sign_in: Option<i64>,
}

/// The people page: every staff member, the sellers to choose from, and who is looking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeoplePage {
    pub staff: Vec<StaffMember>,
    pub sellers: Vec<(i64, String)>,
    pub me: i64,
}

/// A role as the form sends it (`admin`, `catalog`, `orders`, `seller`) with
/// its seller's id (required for a seller's staff, refused for the rest).
pub fn staff_role(role: &str, seller: &str) -> Result<(Role, Option<i64>), String> {
    let role = Role::parse(role.trim()).filter(|r| r.is_staff()).ok_or("Choose a staff role from the list.")?;
    let seller = match seller.trim() {
        "" => None,
        typed => Some(typed.parse::<i64>().ok().filter(|s| *s > 0).ok_or("Choose a seller from the list.")?),
    };
    match (role, seller) {
        (Role::Seller, None) => Err("Choose the seller this person works for.".into()),
        (Role::Seller, seller) => Ok((role, seller)),
        (role, _) => Ok((role, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_checked_with_their_seller() {
        assert_eq!(staff_role("orders", ""), Ok((Role::OrderManager, None)));
        assert_eq!(staff_role("catalog", "3"), Ok((Role::CatalogManager, None)), "a seller only matters to a seller's staff");
        assert_eq!(staff_role("seller", "3"), Ok((Role::Seller, Some(3))));
        assert!(staff_role("seller", "").is_err());
        assert!(staff_role("customer", "").is_err() && staff_role("owner", "").is_err() && staff_role("seller", "x").is_err());
    }
}
