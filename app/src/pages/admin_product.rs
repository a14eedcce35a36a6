//! The back office's product editor (`/admin/products/new` for a new one):
//! the fields, publishing, archiving, a copy, deletion behind a confirmation,
//! the images (`admin_product_images`), and the product's stock with its
//! adjustment form and ledger. Every form
//! posts to its server function, so all of it works without JavaScript.

use crate::api::products::{
    edit_product, product_stock, AdjustStock, DeleteProduct, DuplicateProduct, SaveProduct, SetProductStatus,
};
use super::admin_product_images::{images_section, ImageActions};
use super::admin_product_variants::{variants_section, VariantActions};
use crate::components::{bump_on_success, form_error, AdminNav, ErrorView};
use crate::domain::products::{Choice, EditedProduct, ProductEditor, ProductInput, ProductStatus, StockLedger, StockReason};
use crate::domain::time::utc;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The editor's forms, each posting to its server function.
#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SaveProduct>,
    status: ServerAction<SetProductStatus>,
    duplicate: ServerAction<DuplicateProduct>,
    delete: ServerAction<DeleteProduct>,
    adjust: ServerAction<AdjustStock>,
    images: ImageActions,
    variants: VariantActions,
    /// Bumped by each change that went through: the page reloads the product
    /// then, and only then (a refused save keeps what was typed on the form).
    done: RwSignal<usize>,
}

impl Actions {
    fn new() -> Self {
        let done = RwSignal::new(0);
        let actions = Self {
            save: ServerAction::new(),
            status: ServerAction::new(),
            duplicate: ServerAction::new(),
            delete: ServerAction::new(),
            adjust: ServerAction::new(),
            images: ImageActions::new(done),
            variants: VariantActions::new(done),
            done,
        };
        bump_on_success(actions.done, actions.save);
        bump_on_success(actions.done, actions.status);
        bump_on_success(actions.done, actions.adjust);
        actions
    }
}

/// The editor of product `id` (0: a new product; -1: none, a 404 from the server).
#[component]
pub fn AdminProductPage(id: i64) -> impl IntoView {
    let actions = Actions::new();
    let editor = crate::components::page_data(move || (id, actions.done.get()), |(id, _)| edit_product(id));
    // `?variant=<id>`: that variant's ledger (else all of the product's).
    let query = use_query_map();
    let variant = move || query.read().get("variant").unwrap_or_default();
    let ledger = crate::components::page_data(move || (id, variant(), actions.done.get()), |(id, variant, _)| async move {
        if id > 0 { product_stock(id, variant).await.map(Some) } else { Ok(None) }
    });
    view! {
        <Title text="Product · Admin"/>
        <AdminNav current="products"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match (editor.await, ledger.await) {
                    (Err(error), _) | (_, Err(error)) => view! { <ErrorView error/> }.into_any(),
                    (Ok(editor), Ok(ledger)) => view! {
                        <section class="admin-product" data-testid="product-editor">
                            <p><a href="/admin/products">"← All products"</a></p>
                            {editor_view(editor, ledger, actions)}
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn editor_view(editor: ProductEditor, ledger: Option<StockLedger>, actions: Actions) -> AnyView {
    let ProductEditor { product, images, choices, admin } = editor;
    let title = product.as_ref().map_or("New product".to_owned(), |p| p.input.name.clone());
    let (id, version) = product.as_ref().map_or((0, 0), |p| (p.id, p.version));
    let input = product.as_ref().map(|p| p.input.clone()).unwrap_or_else(|| ProductInput { currency: "USD".into(), ..Default::default() });
    let save = actions.save;
    // With options, prices, weights and thresholds are each variant's (below).
    let per_variant = product.as_ref().is_some_and(|p| !p.options.is_empty());
    view! {
        <div class="admin-heading">
            <h1 data-testid="editor-title">{title}</h1>
            {product.clone().map(|p| status_bar(p, actions))}
        </div>
        {view! { <ActionForm action=save attr:class="product-form" attr:data-testid="product-form">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="version" value=version/>
            {form_error(move || save.value().get().and_then(Result::err))}
            <fieldset>
                <legend>"Product"</legend>
                {text("name", "Name", &input.name, 200, true)}
                {text("slug", "Slug (the address /p/…; empty: made from the name)", &input.slug, 120, false)}
                <label for="input-description">"Description"</label>
                <textarea id="input-description" name="input[description]" rows=6 maxlength=10000 aria-describedby="description-marks">{input.description.clone()}</textarea>
                <p class="hint" id="description-marks">
                    "Text as you type it; a blank line starts a paragraph. Marks: **bold**, *italic*, “## Heading”, lines starting “- ” or “1. ” for lists, [words](https://…) for a link."
                </p>
                <label for="input-attributes">"Attributes (one “Name: value” a line, e.g. “Colour: Red”; shoppers filter by them)"</label>
                <textarea id="input-attributes" name="input[attributes]" rows=4 maxlength=8000>{input.attributes.clone()}</textarea>
                {select("brand", "Brand", &choices.brands, &input.brand, false)}
                {select("category", "Category", &choices.categories, &input.category, false)}
                {admin.then(|| select("seller", "Seller (empty: the shop itself)", &choices.sellers, &input.seller, true))}
            </fieldset>
            <fieldset>
                <legend>"Price and shipping"</legend>
                {if per_variant {
                    view! {
                        <p class="hint" data-testid="per-variant">"Each variant has its own price, weight and stock: see “Options and variants”. The shop shows the lowest price."</p>
                        {["price", "compare_at", "weight_grams", "low_stock"].map(|name| {
                            let value = match name {
                                "price" => input.price.clone(),
                                "compare_at" => input.compare_at.clone(),
                                "weight_grams" => input.weight_grams.clone(),
                                _ => input.low_stock.clone(),
                            };
                            view! { <input type="hidden" name=format!("input[{name}]") value=value/> }
                        }).collect_view()}
                    }.into_any()
                } else {
                    view! {
                        {text("price", "Price (e.g. 19.99)", &input.price, 16, true)}
                        {text("compare_at", "Compare-at price (optional, higher: shown as a saving)", &input.compare_at, 16, false)}
                    }.into_any()
                }}
                <label for="input-currency">"Currency"</label>
                <select id="input-currency" name="input[currency]">
                    {["USD", "EUR", "GBP"].map(|c| view! { <option value=c selected=c == input.currency>{c}</option> }).collect_view()}
                </select>
                <label for="input-tax_class">"Tax class (its rate per destination: Settings)"</label>
                <select id="input-tax_class" name="input[tax_class]">
                    {choices.tax_classes.iter().map(|(code, name)| {
                        view! { <option value=code.clone() selected=*code == input.tax_class>{name.clone()}</option> }
                    }).collect_view()}
                </select>
                {(!per_variant).then(|| view! {
                    {number("weight_grams", "Weight in grams", &input.weight_grams)}
                    {number("low_stock", &format!("Tell me when stock falls to (empty: the shop's default, {})", choices.low_stock_default), &input.low_stock)}
                })}
            </fieldset>
            <fieldset>
                <legend>"Search engines"</legend>
                {text("seo_title", "SEO title (empty: the name)", &input.seo_title, 120, false)}
                {text("seo_description", "SEO description (empty: the description's start)", &input.seo_description, 320, false)}
            </fieldset>
            <button type="submit" class="button" data-testid="save-product">
                {if id == 0 { "Create draft" } else { "Save changes" }}
            </button>
        </ActionForm> }.into_any()}
        {product.as_ref().map(|p| variants_section(p.id, p.version, p.options.clone(), p.variants.clone(), &images, actions.variants))}
        {product.as_ref().map(|p| images_section(p.id, images, actions.images))}
        {product.map(|p| stock_section(p, ledger, actions))}
    }
    .into_any()
}

/// A one-line text field named `input[<name>]`.
fn text(name: &'static str, label: &'static str, value: &str, most: usize, required: bool) -> AnyView {
    let id = format!("input-{name}");
    view! {
        <label for=id.clone()>{label}</label>
        <input id=id name=format!("input[{name}]") value=value.to_owned() maxlength=most required=required/>
    }
    .into_any()
}

fn number(name: &'static str, label: &str, value: &str) -> AnyView {
    let id = format!("input-{name}");
    view! {
        <label for=id.clone()>{label.to_owned()}</label>
        <input id=id name=format!("input[{name}]") type="number" min="0" step="1" inputmode="numeric" value=value.to_owned()/>
    }
    .into_any()
}

fn select(name: &'static str, label: &'static str, choices: &[Choice], current: &str, optional: bool) -> AnyView {
    let id = format!("input-{name}");
    let options = choices
        .iter()
        .map(|c| view! { <option value=c.id selected=c.id.to_string() == current>{c.name.clone()}</option> })
        .collect_view();
    view! {
        <label for=id.clone()>{label}</label>
        <select id=id name=format!("input[{name}]") required=!optional>
            <option value="">{if optional { "None" } else { "Choose…" }}</option>
            {options}
        </select>
    }
    .into_any()
}

/// The product's status with the moves it allows, a copy, and deletion.
fn status_bar(product: EditedProduct, actions: Actions) -> AnyView {
    let Actions { status, duplicate, delete, .. } = actions;
    let (id, version) = (product.id, product.version);
    let move_to = move |to: ProductStatus, label: &'static str, testid: &'static str| view! {
        <ActionForm action=status attr:class="inline-form">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="version" value=version/>
            <input type="hidden" name="status" value=to.key()/>
            <button type="submit" class="button secondary" data-testid=testid>{label}</button>
        </ActionForm>
    };
    let moves = match product.status {
        ProductStatus::Draft => view! { {move_to(ProductStatus::Active, "Publish", "publish")} {move_to(ProductStatus::Archived, "Archive", "archive")} }.into_any(),
        ProductStatus::Active => view! { {move_to(ProductStatus::Draft, "Unpublish", "unpublish")} {move_to(ProductStatus::Archived, "Archive", "archive")} }.into_any(),
        ProductStatus::Archived => view! { {move_to(ProductStatus::Draft, "Restore as draft", "restore")} }.into_any(),
    };
    let shop_link = (product.status != ProductStatus::Archived).then(|| {
        let label = if product.status == ProductStatus::Draft { "Preview in the shop" } else { "View in the shop" };
        // `?preview`: the page is then rendered for this signed-in staff member, not from the shared cache.
        view! { <a href=format!("/p/{}?preview", product.slug) data-testid="view-in-shop">{label}</a> }
    });
    view! {
        <div class="status-bar">
            <span class=format!("badge status-{}", product.status.key()) data-testid="product-status" data-status=product.status.key()>
                {product.status.label()}
            </span>
            {shop_link}
            {(!product.missing.is_empty()).then(|| view! {
                <p class="hint" data-testid="missing">{format!("To publish, add {}.", product.missing.join(" and "))}</p>
            })}
            {form_error(move || status.value().get().and_then(Result::err))}
            {moves}
            <ActionForm action=duplicate attr:class="inline-form">
                <input type="hidden" name="id" value=id/>
                {form_error(move || duplicate.value().get().and_then(Result::err))}
                <button type="submit" class="button secondary" data-testid="duplicate">"Duplicate"</button>
            </ActionForm>
            {(!product.ordered).then(|| view! {
                <ActionForm action=delete attr:class="inline-form danger">
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="version" value=version/>
                    {form_error(move || delete.value().get().and_then(Result::err))}
                    <label><input type="checkbox" required data-testid="confirm-delete"/>" Delete for good"</label>
                    <button type="submit" class="button danger" data-testid="delete">"Delete"</button>
                </ActionForm>
            })}
        </div>
    }
    .into_any()
}

/// Stock now (of the variant in the address, else of the whole product),
/// the adjustment form (a variant to choose when there are several) and
/// the ledger.
fn stock_section(product: EditedProduct, ledger: Option<StockLedger>, actions: Actions) -> Option<AnyView> {
    let adjust = actions.adjust;
    let ledger = ledger?;
    let id = product.id;
    let chosen = ledger.variant.as_ref().map(|(v, _)| *v);
    let whose = match (&ledger.variant, product.variants.len()) {
        (Some((_, label)), n) if n > 1 => format!(" of {label}"),
        _ => String::new(),
    };
    let several = product.variants.len() > 1;
    Some(view! {
        <section class="stock" id="stock" data-testid="stock-section">
            <h2>"Stock"</h2>
            <p>
                <strong data-testid="stock-now">{ledger.stock}</strong>
                {if chosen.is_some() {
                    format!(" in stock{whose}; you are told when it falls to {}.", ledger.low_stock_threshold)
                } else {
                    " in stock over all variants.".to_owned()
                }}
                {(several && chosen.is_some()).then(|| view! { " " <a href=format!("/admin/products/{id}#stock")>"All variants"</a> })}
            </p>
            <ActionForm action=adjust attr:class="staff-form" attr:data-testid="adjust-form">
                <input type="hidden" name="id" value=id/>
                {form_error(move || adjust.value().get().and_then(Result::err))}
                {several.then(|| view! {
                    <label for="adjust-variant">"Variant"</label>
                    <select id="adjust-variant" name="variant" required data-testid="adjust-variant">
                        <option value="">"Choose…"</option>
                        {product.variants.iter().map(|v| view! {
                            <option value=v.id selected=Some(v.id) == chosen>{format!("{} ({})", v.title, v.sku)}</option>
                        }).collect_view()}
                    </select>
                })}
                <label for="delta">"Change (e.g. 12 or -3)"</label>
                <input id="delta" name="delta" required inputmode="numeric" pattern="[+-]?[0-9]+" maxlength=8/>
                <label for="reason">"Reason"</label>
                <select id="reason" name="reason" required>
                    {StockReason::ALL.map(|r| view! { <option value=r.key()>{r.label()}</option> }).collect_view()}
                </select>
                <label for="note">"Note (optional)"</label>
                <input id="note" name="note" maxlength=200/>
                <button type="submit" class="button" data-testid="adjust">"Change stock"</button>
            </ActionForm>
            <h3>"Ledger"</h3>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Stock">
                <table class="admin-table" data-testid="ledger">
                    <thead><tr><th>"When (UTC)"</th><th class="num">"Change"</th><th class="num">"Stock after"</th><th>"Why"</th><th>"Who"</th><th>"Note"</th></tr></thead>
                    <tbody>
                        {ledger.lines.into_iter().map(|l| view! {
                            <tr>
                                <td>{utc(l.at)}</td>
                                <td class="num">{if l.delta > 0 { format!("+{}", l.delta) } else { l.delta.to_string() }}</td>
                                <td class="num">{l.balance}</td>
                                <td>{l.reason}{l.order.map(|n| view! { " " <a href=format!("/admin/orders/{n}")>{n.clone()}</a> })}</td>
                                <td>{l.actor}</td>
                                <td>{l.note}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
    .into_any())
}
