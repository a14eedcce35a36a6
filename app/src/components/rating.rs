use leptos::prelude::*;

/// Stars out of five with the review count, readable by screen readers.
#[component]
pub fn Rating(avg: f64, count: i64) -> impl IntoView {
    let label = format!("Rated {avg:.1} out of 5 from {count} reviews");
    let width = format!("width: {:.0}%", (avg / 5.0 * 100.0).clamp(0.0, 100.0));
    view! {
        <span class="rating" role="img" aria-label=label>
            <span class="stars" aria-hidden="true">
                <span class="stars-fill" style=width></span>
            </span>
            <span class="rating-count" aria-hidden="true">{format!("{avg:.1} ({count})")}</span>
        </span>
    }
}
