//! The wishlist pages: the shopper's own (`/wishlist`: move to cart, remove,
//! the share link, the mails), one shared with a link
//! (`/wishlist/shared/<token>`, read only, never indexed), and the page a
//! mail's unsubscribe link opens (`/wishlist/unsubscribe?token=…`, no
//! sign-in needed). Every form works without JavaScript.

use crate::api::cart::{AddToCart, MoveItem, RemoveFromCart};
use crate::api::wishlist::{my_wishlist, open_shared_wishlist, wishlist_mail_setting, ShareWishlist, Unsubscribe, WishlistAlerts};
use crate::components::{cart_changed, form_error, form_outcome, page_data, CartLineItem, ErrorView};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The shopper's wishlist.
#[component]
pub fn WishlistPage() -> impl IntoView {
    let remove = ServerAction::<RemoveFromCart>::new();
    let move_item = ServerAction::<MoveItem>::new();
    let share = ServerAction::<ShareWishlist>::new();
    let alerts = ServerAction::<WishlistAlerts>::new();
    let versions = move || (remove.version().get(), move_item.version().get(), share.version().get(), alerts.version().get());
    let data = page_data(versions, |_| my_wishlist());
    Effect::new(move |_| {
        if move_item.version().get() > 0 {
            cart_changed();
        }
    });
    let error = move || {
        [
            remove.value().get().and_then(Result::err),
            move_item.value().get().and_then(Result::err),
            share.value().get().and_then(Result::err),
            alerts.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    };
    view! {
        <Title text="Your wishlist"/>
        <Meta name="description" content="The products you saved, to buy later or to share."/>
        <section class="cart wishlist">
            <h1>"Your wishlist"</h1>
            {form_error(error)}
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let list = match data.await {
                        Ok(list) => list,
                        Err(error) => return view! { <ErrorView error/> }.into_any(),
                    };
                    let items = if list.items.is_empty() {
                        view! {
                            <p data-testid="wishlist-empty">
                                "Nothing saved yet: “Save to wishlist” on a product’s page keeps it here. "
                                <a href="/">"Keep shopping"</a>
                            </p>
                        }.into_any()
                    } else {
                        view! {
                            <ul class="cart-lines" data-testid="wishlist-lines">
                                {list.items.into_iter().map(|line| view! { <CartLineItem line quantity=None remove move_item/> }).collect_view()}
                            </ul>
                        }.into_any()
                    };
                    let sharing = match list.share_url {
                        Some(url) => view! {
                            <p>"Anyone with this link sees your wishlist and your display name (never your address or email) and cannot change it:"</p>
                            <p><input class="share-url" readonly value=url aria-label="Link to your wishlist" data-testid="share-url"/></p>
                            <ActionForm action=share attr:class="inline-form">
                                <input type="hidden" name="on" value="false"/>
                                <button type="submit" class="button secondary" data-testid="stop-sharing">"Stop sharing"</button>
                            </ActionForm>
                        }.into_any(),
                        None => view! {
                            <p>"Share your wishlist with a link that shows it and cannot change it."</p>
                            <ActionForm action=share attr:class="inline-form">
                                <input type="hidden" name="on" value="true"/>
                                <button type="submit" class="button secondary" data-testid="share">"Share with a link"</button>
                            </ActionForm>
                        }.into_any(),
                    };
                    let mails = match list.alerts {
                        Some(on) => view! {
                            <p data-testid="alerts-state">
                                {if on {
                                    "We mail you when an item here is back in stock or costs less."
                                } else {
                                    "Mails about your wishlist are off."
                                }}
                            </p>
                            <ActionForm action=alerts attr:class="inline-form">
                                <input type="hidden" name="on" value=(!on).to_string()/>
                                <button type="submit" class="button secondary" data-testid="toggle-alerts">
                                    {if on { "Stop these mails" } else { "Mail me again" }}
                                </button>
                            </ActionForm>
                        }.into_any(),
                        None => view! {
                            <p data-testid="alerts-state">
                                <a href="/account/sign-in">"Sign in"</a>
                                " to keep your wishlist on every device and get a mail when an item is back in stock or costs less."
                            </p>
                        }.into_any(),
                    };
                    view! {
                        {items}
                        <h2>"Share"</h2>
                        {sharing}
                        <h2>"Mails"</h2>
                        {mails}
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

/// A wishlist someone shared: what is on it, each with "Add to cart" (to
/// the visitor's own cart).
#[component]
pub fn SharedWishlistPage(token: String) -> impl IntoView {
    let data = page_data(move || token.clone(), open_shared_wishlist);
    let add = ServerAction::<AddToCart>::new();
    Effect::new(move |_| {
        if add.version().get() > 0 {
            cart_changed();
        }
    });
    view! {
        <Title text="A shared wishlist"/>
        <Meta name="robots" content="noindex"/>
        <section class="cart wishlist">
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let list = match data.await {
                        Ok(list) => list,
                        Err(error) => return view! { <ErrorView error/> }.into_any(),
                    };
                    let heading = if list.owner.is_empty() { "A shared wishlist".to_string() } else { format!("{}’s wishlist", list.owner) };
                    view! {
                        <h1 data-testid="shared-heading">{heading}</h1>
                        {form_outcome(move || add.value().get())}
                        {list.items.is_empty().then(|| view! { <p>"Nothing on it yet."</p> })}
                        <ul class="cart-lines" data-testid="shared-lines">
                            {list.items.into_iter().map(|line| view! {
                                <li class="cart-line" data-testid="cart-line">
                                    {line.image.clone().map(|src| view! { <img src=src alt="" width="64" height="64"/> })}
                                    <a href=format!("/p/{}?variant={}", line.slug, line.variant_id)>{line.label()}</a>
                                    <span class="unit-price">{line.unit_price.to_string()}</span>
                                    {if line.stock == 0 {
                                        view! { <span class="stock out">"Out of stock"</span> }.into_any()
                                    } else {
                                        view! {
                                            <ActionForm action=add attr:class="inline-form">
                                                <input type="hidden" name="product" value=line.product_id/>
                                                <input type="hidden" name="variant" value=line.variant_id/>
                                                <button type="submit" class="button secondary">"Add to cart"</button>
                                            </ActionForm>
                                        }.into_any()
                                    }}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}

/// Where a wishlist mail's unsubscribe link leads: the address it is about,
/// and a button that stops the mails (or starts them again).
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let data = page_data(token, wishlist_mail_setting);
    let set = ServerAction::<Unsubscribe>::new();
    view! {
        <Title text="Wishlist mails"/>
        <Meta name="robots" content="noindex"/>
        <section class="narrow">
            <h1>"Wishlist mails"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let setting = match data.await {
                        Ok(setting) => setting,
                        Err(error) => return view! { <ErrorView error/> }.into_any(),
                    };
                    view! {
                        <p data-testid="alerts-address">
                            {format!("Mails to {} when an item on the wishlist is back in stock or costs less.", setting.address)}
                        </p>
                        {form_outcome(move || set.value().get())}
                        <ActionForm action=set attr:class="inline-form">
                            <input type="hidden" name="token" value=token()/>
                            <button type="submit" class="button" data-testid="unsubscribe">"Stop these mails"</button>
                        </ActionForm>
                        <ActionForm action=set attr:class="inline-form">
                            <input type="hidden" name="token" value=token()/>
                            <input type="hidden" name="on" value="true"/>
                            <button type="submit" class="button secondary" data-testid="resubscribe">"Mail me again"</button>
                        </ActionForm>
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}
