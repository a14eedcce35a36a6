use crate::error::AppError;
use leptos::prelude::*;
use super::SafeTitle;
use leptos_meta::Meta;

/// Sets the HTTP status of the response being rendered (server only).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        let status = axum::http::StatusCode::from_u16(code)
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// A full error page with the right status code and a way back.
#[component]
pub fn ErrorView(error: AppError) -> impl IntoView {
    set_status(error.status());
    let title = error.title();
    view! {
        <SafeTitle text=format!("{title}")/>
        <Meta name="robots" content="noindex"/>
        <section class="error-page" data-testid="error-page">
            <p class="error-code">{error.status()}</p>
            <h1>{title}</h1>
            <p>{error.to_string()}</p>
            {(error.status() == 401).then(|| view! {
                <p><a class="button" href="/account/sign-in" data-testid="sign-in-link">"Sign in"</a></p>
            })}
            <p><a class="button" href="/">"Back to the shop"</a></p>
        </section>
    }
}
