use crate::components::ErrorView;
use crate::error::AppError;
use leptos::prelude::*;

/// Any URL no route matches: a real page with status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorView error=AppError::NotFound("There is no page at this address. Try the categories above.".into())/> }
}
