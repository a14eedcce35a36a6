//! The back office's reviews: the queue of reviews waiting (oldest first),
//! the published and the turned-down ones, each with its product, author,
//! stars, words, reports and the verified-purchase mark; publish, turn down
//! with a reason for the author, answer in public; and the shop's rules
//! (every review waits or only held ones, buyers only, banned words). Plain
//! forms posting to server functions, so it works without JavaScript.

use crate::api::reviews::{reviews_to_moderate, AnswerReview, DecideReview, SaveReviewRules};
use crate::components::{bump_on_success, form_error, AdminNav, ErrorView};
use crate::domain::reviews::{stars, ModerationRow, ReviewPolicy, ReviewStatus, REASON_MAX, REPLY_MAX};
use crate::domain::time::utc;
use super::orders::filter_links;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const TABS: [(&str, &str); 3] = [("", "Waiting"), ("published", "Published"), ("rejected", "Not published")];

#[component]
pub fn AdminReviewsPage() -> impl IntoView {
    let query = use_query_map();
    let status = move || query.read().get("status").unwrap_or_default();
    let (decide, answer, rules) = (ServerAction::<DecideReview>::new(), ServerAction::<AnswerReview>::new(), ServerAction::<SaveReviewRules>::new());
    let done = RwSignal::new(0);
    bump_on_success(done, decide);
    bump_on_success(done, answer);
    bump_on_success(done, rules);
    let data = crate::components::page_data(move || (status(), done.get()), |(status, _)| reviews_to_moderate(status));
    view! {
        <Title text="Reviews · Admin"/>
        <AdminNav current="reviews"/>
        <section class="admin-reviews">
            <h1>"Reviews"</h1>
            {form_error(move || decide.value().get().and_then(Result::err))}
            {form_error(move || answer.value().get().and_then(Result::err))}
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(page) => view! {
                            <p data-testid="waiting-count">{format!("{} waiting for a moderator", page.waiting)}</p>
                            {filter_links("Reviews by state", "/admin/reviews", "status", &TABS, if page.status == ReviewStatus::Pending { "" } else { page.status.key() })}
                            {if page.rows.is_empty() {
                                view! { <p data-testid="no-reviews">"No reviews here."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="moderation-list" data-testid="moderation-list">
                                        {page.rows.into_iter().map(|row| moderation_row(row, decide, answer)).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            {rules_form(page.policy, rules)}
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn moderation_row(r: ModerationRow, decide: ServerAction<DecideReview>, answer: ServerAction<AnswerReview>) -> impl IntoView {
    let id = r.id;
    let (reason_id, reply_id) = (format!("reason-{id}"), format!("reply-{id}"));
    view! {
        <li class="moderation-row" data-testid="moderation-row" data-review=id data-state=r.status.key()>
            <h2>
                <span class="review-stars" role="img" aria-label=format!("Rated {} out of 5", r.rating)>{stars(r.rating)}</span>" "
                {r.title.clone()}
            </h2>
            <p class="review-meta">
                <a href=format!("/p/{}", r.slug)>{r.product.clone()}</a>
                {format!(" · {} ({}) · {}", r.author, r.email, utc(r.at))}
                {r.verified.then_some(" · Verified purchase")}
                {(r.reports > 0).then(|| format!(" · {} reports", r.reports))}
            </p>
            {(!r.reason.is_empty()).then(|| view! { <p class="hold-reason" data-testid="hold-reason">{r.reason.clone()}</p> })}
            <div class="review-body">{r.body.lines().map(|line| view! { <p>{line.to_owned()}</p> }).collect_view()}</div>
            <div class="moderation-actions">
                {(r.status != ReviewStatus::Published).then(|| view! {
                    <ActionForm action=decide attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="at" value=r.at/>
                        <input type="hidden" name="decision" value="publish"/>
                        <button type="submit" class="button" data-testid="publish-review">"Publish"</button>
                    </ActionForm>
                })}
                {(r.status != ReviewStatus::Rejected).then(|| view! {
                    <ActionForm action=decide attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="at" value=r.at/>
                        <input type="hidden" name="decision" value="reject"/>
                        <label for=reason_id.clone()>"Reason for the author"</label>
                        <input id=reason_id.clone() name="reason" required maxlength=REASON_MAX/>
                        <button type="submit" class="button danger" data-testid="reject-review">"Turn down"</button>
                    </ActionForm>
                })}
                <details>
                    <summary>{if r.reply.is_empty() { "Answer in public" } else { "Change the shop's answer" }}</summary>
                    <ActionForm action=answer attr:class="staff-form">
                        <input type="hidden" name="id" value=id/>
                        <label for=reply_id.clone()>"The shop's answer (empty: none)"</label>
                        <textarea id=reply_id name="reply" rows=3 maxlength=REPLY_MAX>{r.reply.clone()}</textarea>
                        <button type="submit" class="button secondary" data-testid="answer-review">"Save the answer"</button>
                    </ActionForm>
                </details>
            </div>
        </li>
    }
}

fn rules_form(policy: ReviewPolicy, rules: ServerAction<SaveReviewRules>) -> impl IntoView {
    view! {
        <details class="review-rules">
            <summary>"Rules for reviews"</summary>
            <ActionForm action=rules attr:class="staff-form" attr:data-testid="review-rules">
                <input type="hidden" name="version" value=policy.version/>
                <label><input type="checkbox" name="input[moderate_all]" checked=policy.moderate_all/>" Every review waits for a moderator (otherwise only reviews with links or banned words)"</label>
                <label><input type="checkbox" name="input[buyers_only]" checked=policy.buyers_only/>" Only customers who bought a product may review it"</label>
                <label for="banned-words">"Banned words (one per line; a review with one waits for a moderator)"</label>
                <textarea id="banned-words" name="input[banned_words]" rows=5>{policy.banned_words}</textarea>
                {form_error(move || rules.value().get().and_then(Result::err))}
                <button type="submit" class="button secondary" data-testid="save-review-rules">"Save the rules"</button>
            </ActionForm>
        </details>
    }
}
