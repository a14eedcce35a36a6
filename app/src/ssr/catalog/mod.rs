//! The catalog as shoppers read it: the home page, category and product
//! pages, product cards (the search index has its own domain, `search`).

pub mod pages;
pub mod reads;
