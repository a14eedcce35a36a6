//! The back office's settings: whether the prices entered include tax, the
//! low-stock default, the tax classes (add; delete one no product is in)
//! and the tax rates per destination and class (set, replace, delete); the
//! shop's details and the search synonyms (`admin_shop_details.rs`).
//! Plain forms posting to server functions, so it works without JavaScript.

use crate::api::settings::{admin_settings, AddTaxClass, DeleteTaxClass, DeleteTaxRate, RemoveShopLogo, SaveSettings, SaveShopDetails, SaveSynonyms, SaveTaxRate, UploadShopLogo};
use crate::components::{bump_on_success, bump_on_upload, form_error, send_upload, AdminNav, ErrorView, UploadAction};
use crate::domain::settings::{SettingsPage, TaxClassRow, TaxRateRow};
use crate::domain::tax::rate_text;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos::server_fn::ServerFn;
use leptos::web_sys::FormData;

#[derive(Clone, Copy)]
pub(super) struct Actions {
    pub details: ServerAction<SaveShopDetails>,
    pub synonyms: ServerAction<SaveSynonyms>,
    pub logo: UploadAction,
    pub unlogo: ServerAction<RemoveShopLogo>,
    save: ServerAction<SaveSettings>,
    rate: ServerAction<SaveTaxRate>,
    unrate: ServerAction<DeleteTaxRate>,
    class: ServerAction<AddTaxClass>,
    unclass: ServerAction<DeleteTaxClass>,
}

#[component]
pub fn AdminSettingsPage() -> impl IntoView {
    let actions = Actions {
        details: ServerAction::new(),
        synonyms: ServerAction::new(),
        logo: Action::new_local(|data: &FormData| send_upload(UploadShopLogo::PATH, data.clone())),
        unlogo: ServerAction::new(),
        save: ServerAction::new(),
        rate: ServerAction::new(),
        unrate: ServerAction::new(),
        class: ServerAction::new(),
        unclass: ServerAction::new(),
    };
    let done = RwSignal::new(0);
    bump_on_success(done, actions.save);
    bump_on_success(done, actions.rate);
    bump_on_success(done, actions.unrate);
    bump_on_success(done, actions.class);
    bump_on_success(done, actions.unclass);
    bump_on_success(done, actions.details);
    bump_on_success(done, actions.synonyms);
    bump_on_upload(done, actions.logo);
    bump_on_success(done, actions.unlogo);
    let page = crate::components::page_data(move || done.get(), |_| admin_settings());
    view! {
        <Title text="Settings · Admin"/>
        <AdminNav current="settings"/>
        <section class="admin-settings">
            <h1>"Settings"</h1>
            {form_error(move || actions.unrate.value().get().and_then(Result::err))}
            {form_error(move || actions.unclass.value().get().and_then(Result::err))}
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Err(error) => view! { <ErrorView error/> }.into_any(),
                        Ok(page) => settings_view(page, actions).into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn settings_view(page: SettingsPage, actions: Actions) -> impl IntoView {
    let s = page.settings;
    let classes = page.classes.clone();
    view! {
        {super::admin_shop_details::details_form(page.details.clone(), actions.details)}
        {super::admin_shop_details::logo_section(page.logo.clone(), actions.logo, actions.unlogo)}
        <h2>"Prices and stock"</h2>
        <ActionForm action=actions.save attr:class="staff-form" attr:data-testid="settings-form">
            <input type="hidden" name="version" value=s.version/>
            {form_error(move || actions.save.value().get().and_then(Result::err))}
            <label class="check">
                <input type="checkbox" name="input[prices_include_tax]" value="on" checked=s.prices_include_tax data-testid="prices-include-tax"/>
                " Prices I enter include tax (checkout takes the tax out of them instead of adding it)"
            </label>
            <label for="low-stock-default">"Low-stock default: tell me when a variant's stock falls to"</label>
            <input id="low-stock-default" name="input[low_stock_default]" value=s.low_stock_default inputmode="numeric" required maxlength=7/>
            <p class="hint">"Variants without a threshold of their own follow it."</p>
            <button type="submit" class="button" data-testid="save-settings">"Save settings"</button>
        </ActionForm>

        <h2>"Tax rates"</h2>
        <p class="hint">"A rate applies to a country, or to one region of it (a region's rate comes first). Goods in a class without a rate for the destination, and shipping, pay its standard rate."</p>
        <ActionForm action=actions.rate attr:class="staff-form" attr:data-testid="rate-form">
            {form_error(move || actions.rate.value().get().and_then(Result::err))}
            <label for="rate-country">"Country (two letters, e.g. GB)"</label>
            <input id="rate-country" name="input[country]" required maxlength=2 autocapitalize="characters"/>
            <label for="rate-region">"Region (e.g. CA; empty: the whole country)"</label>
            <input id="rate-region" name="input[region]" maxlength=3 autocapitalize="characters"/>
            <label for="rate-class">"Tax class"</label>
            <select id="rate-class" name="input[class]">
                {classes.iter().map(|c| view! { <option value=c.code.clone()>{c.name.clone()}</option> }).collect_view()}
            </select>
            <label for="rate-rate">"Rate in % (e.g. 20 or 7.25)"</label>
            <input id="rate-rate" name="input[rate]" required inputmode="decimal" maxlength=7/>
            <button type="submit" class="button" data-testid="save-rate">"Set rate"</button>
        </ActionForm>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Tax rates">
        <table class="admin-table" data-testid="tax-rates">
            <thead><tr><th>"Country"</th><th>"Region"</th><th>"Class"</th><th>"Rate"</th><th></th></tr></thead>
            <tbody>
                {page.rates.into_iter().map(|r| rate_row(r, &page.classes, actions)).collect_view()}
            </tbody>
        </table>
        </div>

        <h2>"Tax classes"</h2>
        <ul class="tax-classes" data-testid="tax-classes">
            {page.classes.iter().cloned().map(|c| class_row(c, actions)).collect_view()}
        </ul>
        <ActionForm action=actions.class attr:class="staff-form" attr:data-testid="class-form">
            {form_error(move || actions.class.value().get().and_then(Result::err))}
            <label for="class-code">"Code (lowercase letters, digits, hyphens; e.g. books)"</label>
            <input id="class-code" name="input[code]" required maxlength=32/>
            <label for="class-name">"Name (e.g. Books and newspapers)"</label>
            <input id="class-name" name="input[name]" required maxlength=60/>
            <button type="submit" class="button secondary" data-testid="add-class">"Add tax class"</button>
        </ActionForm>
        {super::admin_shop_details::synonyms_form(page.synonyms.clone(), actions.synonyms)}
    }
}

fn rate_row(rate: TaxRateRow, classes: &[TaxClassRow], actions: Actions) -> impl IntoView {
    let class_name = classes.iter().find(|c| c.code == rate.class).map_or_else(|| rate.class.clone(), |c| c.name.clone());
    let (text, confirm) = (rate.text(), format!("Confirm deleting the rate {}", rate.text()));
    let (country, region, class) = (rate.country.clone(), rate.region.clone(), rate.class.clone());
    view! {
        <tr data-rate=text>
            <td>{rate.country.clone()}</td>
            <td>{if rate.region.is_empty() { "all".to_owned() } else { rate.region.clone() }}</td>
            <td>{class_name}</td>
            <td>{rate_text(rate.rate_bp)}</td>
            <td>
                <ActionForm action=actions.unrate attr:class="inline-form danger">
                    <input type="hidden" name="country" value=country/>
                    <input type="hidden" name="region" value=region/>
                    <input type="hidden" name="class" value=class/>
                    <label><input type="checkbox" required aria-label=confirm/>" Delete"</label>
                    <button type="submit" class="button danger small">"Delete"</button>
                </ActionForm>
            </td>
        </tr>
    }
}

fn class_row(class: TaxClassRow, actions: Actions) -> impl IntoView {
    let used = match class.products {
        1 => "1 product".to_owned(),
        n => format!("{n} products"),
    };
    let removable = class.code != "standard" && class.products == 0;
    let confirm = format!("Confirm deleting the tax class {}", class.name);
    let code = class.code.clone();
    view! {
        <li data-class=class.code.clone()>
            <strong>{class.name.clone()}</strong>" ("<code>{class.code.clone()}</code>") · "{used}
            {removable.then(|| view! {
                <ActionForm action=actions.unclass attr:class="inline-form danger">
                    <input type="hidden" name="code" value=code/>
                    <label><input type="checkbox" required aria-label=confirm/>" Delete"</label>
                    <button type="submit" class="button danger small">"Delete"</button>
                </ActionForm>
            })}
        </li>
    }
}
