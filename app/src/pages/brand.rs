//! A brand's page (`/b/<slug>`): picture, name, description and its
//! products through the search engine's faceted listing (refining them goes
//! on in search with the brand kept).

use crate::api::catalog::brand_page;
use crate::components::{slug_listing, FacetedResults, ListingHeader, PageHead};
use leptos::prelude::*;

#[component]
pub fn BrandPage() -> impl IntoView {
    slug_listing(brand_page, |page| {
        view! {
            <PageHead meta=page.meta structured=true/>
            <div data-testid="brand-page">
                <ListingHeader name=page.info.name description=page.info.description image=page.info.image/>
            </div>
            <FacetedResults results=page.results/>
        }
        .into_any()
    })
}
