//! The back office's category editor (`/admin/categories/new` for a new
//! one): name, address, department, description and SEO fields, its
//! picture (its page; a department's home page tile), and deletion behind a confirmation for a
//! category that holds nothing. Plain forms posting to server functions, so
//! it works without JavaScript.

use crate::api::taxonomy::{edit_category, DeleteCategory, RemoveCategoryImage, SaveCategory, UploadCategoryImage};
use crate::components::{
    bump_on_success, bump_on_upload, form_error, picture_section, removal_fields, send_upload, upload_form, AdminNav, ErrorView, UploadAction,
};
use crate::domain::catalog::ProductImage;
use crate::domain::taxonomy::{CategoryEditor, CategoryInput, EditedCategory};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos::server_fn::ServerFn;
use leptos::web_sys::FormData;

/// The picture's forms, made once per page so their errors outlive reloads.
#[derive(Clone, Copy)]
struct PictureActions {
    upload: UploadAction,
    remove: ServerAction<RemoveCategoryImage>,
}

/// The editor of category `id` (0: a new category; -1: none, a 404 from the server).
#[component]
pub fn AdminCategoryPage(id: i64) -> impl IntoView {
    let (save, delete) = (ServerAction::<SaveCategory>::new(), ServerAction::<DeleteCategory>::new());
    // Bumped by each change of the picture: the editor reloads in place.
    let done = RwSignal::new(0);
    let picture = PictureActions {
        upload: Action::new_local(|data: &FormData| send_upload(UploadCategoryImage::PATH, data.clone())),
        remove: ServerAction::new(),
    };
    bump_on_upload(done, picture.upload);
    bump_on_success(done, picture.remove);
    let editor = crate::components::page_data(move || (id, done.get()), |(id, _)| edit_category(id));
    view! {
        <Title text="Category · Admin"/>
        <AdminNav current="categories"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match editor.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(editor) => view! {
                        <section class="admin-category" data-testid="category-editor">
                            <p><a href="/admin/categories">"← All categories"</a></p>
                            {editor_view(editor, save, delete, picture)}
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn editor_view(editor: CategoryEditor, save: ServerAction<SaveCategory>, delete: ServerAction<DeleteCategory>, picture: PictureActions) -> AnyView {
    let CategoryEditor { category, departments } = editor;
    let title = category.as_ref().map_or("New category".to_owned(), |c| c.input.name.clone());
    let (id, version) = category.as_ref().map_or((0, 0), |c| (c.id, c.version));
    let input = category.as_ref().map(|c| c.input.clone()).unwrap_or_else(CategoryInput::default);
    let field = |name: &'static str, label: &'static str, value: String, most: usize, required: bool| {
        let id = format!("input-{name}");
        view! {
            <label for=id.clone()>{label}</label>
            <input id=id name=format!("input[{name}]") value=value maxlength=most required=required/>
        }
    };
    view! {
        <h1 data-testid="editor-title">{title}</h1>
        {category.as_ref().map(|c| view! {
            <p><a href=format!("/c/{}", c.slug) data-testid="view-in-shop">"View in the shop"</a>
            {format!(" · {} products", c.products)}</p>
        })}
        <ActionForm action=save attr:class="product-form" attr:data-testid="category-form">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="version" value=version/>
            {form_error(move || save.value().get().and_then(Result::err))}
            {field("name", "Name", input.name.clone(), 80, true)}
            {field("slug", "Slug (the address /c/…; empty: made from the name)", input.slug.clone(), 120, false)}
            <label for="input-parent">"Department"</label>
            <select id="input-parent" name="input[parent]">
                <option value="">"None: this is a department"</option>
                {departments.into_iter().map(|d| view! {
                    <option value=d.id selected=d.id.to_string() == input.parent>{d.name}</option>
                }).collect_view()}
            </select>
            {field("description", "Description (shown on its page and the home page)", input.description.clone(), 500, false)}
            {field("seo_title", "SEO title (empty: the name)", input.seo_title.clone(), 120, false)}
            {field("seo_description", "SEO description (empty: the description)", input.seo_description.clone(), 320, false)}
            <button type="submit" class="button" data-testid="save-category">
                {if id == 0 { "Create category" } else { "Save changes" }}
            </button>
        </ActionForm>
        {category.as_ref().map(|c| category_picture(c.id, c.image.clone(), picture))}
        {category.map(|c| deletion(c, delete))}
    }
    .into_any()
}

/// The category's picture (its page; a department's home tile): its own,
/// with a way back to the generated artwork, and the upload form.
fn category_picture(id: i64, image: Option<ProductImage>, actions: PictureActions) -> AnyView {
    let PictureActions { upload, remove } = actions;
    picture_section(
        "Picture (above the category's products; a department's is also its home page tile)",
        "It shows generated artwork until you upload a picture.",
        image,
        view! {
            <ActionForm action=remove attr:class="inline-form danger">
                {removal_fields(id, move || remove.value().get().and_then(Result::err))}
            </ActionForm>
        }
        .into_any(),
        upload_form(upload, UploadCategoryImage::PATH, ("category", id), false),
    )
}

/// Deletion behind a confirmation, or why the category cannot go yet.
fn deletion(category: EditedCategory, delete: ServerAction<DeleteCategory>) -> AnyView {
    if category.products > 0 || category.children > 0 {
        let why = if category.children > 0 {
            format!("It has {} aisle(s): move or delete them to delete it.", category.children)
        } else {
            format!("It holds {} product(s): move them to another category to delete it.", category.products)
        };
        return view! { <p class="hint" data-testid="cannot-delete">{why}</p> }.into_any();
    }
    view! {
        <ActionForm action=delete attr:class="inline-form danger">
            <input type="hidden" name="id" value=category.id/>
            <input type="hidden" name="version" value=category.version/>
            {form_error(move || delete.value().get().and_then(Result::err))}
            <label><input type="checkbox" required data-testid="confirm-delete"/>" Delete for good"</label>
            <button type="submit" class="button danger" data-testid="delete">"Delete"</button>
        </ActionForm>
    }
    .into_any()
}
