//! Product media: an uploaded image is checked by decoding it, stripped of
//! its metadata, resized once per width and kept in an object store under
//! content-hashed keys (so its URLs can be cached forever).

pub mod process;
pub mod store;
