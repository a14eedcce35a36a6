//! The product editor's images: each with its alt text, moves earlier and
//! later (the first is the one cards and search results show) and removal
//! behind a confirmation, and the upload form. Every form posts to its
//! server function, so all of it works without JavaScript; with it the
//! upload is sent in the background and the list reloads in place.

use crate::api::media::{upload_image, DescribeImage, MoveImage, RemoveImage, UploadImage};
use crate::components::{bump_on_success, form_error};
use crate::domain::catalog::ProductImage;
use crate::domain::media::srcset;
use crate::error::AppError;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server::ServerActionError;
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::ServerFn;
use leptos::web_sys::{FormData, HtmlFormElement, SubmitEvent};
use leptos::wasm_bindgen::JsCast;

/// The image forms of the editor, made once per page so their errors
/// outlive the reloads of the product.
#[derive(Clone, Copy)]
pub struct ImageActions {
    describe: ServerAction<DescribeImage>,
    reorder: ServerAction<MoveImage>,
    remove: ServerAction<RemoveImage>,
    upload: Action<FormData, Result<(), AppError>>,
}

impl ImageActions {
    /// The forms; each change that goes through bumps `done`.
    pub fn new(done: RwSignal<usize>) -> Self {
        let actions = Self {
            describe: ServerAction::new(),
            reorder: ServerAction::new(),
            remove: ServerAction::new(),
            upload: Action::new_local(|data: &FormData| upload_image(data.clone().into())),
        };
        bump_on_success(done, actions.describe);
        bump_on_success(done, actions.reorder);
        bump_on_success(done, actions.remove);
        let upload = actions.upload;
        Effect::new(move |_| {
            if upload.value().with(|v| matches!(v, Some(Ok(())))) {
                done.update(|n| *n += 1);
            }
        });
        actions
    }
}

/// The refusal of an upload posted without JavaScript, which the server
/// sends back in the page's address.
fn upload_error_from_address() -> Option<AppError> {
    let error = use_context::<ServerActionError>()?;
    (error.path() == UploadImage::PATH).then(|| ServerFnUrlError::<AppError>::decode_err(error.err()))
}

/// The images section of product `id`'s editor.
pub fn images_section(id: i64, images: Vec<ProductImage>, actions: ImageActions) -> AnyView {
    let ImageActions { describe, reorder, remove, upload } = actions;
    let count = images.len();
    let from_address = upload_error_from_address();
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let Some(form) = event.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else { return };
        if let Ok(data) = FormData::new_with_form(&form) {
            upload.dispatch_local(data);
        }
    };
    let items = images
        .into_iter()
        .enumerate()
        .map(|(i, image)| image_item(id, i, count, image, actions))
        .collect_view();
    view! {
        <section class="product-images" id="images" data-testid="images-section">
            <h2>"Images"</h2>
            <p class="hint">"The first image is the one product cards and search results show."</p>
            {form_error(move || describe.value().get().and_then(Result::err))}
            {form_error(move || reorder.value().get().and_then(Result::err))}
            {form_error(move || remove.value().get().and_then(Result::err))}
            {(count == 0).then(|| view! { <p data-testid="no-images">"No images yet."</p> })}
            <ol class="image-list">{items}</ol>
            <form
                class="staff-form upload-form"
                method="post"
                action=UploadImage::PATH
                enctype="multipart/form-data"
                on:submit=on_submit
                data-testid="upload-form"
            >
                <h3>"Add an image"</h3>
                {form_error(move || upload.value().get().and_then(Result::err).or_else(|| from_address.clone()))}
                <input type="hidden" name="product" value=id/>
                <label for="image-file">"Picture (JPEG, PNG or WebP; up to 15 MB and 50 megapixels)"</label>
                <input id="image-file" type="file" name="file" accept="image/jpeg,image/png,image/webp" required data-testid="image-file"/>
                <label for="image-alt">"Alt text (what the picture shows, for people who cannot see it; needed to publish)"</label>
                <input id="image-alt" name="alt" maxlength=300 data-testid="image-alt"/>
                <button type="submit" class="button" data-testid="upload-image" disabled=move || upload.pending().get()>
                    {move || if upload.pending().get() { "Uploading…" } else { "Upload" }}
                </button>
            </form>
        </section>
    }
    .into_any()
}

/// Image `i` of `count`: a thumbnail, its alt text, its moves and its removal.
fn image_item(id: i64, i: usize, count: usize, image: ProductImage, actions: ImageActions) -> AnyView {
    let ImageActions { describe, reorder, remove, .. } = actions;
    let place = i + 1;
    let alt_id = format!("alt-{place}");
    let moved = move |to: &'static str, label: &'static str, testid: &'static str, url: String, disabled: bool| view! {
        <ActionForm action=reorder attr:class="inline-form">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="url" value=url/>
            <input type="hidden" name="to" value=to/>
            <button type="submit" class="button secondary" disabled=disabled data-testid=testid
                aria-label=format!("Move image {place} {to}")>{label}</button>
        </ActionForm>
    };
    let ProductImage { url, alt, width, height, .. } = image;
    let thumbnail_srcset = srcset(&url, false);
    let (url_for_alt, url_for_remove, data_url) = (url.clone(), url.clone(), url.clone());
    let moves = view! {
        {moved("earlier", "↑ Earlier", "move-earlier", url.clone(), i == 0)}
        {moved("later", "↓ Later", "move-later", url.clone(), place == count)}
    };
    view! {
        <li class="image-item" data-testid="image-item" data-url=data_url>
            <img
                src=url
                srcset=thumbnail_srcset
                sizes="160px"
                width=width
                height=height
                alt=""
                loading="lazy"
            />
            <div class="image-forms">
                <ActionForm action=describe attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="url" value=url_for_alt/>
                    <label for=alt_id.clone()>{format!("Alt text of image {place}")}</label>
                    <input id=alt_id name="alt" value=alt maxlength=300 data-testid="alt-input"/>
                    <button type="submit" class="button secondary" data-testid="save-alt">"Save alt text"</button>
                </ActionForm>
                {moves}
                <ActionForm action=remove attr:class="inline-form danger">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="url" value=url_for_remove/>
                    <label><input type="checkbox" required data-testid="confirm-remove"/>{format!(" Remove image {place}")}</label>
                    <button type="submit" class="button danger" data-testid="remove-image">"Remove"</button>
                </ActionForm>
            </div>
        </li>
    }
    .into_any()
}
