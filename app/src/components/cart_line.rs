//! One line of the cart or of the wishlist, with its forms (each works
//! without JavaScript): the quantity (cart only), moving it to the other
//! list, and removing it.

use crate::api::cart::{MoveItem, RemoveFromCart, SetCartQuantity};
use crate::domain::checkout::{CartLine, MAX_QUANTITY};
use leptos::form::ActionForm;
use leptos::prelude::*;

/// A cart line (with its `quantity` form), or a saved line (`quantity` is
/// `None`: it shows whether it is in stock instead).
#[component]
pub fn CartLineItem(
    line: CartLine,
    quantity: Option<ServerAction<SetCartQuantity>>,
    remove: ServerAction<RemoveFromCart>,
    move_item: ServerAction<MoveItem>,
) -> impl IntoView {
    let total = line.total().to_string();
    let id = line.variant_id;
    let saved = quantity.is_none();
    view! {
        <li class="cart-line" data-testid="cart-line">
            {line.image.clone().map(|src| view! { <img src=src alt="" width="64" height="64"/> })}
            <a href=format!("/p/{}?variant={id}", line.slug)>{line.name.clone()}</a>
            {(!line.variant.is_empty()).then(|| view! { <span class="line-variant" data-testid="line-variant">{line.variant.clone()}</span> })}
            <span class="unit-price">{line.unit_price.to_string()}</span>
            {match quantity {
                None => view! {
                    <span>{format!("× {}", line.quantity)}</span>
                    <span class={if line.stock == 0 { "stock out" } else { "stock in" }} data-testid="line-stock">
                        {if line.stock == 0 { "Out of stock" } else { "In stock" }}
                    </span>
                }.into_any(),
                Some(action) => view! {
                    <ActionForm action attr:class="inline-form">
                        <input type="hidden" name="item" value=id/>
                        <label class="visually-hidden" for=format!("qty-{id}")>"Quantity"</label>
                        <input id=format!("qty-{id}") name="quantity" type="number" min="0" max=MAX_QUANTITY
                            value=line.quantity data-testid="line-quantity"/>
                        <button type="submit" class="button secondary">"Update"</button>
                    </ActionForm>
                }.into_any(),
            }}
            <span class="line-total" data-testid="line-total">{total}</span>
            <ActionForm action=move_item attr:class="inline-form">
                <input type="hidden" name="item" value=id/>
                <input type="hidden" name="to_saved" value=(!saved).to_string()/>
                <button type="submit" class="link-button" data-testid={if saved { "move-to-cart" } else { "save-for-later" }}>
                    {if saved { "Move to cart" } else { "Save for later" }}
                </button>
            </ActionForm>
            <ActionForm action=remove attr:class="inline-form">
                <input type="hidden" name="item" value=id/>
                <input type="hidden" name="saved" value=saved.to_string()/>
                <button type="submit" class="link-button">"Remove"</button>
            </ActionForm>
        </li>
    }
}
