//! The back office's brand editor (`/admin/brands/<id>`): name, address,
//! description and SEO fields for the brand's page in the shop, and its
//! picture. Plain forms posting to server functions, so it works without
//! JavaScript; with it, each change reloads the editor in place.

use crate::api::taxonomy::{edit_brand, RemoveBrandImage, SaveBrand, UploadBrandImage};
use crate::components::{
    bump_on_success, bump_on_upload, form_error, picture_section, removal_fields, send_upload, upload_form, AdminNav, ErrorView,
};
use crate::domain::taxonomy::EditedBrand;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::web_sys::FormData;
use leptos_meta::Title;

/// The editor of brand `id` (-1: none, a 404 from the server).
#[component]
pub fn AdminBrandPage(id: i64) -> impl IntoView {
    let save = ServerAction::<SaveBrand>::new();
    let remove = ServerAction::<RemoveBrandImage>::new();
    let upload = Action::new_local(|data: &FormData| send_upload(UploadBrandImage::PATH, data.clone()));
    // Bumped by each change: the editor reloads in place.
    let done = RwSignal::new(0);
    bump_on_success(done, save);
    bump_on_success(done, remove);
    bump_on_upload(done, upload);
    let editor = crate::components::page_data(move || (id, done.get()), |(id, _)| edit_brand(id));
    view! {
        <Title text="Brand · Admin"/>
        <AdminNav current="brands"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match editor.await {
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                    Ok(brand) => {
                        let EditedBrand { id, version, input, slug, products, image } = brand;
                        let field = |name: &'static str, label: &'static str, value: String, most: usize| {
                            let id = format!("input-{name}");
                            view! {
                                <label for=id.clone()>{label}</label>
                                <input id=id name=format!("input[{name}]") value=value maxlength=most required=name == "name"/>
                            }
                        };
                        view! {
                            <section class="admin-category" data-testid="brand-editor">
                                <p><a href="/admin/brands">"← All brands"</a></p>
                                <h1 data-testid="editor-title">{input.name.clone()}</h1>
                                <p><a href=format!("/b/{slug}") data-testid="view-in-shop">"View in the shop"</a>
                                {format!(" · {products} products")}</p>
                                <ActionForm action=save attr:class="product-form" attr:data-testid="brand-form">
                                    <input type="hidden" name="id" value=id/>
                                    <input type="hidden" name="version" value=version/>
                                    <input type="hidden" name="from" value="editor"/>
                                    <input type="hidden" name="input[details]" value="true"/>
                                    {form_error(move || save.value().get().and_then(Result::err))}
                                    {field("name", "Name", input.name.clone(), 80)}
                                    {field("slug", "Slug (the address /b/…; empty: made from the name)", input.slug.clone(), 120)}
                                    {field("description", "Description (shown on its page)", input.description.clone(), 500)}
                                    {field("seo_title", "SEO title (empty: the name)", input.seo_title.clone(), 120)}
                                    {field("seo_description", "SEO description (empty: the description)", input.seo_description.clone(), 320)}
                                    <button type="submit" class="button" data-testid="save-brand">"Save changes"</button>
                                </ActionForm>
                                {picture_section(
                                    "Picture (shown above the brand's products)",
                                    "No picture yet.",
                                    image,
                                    view! {
                                        <ActionForm action=remove attr:class="inline-form danger">
                                            {removal_fields(id, move || remove.value().get().and_then(Result::err))}
                                        </ActionForm>
                                    }
                                    .into_any(),
                                    upload_form(upload, UploadBrandImage::PATH, ("brand", id), false),
                                )}
                            </section>
                        }
                        .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
