//! The back office's image upload form: a plain multipart form posting to
//! its server function (so it works without JavaScript, the refusal coming
//! back in the page's address), sent in the background with JavaScript; and
//! the section an editor shows a category's or a brand's own picture in.
//! The background send is the browser's own `fetch` of the form: calling the
//! server function's client put its multipart encoder, and the action
//! machinery it drags along, into every shopper's main module (24 kB brotli,
//! measured with `scripts/bundle-size.sh`).

use super::form_error;
use crate::domain::catalog::ProductImage;
use crate::domain::media::srcset;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server::ServerActionError;
use leptos::server_fn::error::ServerFnUrlError;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{FormData, HtmlFormElement, SubmitEvent};

/// An upload sent in the background.
pub type UploadAction = Action<FormData, Result<(), AppError>>;

/// Posts `data` (the upload form's fields) to the server function at
/// `path`, as the form itself would; the server's refusal, if any.
pub async fn send_upload(path: &'static str, data: FormData) -> Result<(), AppError> {
    #[cfg(feature = "hydrate")]
    {
        use leptos::__reexports::wasm_bindgen_futures::JsFuture;
        use leptos::server_fn::error::FromServerFnError;
        let failed = |_| AppError::Transport;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&data.into());
        let headers = web_sys::Headers::new().map_err(failed)?;
        headers.set("Accept", "application/json").map_err(failed)?;
        init.set_headers(&headers);
        let window = web_sys::window().ok_or(AppError::Internal)?;
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str_and_init(path, &init)).await.map_err(failed)?.dyn_into().map_err(failed)?;
        if response.ok() {
            return Ok(());
        }
        let body = JsFuture::from(response.text().map_err(failed)?).await.map_err(failed)?.as_string().unwrap_or_default();
        Err(AppError::de(body.into_bytes().into()))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (path, data);
        Err(AppError::Internal)
    }
}

/// Bumps `done` each time `upload` goes through.
pub fn bump_on_upload(done: RwSignal<usize>, upload: UploadAction) {
    Effect::new(move |_| {
        if upload.value().with(|v| matches!(v, Some(Ok(())))) {
            done.update(|n| *n += 1);
        }
    });
}

/// The refusal of an upload to `path` posted without JavaScript, which the
/// server sends back in the page's address.
fn error_from_address(path: &str) -> Option<AppError> {
    let error = use_context::<ServerActionError>()?;
    (error.path() == path).then(|| ServerFnUrlError::<AppError>::decode_err(error.err()))
}

/// The form posting a picture to the server function at `path` for the
/// product or category `owner` (its field name and id), with an alt text
/// field when `with_alt`.
pub fn upload_form(upload: UploadAction, path: &'static str, owner: (&'static str, i64), with_alt: bool) -> AnyView {
    let from_address = error_from_address(path);
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let Some(form) = event.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else { return };
        if let Ok(data) = FormData::new_with_form(&form) {
            upload.dispatch_local(data);
        }
    };
    view! {
        <form class="staff-form upload-form" method="post" action=path enctype="multipart/form-data" on:submit=on_submit data-testid="upload-form">
            // The address's refusal until this page sends an upload itself.
            {form_error(move || match upload.value().get() {
                Some(done) => done.err(),
                None => from_address.clone(),
            })}
            <input type="hidden" name=owner.0 value=owner.1/>
            <label for="image-file">"Picture (JPEG, PNG or WebP; up to 15 MB and 50 megapixels)"</label>
            <input id="image-file" type="file" name="file" accept="image/jpeg,image/png,image/webp" required data-testid="image-file"/>
            {with_alt.then(|| view! {
                <label for="image-alt">"Alt text (what the picture shows, for people who cannot see it; needed to publish)"</label>
                <input id="image-alt" name="alt" maxlength=300 data-testid="image-alt"/>
            })}
            <button type="submit" class="button" data-testid="upload-image" disabled=move || upload.pending().get()>
                {move || if upload.pending().get() { "Uploading…" } else { "Upload" }}
            </button>
        </form>
    }
    .into_any()
}

/// An editor's section for the own picture of a category or brand: under
/// `heading`, the picture and its `removal` form (an `ActionForm` the
/// caller wraps around [`removal_fields`]), or `none` when it has none; then
/// the `upload` form.
pub fn picture_section(heading: &'static str, none: &'static str, image: Option<ProductImage>, removal: AnyView, upload: AnyView) -> AnyView {
    let current = match image {
        Some(image) => view! {
            <img class="category-picture" src=image.url.clone() srcset=srcset(&image.url, false) sizes="320px"
                width=image.width height=image.height alt="" data-testid="category-picture"/>
            {removal}
        }
        .into_any(),
        None => view! { <p data-testid="no-picture">{none}</p> }.into_any(),
    };
    view! {
        <section class="category-picture-section" id="picture" data-testid="picture-section">
            <h2>{heading}</h2>
            {current}
            {upload}
        </section>
    }
    .into_any()
}

/// The fields of a picture's removal form for owner `id`, behind a
/// confirmation, with the refusal `error` shows.
pub fn removal_fields(id: i64, error: impl Fn() -> Option<AppError> + Send + Sync + 'static) -> AnyView {
    view! {
        <input type="hidden" name="id" value=id/>
        {form_error(error)}
        <label><input type="checkbox" required data-testid="confirm-remove"/>" Remove the picture"</label>
        <button type="submit" class="button danger" data-testid="remove-picture">"Remove"</button>
    }
    .into_any()
}
