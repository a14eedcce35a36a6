//! Reviews: a product's reviews page, the write-a-review form, saving and
//! deleting one's own review, "helpful" and "report", and the moderators'
//! page with its decisions, answers and rules. The server checks every call.

use crate::domain::reviews::{ModerationPage, PolicyInput, ReviewForm, ReviewInput, ReviewPage};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// Page `page` of product `slug`'s published reviews, sorted by `sort`.
#[server(endpoint = "reviews", input = GetUrl)]
pub async fn product_reviews(slug: String, #[server(default)] sort: String, #[server(default)] page: i64) -> Result<ReviewPage, AppError> {
    crate::ssr::reviews::read::page(slug, sort, page).await
}

/// Signed-in customers: the form for reviewing product `slug`.
#[server(endpoint = "reviews/form", input = GetUrl)]
pub async fn my_review_form(slug: String) -> Result<ReviewForm, AppError> {
    crate::ssr::reviews::write::form(slug).await
}

/// Signed-in customers: saves their review of `slug`; what they are told.
#[server(endpoint = "reviews/save")]
pub async fn save_review(slug: String, input: ReviewInput) -> Result<String, AppError> {
    crate::ssr::reviews::write::save(slug, input).await
}

/// Signed-in customers: deletes their review of `slug`.
#[server(endpoint = "reviews/delete")]
pub async fn delete_review(slug: String) -> Result<(), AppError> {
    crate::ssr::reviews::write::delete(slug).await
}

/// Signed-in shoppers: review `id` helped them; its new count.
#[server(endpoint = "reviews/helpful")]
pub async fn mark_review_helpful(id: i64) -> Result<i64, AppError> {
    crate::ssr::reviews::votes::helpful(id).await
}

/// Signed-in shoppers: reports review `id` for `why`.
#[server(endpoint = "reviews/report")]
pub async fn report_review(id: i64, why: String) -> Result<(), AppError> {
    crate::ssr::reviews::votes::report(id, why).await
}

/// Moderators: the reviews in `status` (the queue by default) and the rules.
#[server(endpoint = "admin/reviews", input = GetUrl)]
pub async fn reviews_to_moderate(#[server(default)] status: String) -> Result<ModerationPage, AppError> {
    crate::ssr::reviews::moderate::page(status).await
}

/// Moderators: publishes review `id` ("publish") or turns it down with
/// `reason`; `at` is the review's time as shown (an edit since is refused).
#[server(endpoint = "admin/reviews/decide")]
pub async fn decide_review(id: i64, at: i64, decision: String, #[server(default)] reason: String) -> Result<(), AppError> {
    let publish = match decision.as_str() {
        "publish" => true,
        "reject" => false,
        _ => return Err(AppError::BadRequest("Choose to publish the review or turn it down.".into())),
    };
    crate::ssr::reviews::moderate::decide(id, at, publish, reason).await
}

/// Moderators: the shop's public answer to review `id` (empty: none).
#[server(endpoint = "admin/reviews/answer")]
pub async fn answer_review(id: i64, #[server(default)] reply: String) -> Result<(), AppError> {
    crate::ssr::reviews::moderate::answer(id, reply).await
}

/// Moderators: the shop's rules for reviews, saved over `version`.
#[server(endpoint = "admin/reviews/rules")]
pub async fn save_review_rules(version: i64, input: PolicyInput) -> Result<(), AppError> {
    crate::ssr::reviews::rules::save(version, input).await
}
