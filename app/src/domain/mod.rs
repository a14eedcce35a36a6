//! Pure domain types shared by the server and the WebAssembly client.
//! Nothing here touches the database or the network.

pub mod account;
pub mod analytics;
pub mod address;
pub mod attributes;
pub mod catalog;
pub mod catalog_csv;
pub mod catalog_import;
pub mod checkout;
pub mod consents;
pub mod customers;
pub mod listing;
pub mod media;
pub mod money;
pub mod order_desk;
pub mod order_view;
pub mod orders;
pub mod pagination;
pub mod payments;
pub mod people;
pub mod product_bulk;
pub mod products;
pub mod promos;
pub mod reviews;
pub mod rich_text;
pub mod search;
pub mod settings;
pub mod shop_details;
pub mod shipping;
pub mod slug;
pub mod tax;
pub mod taxonomy;
pub mod time;
pub mod variants;
pub mod wishlist;

pub use money::{Currency, Money};
pub use pagination::{PageInfo, PageRequest};
pub use search::{PriceRange, SearchParams, SearchRequest, SearchSort};
pub use slug::Slug;

/// Test helper for the state machines: every (state, move) pair in `allowed`
/// gives its listed state, and every other pair of `all` × `moves` is refused.
#[cfg(test)]
fn check_machine<S: Copy + PartialEq + std::fmt::Debug>(
    all: &[S],
    moves: &[(&str, fn(S) -> Result<S, orders::IllegalTransition>)],
    allowed: &[(S, &str, S)],
) {
    for &from in all {
        for &(name, step) in moves {
            let expected = allowed.iter().find(|(f, n, _)| *f == from && *n == name).map(|(_, _, to)| *to);
            match (step(from), expected) {
                (Ok(to), Some(want)) => assert_eq!(to, want, "{from:?} {name}"),
                (Err(e), None) => assert!(e.0.contains("cannot be"), "{e}"),
                (got, want) => panic!("{from:?} {name}: got {got:?}, expected {want:?}"),
            }
        }
    }
}
