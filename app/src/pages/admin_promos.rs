//! The back office's promo codes: a form to create one, and every code with
//! what it gives, when, its state and its use (uses against the limit, paid
//! orders, what it took off them, what they came to), a form to change it
//! and "End now" behind a confirmation. Plain forms posting to server
//! functions, so it works without JavaScript.

use crate::api::promos::{admin_promos, EndPromo, SavePromo};
use crate::components::{bump_on_success, form_error, AdminNav, ErrorView};
use crate::domain::money::{Currency, Money};
use crate::domain::promos::{PromoInput, PromoRow, PromoState};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminPromosPage() -> impl IntoView {
    let (create, change, end) = (ServerAction::<SavePromo>::new(), ServerAction::<SavePromo>::new(), ServerAction::<EndPromo>::new());
    let done = RwSignal::new(0);
    bump_on_success(done, create);
    bump_on_success(done, change);
    bump_on_success(done, end);
    let promos = crate::components::page_data(move || done.get(), |_| admin_promos());
    view! {
        <Title text="Promo codes · Admin"/>
        <AdminNav current="promos"/>
        <section class="admin-promos">
            <h1>"Promo codes"</h1>
            <details class="new-promo" open>
                <summary>"New promo code"</summary>
                <ActionForm action=create attr:class="staff-form" attr:data-testid="new-promo">
                    <input type="hidden" name="new" value="true"/>
                    {form_error(move || create.value().get().and_then(Result::err))}
                    {promo_fields("new", PromoInput { kind: "percent".into(), ..Default::default() }, true)}
                    <button type="submit" class="button" data-testid="create-promo">"Create promo code"</button>
                </ActionForm>
            </details>
            {form_error(move || change.value().get().and_then(Result::err))}
            {form_error(move || end.value().get().and_then(Result::err))}
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match promos.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(promos) if promos.is_empty() => view! { <p>"No promo codes yet."</p> }.into_any(),
                        Ok(promos) => view! {
                            <ul class="promo-list" data-testid="promo-list">
                                {promos.into_iter().map(|p| promo_row(p, change, end)).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The form's fields, ids prefixed with `id` so each row's form has its own;
/// a new code's letters are typed, a saved one's are fixed.
fn promo_fields(id: &str, input: PromoInput, new: bool) -> impl IntoView {
    let field = |name: &str| format!("{id}-{name}");
    let kind = input.kind.clone();
    let option = move |value: &'static str, text: &'static str| view! { <option value=value selected=kind == value>{text}</option> };
    view! {
        {if new {
            view! {
                <label for=field("code")>"Code (letters and digits, e.g. SUMMER25)"</label>
                <input id=field("code") name="input[code]" value=input.code.clone() required maxlength=32 autocapitalize="characters"/>
            }.into_any()
        } else {
            view! { <input type="hidden" name="input[code]" value=input.code.clone()/> }.into_any()
        }}
        <label for=field("kind")>"Gives"</label>
        <select id=field("kind") name="input[kind]">
            {option("percent", "A percentage off")}
            {option("fixed", "An amount off")}
            {option("free_shipping", "Free shipping")}
        </select>
        <label for=field("amount")>"Percentage or amount (none for free shipping)"</label>
        <input id=field("amount") name="input[amount]" value=input.amount inputmode="decimal" maxlength=12/>
        <label for=field("min")>"Minimum subtotal (empty: none)"</label>
        <input id=field("min") name="input[min_subtotal]" value=input.min_subtotal inputmode="decimal" maxlength=12/>
        <label for=field("starts")>"Starts (UTC; empty: now)"</label>
        <input id=field("starts") name="input[starts]" type="datetime-local" value=input.starts/>
        <label for=field("ends")>"Ends (UTC; empty: never)"</label>
        <input id=field("ends") name="input[ends]" type="datetime-local" value=input.ends/>
        <label for=field("max")>"Uses in all (empty: no limit)"</label>
        <input id=field("max") name="input[max_uses]" value=input.max_uses inputmode="numeric" maxlength=10/>
        <label for=field("each")>"Uses per customer (empty: no limit)"</label>
        <input id=field("each") name="input[max_per_customer]" value=input.max_per_customer inputmode="numeric" maxlength=10/>
        <label for=field("categories")>"Only in these categories and their subcategories (handles, comma-separated; empty: all)"</label>
        <input id=field("categories") name="input[categories]" value=input.categories maxlength=8000 autocapitalize="none"/>
        <label for=field("products")>"Only on these products (handles, comma-separated; empty: all)"</label>
        <input id=field("products") name="input[products]" value=input.products maxlength=8000 autocapitalize="none"/>
    }
}

fn promo_row(promo: PromoRow, change: ServerAction<SavePromo>, end: ServerAction<EndPromo>) -> impl IntoView {
    let code = promo.input.code.clone();
    let usd = |minor: i64| Money::new(minor, Currency::Usd).to_string();
    let uses = match promo.max_uses {
        Some(max) => format!("{} of {max} uses", promo.uses),
        None => format!("{} uses", promo.uses),
    };
    let ended = matches!(promo.state, PromoState::Ended);
    let confirm_label = format!("Confirm ending {code}");
    let (ending, fields_id) = (code.clone(), format!("promo-{code}"));
    view! {
        <li class="promo-row" data-promo=code.clone() data-state=promo.state.text()>
            <h2><code>{code.clone()}</code>" "<span class="state">{promo.state.text()}</span></h2>
            <p>{promo.summary.clone()}" · "{promo.window.clone()}</p>
            <p class="usage" data-testid="promo-usage">
                {match promo.input.kind.as_str() {
                    "free_shipping" => format!("{uses} · {} paid orders · {} in sales", promo.paid_orders, usd(promo.revenue)),
                    _ => format!("{uses} · {} paid orders · {} off · {} in sales", promo.paid_orders, usd(promo.discount_given), usd(promo.revenue)),
                }}
            </p>
            <details>
                <summary>"Change"</summary>
                <ActionForm action=change attr:class="staff-form">
                    {promo_fields(&fields_id, promo.input.clone(), false)}
                    <button type="submit" class="button secondary" data-testid="save-promo">"Save"</button>
                </ActionForm>
            </details>
            {(!ended).then(|| view! {
                <ActionForm action=end attr:class="inline-form danger">
                    <input type="hidden" name="code" value=ending/>
                    <label><input type="checkbox" required aria-label=confirm_label/>" End it now"</label>
                    <button type="submit" class="button danger" data-testid="end-promo">"End now"</button>
                </ActionForm>
            })}
        </li>
    }
}
