//! The back office's category tree: departments and their aisles in the
//! order the shop shows them, with product counts, links to each editor and
//! to the shop, and buttons that move a category up or down. Every button is
//! a form posting to its server function, so it works without JavaScript.

use crate::api::taxonomy::{admin_categories, ShiftCategory};
use crate::components::{bump_on_success, form_error, AdminNav, ErrorView};
use crate::domain::taxonomy::{CategoryNode, CategoryTree, Shift};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminCategoriesPage() -> impl IntoView {
    let shift = ServerAction::<ShiftCategory>::new();
    let done = RwSignal::new(0);
    bump_on_success(done, shift);
    let tree = crate::components::page_data(move || done.get(), |_| admin_categories());
    view! {
        <Title text="Categories · Admin"/>
        <AdminNav current="categories"/>
        <section class="admin-categories">
            <div class="admin-heading">
                <h1>"Categories"</h1>
                <a class="button" href="/admin/categories/new" data-testid="new-category">"Add a category"</a>
            </div>
            <p class="hint">"Departments are the top of the tree and the shop's navigation; aisles sit in a department. The order here is the shop's order."</p>
            {form_error(move || shift.value().get().and_then(Result::err))}
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match tree.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(tree) => tree_view(tree, shift),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn tree_view(tree: CategoryTree, shift: ServerAction<ShiftCategory>) -> AnyView {
    if tree.departments.is_empty() {
        return view! { <p>"No categories yet."</p> }.into_any();
    }
    let count = tree.departments.len();
    view! {
        <ol class="category-tree" data-testid="category-tree">
            {tree.departments.into_iter().enumerate().map(|(at, department)| {
                let aisles = department.children.clone();
                let n = aisles.len();
                view! {
                    <li>
                        {row(&department, at, count, shift)}
                        {(!aisles.is_empty()).then(|| view! {
                            <ol class="aisles">
                                {aisles.into_iter().enumerate().map(|(at, aisle)| view! { <li>{row(&aisle, at, n, shift)}</li> }).collect_view()}
                            </ol>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// One category's line: its name (to the editor), address, count and moves.
fn row(node: &CategoryNode, at: usize, of: usize, shift: ServerAction<ShiftCategory>) -> AnyView {
    let (id, name) = (node.id, node.name.clone());
    let button = move |to: Shift, glyph: &'static str, enabled: bool| {
        let label = format!("Move {name} {}", to.key());
        view! {
        <ActionForm action=shift attr:class="inline-form">
            <input type="hidden" name="id" value=id/>
            <input type="hidden" name="to" value=to.key()/>
            <button type="submit" class="button secondary small" aria-label=label.clone() title=label disabled=!enabled
                data-testid=format!("move-{}", to.key())>{glyph}</button>
        </ActionForm>
        }
    };
    view! {
        <div class="category-row" data-category=node.slug.clone()>
            <a class="name" href=format!("/admin/categories/{id}")>{node.name.clone()}</a>
            <a class="muted" href=format!("/c/{}", node.slug)>{format!("/c/{}", node.slug)}</a>
            <span class="count">{format!("{} products", node.products)}</span>
            <span class="moves">
                {button(Shift::Up, "↑", at > 0)}
                {button(Shift::Down, "↓", at + 1 < of)}
            </span>
        </div>
    }
    .into_any()
}
