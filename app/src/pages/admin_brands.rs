//! The back office's brands: a form to add one, and every brand with its
//! product count, a form to rename it in place, a link to its editor
//! (description, SEO fields, picture), and deletion behind a confirmation
//! for a brand no product carries. Plain forms posting to
//! server functions, so it works without JavaScript.

use crate::api::taxonomy::{admin_brands, DeleteBrand, SaveBrand};
use crate::components::{bump_on_success, form_error, AdminNav, ErrorView};
use crate::domain::taxonomy::BrandRow;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminBrandsPage() -> impl IntoView {
    let (create, rename, delete) = (ServerAction::<SaveBrand>::new(), ServerAction::<SaveBrand>::new(), ServerAction::<DeleteBrand>::new());
    let done = RwSignal::new(0);
    bump_on_success(done, create);
    bump_on_success(done, rename);
    bump_on_success(done, delete);
    let brands = crate::components::page_data(move || done.get(), |_| admin_brands());
    view! {
        <Title text="Brands · Admin"/>
        <AdminNav current="brands"/>
        <section class="admin-brands">
            <h1>"Brands"</h1>
            <ActionForm action=create attr:class="staff-form" attr:data-testid="new-brand">
                <input type="hidden" name="id" value="0"/>
                <input type="hidden" name="version" value="0"/>
                {form_error(move || create.value().get().and_then(Result::err))}
                <label for="brand-name">"New brand"</label>
                <input id="brand-name" name="input[name]" required maxlength=80/>
                <label for="brand-slug">"Slug (empty: made from the name)"</label>
                <input id="brand-slug" name="input[slug]" maxlength=120/>
                <button type="submit" class="button" data-testid="create-brand">"Add brand"</button>
            </ActionForm>
            {form_error(move || rename.value().get().and_then(Result::err))}
            {form_error(move || delete.value().get().and_then(Result::err))}
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match brands.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(brands) => view! {
                            <p class="count" data-testid="brand-count">{format!("{} brands", brands.len())}</p>
                            <ul class="brand-list" data-testid="brand-list">
                                {brands.into_iter().map(|b| brand_row(b, rename, delete)).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn brand_row(brand: BrandRow, rename: ServerAction<SaveBrand>, delete: ServerAction<DeleteBrand>) -> impl IntoView {
    let BrandRow { id, version, name, slug, products } = brand;
    let deletable = products == 0;
    let row_slug = slug.clone();
    let (name_label, slug_label, confirm_label) = (format!("Name of {name}"), format!("Slug of {name}"), format!("Confirm deleting {name}"));
    view! {
        <li class="brand-row" data-brand=row_slug>
            <ActionForm action=rename attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version/>
                <input name="input[name]" value=name required maxlength=80 aria-label=name_label/>
                <input name="input[slug]" value=slug maxlength=120 aria-label=slug_label/>
                <button type="submit" class="button secondary" data-testid="save-brand">"Save"</button>
            </ActionForm>
            <a href=format!("/admin/brands/{id}") data-testid="edit-brand">"Edit page"</a>
            <span class="count">{format!("{products} products")}</span>
            {deletable.then(|| view! {
                <ActionForm action=delete attr:class="inline-form danger">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="version" value=version/>
                    <label><input type="checkbox" required aria-label=confirm_label/>" Delete"</label>
                    <button type="submit" class="button danger" data-testid="delete-brand">"Delete"</button>
                </ActionForm>
            })}
        </li>
    }
}
