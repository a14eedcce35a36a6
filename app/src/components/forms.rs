//! Shared form pieces: what a form shows after it was sent (the error, or the
//! server's sentence), and the fields of a postal address.

use crate::error::AppError;
use leptos::prelude::*;

/// The error of the last submission, as a sentence next to the form.
pub fn form_error(error: impl Fn() -> Option<AppError> + Send + Sync + 'static) -> impl IntoView {
    move || error().map(|error| view! { <p class="form-error" role="alert" data-testid="form-error">{error.to_string()}</p> })
}

/// Bumps `done` each time `action` goes through, so a page can reload its
/// data then, and only then (a refused form keeps what was typed in it).
pub fn bump_on_success<S>(done: RwSignal<usize>, action: ServerAction<S>)
where
    S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            done.update(|n| *n += 1);
        }
    });
}

/// The result of a form that answers with a sentence: the error or the notice.
pub fn form_outcome(
    outcome: impl Fn() -> Option<Result<String, AppError>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        {form_error(move || outcome().and_then(Result::err))}
        {move || outcome().and_then(Result::ok).map(|m| view! { <p class="notice" role="status" data-testid="form-done">{m}</p> })}
    }
}

/// The fields of a postal address, named as the server functions expect.
/// `with_place` adds region and country (checkout takes those from its summary form).
#[component]
pub fn AddressFields(with_place: bool) -> impl IntoView {
    view! {
        <label for="full_name">"Full name"</label>
        <input id="full_name" name="full_name" autocomplete="name" required maxlength=100/>
        <label for="line1">"Address"</label>
        <input id="line1" name="line1" autocomplete="address-line1" required maxlength=200/>
        <label for="line2">"Second line (optional)"</label>
        <input id="line2" name="line2" autocomplete="address-line2" maxlength=200/>
        <label for="city">"Town or city"</label>
        <input id="city" name="city" autocomplete="address-level2" required maxlength=100/>
        {with_place.then(|| view! {
            <label for="region">"Region (optional)"</label>
            <input id="region" name="region" autocomplete="address-level1" maxlength=100/>
        })}
        <label for="postal_code">"Postal code"</label>
        <input id="postal_code" name="postal_code" autocomplete="postal-code" required maxlength=16/>
        {with_place.then(|| view! {
            <label for="country">"Country code (GB, DE, US, …)"</label>
            <input id="country" name="country" autocomplete="country" required maxlength=2/>
        })}
        <label for="phone">"Phone (optional)"</label>
        <input id="phone" name="phone" type="tel" autocomplete="tel" maxlength=32/>
    }
}
