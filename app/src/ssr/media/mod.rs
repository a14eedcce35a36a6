//! Product media: an uploaded image is checked by decoding it, stripped of
//! its metadata, resized once per width and kept in an object store under
//! content-hashed keys (so its URLs can be cached forever): a directory by
//! default, an S3-compatible bucket by configuration; files nothing shows any
//! more are swept.

pub mod process;
pub mod s3;
pub mod sweep;
pub mod store;
