//! The write-a-review page (`/account/reviews/<slug>`): a signed-in
//! customer's stars, title and words for one product, or their review with
//! its state (waiting, published, or not published and why) to edit or
//! delete. Someone who may not review it is told why. Plain forms, so it
//! works without JavaScript.

use crate::api::reviews::{my_review_form, DeleteReview, SaveReview};
use crate::components::{bump_on_success, form_error, form_outcome, ErrorView};
use crate::domain::reviews::{ReviewForm, ReviewStatus, BODY_MAX, TITLE_MAX};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn WriteReviewPage(slug: String) -> impl IntoView {
    let (save, delete) = (ServerAction::<SaveReview>::new(), ServerAction::<DeleteReview>::new());
    let done = RwSignal::new(0);
    bump_on_success(done, save);
    bump_on_success(done, delete);
    let form = crate::components::page_data(move || (slug.clone(), done.get()), |(slug, _)| my_review_form(slug));
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(f) => form_view(f, save, delete).into_any(),
                }
            })}
        </Suspense>
    }
}

fn form_view(f: ReviewForm, save: ServerAction<SaveReview>, delete: ServerAction<DeleteReview>) -> impl IntoView {
    let title = format!("Review {}", f.product);
    let product_link = format!("/p/{}", f.slug);
    let deleted = move || delete.value().get().is_some_and(|r| r.is_ok());
    let body = if let Some(why) = f.refusal.clone() {
        view! { <p class="notice" data-testid="review-refused">{why}</p> }.into_any()
    } else {
        let own = f.own.clone();
        let editing = own.is_some();
        let slug = f.slug.clone();
        let (rating, head, words) = own.as_ref().map_or((0, String::new(), String::new()), |o| (o.rating, o.title.clone(), o.body.clone()));
        view! {
            {own.as_ref().map(|o| {
                let state = match o.status {
                    ReviewStatus::Published => "published".to_string(),
                    ReviewStatus::Pending => "waiting for a moderator".to_string(),
                    ReviewStatus::Rejected => "not published".to_string(),
                };
                view! {
                    <p class="notice" data-testid="review-state" data-state=o.status.key()>
                        {format!("Your review is {state}.")}
                        {(!o.reason.is_empty()).then(|| format!(" {}", o.reason))}
                        {(o.status == ReviewStatus::Rejected).then_some(" You can change it and send it again.")}
                    </p>
                }
            })}
            {form_outcome(move || save.value().get())}
            {move || deleted().then(|| view! { <p class="notice" role="status" data-testid="review-deleted">"Your review is deleted."</p> })}
            <ActionForm action=save attr:class="review-form" attr:data-testid="review-form">
                <input type="hidden" name="slug" value=f.slug.clone()/>
                <fieldset class="star-choice">
                    <legend>"Your rating"</legend>
                    {(1..=5).rev().map(|n| {
                        let id = format!("stars-{n}");
                        view! {
                            <input type="radio" id=id.clone() name="input[rating]" value=n checked=rating == n required/>
                            <label for=id>{format!("{n} star{}", if n == 1 { "" } else { "s" })}</label>
                        }
                    }).collect_view()}
                </fieldset>
                <label for="review-title">"Title"</label>
                <input id="review-title" name="input[title]" value=head required maxlength=TITLE_MAX/>
                <label for="review-body">"Your review"</label>
                <textarea id="review-body" name="input[body]" rows=8 required maxlength=BODY_MAX>{words}</textarea>
                <p class="hint">"A review with a link, or a word the shop does not allow, waits until a moderator has read it."</p>
                <button type="submit" class="button" data-testid="send-review">
                    {if editing { "Save your review" } else { "Send your review" }}
                </button>
            </ActionForm>
            {editing.then(|| view! {
                <ActionForm action=delete attr:class="inline-form danger">
                    <input type="hidden" name="slug" value=slug/>
                    <label><input type="checkbox" required aria-label="Confirm deleting your review"/>" Delete my review"</label>
                    <button type="submit" class="button danger" data-testid="delete-review">"Delete"</button>
                </ActionForm>
                {form_error(move || delete.value().get().and_then(Result::err))}
            })}
        }
        .into_any()
    };
    view! {
        <Title text=title.clone()/>
        <section class="account-form write-review">
            <p class="back-link"><a href=product_link>"‹ Back to " {f.product.clone()}</a></p>
            <h1>{title}</h1>
            {body}
        </section>
    }
}
