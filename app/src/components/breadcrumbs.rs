use crate::domain::catalog::CategoryLink;
use leptos::prelude::*;

/// "Home › Category › Subcategory", the last item marked as the current page
/// unless `current` names a page below the trail (a product).
#[component]
pub fn Breadcrumbs(trail: Vec<CategoryLink>, #[prop(optional, into)] current: Option<String>) -> impl IntoView {
    let last = trail.len().saturating_sub(1);
    let ends_here = current.is_none();
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <ol>
                <li><a href="/">"Home"</a></li>
                {trail
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let here = ends_here && i == last;
                        view! {
                            <li>
                                <a href=format!("/c/{}", c.slug) aria-current=here.then_some("page")>
                                    {c.name}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
                {current.map(|name| view! { <li><span aria-current="page">{name}</span></li> })}
            </ol>
        </nav>
    }
}
