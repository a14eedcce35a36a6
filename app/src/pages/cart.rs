//! The cart page: quantities, removing, saving for later, and the way to checkout.

use crate::api::cart::{cart, MoveItem, RemoveFromCart, SetCartQuantity};
use crate::components::{cart_changed, form_error, ErrorView};
use crate::domain::checkout::{CartLine, MAX_QUANTITY};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn CartPage() -> impl IntoView {
    let quantity = ServerAction::<SetCartQuantity>::new();
    let remove = ServerAction::<RemoveFromCart>::new();
    let move_item = ServerAction::<MoveItem>::new();
    let versions = move || (quantity.version().get(), remove.version().get(), move_item.version().get());
    let data = crate::components::page_data(versions, |_| cart());
    Effect::new(move |_| {
        versions();
        cart_changed();
    });
    let error = move || {
        [quantity.value().get().and_then(Result::err), remove.value().get().and_then(Result::err), move_item.value().get().and_then(Result::err)]
            .into_iter()
            .flatten()
            .next()
    };
    view! {
        <Title text="Your cart"/>
        <Meta name="description" content="The products in your cart, and those saved for later."/>
        <section class="cart">
            <h1>"Your cart"</h1>
            {form_error(error)}
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let cart = match data.await {
                        Ok(cart) => cart,
                        Err(error) => return view! { <ErrorView error/> }.into_any(),
                    };
                    let subtotal = cart.subtotal().map(|m| m.to_string()).unwrap_or_default();
                    let blocked = cart.lines.iter().any(|l| l.stock < l.quantity);
                    view! {
                        {cart.notices.into_iter().map(|n| view! { <p class="notice" role="status" data-testid="cart-notice">{n}</p> }).collect_view()}
                        {if cart.lines.is_empty() {
                            view! { <p data-testid="cart-empty">"Your cart is empty. " <a href="/">"Keep shopping"</a></p> }.into_any()
                        } else {
                            view! {
                                <ul class="cart-lines" data-testid="cart-lines">
                                    {cart.lines.into_iter().map(|line| view! { <Line line quantity remove move_item saved=false/> }).collect_view()}
                                </ul>
                                <p class="cart-subtotal">"Subtotal: " <strong data-testid="cart-subtotal">{subtotal}</strong></p>
                                <p class="cart-tax-note" data-testid="cart-tax-note">{cart.tax_note.clone()}</p>
                                {if blocked {
                                    view! { <p class="form-error">"Fix the quantities above to check out."</p> }.into_any()
                                } else {
                                    view! { <a class="button" href="/checkout" data-testid="checkout">"Check out"</a> }.into_any()
                                }}
                            }.into_any()
                        }}
                        {(!cart.saved.is_empty()).then(|| view! {
                            <h2>"Saved for later"</h2>
                            <ul class="cart-lines" data-testid="saved-lines">
                                {cart.saved.into_iter().map(|line| view! { <Line line quantity remove move_item saved=true/> }).collect_view()}
                            </ul>
                        })}
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

/// One line with its forms (each works without JavaScript).
#[component]
fn Line(
    line: CartLine,
    quantity: ServerAction<SetCartQuantity>,
    remove: ServerAction<RemoveFromCart>,
    move_item: ServerAction<MoveItem>,
    saved: bool,
) -> impl IntoView {
    let total = line.total().to_string();
    let id = line.variant_id;
    view! {
        <li class="cart-line" data-testid="cart-line">
            {line.image.clone().map(|src| view! { <img src=src alt="" width="64" height="64"/> })}
            <a href=format!("/p/{}?variant={id}", line.slug)>{line.name.clone()}</a>
            {(!line.variant.is_empty()).then(|| view! { <span class="line-variant" data-testid="line-variant">{line.variant.clone()}</span> })}
            <span class="unit-price">{line.unit_price.to_string()}</span>
            {if saved {
                view! { <span>{format!("× {}", line.quantity)}</span> }.into_any()
            } else {
                view! {
                    <ActionForm action=quantity attr:class="inline-form">
                        <input type="hidden" name="item" value=id/>
                        <label class="visually-hidden" for=format!("qty-{id}")>"Quantity"</label>
                        <input id=format!("qty-{id}") name="quantity" type="number" min="0" max=MAX_QUANTITY
                            value=line.quantity data-testid="line-quantity"/>
                        <button type="submit" class="button secondary">"Update"</button>
                    </ActionForm>
                }.into_any()
            }}
            <span class="line-total" data-testid="line-total">{total}</span>
            <ActionForm action=move_item attr:class="inline-form">
                <input type="hidden" name="item" value=id/>
                <input type="hidden" name="to_saved" value=(!saved).to_string()/>
                <button type="submit" class="link-button">{if saved { "Move to cart" } else { "Save for later" }}</button>
            </ActionForm>
            <ActionForm action=remove attr:class="inline-form">
                <input type="hidden" name="item" value=id/>
                <input type="hidden" name="saved" value=saved.to_string()/>
                <button type="submit" class="link-button">"Remove"</button>
            </ActionForm>
        </li>
    }
}
