//! Orders: placing them (validated checkout, group commit), the state
//! machine's moves with their timeline, cancelling, who may see an order,
//! the order page's view, invoices, and the change feed behind live pages.

pub mod access;
pub mod buyer;
pub mod cancel;
pub mod checkout;
pub mod desk;
pub mod feed;
pub mod group_commit;
pub mod history;
pub mod invoice;
pub mod moves;
pub mod pdf;
pub mod place;
pub mod slips;
pub mod staff;
pub mod staff_list;
pub mod view;
