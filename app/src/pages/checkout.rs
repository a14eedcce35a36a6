//! Checkout: address, shipping, promo code and the server's summary, then
//! placing the order. Works without JavaScript.

use crate::api::checkout::{checkout_addresses, checkout_quote, form_key, PlaceOrder};
use crate::domain::address::Address;
use crate::components::{form_error, AddressFields, ErrorView, Summary};
use crate::domain::checkout::Quote;
use crate::domain::search::url_encode;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;


#[component]
pub fn CheckoutPage() -> impl IntoView {
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let quote = crate::components::page_data(
        move || (param("country"), param("region"), param("method"), param("promo")),
        |(country, region, method, promo)| checkout_quote(country, region, method, promo),
    );
    let key = crate::components::page_data(|| (), |_| form_key());
    let saved = crate::components::page_data(|| (), |_| checkout_addresses());
    let place = ServerAction::<PlaceOrder>::new();
    view! {
        <Title text="Checkout"/>
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
                        {quote.shipping_notice.clone().map(|why| view! { <p class="form-error" role="alert" data-testid="shipping-notice">{why}</p> })}
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
                        <li>{format!("{} × {}", l.quantity, l.label())} <span>{l.total().to_string()}</span></li>
                    }).collect_view()}
                </ul>
                <Summary totals=quote.totals currency=quote.currency taxes=quote.taxes.clone()/>
            </aside>
        </div>
    }
}
