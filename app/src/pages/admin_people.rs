//! The back office's people page (admins): every staff member with their
//! role, seller, two-step sign-in and last sign-in; a form per person to
//! change the role, disable or enable, or remove from staff (each behind a
//! confirmation); and the invitation form. Plain forms posting to server
//! functions, so it works without JavaScript.

use crate::api::people::{admin_people, ChangeStaffRole, DisableStaff, InviteStaff, RemoveStaff};
use crate::components::{bump_on_success, form_error, AdminNav, ErrorView};
use crate::domain::account::Role;
use crate::domain::people::{PeoplePage, StaffMember};
use crate::domain::time::utc;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[derive(Clone, Copy)]
struct Actions {
    invite: ServerAction<InviteStaff>,
    role: ServerAction<ChangeStaffRole>,
    disable: ServerAction<DisableStaff>,
    remove: ServerAction<RemoveStaff>,
}

#[component]
pub fn AdminPeoplePage() -> impl IntoView {
    let actions = Actions { invite: ServerAction::new(), role: ServerAction::new(), disable: ServerAction::new(), remove: ServerAction::new() };
    let done = RwSignal::new(0);
    bump_on_success(done, actions.invite);
    bump_on_success(done, actions.role);
    bump_on_success(done, actions.disable);
    bump_on_success(done, actions.remove);
    let page = crate::components::page_data(move || done.get(), |_| admin_people());
    view! {
        <Title text="People · Admin"/>
        <AdminNav current="people"/>
        <section class="admin-people">
            <h1>"People"</h1>
            {form_error(move || actions.role.value().get().and_then(Result::err))}
            {form_error(move || actions.disable.value().get().and_then(Result::err))}
            {form_error(move || actions.remove.value().get().and_then(Result::err))}
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(page) => people_view(page, actions).into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The role choices, with `current` selected.
fn role_options(current: Option<Role>) -> impl IntoView + use<> {
    Role::STAFF.map(|r| view! { <option value=r.key() selected=current == Some(r)>{r.label()}</option> }).collect_view()
}

/// The seller choices (for a seller's staff), with `current` selected.
fn seller_options(sellers: &[(i64, String)], current: Option<i64>) -> impl IntoView + use<> {
    let options = sellers
        .iter()
        .map(|(id, name)| view! { <option value=id.to_string() selected=current == Some(*id)>{name.clone()}</option> })
        .collect_view();
    view! { <option value="" selected=current.is_none()>"(no seller)"</option> {options} }
}

fn people_view(page: PeoplePage, actions: Actions) -> impl IntoView {
    let PeoplePage { staff, sellers, me } = page;
    let rows = staff.into_iter().map(|m| member(m, &sellers, me, actions)).collect_view();
    view! {
        <h2>"Staff"</h2>
        <p class="hint">"Admins do everything; catalog managers run products, stock, categories and brands; order managers run orders, returns and refunds; a seller's staff see and ship only their seller's goods. Everyone needs two-step sign-in."</p>
        <ul class="people" data-testid="staff-list">{rows}</ul>
        <h2>"Invite someone"</h2>
        <ActionForm action=actions.invite attr:class="staff-form" attr:data-testid="invite-form">
            {form_error(move || actions.invite.value().get().and_then(Result::err))}
            <label for="invite-email">"Email"</label>
            <input id="invite-email" name="email" type="email" required maxlength=254 autocomplete="off"/>
            <label for="invite-role">"Role"</label>
            <select id="invite-role" name="role">{role_options(None)}</select>
            <label for="invite-seller">"Seller (for a seller's staff)"</label>
            <select id="invite-seller" name="seller">{seller_options(&sellers, None)}</select>
            <p class="hint">"They get a link by mail to choose their password (valid for an hour), then turn on two-step sign-in."</p>
            <button type="submit" class="button" data-testid="invite">"Send the invitation"</button>
        </ActionForm>
    }
}

fn member(m: StaffMember, sellers: &[(i64, String)], me: i64, actions: Actions) -> impl IntoView {
    let id = m.id.to_string();
    let (role_id, seller_id) = (format!("role-{}", m.id), format!("seller-{}", m.id));
    let state = match (m.disabled, m.two_step) {
        (true, _) => "Disabled",
        (false, false) => "No two-step sign-in yet",
        (false, true) => "Active",
    };
    let last = m.last_sign_in.map_or("never".to_owned(), |at| format!("{} UTC", utc(at)));
    let seller = m.seller.as_ref().map(|(_, name)| format!(" · {name}")).unwrap_or_default();
    let (disable_value, disable_label) = if m.disabled { ("", "Enable") } else { ("on", "Disable") };
    let is_me = m.id == me;
    let (role_label, seller_label) = (format!("Role of {}", m.email), format!("Seller of {}", m.email));
    let email_attr = m.email.clone();
    let roles = role_options(Some(m.role));
    let seller_choice = seller_options(sellers, m.seller.as_ref().map(|s| s.0));
    let (id_role, id_disable, id_remove) = (id.clone(), id.clone(), id);
    let others = (!is_me).then(move || view! {
        <ActionForm action=actions.disable attr:class="inline-form">
            <input type="hidden" name="id" value=id_disable/>
            <input type="hidden" name="disabled" value=disable_value/>
            <label><input type="checkbox" required/>" Sure"</label>
            <button type="submit" class="button secondary small" data-testid="toggle-disabled">{disable_label}</button>
        </ActionForm>
        <ActionForm action=actions.remove attr:class="inline-form">
            <input type="hidden" name="id" value=id_remove/>
            <label><input type="checkbox" required/>" Sure"</label>
            <button type="submit" class="button danger small" data-testid="remove-staff">"Remove from staff"</button>
        </ActionForm>
    });
    view! {
        <li class="person" data-testid="person" data-email=email_attr>
            <p><strong>{m.email}</strong> " " {m.name}
                <br/><span data-testid="person-role">{m.role.label()}</span> {seller}
                " · " <span data-testid="person-state">{state}</span> " · last sign-in " {last}
                {is_me.then_some(" (you)")}
            </p>
            <ActionForm action=actions.role attr:class="inline-form">
                <input type="hidden" name="id" value=id_role/>
                <label class="visually-hidden" for=role_id.clone()>{role_label}</label>
                <select id=role_id name="role">{roles}</select>
                <label class="visually-hidden" for=seller_id.clone()>{seller_label}</label>
                <select id=seller_id name="seller">{seller_choice}</select>
                <button type="submit" class="button secondary small" data-testid="change-role">"Change role"</button>
            </ActionForm>
            {others}
        </li>
    }
}
