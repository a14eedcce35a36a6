//! All of a product's published reviews (`/p/<slug>/reviews`): the average
//! and how many gave each number of stars, the reviews in the order chosen
//! (most helpful, newest, highest or lowest rating), a page at a time, and
//! under each "Helpful" and "Report" for signed-in shoppers. The page is the
//! same for every shopper (it is cached); the forms carry the session.

use crate::api::reviews::{product_reviews, MarkReviewHelpful, ReportReview};
use crate::components::{form_error, ErrorView, Pagination, Rating};
use crate::domain::reviews::{Review, ReviewPage, ReviewSort};
use crate::domain::PageInfo;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ProductReviewsPage() -> impl IntoView {
    let (params, query) = (use_params_map(), use_query_map());
    let asked = move || {
        let q = query.read();
        (
            params.read().get("slug").unwrap_or_default(),
            q.get("sort").unwrap_or_default(),
            q.get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1),
        )
    };
    let data = crate::components::page_data(asked, |(slug, sort, page)| product_reviews(slug, sort, page));
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(page) => reviews_view(page).into_any(),
                }
            })}
        </Suspense>
    }
}

fn reviews_view(p: ReviewPage) -> impl IntoView {
    let base = format!("/p/{}/reviews", p.slug);
    let total: i64 = p.stars.iter().sum();
    let info = PageInfo { page: p.page as u32, total_pages: p.pages as u32, total_items: total as u64 };
    let sort = p.sort;
    let href = {
        let base = base.clone();
        move |page: u32| format!("{base}?sort={}&page={page}", sort.key())
    };
    let title = format!("Reviews of {}", p.product);
    let tenths = (p.rating_avg.clamp(0.0, 5.0) * 10.0 + 0.5) as i64;
    view! {
        <Title text=title.clone()/>
        // Whole tenths, not `{:.1}`: float printing would cost this chunk about 15 kB.
        <Meta name="description" content=format!("{total} customer reviews of {}, rated {}.{} out of 5.", p.product, tenths / 10, tenths % 10)/>
        <Link rel="canonical" href=base.clone()/>
        <section class="reviews-page" data-testid="reviews-page">
            <p class="back-link"><a href=format!("/p/{}", p.slug)>"‹ Back to " {p.product.clone()}</a></p>
            <h1>{title}</h1>
            <Rating avg=p.rating_avg count=p.rating_count/>
            <p><a class="button secondary" href=format!("/account/reviews/{}", p.slug) data-testid="write-review">"Write a review"</a></p>
            {(total > 0).then(|| view! {
                <nav class="filters" aria-label="Sort reviews">
                    {ReviewSort::ALL.into_iter().map(|s| view! {
                        <a href=format!("{base}?sort={}", s.key()) aria-current=(s == sort).then_some("page")>{s.label()}</a>" "
                    }).collect_view()}
                </nav>
            })}
            {if p.reviews.is_empty() {
                view! { <p data-testid="no-reviews">"No reviews yet. Bought it? Tell other shoppers what you think."</p> }.into_any()
            } else {
                view! {
                    <ul class="review-list">
                        {p.reviews.into_iter().map(review_item).collect_view()}
                    </ul>
                }.into_any()
            }}
            <Pagination info href=Callback::new(href)/>
        </section>
    }
}

/// One review (the server's HTML) with its "Helpful" and "Report" forms.
fn review_item(review: Review) -> impl IntoView {
    let (helpful, report) = (ServerAction::<MarkReviewHelpful>::new(), ServerAction::<ReportReview>::new());
    let id = review.id;
    let why_id = format!("why-{id}");
    view! {
        <li class="review" data-testid="review" data-review=id>
            <div inner_html=review.html></div>
            <div class="review-actions">
                <ActionForm action=helpful attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <button type="submit" class="button secondary" data-testid="helpful">"Helpful"</button>
                </ActionForm>
                {move || helpful.value().get().and_then(Result::ok).map(|n| view! {
                    <span role="status" data-testid="helpful-done">{format!("Thanks! {n} found this helpful.")}</span>
                })}
                {form_error(move || helpful.value().get().and_then(Result::err))}
                <details class="report">
                    <summary>"Report"</summary>
                    <ActionForm action=report attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <label for=why_id.clone()>"What is wrong with it?"</label>
                        <input id=why_id name="why" required maxlength=500/>
                        <button type="submit" class="button secondary" data-testid="report">"Send report"</button>
                    </ActionForm>
                    {move || report.value().get().and_then(Result::ok).map(|_| view! {
                        <span role="status" data-testid="report-done">"Thank you: a moderator will read it."</span>
                    })}
                    {form_error(move || report.value().get().and_then(Result::err))}
                </details>
            </div>
        </li>
    }
}
