//! What an order holds and where it is: lines, totals, delivery address,
//! payment, parcels with tracking, returns, refunds and the history. Shared
//! by the shopper's order page and the staff's.

use crate::domain::checkout::Totals;
use crate::domain::tax::{rate_text, RateTax};
use crate::domain::order_view::OrderView;
use crate::domain::money::{Currency, Money};
use crate::domain::time::utc;
use leptos::prelude::*;

/// Subtotal, discount, shipping, tax and total as a definition list: tax
/// added before the total, or (prices with tax in them) what the total
/// includes after it; per rate when there are several.
#[component]
pub fn Summary(totals: Totals, currency: Currency, #[prop(optional)] taxes: Vec<RateTax>) -> impl IntoView {
    let money = move |minor: i64| Money::new(minor, currency).to_string();
    let rates = move |label: &'static str| {
        let taxes = taxes.clone();
        (taxes.len() > 1).then(move || {
            taxes
                .into_iter()
                .map(|r| view! { <dt class="tax-rate">{format!("{label} {}", rate_text(r.rate_bp))}</dt><dd class="tax-rate">{money(r.tax)}</dd> })
                .collect_view()
        })
    };
    let (added, included) = (rates("Tax at"), rates("Including tax at"));
    view! {
        <dl class="order-summary" data-testid="order-summary">
            <dt>"Subtotal"</dt><dd>{money(totals.subtotal)}</dd>
            {(totals.discount > 0).then(|| view! { <dt>"Discount"</dt><dd data-testid="discount">{format!("−{}", money(totals.discount))}</dd> })}
            <dt>"Shipping"</dt><dd data-testid="shipping">{money(totals.shipping)}</dd>
            {if totals.tax_included {
                view! {
                    <dt>"Total"</dt><dd><strong data-testid="total">{money(totals.total)}</strong></dd>
                    <dt>"Tax included"</dt><dd data-testid="tax">{money(totals.tax)}</dd>
                    {included}
                }.into_any()
            } else {
                view! {
                    {added}
                    <dt>"Tax"</dt><dd data-testid="tax">{money(totals.tax)}</dd>
                    <dt>"Total"</dt><dd><strong data-testid="total">{money(totals.total)}</strong></dd>
                }.into_any()
            }}
        </dl>
    }
}

/// "12 Nov 2026 10:00 UTC · label (note)" for a timeline entry.
fn dated(at: i64, label: &str, note: &str) -> String {
    if note.is_empty() { format!("{} · {label}", utc(at)) } else { format!("{} · {label} ({note})", utc(at)) }
}

/// Everything about `order` except the forms that act on it.
#[component]
pub fn OrderDetails(order: OrderView) -> impl IntoView {
    let a = order.ship_to.clone();
    view! {
        <h1>"Order " <span data-testid="order-number">{order.number.clone()}</span></h1>
        <p class="order-status" data-testid="order-status" data-status=order.status.key()>{order.status.label()}</p>
        <p>{format!("Placed {} UTC · receipt to {}", utc(order.created_at), order.email)}</p>
        <ul class="checkout-lines">
            {order.lines.iter().map(|l| view! {
                <li>{format!("{} × {}", l.quantity, l.label())} <span>{l.unit_price.to_string()}</span></li>
            }).collect_view()}
        </ul>
        <Summary totals=order.totals currency=order.currency taxes=order.taxes.clone()/>
        <h2>"Delivery"</h2>
        <address>
            {a.full_name}<br/>{a.line1}<br/>{(!a.line2.is_empty()).then(|| view! { {a.line2.clone()}<br/> })}
            {format!("{} {} {}", a.postal_code, a.city, a.region)}<br/>{a.country}
        </address>
        {order.payment.clone().map(|p| {
            let to_finish = match &order.pays_on {
                Some(page) => format!("Continue to {page}'s payment page"),
                None => "Confirm the payment with your bank".to_owned(),
            };
            view! {
            <p class="payment" data-testid="payment-status" data-status=p.status.clone()>
                {format!("Payment: {}{}", p.status, if p.card.is_empty() { String::new() } else { format!(" ({})", p.card) })}
                {(!p.message.is_empty()).then(|| view! { <br/>{p.message.clone()} })}
                {p.action_url.clone().map(|url| view! { <br/><a href=url data-testid="finish-payment">{to_finish}</a> })}
            </p>
        }})}
        {(!order.shipments.is_empty()).then(|| view! {
            <h2>"Parcels"</h2>
            <ul class="shipments" data-testid="shipments">
                {order.shipments.iter().map(|p| view! {
                    <li data-testid="parcel" data-status=p.status.key()>
                        <strong>{format!("{} {}", p.carrier, p.tracking)}</strong>
                        {format!(" · {} · shipped {}", p.status.label(), utc(p.shipped_at))}
                        <br/>{p.items.iter().map(|(name, q)| format!("{q} × {name}")).collect::<Vec<_>>().join(", ")}
                        {(!p.events.is_empty()).then(|| view! {
                            <ol class="tracking">
                                {p.events.iter().map(|e| view! { <li>{dated(e.at, e.status.label(), &e.detail)}</li> }).collect_view()}
                            </ol>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        })}
        {(!order.returns.is_empty()).then(|| view! {
            <h2>"Returns"</h2>
            <ul class="returns" data-testid="returns">
                {order.returns.iter().map(|r| view! {
                    <li data-status=r.status.key()>
                        <strong>{r.status.label()}</strong>
                        {format!(" · asked {} · ", utc(r.requested_at))}
                        {r.items.iter().map(|(name, q, back)| match back {
                            Some(back) => format!("{q} × {name} ({back} restocked)"),
                            None => format!("{q} × {name}"),
                        }).collect::<Vec<_>>().join(", ")}
                        <br/>{format!("Reason: {}", r.reason)}
                        {(!r.staff_note.is_empty()).then(|| view! { <br/>{format!("Our answer: {}", r.staff_note)} })}
                    </li>
                }).collect_view()}
            </ul>
        })}
        {(!order.refunds.is_empty()).then(|| view! {
            <h2>"Refunds"</h2>
            <ul class="refunds" data-testid="refunds">
                {order.refunds.iter().map(|r| view! {
                    <li data-status=r.status.clone()>
                        {format!("{} · {} · {} ({})", utc(r.at), r.amount, r.reason, match r.status.as_str() {
                            "succeeded" => "refunded to your card",
                            "pending" => "on its way",
                            _ => "failed, we will retry",
                        })}
                    </li>
                }).collect_view()}
            </ul>
        })}
        <h2>"History"</h2>
        <ol class="timeline" data-testid="timeline">
            <li>{format!("{} · Placed", utc(order.created_at))}</li>
            {order.events.iter().map(|e| view! { <li>{dated(e.at, e.status.label(), &e.note)}</li> }).collect_view()}
        </ol>
    }
}
