//! A category's page (department or aisle): picture, name, description and
//! its products through the search engine's faceted listing.

use crate::api::catalog::category_page;
use crate::components::{slug_listing, Breadcrumbs, FacetedResults, ListingHeader, PageHead};
use leptos::prelude::*;

/// A category: its picture (when staff uploaded one), its products with
/// facets, sort links and pagination, from the search engine (the category
/// is the fixed filter, the rest is in the URL).
#[component]
pub fn CategoryPage() -> impl IntoView {
    slug_listing(category_page, |page| {
        view! {
            <PageHead meta=page.meta structured=true/>
            <Breadcrumbs trail=page.info.breadcrumbs/>
            <ListingHeader name=page.info.name description=page.info.description image=page.info.image/>
            <FacetedResults results=page.results/>
        }
        .into_any()
    })
}
