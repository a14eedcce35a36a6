//! Pure domain types shared by the server and the WebAssembly client.
//! Nothing here touches the database or the network.

pub mod account;
pub mod address;
pub mod checkout;
pub mod money;
pub mod orders;
pub mod pagination;
pub mod payments;
pub mod search;
pub mod slug;
pub mod time;

pub use money::{Currency, Money};
pub use pagination::{PageInfo, PageRequest};
pub use search::{PriceRange, SearchParams, SearchRequest, SearchSort};
pub use slug::Slug;
