use crate::domain::PageInfo;
use leptos::prelude::*;

/// Numbered page links; `href` gives the URL of a page number.
#[component]
pub fn Pagination(info: PageInfo, #[prop(into)] href: Callback<u32, String>) -> impl IntoView {
    if info.total_pages <= 1 {
        return None;
    }
    let href = move |page: u32| href.run(page);
    let prev = (info.page > 1).then(|| href(info.page - 1));
    let next = (info.page < info.total_pages).then(|| href(info.page + 1));
    let links = info
        .window()
        .into_iter()
        .map(|slot| match slot {
            None => view! { <li class="gap" aria-hidden="true">"…"</li> }.into_any(),
            Some(p) if p == info.page => view! {
                <li><span class="current" aria-current="page">{p}</span></li>
            }
            .into_any(),
            Some(p) => view! {
                <li><a href=href(p) aria-label=format!("Page {p}")>{p}</a></li>
            }
            .into_any(),
        })
        .collect_view();
    Some(view! {
        <nav class="pagination" aria-label="Pagination">
            <ul>
                {prev.map(|h| view! { <li><a href=h rel="prev">"‹ Previous"</a></li> })}
                {links}
                {next.map(|h| view! { <li><a href=h rel="next">"Next ›"</a></li> })}
            </ul>
        </nav>
    })
}
