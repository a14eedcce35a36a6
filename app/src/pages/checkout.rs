//! Checkout (address, shipping, promo code, the server's summary) and the
//! order page (status, totals, paying). Both work without JavaScript.

use crate::api::checkout::{checkout_addresses, checkout_quote, form_key, order, PayOrder, PlaceOrder};
use crate::api::orders::CancelOrder;
use crate::domain::address::Address;
use crate::components::{form_error, AddressFields, ErrorView};
use crate::domain::checkout::{Quote, Totals};
use crate::domain::orders::OrderStatus;
use crate::domain::money::{Currency, Money};
use crate::domain::search::url_encode;
use crate::domain::time::utc;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Subtotal, discount, shipping, tax and total as a definition list.
#[component]
fn Summary(totals: Totals, currency: Currency) -> impl IntoView {
    let money = move |minor: i64| Money::new(minor, currency).to_string();
    view! {
        <dl class="order-summary" data-testid="order-summary">
            <dt>"Subtotal"</dt><dd>{money(totals.subtotal)}</dd>
            {(totals.discount > 0).then(|| view! { <dt>"Discount"</dt><dd data-testid="discount">{format!("−{}", money(totals.discount))}</dd> })}
            <dt>"Shipping"</dt><dd data-testid="shipping">{money(totals.shipping)}</dd>
            <dt>"Tax"</dt><dd data-testid="tax">{money(totals.tax)}</dd>
            <dt>"Total"</dt><dd><strong data-testid="total">{money(totals.total)}</strong></dd>
        </dl>
    }
}

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let quote = Resource::new(
        move || (param("country"), param("region"), param("method"), param("promo")),
        |(country, region, method, promo)| checkout_quote(country, region, method, promo),
    );
    let key = Resource::new(|| (), |_| form_key());
    let saved = Resource::new(|| (), |_| checkout_addresses());
    let place = ServerAction::<PlaceOrder>::new();
    view! {
        <Title text="Checkout | Oxcart"/>
        <section class="checkout">
            <h1>"Checkout"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let (quote, key, saved) = (quote.await, key.await.unwrap_or_default(), saved.await.unwrap_or_default());
                    let chosen: i64 = param("address").parse().unwrap_or(0);
                    let chosen = saved.iter().find(|a| a.id == chosen).cloned();
                    match quote {
                        Err(error) => view! {
                            <ErrorView error/>
                            <p><a class="button" href="/cart">"Back to your cart"</a></p>
                        }.into_any(),
                        Ok(quote) => view! {
                            <CheckoutForms quote key place saved chosen country=param("country") region=param("region")/>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn CheckoutForms(
    quote: Quote,
    key: String,
    place: ServerAction<PlaceOrder>,
    saved: Vec<Address>,
    chosen: Option<Address>,
    country: String,
    region: String,
) -> impl IntoView {
    let country = if country.is_empty() { "US".to_owned() } else { country.to_ascii_uppercase() };
    let promo = quote.promo.clone().unwrap_or_default();
    // Choosing a saved address is a link: the summary follows its country and region.
    let use_link = {
        let (method, promo) = (quote.method.clone(), promo.clone());
        move |a: &Address| {
            let pairs = [("country", a.country.clone()), ("region", a.region.clone()), ("method", method.clone()),
                ("promo", promo.clone()), ("address", a.id.to_string())];
            let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
            format!("/checkout?{}", query.join("&"))
        }
    };
    view! {
        <div class="checkout-columns">
            <div>
                <h2>"Delivery"</h2>
                // A plain GET form: the summary follows the destination, method and code, with or without JavaScript.
                <form method="get" action="/checkout" class="quote-form">
                    <label for="country">"Country code (US, GB, DE, …)"</label>
                    <input id="country" name="country" value=country.clone() maxlength=2 required/>
                    <label for="region">"State or region (e.g. CA)"</label>
                    <input id="region" name="region" value=region.clone() maxlength=100/>
                    <fieldset>
                        <legend>"Shipping"</legend>
                        {quote.shipping.iter().map(|o| view! {
                            <label class="radio">
                                <input type="radio" name="method" value=o.code.clone() checked=o.code == quote.method/>
                                {format!("{} — {}", o.name, o.price)}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <label for="promo">"Promo code"</label>
                    <input id="promo" name="promo" value=promo.clone() maxlength=40 data-testid="promo"/>
                    <button type="submit" class="button secondary" data-testid="update-summary">"Update summary"</button>
                </form>
                <h2>"Your details"</h2>
                <ActionForm action=place>
                    <input type="hidden" name="idempotency_key" value=key/>
                    <input type="hidden" name="country" value=country/>
                    <input type="hidden" name="region" value=region/>
                    <input type="hidden" name="method" value=quote.method.clone()/>
                    <input type="hidden" name="promo" value=promo/>
                    <label for="email">"Email (for the receipt)"</label>
                    <input id="email" name="email" type="email" autocomplete="email" maxlength=254/>
                    {(!saved.is_empty()).then(|| view! {
                        <fieldset class="saved-addresses" data-testid="saved-addresses">
                            <legend>"Your addresses"</legend>
                            {saved.iter().map(|a| {
                                let here = chosen.as_ref().is_some_and(|c| c.id == a.id);
                                view! {
                                    <p>
                                        {format!("{}, {}, {} {}", a.full_name, a.line1, a.postal_code, a.city)}" "
                                        {if here {
                                            view! { <strong>"(delivering here)"</strong> }.into_any()
                                        } else {
                                            view! { <a href=use_link(a)>"Deliver here"</a> }.into_any()
                                        }}
                                    </p>
                                }
                            }).collect_view()}
                        </fieldset>
                    })}
                    {match chosen {
                        Some(a) => view! { <input type="hidden" name="address_id" value=a.id/> }.into_any(),
                        None => view! { <AddressFields with_place=false/> }.into_any(),
                    }}
                    {form_error(move || place.value().get().and_then(Result::err))}
                    <button type="submit" class="button" data-testid="place-order">"Place order"</button>
                </ActionForm>
            </div>
            <aside>
                <h2>"Summary"</h2>
                <ul class="checkout-lines">
                    {quote.cart.lines.iter().map(|l| view! {
                        <li>{format!("{} × {}", l.quantity, l.name)} <span>{l.total().to_string()}</span></li>
                    }).collect_view()}
                </ul>
                <Summary totals=quote.totals currency=quote.currency/>
            </aside>
        </div>
    }
}

/// An order: what was bought, its state, and paying while it awaits payment.
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let pay = ServerAction::<PayOrder>::new();
    let cancel = ServerAction::<CancelOrder>::new();
    let data = Resource::new(
        move || {
            let number = params.read().get("number").unwrap_or_default();
            (number, query.read().get("key").unwrap_or_default(), pay.version().get(), cancel.version().get())
        },
        |(number, key, _, _)| order(number, key),
    );
    let form = Resource::new(move || pay.version().get(), |_| form_key());
    view! {
        <Title text="Your order | Oxcart"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let order = match data.await {
                    Ok(order) => order,
                    Err(error) => return view! { <ErrorView error/> }.into_any(),
                };
                let form_key = form.await.unwrap_or_default();
                let key = query.read_untracked().get("key").unwrap_or_default();
                let a = order.ship_to.clone();
                let awaiting = order.status == OrderStatus::PendingPayment;
                let cancellable = order.status.cancellable();
                view! {
                    <section class="order" data-testid="order">
                        <h1>"Order " <span data-testid="order-number">{order.number.clone()}</span></h1>
                        <p class="order-status" data-testid="order-status" data-status=order.status.key()>{order.status.label()}</p>
                        <p>{format!("Placed {} UTC · receipt to {}", utc(order.created_at), order.email)}</p>
                        <ul class="checkout-lines">
                            {order.lines.iter().map(|l| view! {
                                <li>{format!("{} × {}", l.quantity, l.name)} <span>{l.unit_price.to_string()}</span></li>
                            }).collect_view()}
                        </ul>
                        <Summary totals=order.totals currency=order.currency/>
                        <h2>"Delivery"</h2>
                        <address>
                            {a.full_name}<br/>{a.line1}<br/>{(!a.line2.is_empty()).then(|| view! { {a.line2.clone()}<br/> })}
                            {format!("{} {} {}", a.postal_code, a.city, a.region)}<br/>{a.country}
                        </address>
                        {order.payment.clone().map(|p| view! {
                            <p class="payment" data-testid="payment-status" data-status=p.status.clone()>
                                {format!("Payment: {}{}", p.status, if p.card.is_empty() { String::new() } else { format!(" ({})", p.card) })}
                                {(!p.message.is_empty()).then(|| view! { <br/>{p.message.clone()} })}
                                {p.action_url.clone().map(|url| view! { <br/><a href=url>"Confirm the payment with your bank"</a> })}
                            </p>
                        })}
                        {(!order.shipments.is_empty()).then(|| view! {
                            <h2>"Parcels"</h2>
                            <ul class="shipments" data-testid="shipments">
                                {order.shipments.iter().map(|p| view! {
                                    <li>{format!("{} {} · shipped {}{}", p.carrier, p.tracking, utc(p.shipped_at),
                                        p.delivered_at.map(|d| format!(" · delivered {}", utc(d))).unwrap_or_default())}</li>
                                }).collect_view()}
                            </ul>
                        })}
                        <h2>"History"</h2>
                        <ol class="timeline" data-testid="timeline">
                            <li>{format!("{} · Placed", utc(order.created_at))}</li>
                            {order.events.iter().map(|e| view! {
                                <li>{format!("{} · {}{}", utc(e.at), e.status.label(),
                                    if e.note.is_empty() { String::new() } else { format!(" ({})", e.note) })}</li>
                            }).collect_view()}
                        </ol>
                        {cancellable.then(|| {
                            let key = query.read_untracked().get("key").unwrap_or_default();
                            let number = order.number.clone();
                            view! {
                                <ActionForm action=cancel attr:class="cancel-form">
                                    <input type="hidden" name="number" value=number/>
                                    <input type="hidden" name="key" value=key/>
                                    {form_error(move || cancel.value().get().and_then(Result::err))}
                                    <button type="submit" class="button secondary" data-testid="cancel-order">
                                        {if awaiting { "Cancel order" } else { "Cancel order and refund" }}
                                    </button>
                                </ActionForm>
                            }
                        })}
                        {awaiting.then(|| view! {
                            <h2>"Pay"</h2>
                            {(order.reserved_for > 0).then(|| view! {
                                <p>{format!("Your items are held for you for {} more minutes.", order.reserved_for / 60 + 1)}</p>
                            })}
                            <ActionForm action=pay attr:class="pay-form">
                                <input type="hidden" name="number" value=order.number.clone()/>
                                <input type="hidden" name="key" value=key/>
                                <input type="hidden" name="idempotency_key" value=form_key/>
                                <label for="card_number">"Card number"</label>
                                <input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" required maxlength=23/>
                                <label for="expiry">"Expiry (MM/YY)"</label>
                                <input id="expiry" name="expiry" autocomplete="cc-exp" required maxlength=7 placeholder="MM/YY"/>
                                <label for="cvc">"Security code"</label>
                                <input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" required maxlength=4/>
                                {form_error(move || pay.value().get().and_then(Result::err))}
                                <button type="submit" class="button" data-testid="pay">"Pay now"</button>
                            </ActionForm>
                            <p class="hint">"Test mode: 4242 4242 4242 4242 pays; 4000 0000 0000 0002 is declined; \
                                4000 0000 0000 9995 has insufficient funds; 4000 0027 6000 3184 asks your bank to confirm."</p>
                        })}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
