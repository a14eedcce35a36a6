//! The settings page's forms for the shop's own details (name, contact, the
//! seller's address, VAT number and legal text its invoices carry, the
//! order-number prefix), its logo, and the search synonyms list. Plain forms posting
//! to server functions, so they work without JavaScript.

use crate::api::settings::{RemoveShopLogo, SaveShopDetails, SaveSynonyms, UploadShopLogo};
use crate::components::{form_error, picture_section, removal_fields, upload_form, UploadAction};
use crate::domain::catalog::ProductImage;
use crate::domain::shop_details::ShopDetails;
use leptos::server_fn::ServerFn;
use leptos::form::ActionForm;
use leptos::prelude::*;

pub(super) fn details_form(d: ShopDetails, action: ServerAction<SaveShopDetails>) -> impl IntoView {
    view! {
        <h2>"The shop"</h2>
        <ActionForm action=action attr:class="staff-form" attr:data-testid="details-form">
            <input type="hidden" name="version" value=d.version/>
            {form_error(move || action.value().get().and_then(Result::err))}
            <label for="shop-name">"Name"</label>
            <input id="shop-name" name="input[name]" value=d.name required maxlength=80/>
            <label for="shop-email">"Contact email"</label>
            <input id="shop-email" name="input[contact_email]" type="email" value=d.contact_email maxlength=254/>
            <label for="shop-phone">"Contact phone"</label>
            <input id="shop-phone" name="input[contact_phone]" type="tel" value=d.contact_phone maxlength=30/>
            <label for="shop-address">"Seller's address (on invoices)"</label>
            <textarea id="shop-address" name="input[address]" rows=4 maxlength=300>{d.address}</textarea>
            <label for="shop-vat">"VAT number (on invoices)"</label>
            <input id="shop-vat" name="input[vat_number]" value=d.vat_number maxlength=20 autocapitalize="characters"/>
            <label for="shop-legal">"Legal text at the foot of every invoice (registration, terms)"</label>
            <textarea id="shop-legal" name="input[legal_text]" rows=4 maxlength=4000>{d.legal_text}</textarea>
            <label for="shop-prefix">"Order numbers start with"</label>
            <input id="shop-prefix" name="input[order_prefix]" value=d.order_prefix required maxlength=6 autocapitalize="characters"/>
            <p class="hint">"2 to 6 letters or digits; new orders are numbered like PREFIX-7KQ2M9XA. Orders already placed keep their numbers."</p>
            <button type="submit" class="button" data-testid="save-details">"Save the shop's details"</button>
            {move || matches!(action.value().get(), Some(Ok(()))).then(|| view! { <p class="hint" role="status" data-testid="details-saved">"Saved."</p> })}
        </ActionForm>
    }
}

/// The logo every page's header shows (the shop's name without one).
pub(super) fn logo_section(logo: Option<ProductImage>, upload: UploadAction, remove: ServerAction<RemoveShopLogo>) -> impl IntoView {
    picture_section(
        "Logo (in every page's header)",
        "The header shows the shop's name until you upload a logo.",
        logo,
        view! {
            <ActionForm action=remove attr:class="inline-form danger">
                {removal_fields(1, move || remove.value().get().and_then(Result::err))}
            </ActionForm>
        }
        .into_any(),
        upload_form(upload, UploadShopLogo::PATH, ("shop", 1), false),
    )
}

pub(super) fn synonyms_form(text: String, action: ServerAction<SaveSynonyms>) -> impl IntoView {
    view! {
        <h2>"Search synonyms"</h2>
        <p class="hint">"One line per word: “tee: t-shirt, tshirt”. A search for a word also finds its synonyms, and the reverse."</p>
        <ActionForm action=action attr:class="staff-form" attr:data-testid="synonyms-form">
            {form_error(move || action.value().get().and_then(Result::err))}
            <label for="synonyms">"Synonyms"</label>
            <textarea id="synonyms" name="synonyms" rows=10 data-testid="synonyms">{text}</textarea>
            <button type="submit" class="button secondary" data-testid="save-synonyms">"Save synonyms"</button>
        </ActionForm>
    }
}
