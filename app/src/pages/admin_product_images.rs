//! The product editor's images: each with its alt text, moves earlier and
//! later (the first is the one cards and search results show) and removal
//! behind a confirmation, and the upload form. Every form posts to its
//! server function, so all of it works without JavaScript; with it an image
//! can be dragged to a new place, the upload is sent in the background and
//! the list reloads in place.

use crate::api::media::{DescribeImage, MoveImage, RemoveImage, UploadImage};
use crate::components::{bump_on_success, bump_on_upload, form_error, send_upload, upload_form, UploadAction};
use crate::domain::catalog::ProductImage;
use crate::domain::media::srcset;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::web_sys::FormData;

/// The image forms of the editor, made once per page so their errors
/// outlive the reloads of the product.
#[derive(Clone, Copy)]
pub struct ImageActions {
    describe: ServerAction<DescribeImage>,
    reorder: ServerAction<MoveImage>,
    remove: ServerAction<RemoveImage>,
    upload: UploadAction,
    /// The image being dragged (its URL) and the place it is over.
    dragged: RwSignal<Option<String>>,
    over: RwSignal<Option<usize>>,
    /// The hidden move form a drop fills in and submits.
    drop: DropForm,
}

/// A hidden form of the reorder action: a drop sets its image and place and
/// submits it, so it goes the way the buttons' forms go (calling the
/// action's `dispatch` from code put the server function's client into the
/// shopper's main module: 26 kB brotli).
#[derive(Clone, Copy)]
struct DropForm {
    form: NodeRef<leptos::html::Form>,
    url: NodeRef<leptos::html::Input>,
    to: NodeRef<leptos::html::Input>,
}

impl DropForm {
    /// Moves the image at `url` to `place`.
    fn send(self, url: &str, place: usize) {
        #[cfg(not(feature = "hydrate"))]
        let _ = (self, url, place);
        #[cfg(feature = "hydrate")]
        if let (Some(form), Some(field), Some(to)) = (self.form.get_untracked(), self.url.get_untracked(), self.to.get_untracked()) {
            field.set_value(url);
            to.set_value(&place.to_string());
            let _ = form.request_submit();
        }
    }
}

impl ImageActions {
    /// The forms; each change that goes through bumps `done`.
    pub fn new(done: RwSignal<usize>) -> Self {
        let actions = Self {
            describe: ServerAction::new(),
            reorder: ServerAction::new(),
            remove: ServerAction::new(),
            upload: Action::new_local(|data: &FormData| send_upload(UploadImage::PATH, data.clone())),
            dragged: RwSignal::new(None),
            over: RwSignal::new(None),
            drop: DropForm { form: NodeRef::new(), url: NodeRef::new(), to: NodeRef::new() },
        };
        bump_on_success(done, actions.describe);
        bump_on_success(done, actions.reorder);
        bump_on_success(done, actions.remove);
        bump_on_upload(done, actions.upload);
        actions
    }
}

/// The images section of product `id`'s editor.
pub fn images_section(id: i64, images: Vec<ProductImage>, actions: ImageActions) -> AnyView {
    let ImageActions { describe, reorder, remove, upload, drop, .. } = actions;
    let count = images.len();
    let items = images
        .into_iter()
        .enumerate()
        .map(|(i, image)| image_item(id, i, count, image, actions))
        .collect_view();
    view! {
        <section class="product-images" id="images" data-testid="images-section">
            <h2>"Images"</h2>
            <p class="hint">"The first image is the one product cards and search results show. Drag an image to a new place, or use its buttons."</p>
            {form_error(move || describe.value().get().and_then(Result::err))}
            {form_error(move || reorder.value().get().and_then(Result::err))}
            {form_error(move || remove.value().get().and_then(Result::err))}
            {(count == 0).then(|| view! { <p data-testid="no-images">"No images yet."</p> })}
            <ol class="image-list">{items}</ol>
            <ActionForm action=reorder node_ref=drop.form attr:hidden=true>
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="url" node_ref=drop.url/>
                <input type="hidden" name="to" node_ref=drop.to/>
            </ActionForm>
            <h3>"Add an image"</h3>
            {upload_form(upload, UploadImage::PATH, ("product", id), true)}
        </section>
    }
    .into_any()
}

/// Image `i` of `count`: a thumbnail, its alt text, its moves and its removal.
fn image_item(id: i64, i: usize, count: usize, image: ProductImage, actions: ImageActions) -> AnyView {
    let ImageActions { describe, reorder, remove, dragged, over, drop, .. } = actions;
    let place = i + 1;
    let alt_id = format!("alt-{place}");
    let moved = move |to: &'static str, way: &'static str, label: &'static str, testid: &'static str, url: String, disabled: bool| view! {
        <ActionForm action=reorder attr:class="inline-form">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="url" value=url/>
            <input type="hidden" name="to" value=to/>
            <button type="submit" class="button secondary" disabled=disabled data-testid=testid
                aria-label=format!("Move image {place} {way}")>{label}</button>
        </ActionForm>
    };
    let ProductImage { url, alt, width, height, .. } = image;
    let thumbnail_srcset = srcset(&url, false);
    let (url_for_alt, url_for_remove, data_url) = (url.clone(), url.clone(), url.clone());
    let moves = view! {
        {moved("up", "earlier", "↑ Earlier", "move-earlier", url.clone(), i == 0)}
        {moved("down", "later", "↓ Later", "move-later", url.clone(), place == count)}
    };
    let (this, that, here) = (url.clone(), url.clone(), url.clone());
    view! {
        <li
            class="image-item"
            data-testid="image-item"
            data-url=data_url
            draggable="true"
            class:dragging=move || dragged.read().as_deref() == Some(this.as_str())
            class:drop-target=move || over.get() == Some(place)
            on:dragstart=move |ev| {
                allow_move(&ev, &that);
                dragged.set(Some(that.clone()));
            }
            on:dragover=move |ev| {
                if dragged.read_untracked().is_some() {
                    ev.prevent_default();
                    over.set(Some(place));
                }
            }
            on:dragleave=move |_| over.update(|o| if *o == Some(place) { *o = None })
            on:dragend=move |_| {
                dragged.set(None);
                over.set(None);
            }
            on:drop=move |ev| {
                ev.prevent_default();
                over.set(None);
                match dragged.try_update(Option::take).flatten() {
                    Some(url) if url != here => drop.send(&url, place),
                    _ => {}
                }
            }
        >
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

/// Marks a drag as a move of the image at `url` (Firefox starts a drag only
/// with some data set).
fn allow_move(ev: &leptos::ev::DragEvent, url: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(transfer) = ev.data_transfer() {
        transfer.set_effect_allowed("move");
        let _ = transfer.set_data("text/plain", url);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, url);
}
