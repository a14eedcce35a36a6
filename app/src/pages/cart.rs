//! The cart page: quantities, removing, saving for later (the wishlist), and
//! the way to checkout.

use crate::api::cart::{cart, MoveItem, RemoveFromCart, SetCartQuantity};
use crate::components::{cart_changed, form_error, Card, CartLineItem, ErrorView};
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
                                    {cart.lines.into_iter().map(|line| view! { <CartLineItem line quantity=Some(quantity) remove move_item/> }).collect_view()}
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
                        {(!cart.suggestions.is_empty()).then(|| view! {
                            <section class="also-bought" data-testid="cart-suggestions">
                                <h2>"Customers who bought these also bought"</h2>
                                <ul class="product-grid">
                                    {cart.suggestions.into_iter().map(|card| view! { <li><Card product=card/></li> }).collect_view()}
                                </ul>
                            </section>
                        })}
                        {(!cart.saved.is_empty()).then(|| view! {
                            <h2>"Saved for later"</h2>
                            <p><a href="/wishlist" data-testid="wishlist-link">"Your wishlist"</a>": share it, and get a mail when an item is back in stock or costs less."</p>
                            <ul class="cart-lines" data-testid="saved-lines">
                                {cart.saved.into_iter().map(|line| view! { <CartLineItem line quantity=None remove move_item/> }).collect_view()}
                            </ul>
                        })}
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}
