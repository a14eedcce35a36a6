//! The back office's shipping: each zone with its places and methods (rate,
//! free-above threshold, delivery time), forms to add and change them, and
//! deletes behind a confirmation. Plain forms posting to server functions,
//! so it works without JavaScript.

use crate::api::shipping::{admin_shipping, DeleteMethod, DeleteZone, SaveMethod, SaveZone};
use crate::components::{bump_on_success, form_error, AdminNav, ErrorView};
use crate::domain::shipping::{MethodInput, MethodRow, ZoneRow};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[derive(Clone, Copy)]
struct Actions {
    zone: ServerAction<SaveZone>,
    unzone: ServerAction<DeleteZone>,
    method: ServerAction<SaveMethod>,
    unmethod: ServerAction<DeleteMethod>,
}

#[component]
pub fn AdminShippingPage() -> impl IntoView {
    let actions = Actions { zone: ServerAction::new(), unzone: ServerAction::new(), method: ServerAction::new(), unmethod: ServerAction::new() };
    let done = RwSignal::new(0);
    bump_on_success(done, actions.zone);
    bump_on_success(done, actions.unzone);
    bump_on_success(done, actions.method);
    bump_on_success(done, actions.unmethod);
    let zones = crate::components::page_data(move || done.get(), |_| admin_shipping());
    view! {
        <Title text="Shipping · Admin"/>
        <AdminNav current="shipping"/>
        <section class="admin-shipping">
            <h1>"Shipping"</h1>
            <p class="hint">"Checkout offers the methods of the address's zone: a region's own zone first, then its country's, then the zone with “*” (everywhere else). An address in no zone is told you do not ship there."</p>
            {form_error(move || actions.zone.value().get().and_then(Result::err))}
            {form_error(move || actions.unzone.value().get().and_then(Result::err))}
            {form_error(move || actions.method.value().get().and_then(Result::err))}
            {form_error(move || actions.unmethod.value().get().and_then(Result::err))}
            <details class="new-zone">
                <summary>"New zone"</summary>
                <ActionForm action=actions.zone attr:class="staff-form" attr:data-testid="new-zone">
                    {zone_fields("new-zone", "", "")}
                    <button type="submit" class="button" data-testid="create-zone">"Create zone"</button>
                </ActionForm>
            </details>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match zones.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(zones) if zones.is_empty() => view! { <p>"No zones: checkout ships nowhere."</p> }.into_any(),
                        Ok(zones) => zones.into_iter().map(|z| zone_view(z, actions)).collect_view().into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn zone_fields(id: &str, name: &str, places: &str) -> impl IntoView {
    view! {
        <label for=format!("{id}-name")>"Zone name"</label>
        <input id=format!("{id}-name") name="input[name]" value=name.to_owned() required maxlength=80/>
        <label for=format!("{id}-places")>"Places (e.g. GB, DE, US-CA; * for everywhere else)"</label>
        <input id=format!("{id}-places") name="input[places]" value=places.to_owned() required maxlength=2000/>
    }
}

fn method_fields(id: &str, m: MethodInput) -> impl IntoView {
    let weight = m.kind == "weight";
    view! {
        <label for=format!("{id}-name")>"Method name (e.g. Standard)"</label>
        <input id=format!("{id}-name") name="input[name]" value=m.name required maxlength=80/>
        <label for=format!("{id}-kind")>"Rate"</label>
        <select id=format!("{id}-kind") name="input[kind]">
            <option value="flat" selected=!weight>"Flat"</option>
            <option value="weight" selected=weight>"By weight (price + per started kg)"</option>
        </select>
        <label for=format!("{id}-base")>"Price (e.g. 4.99)"</label>
        <input id=format!("{id}-base") name="input[base]" value=m.base required inputmode="decimal" maxlength=12/>
        <label for=format!("{id}-per-kg")>"Per kg, by weight (e.g. 2.00)"</label>
        <input id=format!("{id}-per-kg") name="input[per_kg]" value=m.per_kg inputmode="decimal" maxlength=12/>
        <label for=format!("{id}-free")>"Free from a subtotal of (empty: never)"</label>
        <input id=format!("{id}-free") name="input[free_above]" value=m.free_above inputmode="decimal" maxlength=12/>
        <label for=format!("{id}-min")>"Delivery: fewest days"</label>
        <input id=format!("{id}-min") name="input[min_days]" value=m.min_days inputmode="numeric" maxlength=3/>
        <label for=format!("{id}-max")>"Delivery: most days"</label>
        <input id=format!("{id}-max") name="input[max_days]" value=m.max_days inputmode="numeric" maxlength=3/>
    }
}

fn zone_view(zone: ZoneRow, actions: Actions) -> impl IntoView {
    let id = zone.id;
    let key = format!("zone-{id}");
    let confirm = format!("Confirm deleting the zone {} and its methods", zone.name);
    let new_method = method_fields(&format!("{key}-new"), MethodInput { kind: "flat".into(), ..Default::default() });
    let change = zone_fields(&key, &zone.name, &zone.places);
    let methods = zone.methods.into_iter().map(|m| method_view(id, m, actions)).collect_view();
    let (name, heading, places) = (zone.name.clone(), zone.name, zone.places);
    view! {
        <article class="shipping-zone" data-zone=name>
            <h2>{heading}</h2>
            <p data-testid="zone-places">{places}</p>
            <ul class="shipping-methods">{methods}</ul>
            <details>
                <summary>"Add a method"</summary>
                <ActionForm action=actions.method attr:class="staff-form" attr:data-testid="new-method">
                    <input type="hidden" name="zone" value=id/>
                    {new_method}
                    <button type="submit" class="button" data-testid="add-method">"Add method"</button>
                </ActionForm>
            </details>
            <details>
                <summary>"Change the zone"</summary>
                <ActionForm action=actions.zone attr:class="staff-form">
                    <input type="hidden" name="id" value=id/>
                    {change}
                    <button type="submit" class="button secondary" data-testid="save-zone">"Save zone"</button>
                </ActionForm>
            </details>
            <ActionForm action=actions.unzone attr:class="inline-form danger">
                <input type="hidden" name="id" value=id/>
                <label><input type="checkbox" required aria-label=confirm/>" Delete this zone"</label>
                <button type="submit" class="button danger small">"Delete zone"</button>
            </ActionForm>
        </article>
    }
}

fn method_view(zone: i64, method: MethodRow, actions: Actions) -> impl IntoView {
    let code = method.code.clone();
    let confirm = format!("Confirm deleting the method {}", method.input.name);
    let fields = method_fields(&format!("method-{code}"), method.input.clone());
    let (row_code, form_code, delete_code) = (code.clone(), code.clone(), code);
    view! {
        <li data-method=row_code>
            <strong>{method.input.name}</strong>" · "<span data-testid="method-summary">{method.summary}</span>
            <details>
                <summary>"Change"</summary>
                <ActionForm action=actions.method attr:class="staff-form">
                    <input type="hidden" name="zone" value=zone/>
                    <input type="hidden" name="code" value=form_code/>
                    {fields}
                    <button type="submit" class="button secondary">"Save method"</button>
                </ActionForm>
            </details>
            <ActionForm action=actions.unmethod attr:class="inline-form danger">
                <input type="hidden" name="code" value=delete_code/>
                <label><input type="checkbox" required aria-label=confirm/>" Delete"</label>
                <button type="submit" class="button danger small">"Delete"</button>
            </ActionForm>
        </li>
    }
}
