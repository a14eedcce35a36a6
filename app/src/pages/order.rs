//! The shopper's order page: where the order is, paying while it awaits
//! payment, cancelling before it ships, asking to return delivered items.
//! Opened by its owner or with the secret key from the order mail; it
//! updates by itself when the order changes (and on reload without JavaScript).

use crate::api::checkout::{form_key, order, PayOrder};
use crate::api::orders::{CancelOrder, RequestReturn};
use crate::components::{form_error, on_server_change, ErrorView, OrderDetails};
use crate::domain::order_view::OrderView;
use crate::domain::orders::OrderStatus;
use crate::domain::search::url_encode;
use crate::domain::time::utc;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let pay = ServerAction::<PayOrder>::new();
    let cancel = ServerAction::<CancelOrder>::new();
    let ask_return = ServerAction::<RequestReturn>::new();
    let data = crate::components::page_data(
        move || {
            let number = params.read().get("number").unwrap_or_default();
            let versions = (pay.version().get(), cancel.version().get(), ask_return.version().get());
            (number, query.read().get("key").unwrap_or_default(), versions)
        },
        |(number, key, _)| order(number, key),
    );
    let form = crate::components::page_data(move || pay.version().get(), |_| form_key());
    let number = params.read_untracked().get("number").unwrap_or_default();
    let key = query.read_untracked().get("key").unwrap_or_default();
    on_server_change(format!("/order/{}/events?key={}", url_encode(&number), url_encode(&key)), move || data.refetch());
    view! {
        <Title text="Your order"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let order = match data.await {
                    Ok(order) => order,
                    Err(error) => return view! { <ErrorView error/> }.into_any(),
                };
                let form_key = form.await.unwrap_or_default();
                let key = query.read_untracked().get("key").unwrap_or_default();
                view! {
                    <section class="order" data-testid="order">
                        <OrderDetails order=order.clone()/>
                        {invoice_links(&order, &key)}
                        {cancel_form(order.clone(), key.clone(), cancel)}
                        {return_form(order.clone(), key.clone(), ask_return)}
                        {pay_form(order, key, form_key, pay)}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// The invoice, once the order is paid.
fn invoice_links(order: &OrderView, key: &str) -> impl IntoView {
    let paid = order.events.iter().any(|e| e.status == OrderStatus::Paid);
    let base = format!("/order/{}/invoice", url_encode(&order.number));
    let query = if key.is_empty() { String::new() } else { format!("?key={}", url_encode(key)) };
    paid.then(|| view! {
        <p class="invoice-links">
            <a href=format!("{base}{query}") rel="external" data-testid="invoice">"Invoice"</a>
            " · "
            <a href=format!("{base}.pdf{query}") rel="external" download data-testid="invoice-pdf">"Download it as PDF"</a>
        </p>
    })
}

/// Cancelling, while nothing has shipped.
fn cancel_form(order: OrderView, key: String, action: ServerAction<CancelOrder>) -> impl IntoView {
    let awaiting = order.status == OrderStatus::PendingPayment;
    order.status.cancellable().then(|| view! {
        <ActionForm action attr:class="cancel-form">
            <input type="hidden" name="number" value=order.number.clone()/>
            <input type="hidden" name="key" value=key/>
            {form_error(move || action.value().get().and_then(Result::err))}
            <button type="submit" class="button secondary" data-testid="cancel-order">
                {if awaiting { "Cancel order" } else { "Cancel order and refund" }}
            </button>
        </ActionForm>
    })
}

/// Asking to send delivered items back, within the return window.
fn return_form(order: OrderView, key: String, action: ServerAction<RequestReturn>) -> impl IntoView {
    let until = order.return_until.unwrap_or_default();
    let lines: Vec<_> = order.lines.iter().filter(|l| l.returnable > 0).cloned().collect();
    (order.return_until.is_some() && !lines.is_empty()).then(|| view! {
        <h2>"Return items"</h2>
        <p>{format!("You can ask to return items until {} UTC.", utc(until))}</p>
        <ActionForm action attr:class="return-form">
            <input type="hidden" name="number" value=order.number.clone()/>
            <input type="hidden" name="key" value=key/>
            {lines.into_iter().map(|l| {
                let id = format!("return-{}", l.variant_id);
                view! {
                    <label for=id.clone()>{format!("{} (bought {})", l.label(), l.quantity)}</label>
                    <input id=id type="number" min="0" max=l.returnable value="0" name=format!("qty[v{}]", l.variant_id) data-testid="return-quantity"/>
                }
            }).collect_view()}
            <label for="return-reason">"Why are you returning them?"</label>
            <textarea id="return-reason" name="reason" required maxlength=1000 data-testid="return-reason"></textarea>
            {form_error(move || action.value().get().and_then(Result::err))}
            <button type="submit" class="button secondary" data-testid="request-return">"Ask to return"</button>
        </ActionForm>
    })
}

/// Paying, while the order awaits payment.
fn pay_form(order: OrderView, key: String, form_key: String, action: ServerAction<PayOrder>) -> impl IntoView {
    (order.status == OrderStatus::PendingPayment).then(|| view! {
        <h2>"Pay"</h2>
        {(order.reserved_for > 0).then(|| view! {
            <p>{format!("Your items are held for you for {} more minutes.", order.reserved_for / 60 + 1)}</p>
        })}
        <ActionForm action attr:class="pay-form">
            <input type="hidden" name="number" value=order.number.clone()/>
            <input type="hidden" name="key" value=key/>
            <input type="hidden" name="idempotency_key" value=form_key/>
            {match order.pays_on.clone() {
                Some(page) => view! {
                    <p>{format!("You pay on {page}'s secure page, then come back here.")}</p>
                    {form_error(move || action.value().get().and_then(Result::err))}
                    <button type="submit" class="button" data-testid="pay">{format!("Pay on {page}")}</button>
                }.into_any(),
                None => view! {
                    <label for="card_number">"Card number"</label>
                    <input id="card_number" name="card_number" inputmode="numeric" autocomplete="cc-number" required maxlength=23/>
                    <label for="expiry">"Expiry (MM/YY)"</label>
                    <input id="expiry" name="expiry" autocomplete="cc-exp" required maxlength=7 placeholder="MM/YY"/>
                    <label for="cvc">"Security code"</label>
                    <input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" required maxlength=4/>
                    {form_error(move || action.value().get().and_then(Result::err))}
                    <button type="submit" class="button" data-testid="pay">"Pay now"</button>
                    <p class="hint">"Test mode: 4242 4242 4242 4242 pays; 4000 0000 0000 0002 is declined; \
                        4000 0000 0000 9995 has insufficient funds; 4000 0027 6000 3184 asks your bank to confirm."</p>
                }.into_any(),
            }}
        </ActionForm>
    })
}
