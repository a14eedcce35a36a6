//! The product editor's options and variants: the options as text (one
//! "Size: S, M, L" a line; the variants follow), and a row per variant with
//! its SKU, price, compare-at price, weight, low-stock threshold, picture
//! and stock (its ledger a click away). Every form posts to its server
//! function, so all of it works without JavaScript.

use crate::api::products::{SaveVariant, SetProductOptions};
use crate::components::{bump_on_success, form_error};
use crate::domain::catalog::ProductImage;
use crate::domain::variants::{StaffVariant, MAX_OPTIONS, MAX_VARIANTS};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// The variant forms of the editor, made once per page so their errors
/// outlive the reloads of the product.
#[derive(Clone, Copy)]
pub struct VariantActions {
    options: ServerAction<SetProductOptions>,
    save: ServerAction<SaveVariant>,
}

impl VariantActions {
    /// The forms; each change that goes through bumps `done`.
    pub fn new(done: RwSignal<usize>) -> Self {
        let actions = Self { options: ServerAction::new(), save: ServerAction::new() };
        bump_on_success(done, actions.options);
        bump_on_success(done, actions.save);
        actions
    }
}

/// The options form and the variants table of product `id`.
pub fn variants_section(
    id: i64,
    version: i64,
    options: String,
    variants: Vec<StaffVariant>,
    images: &[ProductImage],
    actions: VariantActions,
) -> AnyView {
    let VariantActions { options: set_options, save } = actions;
    let images: Vec<(String, String)> = images.iter().map(|i| (i.url.clone(), i.alt.clone())).collect();
    view! {
        <section class="variants" id="variants" data-testid="variants-section">
            <h2>"Options and variants"</h2>
            <ActionForm action=set_options attr:class="staff-form" attr:data-testid="options-form">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="version" value=version/>
                {form_error(move || set_options.value().get().and_then(Result::err))}
                <label for="options">
                    {format!("Options, one a line as “Name: value, value” (at most {MAX_OPTIONS}, {MAX_VARIANTS} variants; empty: sold one way)")}
                </label>
                <textarea id="options" name="options" rows=3 maxlength=4000 placeholder="Size: S, M, L\nColour: Red, Blue" data-testid="options">
                    {options}
                </textarea>
                <p class="hint">"Variants whose values stay keep their stock and SKU; others take the new values in order."</p>
                <button type="submit" class="button secondary" data-testid="save-options">"Save options"</button>
            </ActionForm>
            {form_error(move || save.value().get().and_then(Result::err))}
            <div class="table-scroll" tabindex="0" role="region" aria-label="Variants">
                <table class="admin-table variants-table" data-testid="variants">
                    <thead><tr>
                        <th>"Variant"</th><th>"SKU"</th><th>"Price"</th><th>"Compare-at"</th><th>"Weight (g)"</th>
                        <th title="Empty: the shop's low-stock default">"Low at"</th><th>"Picture"</th><th class="num">"Stock"</th><th></th>
                    </tr></thead>
                    <tbody>
                        {variants.into_iter().map(|v| variant_row(id, v, &images, save)).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// One variant's row: a form of its own (the `form` attribute ties the
/// inputs in the cells to it).
fn variant_row(id: i64, v: StaffVariant, images: &[(String, String)], save: ServerAction<SaveVariant>) -> AnyView {
    let form = format!("variant-{}", v.id);
    let field = |name: &'static str, value: String, label: String, size: usize| {
        let form = form.clone();
        view! {
            <td><input name=name value=value form=form aria-label=label size=size required=name == "sku" || name == "price"
                placeholder=(name == "low_stock").then_some("shop")/></td>
        }
    };
    let label = if v.title.is_empty() { "The product".to_owned() } else { v.title.clone() };
    let image_choices = images
        .iter()
        .map(|(url, alt)| view! { <option value=url.clone() selected=*url == v.image>{if alt.is_empty() { url.clone() } else { alt.clone() }}</option> })
        .collect_view();
    view! {
        <tr data-testid="variant-row" data-variant=v.id>
            <td data-testid="variant-title">{label.clone()}</td>
            {field("sku", v.sku.clone(), format!("SKU of {label}"), 14)}
            {field("price", v.price.clone(), format!("Price of {label}"), 8)}
            {field("compare_at", v.compare_at.clone(), format!("Compare-at price of {label}"), 8)}
            {field("weight_grams", v.weight_grams.clone(), format!("Weight of {label}"), 6)}
            {field("low_stock", v.low_stock.clone(), format!("Low-stock threshold of {label}"), 4)}
            <td>
                <select name="image" form=form.clone() aria-label=format!("Picture of {label}")>
                    <option value="">"The first"</option>
                    {image_choices}
                </select>
            </td>
            <td class="num">
                <a href=format!("/admin/products/{id}?variant={}#stock", v.id) data-testid="variant-stock">{v.stock}</a>
            </td>
            <td>
                <ActionForm action=save attr:id=form.clone() attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="variant" value=v.id/>
                    <input type="hidden" name="version" value=v.version/>
                    <button type="submit" class="button secondary" data-testid="save-variant">"Save"</button>
                </ActionForm>
            </td>
        </tr>
    }
    .into_any()
}
