//! What a form shows after it was sent: the error, or the server's sentence.

use crate::error::AppError;
use leptos::prelude::*;

/// The error of the last submission, as a sentence next to the form.
pub fn form_error(error: impl Fn() -> Option<AppError> + Send + Sync + 'static) -> impl IntoView {
    move || error().map(|error| view! { <p class="form-error" role="alert" data-testid="form-error">{error.to_string()}</p> })
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
