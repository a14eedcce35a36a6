//! The product page's option picker: one radio group per option (size,
//! colour, …), inside the add-to-cart form so it works without JavaScript
//! (the server finds the variant from the values). With JavaScript the
//! price, stock and picture follow the choice and the address keeps it
//! (`?variant=<id>`, replaced, not pushed). A value no variant has with the
//! other choices is marked unavailable; a sold-out one says so.

use crate::domain::variants::{offered, pick, ProductOption, Variant};
use leptos::prelude::*;

/// The values chosen now, one per option.
pub type Chosen = RwSignal<Vec<String>>;

/// The values of variant `id` if it is one of `variants`, else those of the
/// first in stock (else the first).
pub fn initial_choice(variants: &[Variant], id: Option<i64>) -> Vec<String> {
    id.and_then(|id| variants.iter().find(|v| v.id == id))
        .or_else(|| variants.iter().find(|v| v.stock > 0))
        .or(variants.first())
        .map(|v| v.values.clone())
        .unwrap_or_default()
}

/// The radio groups; changing one updates `chosen` and the address.
#[component]
pub fn VariantPicker(options: Vec<ProductOption>, variants: Vec<Variant>, chosen: Chosen) -> impl IntoView {
    let variants = StoredValue::new(variants);
    options
        .into_iter()
        .enumerate()
        .map(|(index, option)| {
            let field = format!("option{}", index + 1);
            view! {
                <fieldset class="option-picker" data-testid="option-picker">
                    <legend>{option.name.clone()}</legend>
                    {option.values.into_iter().map(|value| {
                        let id = format!("{field}-{}", value.to_lowercase().replace(' ', "-"));
                        let this = value.clone();
                        let checked = {
                            let value = value.clone();
                            move || chosen.read().get(index).is_some_and(|v| *v == value)
                        };
                        let state = {
                            let value = value.clone();
                            move || {
                                let now = chosen.get();
                                variants.with_value(|all| {
                                    let mut with = now.clone();
                                    if let Some(slot) = with.get_mut(index) {
                                        *slot = value.clone();
                                    }
                                    match pick(all, &with) {
                                        Some(v) if v.stock > 0 => "available",
                                        Some(_) => "sold-out",
                                        None if offered(all, &now, index, &value) => "available",
                                        None => "unavailable",
                                    }
                                })
                            }
                        };
                        let note = state.clone();
                        let for_id = id.clone();
                        view! {
                            <label for=for_id class="option-value" data-state=state data-testid="option-value">
                                <input
                                    type="radio"
                                    id=id
                                    name=field.clone()
                                    value=value.clone()
                                    prop:checked=checked.clone()
                                    checked=checked
                                    required
                                    on:change=move |_| {
                                        chosen.update(|now| {
                                            if let Some(slot) = now.get_mut(index) {
                                                *slot = this.clone();
                                            }
                                        });
                                        let id = variants.with_value(|all| pick(all, &chosen.get_untracked()).map(|v| v.id));
                                        keep_in_address(id);
                                    }
                                />
                                <span>{value.clone()}</span>
                                <span class="option-note">{move || match note() {
                                    "sold-out" => " (sold out)",
                                    "unavailable" => " (not available)",
                                    _ => "",
                                }}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            }
        })
        .collect_view()
}

/// Puts `?variant=<id>` (or nothing) in the address without a new history entry.
fn keep_in_address(id: Option<i64>) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let path = window.location().pathname().unwrap_or_default();
        let url = match id {
            Some(id) => format!("{path}?variant={id}"),
            None => path,
        };
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&leptos::wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::{Currency, Money};

    fn variant(id: i64, values: &[&str], stock: i64) -> Variant {
        let price = Money::new(100, Currency::Usd);
        Variant { id, sku: id.to_string(), values: values.iter().map(|v| v.to_string()).collect(), price, compare_at: None, stock, image: None }
    }

    #[test]
    fn the_first_choice_is_the_asked_variant_else_one_in_stock() {
        let all = [variant(1, &["S"], 0), variant(2, &["M"], 3)];
        assert_eq!(initial_choice(&all, Some(1)), vec!["S".to_string()]);
        assert_eq!(initial_choice(&all, None), vec!["M".to_string()]);
        assert_eq!(initial_choice(&all, Some(99)), vec!["M".to_string()]);
        assert!(initial_choice(&[], None).is_empty());
    }
}
